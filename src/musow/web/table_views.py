"""Staff pages of women at the table: bodies, a body's compositions over time, entering a
composition as a role × sex grid, and its workflow. Out-of-scope bodies answer 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from musow.accounts import scopes
from musow.audit.models import Entry
from musow.indicators.engine import EngineError, compute
from musow.indicators.models import Indicator
from musow.indicators.periods import Period, PeriodError
from musow.indicators.text import format_value
from musow.lib.i18n import colon
from musow.representation import services
from musow.representation.models import Body, Composition
from musow.web.access import entry_required, forbid_unless, records_required, validator_required
from musow.web.history import history
from musow.web.table_forms import CompositionForm
from musow.web.table_presenters import (
    CELL_FILTERS,
    advocacy_of,
    body_rows,
    composition_grid,
    records_behind,
    timeline,
)


def _body_or_404(request: HttpRequest, pk: int) -> Body:
    qs = scopes.bodies_for(request.user).select_related("place", "process", "parent")
    return get_object_or_404(qs.defer("place__boundary"), pk=pk)


def _composition_or_404(request: HttpRequest, pk: int) -> Composition:
    qs = scopes.compositions_for(request.user).select_related("body", "created_by")
    return get_object_or_404(qs, pk=pk)


@records_required
def body_list(request: HttpRequest) -> HttpResponse:
    context = {"rows": body_rows(request.user), "may_import": scopes.can_validate(request.user)}
    return render(request, "web/table/body_list.html", context)


@records_required
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body_or_404(request, pk)
    compositions = list(body.compositions.prefetch_related("seats"))
    context = {
        "body": body,
        "compositions": compositions,
        "chart": timeline(compositions),
        "sittings": body.sittings.annotate(attended=Coalesce(Sum("presences__count"), 0))[:50],
        "may_enter": scopes.may_write_body(request.user, body),
        **advocacy_of(body, request.user),
    }
    return render(request, "web/table/body_detail.html", context)


RULES = ("seats", "sitting-attendance")
CELL = (*CELL_FILTERS, "role", "year")


@records_required
def figure_records(request: HttpRequest, code: str) -> HttpResponse:
    """The compositions (or sittings) behind a figure of women at the table, or one cell of
    it (`?period=2018&body_kind=government&role=minister…`), within the user's scope."""
    indicators = Indicator.objects.filter(
        Q(rule__in=RULES) | Q(rule=Indicator.Rule.RATIO, denominator__rule__in=RULES)
    ).select_related("numerator", "denominator")
    indicator = get_object_or_404(indicators, code=code)
    try:
        period = Period.parse(request.GET.get("period") or str(timezone.localdate().year))
    except PeriodError as error:
        raise Http404(str(error)) from None
    cell = {name: request.GET.get(name, "")[:80] for name in CELL}
    found = records_behind(indicator, period, request.user, cell)
    dims = [d for d in ("year", "role", "body_kind", "level", "body", "region") if cell[d]]
    try:
        result = compute(indicator, period, scopes.figure_scope(request.user), by=dims)
    except EngineError as error:
        raise Http404(str(error)) from None
    value = result.total
    labels = []
    if dims:
        row = next((r for r in result.rows if all(r.key[d].code == cell[d] for d in dims)), None)
        value = row.value if row is not None else None
        labels = [row.key[d].label for d in dims] if row is not None else [cell[d] for d in dims]
    context = {
        "indicator": indicator,
        "period": period,
        "value": format_value(result, value) if value is not None else None,
        "heading": colon(" · ".join([period.label(), *labels]), ""),
        **found,
    }
    return render(request, "web/table/figure_records.html", context)


@records_required
def composition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    composition = _composition_or_404(request, pk)
    user = request.user
    context = {
        "composition": composition,
        "grid": composition_grid(composition),
        "history": history(Entry.objects.for_target(composition).select_related("actor")),
        "may_edit": scopes.may_edit_record(user, composition),
        "may_validate": scopes.may_validate_record(user, composition),
    }
    return render(request, "web/table/composition_detail.html", context)


@entry_required
def composition_new(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body_or_404(request, pk)
    forbid_unless(scopes.may_write_body(request.user, body))
    form = CompositionForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            return redirect("bodies:composition", saved.pk)
    return render(request, "web/table/composition_form.html", {"form": form, "body": body})


@entry_required
def composition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    composition = _composition_or_404(request, pk)
    forbid_unless(scopes.may_edit_record(request.user, composition))
    initial = CompositionForm.initial_for(composition)
    form = CompositionForm(request.POST or None, initial=initial, body=composition.body)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, composition)
        if saved is not None:
            return redirect("bodies:composition", saved.pk)
        if getattr(form, "stale", False):
            # Keep the person's input; the next save is made, knowingly, on the new version.
            data = request.POST.copy()
            data["version"] = str(Composition.objects.get(pk=pk).version)
            errors = form.non_field_errors()
            form = CompositionForm(data, initial=initial, body=composition.body)
            form.is_valid()
            for error in errors:
                form.add_error(None, error)
    context = {"form": form, "body": composition.body, "composition": composition}
    return render(request, "web/table/composition_form.html", context)


def _save(
    request: HttpRequest, form: CompositionForm, composition: Composition | None
) -> Composition | None:
    """Write through the service; on refusal, its messages go on the form's fields."""
    try:
        saved = services.composition_save(
            data=form.composition_input(),
            composition=composition,
            user=request.user,
            expected_version=(form.cleaned_data["version"] or 0) if composition else None,
        )
        if request.POST.get("action") == "submit":
            services.composition_submit(composition=saved, user=request.user)
    except ValidationError as error:
        form.stale = getattr(error, "code", None) == "stale"  # type: ignore[attr-defined]
        for name, problems in getattr(error, "message_dict", {"": error.messages}).items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return None
    messages.success(request, _("The composition is saved."))
    return saved


@require_POST
@entry_required
def composition_submit(request: HttpRequest, pk: int) -> HttpResponse:
    composition = _composition_or_404(request, pk)
    forbid_unless(scopes.may_edit_record(request.user, composition))
    return _act(request, composition, services.composition_submit, _("Submitted for validation."))


@require_POST
@validator_required
def composition_validate(request: HttpRequest, pk: int) -> HttpResponse:
    composition = _composition_or_404(request, pk)
    return _act(request, composition, services.composition_validate, _("Validated."))


@require_POST
@validator_required
def composition_return(request: HttpRequest, pk: int) -> HttpResponse:
    composition = _composition_or_404(request, pk)
    comment = request.POST.get("comment", "")
    try:
        services.composition_return(composition=composition, user=request.user, comment=comment)
        messages.success(request, _("Returned to its author."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("bodies:composition", composition.pk)


def _act(request: HttpRequest, composition: Composition, action: object, done: str) -> HttpResponse:
    try:
        action(composition=composition, user=request.user)  # type: ignore[operator]
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("bodies:composition", composition.pk)
