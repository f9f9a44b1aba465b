"""Which stored activity an imported row is about, without telling a user what exists
outside their scope (issue 9, item 17; the rule is accounts.scopes.own_source).

For each row (source, ID), before the rights are checked and anything is written:
- an activity the user can see, with this ID under this source, or under the same
  source kept apart for any writer ("import", "import@12", …), is the one the row is
  about (exactly this source first);
- otherwise a user who sees every record writes the row under its source as given, and
  anyone else under their own source (scopes.own_source), where nobody else writes: an ID
  that someone else's activity out of their sight has is answered exactly like an ID
  nobody has — a new activity of theirs;
- two activities they can see, kept apart for different writers, and none exactly under
  this source: the row says so and asks which (the file's source column).
"""

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.accounts.models import User
from musow.activities.models import Activity
from musow.intake.rows import Prepared


class KeySpace:
    def __init__(self, user: Any) -> None:
        self.user = user
        self.sees_all = scopes.may_validate_by_import(user)
        self._writers: list[int] | None = None

    def writers(self) -> list[int]:
        """Everyone who could have kept a source apart (read once per import)."""
        if self._writers is None:
            self._writers = list(User.objects.order_by("pk").values_list("pk", flat=True))
        return self._writers

    def resolve(self, chunk: list[Prepared]) -> set[int]:
        """Set each row's source to the one it is written under; the numbers of the rows
        refused (an ambiguous ID, or two rows about one activity)."""
        bases = {scopes.base_source(p.item.data.source) for p in chunk}
        sources = {p.item.data.source for p in chunk} | bases
        sources |= {f"{b}{scopes.NAMESPACE}{uid}" for b in bases for uid in self.writers()}
        keys = {p.item.data.source_key for p in chunk}
        found = (
            Activity.objects.filter(source__in=sources, source_key__in=keys)
            .exclude(source_key="")
            .order_by()
            .values_list("pk", "source", "source_key")
        )
        by_key: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        exact: set[tuple[str, str]] = set()
        for pk, source, key in found:
            by_key[(scopes.base_source(source), key)].append((pk, source))
            exact.add((source, key))
        # The system itself (the command line without --user) sees every record.
        sight = (
            Activity.objects.exclude(status=Activity.Status.DELETED)
            if self.user is None
            else scopes.activities_for(self.user)
        )
        visible = set(
            sight.filter(pk__in=[pk for pairs in by_key.values() for pk, _s in pairs]).values_list(
                "pk", flat=True
            )
        )
        refused: set[int] = set()
        written: dict[tuple[str, str], int] = {}
        for p in chunk:
            data = p.item.data
            given, key = data.source, data.source_key
            if self.sees_all and (given, key) in exact:
                chosen = given  # what it names exists: the write path takes it from here
            else:
                seen = [
                    s for pk, s in by_key.get((scopes.base_source(given), key), []) if pk in visible
                ]
                if given in seen:
                    chosen = given
                elif scopes.base_source(given) in seen:
                    chosen = scopes.base_source(given)
                elif len(seen) == 1:
                    chosen = seen[0]
                elif len(seen) > 1:
                    p.row.problem(
                        "activity_id",
                        _(
                            "This ID is that of several activities, kept apart by source "
                            "(%(sources)s): give the source of the one meant in the column "
                            "“source”."
                        )
                        % {"sources": ", ".join(sorted(seen))},
                    )
                    refused.add(p.row.number)
                    continue
                else:
                    chosen = scopes.own_source(self.user, given)
            if (chosen, key) in written:
                p.row.problem(
                    "activity_id",
                    _("This ID is already used on row %(row)s.") % {"row": written[(chosen, key)]},
                )
                refused.add(p.row.number)
                continue
            written[(chosen, key)] = p.row.number
            data.source = chosen
        return refused
