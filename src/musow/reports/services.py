"""Reports: checking a request, producing a report in a format, issuing it and saying what
changed since it was last issued."""

import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from musow.activities.models import Activity
from musow.indicators.periods import Period, PeriodError
from musow.lib.i18n import LANGS, colon, current_lang, number, percent
from musow.reports.builder import build_report
from musow.reports.models import TEXT_PARTS, IssuedReport, ReportText
from musow.reports.renderers import FORMATS, render
from musow.reports.scope import scope_parse
from musow.reports.types import Report, ReportError, ReportScope

MAX_LISTED_CHANGES = 50


@dataclass(frozen=True)
class ReportRequest:
    period: Period
    scope: ReportScope
    fmt: str
    lang: str


def report_request(
    *, period: str | None, scope: str | None, fmt: str | None, lang: str | None, user: Any = None
) -> ReportRequest:
    """Check what was asked (and, for a user, that the scope is within their rights).
    Raises ReportError with every problem, in the active language."""
    errors: list[str] = []
    parsed: Period | None = None
    if not (period or "").strip():
        errors.append(_("Give a period: 2014, 2014-Q4, 2014-11 or 2014-01-01..2014-06-30."))
    else:
        try:
            parsed = Period.parse(str(period))
        except PeriodError as exc:
            errors.append(str(exc))
    fmt = (fmt or "html").strip().lower()
    if fmt not in FORMATS:
        errors.append(
            _("Unknown format “%(format)s”: %(known)s.")
            % {"format": fmt, "known": ", ".join(FORMATS)}
        )
    lang = (lang or current_lang()).strip().lower()
    if lang not in LANGS:
        errors.append(_("Unknown language “%(lang)s”: fr or en.") % {"lang": lang})
    report_scope: ReportScope | None = None
    try:
        report_scope = scope_parse(scope)
    except ReportError as exc:
        errors.append(str(exc))
    if report_scope is not None and user is not None and not scope_allowed(user, report_scope):
        errors.append(
            _("The scope “%(scope)s” is outside what your account may see.")
            % {"scope": report_scope.label(lang if lang in LANGS else "fr")}
        )
    if errors or parsed is None or report_scope is None:
        raise ReportError("\n".join(errors))
    return ReportRequest(parsed, report_scope, fmt, lang)


def scope_allowed(user: Any, scope: ReportScope) -> bool:
    from musow.accounts import scopes

    return scopes.may_see_scope(user, scope.scope)


def default_scope(user: Any) -> ReportScope:
    """The scope a user's report page starts with: a focal point's region, a partner's
    organisation, or everything."""
    from musow.accounts import scopes
    from musow.activities.models import Organisation
    from musow.geo.models import Place

    own = scopes.figure_scope(user)
    if own.regions and len(own.regions) == 1:
        place = Place.objects.filter(pk=own.regions[0]).first()
        if place is not None and place.pcode:
            return scope_parse(place.pcode)
    if own.organisations and len(own.organisations) == 1:
        organisation = Organisation.objects.filter(pk=own.organisations[0]).first()
        if organisation is not None:
            return scope_parse(organisation.code)
    return ReportScope.everything()


def data_years(user: Any) -> list[int]:
    """The years with validated activities within what the user's figures cover, latest
    first."""
    from django.db.models import Q

    from musow.accounts import scopes

    own = scopes.figure_scope(user)
    qs = Activity.objects.filter(status=Activity.Status.VALIDATED)
    if own.regions:
        qs = qs.filter(place__region_id__in=own.regions)
    if own.organisations:
        qs = qs.filter(Q(organiser_id__in=own.organisations) | Q(partners__in=own.organisations))
    return sorted({d.year for d in qs.dates("start_date", "year")}, reverse=True)


def default_period(user: Any, today: Any = None) -> str:
    """The period the report page opens on: the latest year with data (this year when
    there is none yet)."""
    from django.utils import timezone

    years = data_years(user)
    if years:
        return str(years[0])
    return str((today or timezone.localdate()).year)


