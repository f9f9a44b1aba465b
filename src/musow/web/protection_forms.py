"""The form a protection officer fills in for a provider's month: a grid of counts that
fits a 360-pixel phone (one panel per incident type, age bands × sex)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from musow.accounts import scopes
from musow.activities.models import Organisation, Sex
from musow.geo.models import Place
from musow.protection.models import (
    JUSTICE_STAGES,
    AgeBand,
    Delay,
    IncidentType,
    ProviderReport,
    Sector,
)
from musow.protection.services import ReportInput

COUNT = {"min_value": 0, "required": False}


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        **COUNT,  # type: ignore[arg-type]
    )


@dataclass
class GridRow:
    band: AgeBand
    cells: list[forms.BoundField]


@dataclass
class GridGroup:
    type_label: str
    rows: list[GridRow]
    total: int
    is_open: bool


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"})
    input_formats = ["%Y-%m", "%Y-%m-%d", "%m/%Y"]


class ProviderReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    provider = forms.ModelChoiceField(Organisation.objects.none(), label=_("provider"))
    place = forms.ModelChoiceField(
        Place.objects.none(), label=_("place"), help_text=_("The region or cercle served.")
    )
    month = MonthField(label=_("month"), help_text=_("Year and month, e.g. 2014-03."))
    incidents = forms.IntegerField(label=_("incidents reported (total)"), min_value=0)
    legal_aid = _count(_("legal aid supported by the programme"))
    stale = False

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(pk__in=_providers_with_agreements()).order_by("name")
        )
        regions = scopes.protection_region_ids(user)
        places = Place.objects.filter(level__in=(1, 2)).defer("boundary")
        if regions:
            places = places.filter(region_id__in=regions)
        place_field: Any = self.fields["place"]
        place_field.queryset = places.order_by("level", "name_fr")
        self.bands = list(AgeBand.objects.filter(is_active=True))
        self.sexes = list(Sex)
        for t in IncidentType:
            for band in self.bands:
                for sex in self.sexes:
                    label = f"{t.label}, {sex.label}, {band.name}"
                    self.fields[f"inc__{t.value}__{sex.value}__{band.code}"] = _count(label)
        for d in Delay:
            self.fields[f"delay__{d.value}"] = _count(d.label)
        for s in Sector:
            self.fields[f"svc__{s.value}"] = _count(_("%(sector)s: services") % {"sector": s.label})
            self.fields[f"ref__{s.value}"] = _count(
                _("%(sector)s: referrals") % {"sector": s.label}
            )
        for code, label in JUSTICE_STAGES:
            self.fields[f"jus__{code}"] = _count(label)

    @classmethod
    def initial_for(cls, report: ProviderReport) -> dict[str, Any]:
        from musow.protection.services import report_input_from

        data = report_input_from(report)
        initial: dict[str, Any] = {
            "version": report.version,
            "provider": report.provider_id,
            "place": report.place_id,
            "month": report.month.strftime("%Y-%m"),
            "incidents": data.incidents,
            "legal_aid": data.legal_aid or None,
        }
        for (t, s, a), n in data.by_type.items():
            initial[f"inc__{t}__{s}__{a}"] = n
        initial.update({f"delay__{k}": n for k, n in data.delays.items()})
        initial.update({f"svc__{k}": n for k, n in data.services.items()})
        initial.update({f"ref__{k}": n for k, n in data.referrals.items()})
        initial.update({f"jus__{k}": n or None for k, n in data.justice.items()})
        return initial

    def grid(self) -> list[GridGroup]:
        groups = []
        for t in IncidentType:
            rows, total = [], 0
            for band in self.bands:
                cells = [self[f"inc__{t.value}__{s.value}__{band.code}"] for s in self.sexes]
                total += sum(int(c.value() or 0) for c in cells if str(c.value() or "").isdigit())
                rows.append(GridRow(band, cells))
            is_open = bool(total) or any(c.errors for r in rows for c in r.cells)
            groups.append(GridGroup(str(t.label), rows, total, is_open))
        return groups

    def delay_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("delay__")]

    def justice_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("jus__")]

    def services_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(str(s.label), self[f"svc__{s.value}"], self[f"ref__{s.value}"]) for s in Sector]

    def report_input(self) -> ReportInput:
        c = self.cleaned_data

        def picked(prefix: str) -> dict[str, int]:
            return {
                name.split("__", 1)[1]: value
                for name, value in c.items()
                if name.startswith(prefix) and value
            }

        by_type = {
            tuple(name.split("__")[1:]): value
            for name, value in c.items()
            if name.startswith("inc__") and value
        }
        month: datetime.date = c["month"]
        return ReportInput(
            provider=c["provider"],
            place=c["place"],
            month=month.replace(day=1),
            incidents=c["incidents"],
            by_type=by_type,  # type: ignore[arg-type]
            delays=picked("delay__"),
            services=picked("svc__"),
            referrals=picked("ref__"),
            justice=picked("jus__"),
            legal_aid=c.get("legal_aid") or 0,
        )

    def add_service_errors(self, error: ValidationError) -> None:
        if getattr(error, "code", None) == "stale":
            self.stale = True
        self.add_error(None, error)


def _providers_with_agreements() -> Any:
    from musow.protection.models import Agreement

    return Agreement.objects.values("provider_id")


class PeriodForm(forms.Form):
    period = forms.CharField(
        label=_("period"),
        required=False,
        help_text=_("A year (2014), a quarter (2014-Q1) or a month (2014-03)."),
    )
