"""Data-sharing agreements of the SGBV programme (protection officers and the unit admin):
the list, a new agreement, an agreement's page (what it covers, the months shared under
it, its history) and ending it. Every write goes through musow.protection.services."""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from musow.accounts import scopes
from musow.activities.models import Organisation
from musow.audit.models import Entry
from musow.protection import services
from musow.protection.models import TABLES, Agreement
from musow.web.access import _requires
from musow.web.history import history

protection_required = _requires(scopes.can_enter_protection)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(forms.Form):
    provider = forms.ModelChoiceField(
        Organisation.objects.order_by("name"), label=gettext_lazy("provider")
    )
    tables = forms.MultipleChoiceField(
        label=gettext_lazy("tables shared"),
        choices=[(code, label) for code, label in TABLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service says what is missing, with every other problem
    )
    valid_from = forms.DateField(label=gettext_lazy("in force from"), widget=DATE)
    valid_to = forms.DateField(
        label=gettext_lazy("in force until"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy("Leave empty for an agreement without an end date."),
    )
    signed_on = forms.DateField(label=gettext_lazy("signed on"), widget=DATE)
    signed_by_role = forms.CharField(
        label=gettext_lazy("signed by (role)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("The signatory's role (e.g. “director”), never a person's name."),
    )
    document_reference = forms.CharField(
        label=gettext_lazy("document reference"), max_length=200, required=False
    )

    def agreement_input(self) -> services.AgreementInput:
        data = self.cleaned_data
        return services.AgreementInput(
            provider=data["provider"],
            tables=tuple(data["tables"]),
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            signed_on=data["signed_on"],
            signed_by_role=data["signed_by_role"].strip(),
            document_reference=data["document_reference"].strip(),
        )


class EndForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("last day in force"), widget=DATE)


def _state(agreement: Agreement, today: datetime.date) -> str:
    if agreement.valid_from > today:
        return _("not yet in force")
    if agreement.valid_to is not None and agreement.valid_to < today:
        return _("ended")
    return _("in force")


@protection_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    agreements = Agreement.objects.select_related("provider").annotate(
        months=Count("reports__month", distinct=True)
    )
    rows = [{"agreement": a, "state": _state(a, today)} for a in agreements]
    return render(request, "web/protection_agreement_list.html", {"rows": rows})


@protection_required
def agreement_new(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_save(user=request.user, data=form.agreement_input())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Data-sharing agreement saved."))
            return redirect("web:protection-agreement", agreement.pk)
    return render(request, "web/protection_agreement_form.html", {"form": form})


@protection_required
def agreement_detail(request: HttpRequest, pk: int, end_form: Any = None) -> HttpResponse:
    agreement = get_object_or_404(Agreement.objects.select_related("provider"), pk=pk)
    shared = agreement.reports.aggregate(
        reports=Count("id"),
        months=Count("month", distinct=True),
        first=Min("month"),
        last=Max("month"),
    )
    labels = dict(TABLES)
    context = {
        "agreement": agreement,
        "state": _state(agreement, timezone.localdate()),
        "tables": [str(labels.get(code, code)) for code in agreement.tables],
        "shared": shared,
        "end_form": end_form or EndForm(initial={"on": timezone.localdate()}),
        "may_end": agreement.valid_to is None or agreement.valid_to >= timezone.localdate(),
        "history": history(Entry.objects.for_target(agreement).select_related("actor")[:50]),
    }
    return render(request, "web/protection_agreement.html", context)


@require_POST
@protection_required
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_end(
                user=request.user, agreement=agreement, on=form.cleaned_data["on"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("on", message)
        else:
            messages.success(
                request,
                _("The agreement ends; the months shared under it are kept."),
            )
            return redirect("web:protection-agreement", pk)
    response = agreement_detail(request, pk, end_form=form)
    response.status_code = 400
    return response
