"""Writes to the SGBV programme: agreements and providers' monthly reports. Every door
(web form, template import, demo) writes through here, so the same checks apply
everywhere, and a write is all or nothing, audited, with optimistic locking."""

import calendar
import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.activities.models import Organisation, Sex
from musow.audit.models import Entry
from musow.audit.services import diff, entry_record
from musow.geo.models import Place
from musow.protection.models import (
    JUSTICE_FIELDS,
    JUSTICE_STAGES,
    TABLE_CODES,
    AgeBand,
    Agreement,
    Delay,
    DelayCount,
    IncidentCount,
    IncidentType,
    ProviderReport,
    Sector,
    ServiceCount,
)

MAX_COUNT = 1_000_000


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# --- agreements ------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementInput:
    provider: Organisation
    tables: tuple[str, ...]
    valid_from: datetime.date
    valid_to: datetime.date | None
    signed_on: datetime.date
    signed_by_role: str
    document_reference: str


def _agreement_values(data: AgreementInput) -> dict[str, Any]:
    return {
        "provider_id": data.provider.pk,
        "tables": sorted(set(data.tables)),
        "valid_from": data.valid_from.isoformat(),
        "valid_to": data.valid_to.isoformat() if data.valid_to else None,
        "signed_on": data.signed_on.isoformat(),
        "signed_by_role": data.signed_by_role,
        "document_reference": data.document_reference,
    }


def _agreement_problems(data: AgreementInput) -> list[str]:
    problems = []
    unknown = sorted(set(data.tables) - set(TABLE_CODES))
    if unknown or not data.tables:
        problems.append(
            _("Choose the tables the provider shares, among: %(known)s.")
            % {"known": ", ".join(TABLE_CODES)}
        )
    if data.valid_to is not None and data.valid_to < data.valid_from:
        problems.append(_("An agreement cannot end before it comes into force."))
    if data.signed_on > data.valid_from:
        problems.append(_("An agreement comes into force on or after the day it is signed."))
    if not data.signed_by_role.strip() or not data.document_reference.strip():
        problems.append(_("Give the signatory's role and the document's reference."))
    return problems


@transaction.atomic
def agreement_save(
    *, user: Any, data: AgreementInput, agreement: Agreement | None = None
) -> Agreement:
    """Create or change a data-sharing agreement (protection officers, the unit admin).
    Ending an agreement keeps what was shared under it: a new end date may not leave
    a stored report outside it."""
    if not scopes.can_enter_protection(user):
        raise ValidationError(_("Your role does not manage data-sharing agreements."))
    problems = _agreement_problems(data)
    if agreement is not None and agreement.pk:
        outside = agreement.reports.filter(
            Q(month__lt=data.valid_from) | Q(month__gt=data.valid_to or datetime.date.max)
        )
        if outside.exists():
            problems.append(
                _(
                    "Reports were shared under this agreement outside these dates; "
                    "they stay under it: choose dates that cover them."
                )
            )
    if problems:
        raise ValidationError(problems)
    before = _agreement_values_of(agreement) if agreement is not None and agreement.pk else {}
    is_new = agreement is None or agreement.pk is None
    agreement = agreement or Agreement()
    for name, value in dataclasses.asdict(data).items():
        setattr(agreement, name, value)
    agreement.tables = sorted(set(data.tables))
    agreement.full_clean()
    agreement.save()
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if is_new else Entry.Action.UPDATE,
        target=agreement,
        changes=diff(before, _agreement_values(data)),
    )
    return agreement


