"""The composition form of women at the table: a role × sex grid (one row per role, a
number of women and of men), its date and source. The service checks and writes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from musow.representation.models import Body, Composition, Role
from musow.representation.services import CompositionInput, Count
from musow.web.forms import DATE_FORMATS, DateInput

SEXES = ("f", "m")


class CompositionForm(forms.Form):
    as_of = forms.DateField(label=_("Composition on"), widget=DateInput, input_formats=DATE_FORMATS)
    declared_total = forms.IntegerField(
        label=_("Total given by the source (optional)"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    source_document = forms.CharField(label=_("Source document"), max_length=300)
    source_date = forms.DateField(
        label=_("Date of the source"), required=False, widget=DateInput, input_formats=DATE_FORMATS
    )
    source_url = forms.URLField(
        label=_("Link to the source"), required=False, max_length=500, assume_scheme="https"
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.body = body
        self.roles = list(Role.objects.filter(is_active=True))
        for role in self.roles:
            for sex in SEXES:
                # No min_value here: the service says what is wrong with a negative number.
                self.fields[f"{sex}_{role.code}"] = forms.IntegerField(
                    required=False,
                    label=f"{role.name} — {_('women') if sex == 'f' else _('men')}",
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                )

    def grid(self) -> list[tuple[Role, forms.BoundField, forms.BoundField]]:
        return [(r, self[f"f_{r.code}"], self[f"m_{r.code}"]) for r in self.roles]

    def composition_input(self) -> CompositionInput:
        data = self.cleaned_data
        counts = tuple(
            Count(role.code, sex, data[f"{sex}_{role.code}"])
            for role in self.roles
            for sex in SEXES
            if data.get(f"{sex}_{role.code}") is not None
        )
        return CompositionInput(
            body=self.body,
            as_of=data["as_of"],
            counts=counts,
            source_document=data["source_document"],
            declared_total=data.get("declared_total"),
            source_date=data.get("source_date"),
            source_url=data.get("source_url") or "",
            note=data.get("note") or "",
        )

    @classmethod
    def initial_for(cls, composition: Composition) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(composition, name)
            for name in (
                "as_of",
                "declared_total",
                "source_document",
                "source_date",
                "source_url",
                "note",
                "version",
            )
        }
        for role, sex, count in composition.seats.values_list("role__code", "sex", "count"):
            initial[f"{sex}_{role}"] = count
        return initial
