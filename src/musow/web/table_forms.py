"""The composition and sitting forms of women at the table: a role × sex grid (one row
per role, a number of women and of men), its date and source. The service checks and
writes."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from musow.representation.models import Body, Composition, Role, Sitting
from musow.representation.services import CompositionInput, Count, SittingInput
from musow.web.forms import DATE_FORMATS, DateInput

SEXES = ("f", "m")
CELL = re.compile(r"^([fm])_([\w-]{1,80})$")


def _counts(form: forms.Form, roles: list[Role]) -> tuple[Count, ...]:
    """The grid's numbers, and any cell posted for a role the grid does not have (the
    service then names that unknown role rather than the number being dropped)."""
    data = form.cleaned_data
    known = {role.code for role in roles}
    counts = [
        Count(role.code, sex, data[f"{sex}_{role.code}"])
        for role in roles
        for sex in SEXES
        if data.get(f"{sex}_{role.code}") is not None
    ]
    for key in form.data:
        found = CELL.match(key)
        value = str(form.data.get(key, "")).strip()
        if found and found[2] not in known and value.lstrip("-").isdigit():
            counts.append(Count(found[2], found[1], int(value)))
    return tuple(counts)


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


class SittingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput, input_formats=DATE_FORMATS)
    title = forms.CharField(
        label=_("Title (optional)"),
        required=False,
        max_length=300,
        help_text=_("E.g. “Fifth round of the Algiers talks”."),
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
                self.fields[f"{sex}_{role.code}"] = forms.IntegerField(
                    required=False,
                    label=f"{role.name} — {_('women') if sex == 'f' else _('men')}",
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                )

    def grid(self) -> list[tuple[Role, forms.BoundField, forms.BoundField]]:
        return [(r, self[f"f_{r.code}"], self[f"m_{r.code}"]) for r in self.roles]

    def sitting_input(self) -> SittingInput:
        data = self.cleaned_data
        return SittingInput(
            body=self.body,
            held_on=data["held_on"],
            counts=_counts(self, self.roles),
            source_document=data["source_document"],
            title=data.get("title") or "",
            source_date=data.get("source_date"),
            source_url=data.get("source_url") or "",
            note=data.get("note") or "",
        )

    @classmethod
    def initial_for(cls, sitting: Sitting) -> dict[str, Any]:
        names = ("held_on", "title", "source_document", "source_date", "source_url", "note")
        initial: dict[str, Any] = {name: getattr(sitting, name) for name in (*names, "version")}
        for role, sex, count in sitting.presences.values_list("role__code", "sex", "count"):
            initial[f"{sex}_{role}"] = count
        return initial
