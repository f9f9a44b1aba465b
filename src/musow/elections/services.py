"""Writes for elections and candidate lists. Every door (web pages, the demo, tests)
writes through these functions: keyword-only, all or nothing, audited, and each bad input
refused with one message per problem, naming its field, in the user's language.

A list's candidates are (position, sex) pairs — positions 1..n, each once, sex f or m —
and its elected are numbers of women and men (None: the source does not give it, "no
data", never 0) or the positions elected. Law No. 2015-052 (art. 2 and 3) is checked at
every save (`elections.law`) and kept on the list, so that figures can count the lists
that do not meet it; a list that does not meet the law is recorded all the same (that is
what the figures are for), with the reason shown.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.audit.models import Entry
from musow.audit.services import diff, entry_record
from musow.elections import law
from musow.elections.models import Candidate, CandidateList, Council, Election
from musow.geo.models import Place
from musow.representation.models import Process
from musow.representation.services import (
    _bump_version,
    record_return,
    record_submit,
    record_validate,
)

MAX_CANDIDATES = 1_000  # longer than any list: a typing slip
MAX_ELECTED = 1_000_000  # national totals (e.g. every communal councillor)
SEXES = ("f", "m")


@dataclass(frozen=True)
class Position:
    position: int
    sex: str  # "f" or "m" (F/M accepted)


@dataclass(frozen=True)
class ElectionInput:
    kind: str
    held_on: date
    name_fr: str
    name_en: str
    level: str = Election.Level.NATIONAL
    round: int = 1
    place: Place | None = None
    process: Process | None = None
    source_document: str = ""
    source_url: str = ""
    note: str = ""
    is_illustrative: bool = False


@dataclass(frozen=True)
class ListInput:
    election: Election
    party: str
    council: str
    place: Place | None
    candidates: tuple[Position, ...] = ()
    elected_women: int | None = None
    elected_men: int | None = None
    elected_positions: tuple[int, ...] = ()
    is_total: bool = False
    source_document: str = ""
    source_date: date | None = None
    source_url: str = ""
    note: str = ""
    is_illustrative: bool = False


@dataclass
class Problems:
    """Problems found in an input, by field, each said once."""

    by_field: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        if message not in self.by_field.setdefault(name, []):
            self.by_field[name].append(message)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _no_nul(problems: Problems, **texts: str) -> None:
    for name, text in texts.items():
        if "\x00" in (text or ""):
            problems.add(name, _("The text contains a character that cannot be stored (NUL)."))


# --- elections -------------------------------------------------------------------------


def election_check(*, data: ElectionInput, user: Any = None) -> Problems:
    problems = Problems()
    if user is not None and not scopes.may_manage_elections(user):
        problems.add("kind", _("Only gender officers and the unit admin enter elections."))
    if data.kind not in Election.Kind.values:
        problems.add("kind", _("Unknown kind of election “%(kind)s”.") % {"kind": data.kind})
    if data.level not in Election.Level.values:
        problems.add("level", _("Unknown level “%(level)s”.") % {"level": data.level})
    if data.round < 1 or data.round > 3:
        problems.add("round", _("The round is 1, 2 or 3."))
    for name in ("name_fr", "name_en"):
        if not getattr(data, name).strip():
            problems.add(name, _("Give the election a name in French and in English."))
    if data.level == Election.Level.NATIONAL and data.place is not None:
        problems.add("place", _("A national election has no place: leave it empty."))
    if data.level != Election.Level.NATIONAL and data.place is None:
        problems.add("place", _("Say where the election is held (its region, cercle or commune)."))
    process = data.process
    if process is not None:
        start, end = process.start_date, process.end_date
        if (start and data.held_on < start) or (end and data.held_on > end):
            problems.add(
                "held_on",
                _("The process “%(process)s” runs from %(start)s to %(end)s: %(day)s is outside.")
                % {
                    "process": process.name,
                    "start": start.isoformat() if start else "…",
                    "end": end.isoformat() if end else "…",
                    "day": data.held_on.isoformat(),
                },
            )
    _no_nul(problems, note=data.note + data.source_document + data.name_fr + data.name_en)
    return problems


def election_snapshot(election: Election) -> dict[str, Any]:
    return {
        "kind": election.kind,
        "held_on": election.held_on.isoformat(),
        "round": election.round,
        "level": election.level,
        "place": election.place.pcode if election.place else None,
        "process": election.process.code if election.process else None,
        "name_fr": election.name_fr,
        "name_en": election.name_en,
        "source_document": election.source_document,
        "source_url": election.source_url,
        "note": election.note,
    }


@transaction.atomic
def election_save(
    *,
    data: ElectionInput,
    election: Election | None = None,
    code: str = "",
    user: Any = None,
    expected_version: int | None = None,
) -> Election:
    """Create an election (its code made from its kind, date and round unless given), or
    bring a stored one to `data`."""
    election_check(data=data, user=user).raise_any()
    before: dict[str, Any] = {}
    if election is None:
        code = code or slugify(f"{data.kind}-{data.held_on.isoformat()}-t{data.round}")
        base, n = code, 2
        while Election.objects.filter(code=code).exists():
            code, n = f"{base}-{n}", n + 1
        election = Election(code=code, created_by=user if getattr(user, "pk", None) else None)
    else:
        before = election_snapshot(election)
        _bump_version(election, expected_version)
    for name in (
        "kind",
        "held_on",
        "round",
        "level",
        "place",
        "process",
        "source_url",
        "is_illustrative",
    ):
        setattr(election, name, getattr(data, name))
    for name in ("name_fr", "name_en", "source_document", "note"):
        setattr(election, name, getattr(data, name).strip())
    election.save()
    entry_record(
        actor=user,
        action=Entry.Action.UPDATE if before else Entry.Action.CREATE,
        target=election,
        changes=diff(before, election_snapshot(election)),
    )
    return election


# --- candidate lists -------------------------------------------------------------------


def _check_positions(candidates: Iterable[Position], problems: Problems) -> list[str] | None:
    """Positions 1..n, each once, sex f or m: the sexes in position order (None if not)."""
    candidates = list(candidates)
    ok = True
    if len(candidates) > MAX_CANDIDATES:
        problems.add(
            "candidates", _("At most %(max)s candidates on a list.") % {"max": MAX_CANDIDATES}
        )
        return None
    for c in candidates:
        if str(c.sex).lower() not in SEXES:
            problems.add(
                "candidates",
                _("Position %(position)s: “%(sex)s” is not a sex; write F (woman) or M (man).")
                % {"position": c.position, "sex": c.sex},
            )
            ok = False
        if c.position < 1:
            problems.add(
                "candidates",
                _("Position %(position)s: positions start at 1.") % {"position": c.position},
            )
            ok = False
    seen = Counter(c.position for c in candidates)
    twice = sorted(p for p, n in seen.items() if n > 1)
    if twice:
        problems.add(
            "candidates",
            _("Position(s) %(positions)s given more than once: each position holds one candidate.")
            % {"positions": ", ".join(map(str, twice))},
        )
        ok = False
    top = max(seen, default=0)
    missing = [p for p in range(1, top + 1) if p not in seen]
    if missing:
        problems.add(
            "candidates",
            _("Position(s) %(positions)s missing: positions run from 1 to %(n)s without a gap.")
            % {"positions": ", ".join(map(str, missing)), "n": top},
        )
        ok = False
    if not ok:
        return None
    return [str(c.sex).lower() for c in sorted(candidates, key=lambda c: c.position)]


def list_check(
    *, data: ListInput, user: Any = None, candidate_list: CandidateList | None = None
) -> Problems:
    """Every problem of a list input (none: it can be written)."""
    problems = Problems()
    if user is not None and not scopes.may_write_list_at(user, data.place):
        problems.add(
            "place",
            _("You may only enter lists placed in your region(s): “%(place)s” is not.")
            % {"place": data.place.name if data.place else _("national")},
        )
    if not data.party.strip():
        problems.add("party", _("Name the party or grouping (or “all lists” for a total)."))
    if data.council not in Council.values:
        problems.add("council", _("Unknown body “%(council)s”.") % {"council": data.council})
    if data.place is None and not data.is_total:
        problems.add("place", _("Say where the list stands: its region, cercle or commune."))
    election = data.election
    if data.place is not None and election.place is not None:
        if data.place.region_id != election.place.region_id:
            problems.add(
                "place",
                _("The election is held in %(where)s: the list's place is not there.")
                % {"where": election.place.name},
            )
    others = CandidateList.objects.filter(election=election)
    if candidate_list is not None:
        others = others.exclude(pk=candidate_list.pk)
    if data.is_total and others.exists():
        problems.add(
            "is_total",
            _("This election already has lists: a total of all lists would count them twice."),
        )
    if not data.is_total and others.filter(is_total=True).exists():
        problems.add(
            "is_total",
            _("This election has a total of all lists: a list would count twice in it."),
        )
    sexes: list[str] | None = []
    if data.is_total:
        if data.candidates:
            problems.add("candidates", _("A total of all lists has no positions: leave them out."))
        if data.elected_women is None and data.elected_men is None:
            problems.add("elected_women", _("A total needs the women or the men elected."))
    else:
        if not data.candidates:
            problems.add("candidates", _("Enter the candidates' sexes, one per position."))
        sexes = _check_positions(data.candidates, problems)
    for name, value in (("elected_women", data.elected_women), ("elected_men", data.elected_men)):
        if value is not None and value < 0:
            problems.add(name, _("The number elected cannot be negative."))
        elif value is not None and value > MAX_ELECTED:
            problems.add(name, _("The number elected is too large."))
    if sexes:
        _check_elected(data, sexes, problems)
    if not data.source_document.strip():
        problems.add(
            "source_document", _("Name the source: the list filed, the results, a report.")
        )
    _no_nul(problems, note=data.note + data.party + data.source_document + data.source_url)
    return problems


def _check_elected(data: ListInput, sexes: list[str], problems: Problems) -> None:
    women, men = sexes.count("f"), sexes.count("m")
    for p in data.elected_positions:
        if not 1 <= p <= len(sexes):
            problems.add(
                "elected_positions",
                _("Position %(position)s was elected, but the list has %(n)s positions.")
                % {"position": p, "n": len(sexes)},
            )
    if len(set(data.elected_positions)) != len(data.elected_positions):
        problems.add("elected_positions", _("A position is given twice among the elected."))
    for name, value, candidates, label in (
        ("elected_women", data.elected_women, women, _("women")),
        ("elected_men", data.elected_men, men, _("men")),
    ):
        if value is not None and value > candidates:
            problems.add(
                name,
                _("%(elected)s %(sex)s elected, but the list has %(n)s %(sex)s candidates.")
                % {"elected": value, "sex": label, "n": candidates},
            )
    if data.elected_positions and "elected_positions" not in problems.by_field:
        by_sex = Counter(sexes[p - 1] for p in data.elected_positions)
        for name, value, sex in (
            ("elected_women", data.elected_women, "f"),
            ("elected_men", data.elected_men, "m"),
        ):
            if value is not None and value != by_sex[sex]:
                problems.add(
                    name,
                    _("The positions elected give %(n)s, not %(value)s.")
                    % {"n": by_sex[sex], "value": value},
                )


def list_snapshot(candidate_list: CandidateList) -> dict[str, Any]:
    cands = list(candidate_list.candidates.order_by("position").values_list("sex", "elected"))
    return {
        "election": candidate_list.election.code,
        "party": candidate_list.party,
        "council": candidate_list.council,
        "place": candidate_list.place.pcode if candidate_list.place else None,
        "is_total": candidate_list.is_total,
        "candidates": "".join(s.upper() for s, _e in cands),
        "elected positions": ",".join(str(i + 1) for i, (_s, e) in enumerate(cands) if e),
        "elected_women": candidate_list.elected_women,
        "elected_men": candidate_list.elected_men,
        "art2": candidate_list.art2,
        "art3": candidate_list.art3,
        "source_document": candidate_list.source_document,
        "source_url": candidate_list.source_url,
        "note": candidate_list.note,
    }


@transaction.atomic
def list_save(
    *,
    data: ListInput,
    candidate_list: CandidateList | None = None,
    user: Any = None,
    expected_version: int | None = None,
) -> CandidateList:
    """Create a candidate list (a draft), or replace a stored one's content with `data`."""
    list_check(data=data, user=user, candidate_list=candidate_list).raise_any()
    before: dict[str, Any] = {}
    if candidate_list is not None:
        before = list_snapshot(candidate_list)
        _bump_version(candidate_list, expected_version)
    else:
        candidate_list = CandidateList(created_by=user if getattr(user, "pk", None) else None)
    sexes = [str(c.sex).lower() for c in sorted(data.candidates, key=lambda c: c.position)]
    elected_at = set(data.elected_positions)
    elected_women, elected_men = data.elected_women, data.elected_men
    if elected_at:  # the positions elected give the numbers the person left empty
        if elected_women is None:
            elected_women = sum(1 for p in elected_at if sexes[p - 1] == "f")
        if elected_men is None:
            elected_men = sum(1 for p in elected_at if sexes[p - 1] == "m")
    art2, art3 = law.list_verdicts(sexes, data.council)
    row = candidate_list
    row.election, row.party, row.council, row.place = (
        data.election,
        data.party.strip(),
        data.council,
        data.place,
    )
    row.is_total = data.is_total
    row.candidates_women = None if data.is_total else sexes.count("f")
    row.candidates_men = None if data.is_total else sexes.count("m")
    row.elected_women, row.elected_men = elected_women, elected_men
    row.art2, row.art3 = art2.outcome, art3.outcome
    row.source_document = data.source_document.strip()
    row.source_date, row.source_url = data.source_date, data.source_url.strip()
    row.note, row.is_illustrative = data.note.strip(), data.is_illustrative
    row.save()
    Candidate.objects.filter(candidate_list=row).delete()
    Candidate.objects.bulk_create(
        Candidate(candidate_list=row, position=i + 1, sex=sex, elected=(i + 1) in elected_at)
        for i, sex in enumerate(sexes)
    )
    entry_record(
        actor=user,
        action=Entry.Action.UPDATE if before else Entry.Action.CREATE,
        target=row,
        changes=diff(before, list_snapshot(row)),
    )
    return row


