"""`musow activities load FILE.json [--dry-run] [--source NAME] [--lang fr|en]`

FILE.json is a list of activity records (see `musow.activities.records`). The whole
file is loaded in one transaction: every problem of every record is reported, with
the record's number, key and field, and then nothing is written. Records are keyed by
(source, key), so loading the same file again changes nothing.
"""

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from musow.activities.records import activity_input_from_record
from musow.activities.services import ActivityInput, activity_upsert, activity_validate_input
from musow.lib.i18n import command_language

# Field names of the write path → the names a record uses for them.
RECORD_FIELDS = {
    "activity_type": "type",
    "start_date": "start",
    "end_date": "end",
    "participants_total": "total",
    "media_reach": "media",
    "estimated_audience": "audience",
    "__all__": "",
}


def record_field(name: str) -> str:
    """`media_reach[2].estimated_audience` → `media[2].audience`: the record's own words."""
    return re.sub(r"[A-Za-z_]+", lambda m: RECORD_FIELDS.get(m[0], m[0]), name)


class Problems:
    """Every problem found in a file, by record, printed in the active language."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0
        self.records = 0

    def add(self, index: int, key: str, errors: dict[str, list[str]]) -> None:
        self.records += 1
        where = (
            _("Record %(index)s (key “%(key)s”):") % {"index": index, "key": key}
            if key
            else _("Record %(index)s:") % {"index": index}
        )
        self.lines.append(where)
        for name, messages in errors.items():
            field = record_field(name)
            for message in messages:
                self.count += 1
                self.lines.append(f"  - {field}: {message}" if field else f"  - {message}")

    def __bool__(self) -> bool:
        return bool(self.lines)

    def error(self) -> CommandError:
        head = ngettext(
            "Nothing was written: %(problems)s problem in %(records)s record(s).",
            "Nothing was written: %(problems)s problems in %(records)s record(s).",
            self.count,
        ) % {"problems": self.count, "records": self.records}
        return CommandError("\n".join([head, *self.lines]))


def _message_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


class Command(BaseCommand):
    help = gettext("Work with activities: “load” a JSON file of activity records.")

    def add_arguments(self, parser: CommandParser) -> None:
        # One action for now; its options may come anywhere on the line, like Django's own
        # (--lang, --traceback, -v), which is why this is not an argparse sub-parser.
        parser.add_argument(
            "action",
            choices=["load"],
            help=gettext(
                "load: load FILE.json, a JSON list of activity records, in one transaction; "
                "if any record is wrong, every problem is listed and nothing is written"
            ),
        )
        parser.add_argument("file", metavar="FILE.json", help=gettext("a JSON list of records"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext("check everything and report, but write nothing"),
        )
        parser.add_argument(
            "--source",
            help=gettext("where the records come from (default: import:<file name>)"),
        )
        parser.add_argument("--lang", default="fr", help=gettext("fr (default) or en"))

    def handle(self, *args: Any, **options: Any) -> None:
        lang = command_language(options.get("lang"))
        translation.activate(lang)
        if options["action"] == "load":
            self.load(options["file"], options["source"], options["dry_run"])

    def load(self, file: str, source: str | None, dry_run: bool) -> None:
        path = Path(file)
        records = self._read(path)
        source = source or f"import:{path.name}"
        inputs = self._check(records, source)
        tally: Counter[str] = Counter()
        with transaction.atomic():
            problems = Problems()
            for index, (record, data) in enumerate(zip(records, inputs, strict=True), start=1):
                try:
                    _activity, outcome = activity_upsert(data=data)
                except ValidationError as exc:
                    problems.add(index, str(record.get("key") or ""), _message_dict(exc))
                    continue
                tally[outcome] += 1
            if problems:
                raise problems.error()  # leaving the block rolls everything back
            if dry_run:
                transaction.set_rollback(True)
        self.stdout.write(self._report(path, source, tally, dry_run))

    def _read(self, path: Path) -> list[dict[str, Any]]:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(_("No such file: %(file)s") % {"file": path}) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}
            ) from None
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                _("%(file)s is not valid JSON (line %(line)s, column %(column)s): %(error)s")
                % {"file": path, "line": exc.lineno, "column": exc.colno, "error": exc.msg}
            ) from None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise CommandError(
                _("%(file)s must hold a JSON list of records ({…} objects).") % {"file": path}
            )
        return records

    def _check(self, records: list[dict[str, Any]], source: str) -> list[ActivityInput]:
        """Resolve and validate every record; report all problems of all records at once."""
        problems = Problems()
        inputs: list[ActivityInput] = []
        seen: dict[str, int] = {}
        for index, record in enumerate(records, start=1):
            key = str(record.get("key") or "").strip()
            errors: dict[str, list[str]] = {}
            if not key:
                errors["key"] = [
                    _(
                        "Each record needs a key, stable within its source, so that loading "
                        "the file again changes nothing."
                    )
                ]
            elif key in seen:
                errors["key"] = [
                    _("The key “%(key)s” is already used by record %(index)s.")
                    % {"key": key, "index": seen[key]}
                ]
            else:
                seen[key] = index
            try:
                data = activity_input_from_record(record, source=source)
                activity_validate_input(data)
                inputs.append(data)
            except ValidationError as exc:
                errors.update(_message_dict(exc))
            if errors:
                problems.add(index, key, errors)
        if problems:
            raise problems.error()
        return inputs

    def _report(self, path: Path, source: str, tally: Counter[str], dry_run: bool) -> str:
        numbers = {
            "file": path.name,
            "source": source,
            "created": tally["created"],
            "updated": tally["updated"],
            "unchanged": tally["unchanged"],
        }
        if dry_run:
            return (
                _(
                    "Dry run, nothing written. %(file)s (source “%(source)s”) would create "
                    "%(created)s, update %(updated)s and leave %(unchanged)s unchanged."
                )
                % numbers
            )
        return (
            _(
                "%(file)s loaded (source “%(source)s”): %(created)s created, %(updated)s "
                "updated, %(unchanged)s unchanged."
            )
            % numbers
        )
