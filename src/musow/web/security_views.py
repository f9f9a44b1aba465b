"""Staff pages of the security sector and DDR: the forces' strengths and the programme
figures (DDR, recruitment, CVR) with the share of women, their entry forms (a stage ×
age group grid of women and men that fits a 360-px phone) and their workflow.
Out-of-scope records answer 404; a viewer (figures only) 403."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from musow.accounts import scopes
from musow.audit.models import Entry
from musow.security import services
from musow.security.models import Programme, Report, ReportCount, Stage, Strength
from musow.web.access import entry_required, forbid_unless, records_required, validator_required
from musow.web.history import history
from musow.web.security_forms import ReportForm, StrengthForm

LISTED = 200  # the latest records on the page


@dataclass
class Share:
    label: str
    women: int
    total: int

    @property
    def share(self) -> float | None:
        return self.women / self.total if self.total else None


def _stage_shares(report_ids: list[int]) -> dict[int, list[Share]]:
    rows = (
        ReportCount.objects.filter(report_id__in=report_ids)
        .values("report_id", "stage_id", "sex")
        .annotate(n=Sum("count"))
        .order_by()
    )
    stages = {s.pk: s for s in Stage.objects.all()}
    cells: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for row in rows:
        women_total = cells[row["report_id"]].setdefault(row["stage_id"], [0, 0])
        women_total[1] += row["n"] or 0
        if row["sex"] == "f":
            women_total[0] += row["n"] or 0
    out: dict[int, list[Share]] = {}
    for report_id, by_stage in cells.items():
        ordered = sorted(by_stage.items(), key=lambda kv: (stages[kv[0]].order, kv[0]))
        out[report_id] = [Share(stages[s].name, w, t) for s, (w, t) in ordered]
    return out


def _strength_or_404(request: HttpRequest, pk: int) -> Strength:
    return get_object_or_404(scopes.strengths_for(request.user).select_related("force"), pk=pk)


def _report_or_404(request: HttpRequest, pk: int) -> Report:
    qs = scopes.security_reports_for(request.user).select_related("place", "force", "project")
    return get_object_or_404(qs.defer("place__boundary"), pk=pk)


@records_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    programme = request.GET.get("programme", "")
    reports = scopes.security_reports_for(user).select_related("place").defer("place__boundary")
    if programme in Programme.values:
        reports = reports.filter(programme=programme)
    listed = list(reports[:LISTED])
    shares = _stage_shares([r.pk for r in listed])
    strengths = list(scopes.strengths_for(user).select_related("force")[:LISTED])
    context = {
        "strengths": [(s, Share("", s.women, s.women + s.men)) for s in strengths],
        "reports": [(r, shares.get(r.pk, [])) for r in listed],
        "programmes": Programme.choices,
        "programme": programme,
        "may_enter": scopes.may_enter_security_reports(user),
        "may_enter_strengths": scopes.may_write_strengths(user),
    }
    return render(request, "web/security/home.html", context)


# --- strengths -------------------------------------------------------------------------


@entry_required
def strength_new(request: HttpRequest) -> HttpResponse:
    forbid_unless(scopes.may_write_strengths(request.user))
    form = StrengthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            return redirect("security:strength", saved.pk)
    return render(request, "web/security/strength_form.html", {"form": form})


@entry_required
def strength_edit(request: HttpRequest, pk: int) -> HttpResponse:
    strength = _strength_or_404(request, pk)
    forbid_unless(scopes.may_edit_security_record(request.user, strength))
    form = StrengthForm(request.POST or None, initial=StrengthForm.initial_for(strength))
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, strength)
        if saved is not None:
            return redirect("security:strength", saved.pk)
    context = {"form": form, "record": strength}
    return render(request, "web/security/strength_form.html", context)


@records_required
def strength_detail(request: HttpRequest, pk: int) -> HttpResponse:
    strength = _strength_or_404(request, pk)
    return _detail(request, strength, "strength")


# --- programme figures -----------------------------------------------------------------


@entry_required
def report_new(request: HttpRequest, programme: str) -> HttpResponse:
    if programme not in Programme.values:
        raise Http404
    forbid_unless(scopes.may_enter_security_reports(request.user))
    form = ReportForm(request.POST or None, programme=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            return redirect("security:report", saved.pk)
    context = {"form": form, "programme_label": Programme(programme).label}
    return render(request, "web/security/report_form.html", context)


@entry_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    forbid_unless(scopes.may_edit_security_record(request.user, report))
    form = ReportForm(
        request.POST or None,
        initial=ReportForm.initial_for(report),
        programme=report.programme,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, report)
        if saved is not None:
            return redirect("security:report", saved.pk)
    context = {"form": form, "record": report, "programme_label": report.get_programme_display()}
    return render(request, "web/security/report_form.html", context)


@records_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _report_or_404(request, pk), "report")


def _detail(request: HttpRequest, record: Strength | Report, kind: str) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "record": record,
        "kind": kind,
        "history": history(Entry.objects.for_target(record).select_related("actor")),
        "may_edit": scopes.may_edit_security_record(user, record),
        "may_validate": scopes.may_validate_security_record(user, record),
    }
    if isinstance(record, Report):
        context["shares"] = _stage_shares([record.pk]).get(record.pk, [])
        context["cells"] = record.counts.select_related("stage", "age_group").order_by(
            "stage__order", "age_group__order", "sex"
        )
    else:
        context["shares"] = [Share("", record.women, record.women + record.men)]
    return render(request, "web/security/detail.html", context)


def _save(
    request: HttpRequest, form: StrengthForm | ReportForm, record: Strength | Report | None
) -> Strength | Report | None:
    """Write through the service; on refusal, its messages go on the form's fields."""
    version = (form.cleaned_data["version"] or 0) if record else None
    try:
        saved: Strength | Report
        if isinstance(form, StrengthForm):
            saved = services.strength_save(
                data=form.strength_input(),
                strength=record,  # type: ignore[arg-type]
                user=request.user,
                expected_version=version,
            )
        else:
            saved = services.report_save(
                data=form.report_input(),
                report=record,  # type: ignore[arg-type]
                user=request.user,
                expected_version=version,
            )
        if request.POST.get("action") == "submit":
            services.record_submit(record=saved, user=request.user)
    except ValidationError as error:
        for name, problems in getattr(error, "message_dict", {"": error.messages}).items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return None
    messages.success(request, _("The figures are saved."))
    return saved


# --- workflow --------------------------------------------------------------------------


def _record(request: HttpRequest, kind: str, pk: int) -> Strength | Report:
    return _strength_or_404(request, pk) if kind == "strength" else _report_or_404(request, pk)


@require_POST
@entry_required
def record_submit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _record(request, kind, pk)
    forbid_unless(scopes.may_edit_security_record(request.user, record))
    return _act(request, kind, record, services.record_submit, _("Submitted for validation."))


@require_POST
@validator_required
def record_validate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _record(request, kind, pk)
    return _act(request, kind, record, services.record_validate, _("Validated."))


@require_POST
@validator_required
def record_return(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _record(request, kind, pk)
    comment = request.POST.get("comment", "")
    try:
        services.record_return(record=record, user=request.user, comment=comment)
        messages.success(request, _("Returned to its author."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"security:{kind}", record.pk)


def _act(
    request: HttpRequest, kind: str, record: Strength | Report, action: Any, done: str
) -> HttpResponse:
    try:
        action(record=record, user=request.user)
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"security:{kind}", record.pk)
