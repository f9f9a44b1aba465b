"""Activity records as plain data (`musow activities load`, the API, the demo) → ActivityInput.

A record names things by their codes; unknown codes are reported by field,
all of them at once, before anything is written.

    {
      "key": "2014-16j-bko-01",            stable key within its source
      "type": "conference", "title": "…", "description": "…",
      "start": "2014-11-25", "end": "2014-11-25",
      "place": "ML09",                     P-code (optionally "gazetteer": "…")
      "themes": ["gbv"], "campaign": "16-jours-2014", "project": null,
      "organiser": "minusma-unite-genre", "partners": ["wildaf-mali"], "objectives": ["m1"],
      "status": "validated",
      "total": 420,                        declared total, checked against the breakdown
      "participation": [{"audience": "general-public", "sex": "f", "age": "18-plus", "count": 200}],
      "media": [{"medium": "radio", "outlet": "Radio Mikado FM", "audience": 150000}],
      "attendance": [{"code": "ETU-0001", "sex": "f", "audience": "students", "age": "18-plus"}]
    }
"""

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.activities.models import (
    ActivityType,
    AgeGroup,
    Audience,
    Campaign,
    Objective,
    Organisation,
    Project,
    Theme,
)
from musow.activities.services import (
    EMPTY_IDENTITY,
    ActivityInput,
    AttendanceEntry,
    MediaEstimate,
    ParticipationCount,
    attendee_key,
    count_problem,
    dates_problem,
    identifies_no_one,
    total_problem,
)
from musow.geo.models import Place

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# One message per kind of thing, so that each language can make it agree.
UNKNOWN_TYPE = gettext_lazy("Unknown activity type “%(code)s”.")
UNKNOWN_THEME = gettext_lazy("Unknown theme “%(code)s”.")
UNKNOWN_AUDIENCE = gettext_lazy("Unknown audience “%(code)s”.")
UNKNOWN_AGE = gettext_lazy("Unknown age group “%(code)s”.")
UNKNOWN_CAMPAIGN = gettext_lazy("Unknown campaign “%(code)s”.")
UNKNOWN_PROJECT = gettext_lazy("Unknown project “%(code)s”.")
UNKNOWN_ORGANISATION = gettext_lazy("Unknown organisation “%(code)s”.")
UNKNOWN_OBJECTIVE = gettext_lazy("Unknown mandate line “%(code)s”.")


class _Resolver:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self._cache: dict[tuple[type[models.Model], str], Any] = {}

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def code(
        self, model: type[models.Model], value: Any, name: str, unknown: "StrOrPromise"
    ) -> Any:
        """The object of `model` with this code; `unknown` is the message (with %(code)s)."""
        if value in (None, ""):
            return None
        if isinstance(value, bool) or not isinstance(value, str | int) or "\x00" in str(value):
            self.error(name, str(unknown) % {"code": value})
            return None
        key = (model, str(value))
        if key not in self._cache:
            self._cache[key] = model._default_manager.filter(code=str(value)).first()
        obj = self._cache[key]
        if obj is None:
            self.error(name, str(unknown) % {"code": value})
        return obj

    def codes(
        self, model: type[models.Model], values: Any, name: str, unknown: "StrOrPromise"
    ) -> list[Any]:
        if values in (None, ""):
            return []
        if isinstance(values, str):
            values = [v.strip() for v in values.split(",") if v.strip()]
        if not isinstance(values, list | tuple):
            values = [values]
        return [obj for v in values if (obj := self.code(model, v, name, unknown)) is not None]

    def rows(self, record: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
        """The list of row objects under `name` ({} for a row that is not an object)."""
        value = record.get(name) or []
        if not isinstance(value, list):
            self.error(name, _("A list of rows is expected here."))
            return []
        rows = []
        for i, row in enumerate(value, start=1):
            if not isinstance(row, Mapping):
                self.error(f"{name}[{i}]", _("Each row must be an object with named fields."))
                row = {}
            rows.append(row)
        return rows

    def place(self, value: Any, gazetteer: str | None, name: str) -> Place | None:
        if value in (None, ""):
            self.error(name, _("The place is required."))
            return None
        if "\x00" in str(value) + str(gazetteer or ""):
            self.error(name, _("Unknown place code “%(code)s”.") % {"code": value})
            return None
        qs = Place.objects.filter(pcode=str(value).strip())
        if gazetteer:
            qs = qs.filter(gazetteer__code=str(gazetteer))
        found = list(qs[:2])
        if not found:
            self.error(name, _("Unknown place code “%(code)s”.") % {"code": value})
            return None
        if len(found) > 1:
            self.error(
                name,
                _("The place code “%(code)s” exists in several gazetteers; say which one.")
                % {"code": value},
            )
            return None
        return found[0]

    def date(self, value: Any, name: str) -> date | None:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except (TypeError, ValueError):
            self.error(name, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value})
            return None

    def integer(self, value: Any, name: str) -> int | None:
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            self.error(name, _("“%(value)s” is not a whole number.") % {"value": value})
            return None
        try:
            number = int(str(value).strip())
        except (ValueError, OverflowError):
            self.error(name, _("“%(value)s” is not a whole number.") % {"value": value})
            return None
        return number