@transaction.atomic
def agreement_end(*, user: Any, agreement: Agreement, on: datetime.date | None) -> Agreement:
    """End an agreement on a day (protection officers, the unit admin): the months shared
    under it stay, and no month that it no longer covers wholly is accepted from then on.
    It may not end before it came into force, nor before a month already shared under it."""
    if not scopes.can_enter_protection(user):
        raise ValidationError(_("Your role does not manage data-sharing agreements."))
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    problems = []
    if on is None:
        problems.append(_("End date: give the day the agreement ends."))
    elif on < agreement.valid_from:
        problems.append(
            _("End date: the agreement came into force on %(day)s; it cannot end before.")
            % {"day": _day(agreement.valid_from)}
        )
    elif agreement.valid_to is not None and agreement.valid_to <= on:
        problems.append(
            _("End date: this agreement already ends on %(day)s.")
            % {"day": _day(agreement.valid_to)}
        )
    else:
        last = agreement.reports.filter(month__gt=on).order_by("-month").first()
        if last is not None:
            problems.append(
                _(
                    "End date: months up to %(month)s were shared under this agreement and "
                    "stay under it; end it on or after %(day)s."
                )
                % {"month": last.month.strftime("%m/%Y"), "day": _day(last.month)}
            )
    if problems:
        raise ValidationError(problems)
    assert on is not None
    before = _agreement_values_of(agreement)
    agreement.valid_to = on
    agreement.full_clean()
    agreement.save(update_fields=["valid_to"])
    entry_record(
        actor=user,
        action=Entry.Action.UPDATE,
        target=agreement,
        changes=diff(before, _agreement_values_of(agreement)),
        comment=_("agreement ended"),
    )
    return agreement


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _agreement_values_of(agreement: Agreement) -> dict[str, Any]:
    return _agreement_values(
        AgreementInput(
            provider=agreement.provider,
            tables=tuple(agreement.tables),
            valid_from=agreement.valid_from,
            valid_to=agreement.valid_to,
            signed_on=agreement.signed_on,
            signed_by_role=agreement.signed_by_role,
            document_reference=agreement.document_reference,
        )
    )


def agreement_in_force(*, provider: Organisation, month: datetime.date) -> Agreement | None:
    """The provider's agreement in force for the whole month, if any."""
    start, end = month_start(month), month_end(month)
    return (
        Agreement.objects.filter(provider=provider, valid_from__lte=start)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=end))
        .order_by("-valid_from")
        .first()
    )


# --- monthly reports -------------------------------------------------------------------

IncidentKey = tuple[str, str, str]  # (incident type, sex, age band code)


@dataclass(frozen=True)
class ReportInput:
    """A provider's month for one place: counts only, nothing about a person."""

    provider: Organisation
    place: Place
    month: datetime.date
    incidents: int = 0
    by_type: Mapping[IncidentKey, int] = field(default_factory=dict)
    delays: Mapping[str, int] = field(default_factory=dict)
    services: Mapping[str, int] = field(default_factory=dict)
    referrals: Mapping[str, int] = field(default_factory=dict)
    justice: Mapping[str, int] = field(default_factory=dict)
    legal_aid: int = 0
    status: str = ProviderReport.Status.DRAFT
    is_illustrative: bool = False


def _counts(data: ReportInput) -> dict[str, int]:
    """Every count of the input, by a readable name (for checks and the audit trail)."""
    out = {"incidents": data.incidents, "legal_aid": data.legal_aid}
    out.update({f"incidents:{t}:{s}:{a}": n for (t, s, a), n in data.by_type.items()})
    out.update({f"delay:{k}": n for k, n in data.delays.items()})
    out.update({f"service:{k}": n for k, n in data.services.items()})
    out.update({f"referral:{k}": n for k, n in data.referrals.items()})
    out.update({stage: data.justice.get(stage, 0) for stage in JUSTICE_FIELDS})
    return out