def period_choices(user: Any, lang: str, current: str = "") -> list[tuple[str, Any]]:
    """The periods to pick: each year with data (and this year), its quarters and months;
    the period asked for, if it is none of these (a range given in the address)."""
    from django.utils import timezone

    years = sorted({*data_years(user), timezone.localdate().year}, reverse=True)
    groups: list[tuple[str, Any]] = []
    known: set[str] = set()
    for year in years:
        codes = [str(year), *(f"{year}-Q{q}" for q in range(1, 5))]
        codes += [f"{year}-{m:02d}" for m in range(1, 13)]
        options = [(code, Period.parse(code).label(lang)) for code in codes]
        known.update(codes)
        groups.append((str(year), options))
    if current and current not in known:
        try:
            groups.insert(0, ("", [(current, Period.parse(current).label(lang))]))
        except PeriodError:
            pass
    return groups


def scope_choices(user: Any, lang: str, current: str = "") -> list[tuple[str, Any]]:
    """The scopes the user may pick: everything (if they see everything), each region,
    campaign edition and series, project and organisation within their rights."""
    from musow.accounts import scopes
    from musow.activities.models import Campaign, CampaignSeries, Organisation, Project
    from musow.geo.models import Place
    from musow.indicators.engine import EVERYTHING, Scope

    field = f"name_{lang}"
    choices: list[tuple[str, Any]] = []
    if scopes.may_see_scope(user, EVERYTHING):
        choices.append(("", _("All regions")))
    regions = [
        (p.pcode, getattr(p, field) or p.name_fr)
        for p in Place.objects.filter(level=Place.Level.REGION).exclude(pcode="").order_by(field)
        if scopes.may_see_scope(user, Scope(regions=(p.pk,)))
    ]
    if regions:
        choices.append((_("Regions"), regions))
    if scopes.may_see_scope(user, Scope(campaigns=(-1,))):
        editions = [(c.code, getattr(c, field)) for c in Campaign.objects.order_by("-start_date")]
        series = [(s.code, getattr(s, field)) for s in CampaignSeries.objects.order_by(field)]
        projects = [(p.code, getattr(p, field)) for p in Project.objects.order_by("code")]
        choices += [
            (_("Campaigns"), editions),
            (_("Campaigns, every edition"), series),
            (_("Projects"), projects),
        ]
    organisations = [
        (o.code, str(o))
        for o in Organisation.objects.order_by("name")
        if scopes.may_see_scope(user, Scope(organisations=(o.pk,)))
    ]
    if organisations and not scopes.may_see_scope(user, EVERYTHING):
        choices.append((_("Organisations"), organisations))
    known = {code for _label, group in choices if isinstance(group, list) for code, _n in group}
    known |= {code for code, group in choices if not isinstance(group, list)}
    if current and current not in known:
        choices.insert(0, (current, current))
    return [c for c in choices if not isinstance(c[1], list) or c[1]]


def report_build(request: ReportRequest, *, user: Any = None) -> Report:
    """Compute the report. For a user who sees aggregates only (a viewer), the annex does
    not list the activities."""
    report = build_report(period=request.period, scope=request.scope, lang=request.lang)
    if user is not None:
        from musow.accounts import scopes

        report.annex_hidden = not scopes.sees_records(user)
    stored = report_text_for(report.period, report.scope)
    report.texts = {
        part: str(getattr(stored, f"{part}_{report.lang}", "") or "").strip() for part in TEXT_PARTS
    }
    issued = _issued(report)
    report.issued_at = issued.issued_at if issued is not None else None
    return report


def _issued(report: Report) -> IssuedReport | None:
    """The last issue of this report, if it holds the figures and the text it has now."""
    last = (
        IssuedReport.objects.filter(
            period=report.period.code,
            scope_kind=report.scope.kind,
            scope_code=report.scope.code,
        )
        .order_by("-issued_at", "-id")
        .first()
    )
    if last is None or last.sha256 != figures_hash(report.figures()):
        return None
    stored = report_text_for(report.period, report.scope)
    now = stored.texts() if stored is not None else {}
    if any((last.texts or {}).get(k, "") != v for k, v in now.items()):
        return None
    return last