def activity_input_from_record(record: Mapping[str, Any], *, source: str) -> ActivityInput:
    """Resolve a record's codes; raise one ValidationError listing every problem."""
    r = _Resolver()
    activity_type = r.code(ActivityType, record.get("type"), "type", UNKNOWN_TYPE)
    if record.get("type") in (None, ""):
        r.error("type", _("The activity type is required."))
    start = r.date(record.get("start"), "start")
    end = r.date(record.get("end", record.get("start")), "end")
    place = r.place(record.get("place"), record.get("gazetteer"), "place")

    participation = []
    counts: dict[int, int] = {}
    for i, row in enumerate(r.rows(record, "participation"), start=1):
        where = f"participation[{i}]"
        audience = r.code(Audience, row.get("audience"), f"{where}.audience", UNKNOWN_AUDIENCE)
        age = r.code(AgeGroup, row.get("age"), f"{where}.age", UNKNOWN_AGE)
        count = r.integer(row.get("count"), f"{where}.count")
        if count is not None:
            counts[i] = count
        if audience is None and row.get("audience") in (None, ""):
            r.error(f"{where}.audience", _("The audience is required."))
        if age is None and row.get("age") in (None, ""):
            r.error(f"{where}.age", _("The age group is required."))
        if audience and age and count is not None:
            participation.append(
                ParticipationCount(audience, str(row.get("sex") or ""), age, count)
            )
    media = []
    for i, row in enumerate(r.rows(record, "media"), start=1):
        estimate = r.integer(row.get("audience"), f"media[{i}].audience")
        if estimate is not None:
            media.append(
                MediaEstimate(
                    str(row.get("medium") or ""),
                    estimate,
                    str(row.get("outlet") or ""),
                    str(row.get("method") or ""),
                )
            )
    attendance = []
    for i, row in enumerate(r.rows(record, "attendance"), start=1):
        where = f"attendance[{i}]"
        code = str(row.get("key") or row.get("code") or "").strip()
        if not code:
            r.error(where, _("Each attendee needs a participant code."))
            continue
        if not row.get("key") and identifies_no_one(code):
            r.error(where, str(EMPTY_IDENTITY))
            continue
        attendance.append(
            AttendanceEntry(
                key=row["key"] if row.get("key") else attendee_key(code),
                sex=str(row.get("sex") or "u"),
                audience=r.code(
                    Audience, row.get("audience"), f"{where}.audience", UNKNOWN_AUDIENCE
                ),
                age_group=r.code(AgeGroup, row.get("age"), f"{where}.age", UNKNOWN_AGE),
            )
        )
    data_kwargs = {
        "themes": r.codes(Theme, record.get("themes"), "themes", UNKNOWN_THEME),
        "campaign": r.code(Campaign, record.get("campaign"), "campaign", UNKNOWN_CAMPAIGN),
        "project": r.code(Project, record.get("project"), "project", UNKNOWN_PROJECT),
        "organiser": r.code(
            Organisation, record.get("organiser"), "organiser", UNKNOWN_ORGANISATION
        ),
        "partners": r.codes(Organisation, record.get("partners"), "partners", UNKNOWN_ORGANISATION),
        "objectives": r.codes(Objective, record.get("objectives"), "objectives", UNKNOWN_OBJECTIVE),
        "participants_total": r.integer(record.get("total"), "total"),
    }
    if r.errors or activity_type is None or start is None or end is None or place is None:
        # The record cannot reach the write path's validation: report here what it
        # would say of the plain values, so every problem is listed at once.
        if problem := dates_problem(start, end):
            r.error("end_date", problem)
        for i, count in counts.items():
            if problem := count_problem(count):
                r.error(f"participation[{i}].count", problem)
        if problem := total_problem(sum(counts.values()), data_kwargs["participants_total"]):
            r.error("participants_total", problem)
        raise ValidationError(r.errors)
    return ActivityInput(
        activity_type=activity_type,
        title=str(record.get("title") or ""),
        description=str(record.get("description") or ""),
        start_date=start,
        end_date=end,
        place=place,
        participation=participation,
        media_reach=media,
        attendance=attendance,
        status=str(record.get("status") or "draft"),
        source=source,
        source_key=str(record.get("key") or ""),
        **data_kwargs,
    )
