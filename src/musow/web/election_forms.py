"""The forms of elections and candidate lists. A list's candidates are typed as a string
of F/M, one letter per position ("FMFMMF"), or numbered ("1F 2M 3F"): short enough for a
360-px phone. The service checks and writes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from musow.elections.models import CandidateList, Council, Election
from musow.elections.services import ElectionInput, ListInput, numbers_parse, positions_parse
from musow.geo.models import Place
from musow.representation.models import Process
from musow.web.forms import DATE_FORMATS, EMPTY_CHOICE, DateInput, place_choices, places_for


class AnyPlaceField(forms.TypedChoiceField):
    """Offers the user's places; accepts any place, so that the service (not the form)
    says why a place out of the user's regions is refused."""

    def valid_value(self, value: Any) -> bool:
        return Place.objects.filter(pk=value).exists() if str(value).isdigit() else False


def _place(pk: Any) -> Place | None:
    return Place.objects.defer("boundary").get(pk=pk) if pk else None


class ListForm(forms.Form):
    party = forms.CharField(label=_("Party or grouping"), max_length=200)
    council = forms.ChoiceField(label=_("For"), choices=Council.choices)
    place = AnyPlaceField(label=_("Place (region, cercle or commune)"), coerce=int, required=False)
    candidates = forms.CharField(
        label=_("Candidates by position: F or M each"),
        required=False,
        help_text=_(
            "One letter per position, in the list's order, e.g. FMFMMF; or numbered, "
            "e.g. 1F 2M 3F. No names."
        ),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    elected_women = forms.IntegerField(
        label=_("Women elected"),
        required=False,
        help_text=_("Empty: not known yet."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    elected_men = forms.IntegerField(
        label=_("Men elected"),
        required=False,
        help_text=_("Empty: not known yet."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    elected_positions = forms.CharField(
        label=_("Positions elected (optional)"),
        required=False,
        help_text=_("e.g. 1, 2, 4: the numbers of women and men elected follow from them."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
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

    def __init__(self, *args: Any, election: Election, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.election = election
        place = self.fields["place"]
        assert isinstance(place, forms.TypedChoiceField)
        place.choices = [("", EMPTY_CHOICE), *place_choices(places_for(user))]

    def clean_elected_positions(self) -> tuple[int, ...]:
        text = self.cleaned_data.get("elected_positions") or ""
        try:
            return numbers_parse(text)
        except ValueError:
            raise forms.ValidationError(
                _("Write the positions elected as numbers separated by commas, e.g. 1, 2, 4.")
            ) from None

    def list_input(self) -> ListInput:
        data = self.cleaned_data
        return ListInput(
            election=self.election,
            party=data["party"],
            council=data["council"],
            place=_place(data.get("place")),
            candidates=positions_parse(data.get("candidates") or ""),
            elected_women=data.get("elected_women"),
            elected_men=data.get("elected_men"),
            elected_positions=data.get("elected_positions") or (),
            source_document=data["source_document"],
            source_date=data.get("source_date"),
            source_url=data.get("source_url") or "",
            note=data.get("note") or "",
        )

    @classmethod
    def initial_for(cls, candidate_list: CandidateList) -> dict[str, Any]:
        cands = list(candidate_list.candidates.all())
        return {
            "party": candidate_list.party,
            "council": candidate_list.council,
            "place": candidate_list.place_id,
            "candidates": "".join(c.sex.upper() for c in cands),
            "elected_women": candidate_list.elected_women,
            "elected_men": candidate_list.elected_men,
            "elected_positions": ", ".join(str(c.position) for c in cands if c.elected),
            "source_document": candidate_list.source_document,
            "source_date": candidate_list.source_date,
            "source_url": candidate_list.source_url,
            "note": candidate_list.note,
            "version": candidate_list.version,
        }


class ElectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of election"), choices=Election.Kind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput, input_formats=DATE_FORMATS)
    round = forms.IntegerField(
        label=_("Round"), initial=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    name_fr = forms.CharField(label=_("Name (French)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300)
    level = forms.ChoiceField(label=_("Level"), choices=Election.Level.choices)
    place = AnyPlaceField(label=_("Place"), coerce=int, required=False)
    process = forms.ModelChoiceField(
        Process.objects.all(), label=_("Process"), required=False, empty_label=EMPTY_CHOICE
    )
    source_document = forms.CharField(label=_("Source document"), max_length=300, required=False)
    source_url = forms.URLField(
        label=_("Link to the source"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        assert isinstance(place, forms.TypedChoiceField)
        place.choices = [("", EMPTY_CHOICE), *place_choices(places_for(user))]

    def election_input(self) -> ElectionInput:
        data = self.cleaned_data
        return ElectionInput(
            kind=data["kind"],
            held_on=data["held_on"],
            round=data["round"],
            name_fr=data["name_fr"],
            name_en=data["name_en"],
            level=data["level"],
            place=_place(data.get("place")),
            process=data.get("process"),
            source_document=data.get("source_document") or "",
            source_url=data.get("source_url") or "",
        )
