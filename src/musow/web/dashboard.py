"""The dashboard: the headline figures of a period within the user's scope, activities over
time, reach by sex and age, and reach by region on a map of Mali. Each figure leads down
to its activities (the activity list, filtered), except for viewers, who see aggregates
only."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from musow.accounts import scopes
from musow.activities.models import Activity
from musow.geo.models import Place
from musow.indicators.engine import Scope
from musow.indicators.periods import Period, PeriodError
from musow.web.dashboard_data import Choice, board, default_period, region_ids
from musow.web.protection_dashboard import protection_panel


class DashboardForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=30,
        help_text=_("2014, 2014-Q4, 2014-11 or 2014-01-01..2014-06-30"),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    provisional = forms.BooleanField(
        label=_("Include activities not yet validated (provisional figures)"), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        own = scopes.figure_scope(user)
        regions = Place.objects.filter(level=Place.Level.REGION).only("pcode", "name_fr", "name_en")
        if own.regions:
            regions = regions.filter(pk__in=own.regions)
        names: dict[str, str] = {}
        for region in regions.order_by("pk"):
            names.setdefault(region.pcode, region.name)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = [
            ("", _("all")),
            *sorted(names.items(), key=lambda item: item[1]),
        ]

    def clean_period(self) -> Period:
        text = self.cleaned_data["period"].strip()
        if not text:
            return default_period()
        try:
            return Period.parse(text)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        pcode = data.get("region") or ""
        own = scopes.figure_scope(self.user)
        scope = own
        if pcode:
            ids = tuple(i for i in region_ids(pcode) if not own.regions or i in own.regions)
            scope = scopes.narrow(self.user, Scope(regions=ids or (-1,)))
        if not scopes.may_see_scope(self.user, scope):
            raise ValidationError(_("These figures are outside what you may see."))
        data["scope"] = scope
        return data

    def choice(self) -> Choice:
        data = self.cleaned_data
        return Choice(
            period=data["period"],
            scope=data["scope"],
            region=data.get("region") or "",
            provisional=bool(data.get("provisional")),
        )


def _years() -> list[str]:
    """Years from the first to the last validated activity (two index look-ups)."""
    span = Activity.objects.filter(status=Activity.Status.VALIDATED).aggregate(
        first=Min("start_date"), last=Max("start_date")
    )
    if span["first"] is None:
        return []
    return [str(y) for y in range(span["last"].year, span["first"].year - 1, -1)][:12]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None, user=request.user)
    if not request.GET:
        form = DashboardForm({"period": default_period().code}, user=request.user)
    context: dict[str, Any] = {
        "form": form,
        "years": _years(),
        "links": scopes.sees_records(request.user),
    }
    if form.is_valid():
        choice = form.choice()
        context.update(
            choice=choice,
            board=board(choice),
            sgbv=protection_panel(request.user, choice.period, tuple(choice.scope.regions)),
        )
    return render(request, "web/dashboard.html", context)