def report_problems(user: Any, data: ReportInput, agreement: Agreement | None) -> list[str]:
    """Every problem of the input, one clear message each (empty: it may be written)."""
    problems: list[str] = []
    counts = _counts(data)
    if any(n < 0 for n in counts.values()):
        problems.append(_("Counts cannot be negative."))
    if any(n > MAX_COUNT for n in counts.values()):
        problems.append(
            _("A count is larger than %(max)s: check the figures.") % {"max": MAX_COUNT}
        )
    bands = set(AgeBand.objects.values_list("code", flat=True))
    types, sexes = set(IncidentType.values), set(Sex.values)
    if any(t not in types or s not in sexes or a not in bands for t, s, a in data.by_type):
        problems.append(_("An incident count has an unknown type, sex or age band."))
    if not set(data.delays) <= set(Delay.values) or not (
        set(data.services) | set(data.referrals)
    ) <= set(Sector.values):
        problems.append(_("A count has an unknown time to report or sector."))
    if sum(data.by_type.values()) != data.incidents:
        problems.append(
            _(
                "The incidents by type, sex and age band add up to %(parts)s, not to the "
                "%(total)s incidents reported."
            )
            % {"parts": sum(data.by_type.values()), "total": data.incidents}
        )
    if data.delays and sum(data.delays.values()) != data.incidents:
        problems.append(
            _(
                "The incidents by time to report add up to %(parts)s, not to the %(total)s "
                "incidents reported."
            )
            % {"parts": sum(data.delays.values()), "total": data.incidents}
        )
    stages = [(code, label, data.justice.get(code, 0)) for code, label in JUSTICE_STAGES]
    for (_code, before_label, before), (_c, label, value) in zip(stages, stages[1:], strict=False):
        if value > before:
            problems.append(
                _(
                    "The justice chain cannot grow: %(stage)s (%(value)s) is more than "
                    "%(previous)s (%(before)s)."
                )
                % {"stage": label, "value": value, "previous": before_label, "before": before}
            )
    if data.place.level not in (Place.Level.REGION, Place.Level.CERCLE):
        problems.append(_("A provider reports per region or cercle."))
    elif not scopes.may_report_for(user, region_id=data.place.region_id):
        problems.append(_("This place is outside the regions you work in."))
    provider_region = data.provider.place.region_id if data.provider.place else None
    if provider_region and not scopes.may_report_for(user, region_id=provider_region):
        problems.append(_("This provider is outside the regions you work in."))
    if agreement is None:
        problems.append(
            _(
                "%(provider)s has no data-sharing agreement in force for %(month)s: "
                "nothing can be accepted from it for that month."
            )
            % {"provider": data.provider, "month": f"{data.month:%m/%Y}"}
        )
    else:
        shared = set(agreement.tables)
        used = {
            "incidents": data.incidents or any(data.by_type.values()),
            "delays": any(data.delays.values()),
            "services": any(data.services.values()) or any(data.referrals.values()),
            "justice": any(data.justice.values()) or data.legal_aid,
        }
        refused = [code for code, present in used.items() if present and code not in shared]
        if refused:
            problems.append(
                _("The agreement does not cover these tables: %(tables)s.")
                % {"tables": ", ".join(refused)}
            )
    return problems


STALE_REPORT = "stale"


@transaction.atomic
def report_save(
    *,
    user: Any,
    data: ReportInput,
    report: ProviderReport | None = None,
    expected_version: int | None = None,
) -> ProviderReport:
    """Create a provider's month, or replace a stored one's counts (all or nothing)."""
    if not scopes.can_enter_protection(user) and user is not None:
        raise ValidationError(_("Your role does not enter the programme's reports."))
    data = dataclasses.replace(data, month=month_start(data.month))
    agreement = agreement_in_force(provider=data.provider, month=data.month)
    problems = (
        report_problems(user, data, agreement)
        if user is not None
        else (report_problems_system(data, agreement))
    )
    is_new = report is None or report.pk is None
    if is_new:
        clash = ProviderReport.objects.filter(
            provider=data.provider, place=data.place, month=data.month
        )
        if clash.exists():
            problems.append(_("This provider's month for this place is already recorded."))
    if problems:
        raise ValidationError(problems)
    before: dict[str, Any] = {}
    if report is not None and not is_new:
        if report.status == ProviderReport.Status.VALIDATED and not scopes.can_manage(user):
            raise ValidationError(_("A validated report is changed by the unit admin only."))
        before = report_snapshot(report)
        rows = ProviderReport.objects.filter(pk=report.pk)
        if expected_version is not None:
            rows = rows.filter(version=expected_version)
        if not rows.update(version=F("version") + 1):
            raise ValidationError(
                _(
                    "Someone saved this report after you opened it: reload it and enter "
                    "your changes again."
                ),
                code=STALE_REPORT,
            )
        report.refresh_from_db(fields=["version"])
    assert agreement is not None
    report = report or ProviderReport()
    report.provider, report.place = data.provider, data.place
    report.region_id = data.place.region_id or data.place.pk
    report.agreement, report.month, report.incidents = agreement, data.month, data.incidents
    for stage in JUSTICE_FIELDS:
        setattr(report, stage, data.justice.get(stage, 0))
    report.legal_aid, report.is_illustrative = data.legal_aid, data.is_illustrative
    if is_new:
        report.status = data.status
        report.created_by = user if getattr(user, "pk", None) else None
    report.save()
    if not is_new:
        for model in (IncidentCount, DelayCount, ServiceCount):
            model._default_manager.filter(report=report).delete()
    bands = {b.code: b for b in AgeBand.objects.all()}
    IncidentCount.objects.bulk_create(
        IncidentCount(report=report, incident_type=t, sex=s, age_band=bands[a], count=n)
        for (t, s, a), n in data.by_type.items()
        if n
    )
    DelayCount.objects.bulk_create(
        DelayCount(report=report, delay=k, count=n) for k, n in data.delays.items() if n
    )
    ServiceCount.objects.bulk_create(
        [
            *(
                ServiceCount(report=report, kind="service", sector=k, count=n)
                for k, n in data.services.items()
                if n
            ),
            *(
                ServiceCount(report=report, kind="referral", sector=k, count=n)
                for k, n in data.referrals.items()
                if n
            ),
        ]
    )
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if is_new else Entry.Action.UPDATE,
        target=report,
        changes=diff(before, {k: v for k, v in _counts(data).items() if v}),
    )
    return report


