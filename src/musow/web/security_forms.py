"""The forms of the security sector and DDR: a force's strength (women, men at a date) and
a programme's figures as a stage × age group grid of women and men, with its place,
period and source. The service checks and writes (`security.services`)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from musow.activities.models import AgeGroup, Project
from musow.security.models import Force, Programme, Report, Stage, Strength
from musow.security.services import Cell, ReportInput, StrengthInput
from musow.web.forms import DATE_FORMATS, EMPTY_CHOICE, DateInput, place_choices, places_for

SEXES = ("f", "m")
NUMBER = {"inputmode": "numeric", "min": 0}


class SourceFields(forms.Form):
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

    SOURCE = ("source_document", "source_date", "source_url", "note", "version")

    def source(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "source_document": d["source_document"],
            "source_date": d.get("source_date"),
            "source_url": d.get("source_url") or "",
            "note": d.get("note") or "",
        }


class StrengthForm(SourceFields):
    force = forms.ModelChoiceField(
        Force.objects.filter(is_active=True), label=_("Force"), empty_label=EMPTY_CHOICE
    )
    as_of = forms.DateField(label=_("Strength on"), widget=DateInput, input_formats=DATE_FORMATS)
    # No min_value: the service says what is wrong with a negative number.
    women = forms.IntegerField(label=_("Women"), widget=forms.NumberInput(attrs=NUMBER))
    men = forms.IntegerField(label=_("Men"), widget=forms.NumberInput(attrs=NUMBER))

    def strength_input(self) -> StrengthInput:
        d = self.cleaned_data
        return StrengthInput(
            force=d["force"], as_of=d["as_of"], women=d["women"], men=d["men"], **self.source()
        )

    @classmethod
    def initial_for(cls, strength: Strength) -> dict[str, Any]:
        names = ("force", "as_of", "women", "men", *cls.SOURCE)
        return {name: getattr(strength, name) for name in names}


class ReportForm(SourceFields):
    place = forms.TypedChoiceField(
        label=_("Place"), coerce=int, help_text=_("The region, or a cercle or commune within it.")
    )
    period_start = forms.DateField(label=_("From"), widget=DateInput, input_formats=DATE_FORMATS)
    period_end = forms.DateField(label=_("To"), widget=DateInput, input_formats=DATE_FORMATS)
    force = forms.ModelChoiceField(
        Force.objects.filter(is_active=True),
        label=_("Force recruiting"),
        required=False,
        empty_label=EMPTY_CHOICE,
    )
    project = forms.ModelChoiceField(
        Project.objects.all(), label=_("Project"), required=False, empty_label=EMPTY_CHOICE
    )

    def __init__(self, *args: Any, programme: str, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        if programme != Programme.RECRUITMENT:
            del self.fields["force"]
        if programme != Programme.CVR:
            del self.fields["project"]
        self.places = {p.pk: p for p in places_for(user)}
        place_field = self.fields["place"]
        assert isinstance(place_field, forms.TypedChoiceField)
        place_field.choices = [("", EMPTY_CHOICE), *place_choices(list(self.places.values()))]
        self.stages = list(Stage.objects.filter(programme=programme, is_active=True))
        self.ages = list(AgeGroup.objects.filter(is_active=True))
        for stage in self.stages:
            for age in self.ages:
                for sex in SEXES:
                    who = _("women") if sex == "f" else _("men")
                    self.fields[self.cell_name(stage, age, sex)] = forms.IntegerField(
                        required=False,
                        label=f"{stage.name}, {age.name} — {who}",
                        widget=forms.NumberInput(attrs=NUMBER),
                    )

    @staticmethod
    def cell_name(stage: Stage, age: AgeGroup, sex: str) -> str:
        return f"n_{stage.code}_{age.code}_{sex}"

    def grid(self) -> list[tuple[Stage, list[tuple[AgeGroup, Any, Any]]]]:
        return [
            (
                stage,
                [
                    (
                        age,
                        self[self.cell_name(stage, age, "f")],
                        self[self.cell_name(stage, age, "m")],
                    )
                    for age in self.ages
                ],
            )
            for stage in self.stages
        ]

    def clean_place(self) -> Any:
        pk = self.cleaned_data["place"]
        if pk not in self.places:
            raise ValidationError(_("Choose a place from the list."))
        return self.places[pk]

    def report_input(self) -> ReportInput:
        d = self.cleaned_data
        cells = tuple(
            Cell(stage.code, sex, age.code, d[self.cell_name(stage, age, sex)])
            for stage in self.stages
            for age in self.ages
            for sex in SEXES
            if d.get(self.cell_name(stage, age, sex)) is not None
        )
        return ReportInput(
            programme=self.programme,
            place=d["place"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            cells=cells,
            force=d.get("force"),
            project=d.get("project"),
            **self.source(),
        )

    @classmethod
    def initial_for(cls, report: Report) -> dict[str, Any]:
        names = ("period_start", "period_end", "force", "project", *cls.SOURCE)
        initial: dict[str, Any] = {name: getattr(report, name) for name in names}
        initial["place"] = report.place_id
        for stage, age, sex, n in report.counts.values_list(
            "stage__code", "age_group__code", "sex", "count"
        ):
            initial[f"n_{stage}_{age}_{sex}"] = n
        return initial