def report_text_for(period: Period, scope: ReportScope) -> ReportText | None:
    return ReportText.objects.filter(
        period=period.code, scope_kind=scope.kind, scope_code=scope.code
    ).first()


@transaction.atomic
def report_text_save(
    *, period: Period, scope: ReportScope, texts: dict[str, str], user: Any = None
) -> ReportText:
    """Keep the unit's own words for a report (highlights, challenges, recommendations in
    French and English), audited; they go into the report at once and into its next
    issue."""
    from musow.audit.models import Entry
    from musow.audit.services import entry_record

    stored, created = ReportText.objects.get_or_create(
        period=period.code, scope_kind=scope.kind, scope_code=scope.code
    )
    before = stored.texts()
    for key in before:
        setattr(stored, key, (texts.get(key) or "").strip())
    stored.updated_by = user if getattr(user, "pk", None) else None
    stored.full_clean()
    stored.save()
    changes = {k: (before[k], v) for k, v in stored.texts().items() if before[k] != v}
    if changes:
        entry_record(
            actor=user if getattr(user, "pk", None) else None,
            action=Entry.Action.CREATE if created else Entry.Action.UPDATE,
            target=stored,
            changes=changes,
        )
    return stored


def report_render(report: Report, fmt: str) -> bytes:
    out = io.BytesIO()
    render(report, fmt, out)
    return out.getvalue()


def report_produce(request: ReportRequest, *, user: Any = None) -> tuple[Report, bytes]:
    """Build the report and render it in the requested format."""
    report = report_build(request, user=user)
    return report, report_render(report, request.fmt)


# --- issuing -----------------------------------------------------------------------------


@dataclass
class FigureChange:
    where: str
    old: Any
    new: Any
    kind: str = "number"  # or "percent"


@dataclass
class ActivityChange:
    id: int
    title: str
    what: str  # "validated", "added", "edited", "withdrawn"
    detail: str = ""


@dataclass
class IssueOutcome:
    issued: IssuedReport
    previous: IssuedReport | None
    figure_changes: list[FigureChange] = field(default_factory=list)
    activity_changes: list[ActivityChange] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return self.previous is not None and self.previous.sha256 == self.issued.sha256