# The workflow is women at the table's (draft → submitted → validated, returned with a
# reason): one implementation, representation/services.py's record_* helpers.


@transaction.atomic
def list_submit(*, candidate_list: CandidateList, user: Any = None) -> CandidateList:
    """Its author sends a draft list for validation."""
    return record_submit(candidate_list, user=user)


@transaction.atomic
def list_validate(*, candidate_list: CandidateList, user: Any = None) -> CandidateList:
    """An officer accepts a submitted list: from now on it counts in the figures."""
    return record_validate(
        candidate_list, user=user, refusal=_("Only a submitted list can be validated.")
    )


@transaction.atomic
def list_return(*, candidate_list: CandidateList, user: Any = None, comment: str) -> CandidateList:
    """An officer sends a submitted or validated list back to draft, saying why."""
    return record_return(
        candidate_list,
        user=user,
        comment=comment,
        refusal=_("Only a submitted or validated list can be returned."),
    )


def positions_parse(text: str) -> tuple[Position, ...]:
    """A list's candidates as typed: "FMFMMF" (one letter per position, in order; spaces
    and commas allowed) or numbered "1F 2M 3F" (each position said). Letters are kept as
    typed, so that the service names a wrong one."""
    text = (text or "").strip()
    if not text:
        return ()
    tokens = [t for t in text.replace(",", " ").replace(";", " ").split() if t]
    if any(ch.isdigit() for ch in text):
        out = []
        for i, token in enumerate(tokens, start=1):
            digits = "".join(ch for ch in token if ch.isdigit())
            rest = token[len(digits) :].lstrip(":.=-") if token.startswith(digits) else token
            out.append(Position(int(digits) if digits else i, rest or "?"))
        return tuple(out)
    letters = "".join(tokens)
    return tuple(Position(i, ch) for i, ch in enumerate(letters, start=1))


def numbers_parse(text: str) -> tuple[int, ...]:
    """Positions elected as typed: "1, 2, 5" (anything else is refused by the form)."""
    parts = [p for p in (text or "").replace(";", ",").replace(" ", ",").split(",") if p]
    return tuple(int(p) for p in parts)