def report_problems_system(data: ReportInput, agreement: Agreement | None) -> list[str]:
    """The checks for the system itself (the demo, a command without --user): every
    region is in its scope."""
    from musow.accounts.models import User

    return report_problems(User(role=User.Role.ADMIN, is_active=True), data, agreement)


def report_input_from(report: ProviderReport) -> ReportInput:
    return ReportInput(
        provider=report.provider,
        place=report.place,
        month=report.month,
        incidents=report.incidents,
        by_type={
            (c.incident_type, c.sex, c.age_band.code): c.count
            for c in report.incident_counts.select_related("age_band")
        },
        delays={c.delay: c.count for c in report.delay_counts.all()},
        services={c.sector: c.count for c in report.service_counts.filter(kind="service")},
        referrals={c.sector: c.count for c in report.service_counts.filter(kind="referral")},
        justice={stage: getattr(report, stage) for stage in JUSTICE_FIELDS},
        legal_aid=report.legal_aid,
        status=report.status,
        is_illustrative=report.is_illustrative,
    )


def report_snapshot(report: ProviderReport) -> dict[str, Any]:
    return {k: v for k, v in _counts(report_input_from(report)).items() if v}


NEXT_STATUS = {
    ProviderReport.Status.DRAFT: ProviderReport.Status.SUBMITTED,
    ProviderReport.Status.SUBMITTED: ProviderReport.Status.VALIDATED,
}


@transaction.atomic
def report_advance(*, user: Any, report: ProviderReport) -> ProviderReport:
    """Submit a draft, or validate a submitted report (protection officers, the admin)."""
    if not scopes.may_report_for(user, region_id=report.region_id):
        raise ValidationError(_("Your role does not enter the programme's reports."))
    new = NEXT_STATUS.get(ProviderReport.Status(report.status))
    if new is None:
        raise ValidationError(_("This report is already validated."))
    old = report.status
    ProviderReport.objects.filter(pk=report.pk).update(status=new, version=F("version") + 1)
    report.refresh_from_db(fields=["status", "version"])
    action = (
        Entry.Action.SUBMIT if new == ProviderReport.Status.SUBMITTED else Entry.Action.VALIDATE
    )
    entry_record(actor=user, action=action, target=report, changes={"status": (old, new)})
    return report


# --- unsuppressed views are audited ------------------------------------------------------


def whole_view_record(*, user: Any, tables: list[str], scope: str, period: str, door: str) -> None:
    """Write who saw which of the programme's tables unsuppressed, when, for which scope
    and period, through which door (page, export, command)."""
    Entry.objects.create(
        actor=user if getattr(user, "pk", None) else None,
        action=Entry.Action.VIEW_WHOLE,
        target_type="protection.table",
        target_id=",".join(tables)[:64],
        target_label=f"{door}: {period} — {scope}"[:300],
        changes={"tables": [None, tables], "scope": [None, scope], "period": [None, period]},
    )