def figures_hash(figures: dict[str, Any]) -> str:
    canonical = json.dumps(figures, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def report_issue(*, report: Report, user: Any = None) -> IssueOutcome:
    """Keep the report's figures as issued, and compare them with its last issue. A report
    without data is not issued (ReportError)."""
    if not report.has_data:
        raise ReportError(
            _(
                "This report has no data: there is nothing to issue. Choose a period and a "
                "scope with validated activities."
            )
        )
    figures = report.figures()
    previous = (
        IssuedReport.objects.select_for_update()
        .filter(
            period=report.period.code,
            scope_kind=report.scope.kind,
            scope_code=report.scope.code,
        )
        .order_by("-issued_at", "-id")
        .first()
    )
    provenance_ids = report.provenance_ids()
    stored = report_text_for(report.period, report.scope)
    issued = IssuedReport.objects.create(
        texts=stored.texts() if stored is not None else {},
        period=report.period.code,
        scope_kind=report.scope.kind,
        scope_code=report.scope.code,
        figures=figures,
        provenance=provenance_ids,
        sha256=figures_hash(figures),
        issued_by=user if getattr(user, "pk", None) else None,
    )
    outcome = IssueOutcome(issued, previous)
    if previous is not None:
        outcome.figure_changes = figure_changes(previous.figures, figures, report)
        outcome.activity_changes = activity_changes(previous, provenance_ids)
    return outcome


def _flatten(data: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    if isinstance(data, dict):
        out: dict[tuple[str, ...], Any] = {}
        for key, value in data.items():
            out.update(_flatten(value, (*path, str(key))))
        return out
    return {path: data}


def figure_changes(old: dict[str, Any], new: dict[str, Any], report: Report) -> list[FigureChange]:
    """Every figure that differs, labelled in the report's language."""
    before, after = _flatten(old), _flatten(new)
    labels = _labels(report)
    percents = {
        (t.key, c.key)
        for t in [*report.tables, *(c.regions for c in report.campaigns)]
        for c in t.columns
        if c.kind == "percent"
    }
    percents |= {("totals", "share_women"), ("totals", "list_coverage")}
    changes = []
    order = ["headline", "framework", "totals", "annex_count", "campaigns", "tables"]
    paths = sorted(
        set(before) | set(after),
        key=lambda p: (order.index(p[0]) if p[0] in order else len(order), p),
    )
    for path in paths:
        if before.get(path) != after.get(path):
            key = (path[0], path[-1]) if path[0] == "totals" else (path[1 % len(path)], path[-1])
            percent_ = key in percents
            changes.append(
                FigureChange(
                    _where(path, labels),
                    before.get(path),
                    after.get(path),
                    "percent" if percent_ else "number",
                )
            )
    return changes


def _labels(report: Report) -> dict[tuple[str, ...], str]:
    labels: dict[tuple[str, ...], str] = {}
    for h in report.headline:
        labels[("headline", h.code)] = h.name or h.code
    for m in report.framework:
        for line in m.lines:
            labels[("framework", line.code)] = line.name
    words = {
        "baseline": _("baseline"),
        "target": _("target"),
        "actual": _("actual"),
        "activities": _("activities"),
        "participants": _("participants (contacts)"),
        "women": _("women and girls"),
        "share_women": _("share of women and girls"),
        "media_audience": _("estimated media audience"),
        "regions": _("regions"),
        "contacts_with_lists": _("contacts on attendance lists"),
        "list_coverage": _("contacts covered by lists"),
        "trainees": _("participants in trainings"),
        "women_trained": _("women trained"),
        "annex_count": _("contributing activities"),
    }
    for key, word in words.items():
        labels[("word", key)] = word
    labels[("totals",)] = _("totals")
    for table in [*report.tables, *(c.regions for c in report.campaigns)]:
        labels[("tables", table.key)] = table.title
        text = next((i for i, c in enumerate(table.columns) if c.kind == "text"), None)
        for row in [*table.rows, *([table.total] if table.total else [])]:
            if text is not None:
                labels[("tables", table.key, row.code)] = str(row.cells[text])
        for column in table.columns:
            labels[("column", table.key, column.key)] = column.label
    for c in report.campaigns:
        labels[("campaigns", c.code)] = c.name
    return labels


def _where(path: tuple[str, ...], labels: dict[tuple[str, ...], str]) -> str:
    if path[0] == "tables" and len(path) == 4:
        table = labels.get(path[:2], path[1])
        row = labels.get(path[:3], path[2])
        column = labels.get(("column", path[1], path[3]), path[3])
        return f"{table} › {row} › {column}"
    if path[0] in ("totals", "annex_count"):
        return " › ".join(labels.get(("word", p), p) for p in path if p != "totals")
    head = labels.get(path[:2], " › ".join(path[:2]))
    rest = " › ".join(labels.get(("word", p), p) for p in path[2:])
    return f"{head} › {rest}" if rest else head


def activity_changes(
    previous: IssuedReport, provenance_ids: dict[str, list[int]]
) -> list[ActivityChange]:
    """Why figures moved: activities validated or added, edited, or withdrawn since the last
    issue (from the provenance id sets, `updated_at`, and the audit trail)."""
    old = _ids(previous.provenance.values())
    new = _ids(provenance_ids.values())
    added, removed, kept = new - old, old - new, old & new
    edited = set(
        Activity.objects.filter(pk__in=kept, updated_at__gt=previous.issued_at).values_list(
            "pk", flat=True
        )
    )
    touched = added | removed | edited
    if not touched:
        return []
    audit = _audit_actions(touched, previous)
    titles = dict(Activity.objects.filter(pk__in=touched).values_list("pk", "title"))
    changes = []
    for pk in sorted(added):
        actions = audit.get(pk, [])
        what = "validated" if "validate" in actions else "added"
        changes.append(ActivityChange(pk, titles.get(pk, ""), what, ", ".join(actions)))
    for pk in sorted(edited):
        changes.append(
            ActivityChange(pk, titles.get(pk, ""), "edited", ", ".join(audit.get(pk, [])))
        )
    for pk in sorted(removed):
        changes.append(
            ActivityChange(pk, titles.get(pk, ""), "withdrawn", ", ".join(audit.get(pk, [])))
        )
    return changes


def _ids(lists: Iterable[Any]) -> set[int]:
    return {int(pk) for ids in lists for pk in ids}


def _audit_actions(ids: set[int], previous: IssuedReport) -> dict[int, list[str]]:
    try:
        from musow.audit.models import Entry
    except ImportError:  # pragma: no cover - the audit app is installed with musow
        return {}
    out: dict[int, list[str]] = {}
    entries = (
        Entry.objects.filter(
            target_type="activities.activity",
            target_id__in=[str(pk) for pk in ids],
            at__gt=previous.issued_at,
        )
        .order_by("at", "id")
        .values_list("target_id", "action")
    )
    for target_id, action in entries:
        actions = out.setdefault(int(target_id), [])
        if action not in actions:
            actions.append(action)
    return out


def action_label(action: str) -> str:
    from musow.audit.models import Entry

    try:
        return str(Entry.Action(action).label)
    except ValueError:
        return action


def change_label(what: str) -> str:
    return {
        "validated": _("validated since"),
        "added": _("added since"),
        "edited": _("edited since"),
        "withdrawn": _("withdrawn since (returned, deleted or moved out of the period or scope)"),
    }[what]


def issue_summary(outcome: IssueOutcome) -> list[str]:
    """What issuing said, as lines in the active language (command and web page)."""
    issued = outcome.issued
    lines = [
        _("Issued as no. %(id)s, SHA-256 %(hash)s.") % {"id": issued.pk, "hash": issued.sha256}
    ]
    previous = outcome.previous
    if previous is None:
        lines.append(_("First issue of this report."))
        return lines
    when = previous.issued_at.isoformat(timespec="seconds")
    if outcome.unchanged:
        lines.append(
            _("Figures unchanged since the issue of %(when)s (no. %(id)s).")
            % {"when": when, "id": previous.pk}
        )
    else:
        lines.append(
            _("Figures changed since the issue of %(when)s (no. %(id)s):")
            % {"when": when, "id": previous.pk}
        )
        for change in outcome.figure_changes[:MAX_LISTED_CHANGES]:
            values = f"{_text(change.old, change.kind)} → {_text(change.new, change.kind)}"
            lines.append(f"  - {colon(change.where, values)}")
        lines += _more(len(outcome.figure_changes))
    if outcome.activity_changes:
        lines.append(_("Why: activities changed since then:"))
        for a in outcome.activity_changes[:MAX_LISTED_CHANGES]:
            detail = ", ".join(action_label(x) for x in a.detail.split(", ") if x)
            what = change_label(a.what) + (f" ({detail})" if detail else "")
            lines.append(f"  - {colon(f'#{a.id} {a.title}', what)}")
        lines += _more(len(outcome.activity_changes))
    return lines


def _more(count: int) -> list[str]:
    more = count - MAX_LISTED_CHANGES
    return ["  " + _("… and %(n)s more.") % {"n": more}] if more > 0 else []


def _text(value: Any, kind: str = "number") -> str:
    if value is None:
        return "–"
    if kind == "percent" and isinstance(value, int | float):
        return percent(float(value))
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return number(value, 3)
    if isinstance(value, int | float):
        return number(int(value))
    return str(value)
