"""The forms of what women's organisations asked for and what the agreements say: a
submission with its recommendations (one per line), a recommendation's follow-up, an
agreement with its signatories by sex and its gender provisions. The service checks and
writes; a form only reads the input (no min_value, no choice checks of its own: the
service says what is wrong, naming the field)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from musow.activities.models import Organisation
from musow.representation.advocacy_services import AgreementInput, FollowUpInput, SubmissionInput
from musow.representation.models import (
    Agreement,
    Body,
    FollowUp,
    GenderProvision,
    Submission,
)
from musow.web.forms import DATE_FORMATS, DateInput


class OpenChoices(forms.MultipleChoiceField):
    """Checkboxes whose values the service checks (an unknown one is named by it)."""

    def valid_value(self, value: str) -> bool:
        return True


class OpenChoice(forms.ChoiceField):
    def valid_value(self, value: str) -> bool:
        return True


def _number() -> forms.IntegerField:
    return forms.IntegerField(
        required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})
    )


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

    def source(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "source_document": data["source_document"],
            "source_date": data.get("source_date"),
            "source_url": data.get("source_url") or "",
            "note": data.get("note") or "",
        }


class SubmissionForm(SourceFields):
    kind = OpenChoice(label=_("Kind of document"), choices=Submission.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    submitted_on = forms.DateField(
        label=_("Submitted on"), widget=DateInput, input_formats=DATE_FORMATS
    )
    organisations = OpenChoices(
        label=_("By which organisations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recommendations = forms.CharField(
        label=_("Recommendations, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Line n stays recommendation n when you edit: its follow-up is kept. No names."
        ),
    )
    field_order = ["kind", "title", "submitted_on", "organisations", "recommendations"]

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.body = body
        women_first = sorted(
            Organisation.objects.all(),
            key=lambda o: (o.kind != Organisation.Kind.WOMENS_ORGANISATION, o.name),
        )
        choices = [(o.code, str(o)) for o in women_first]
        self.fields["organisations"].choices = choices  # type: ignore[attr-defined]

    def submission_input(self) -> SubmissionInput:
        data = self.cleaned_data
        return SubmissionInput(
            kind=data["kind"],
            title=data["title"],
            submitted_on=data["submitted_on"],
            organisations=tuple(data.get("organisations") or ()),
            recommendations=tuple((data.get("recommendations") or "").splitlines()),
            body=self.body,
            **self.source(),
        )

    @classmethod
    def initial_for(cls, submission: Submission) -> dict[str, Any]:
        names = ("kind", "title", "submitted_on", "source_document", "source_date")
        initial = {n: getattr(submission, n) for n in (*names, "source_url", "note", "version")}
        initial["organisations"] = list(submission.organisations.values_list("code", flat=True))
        texts = submission.recommendations.values_list("text", flat=True)
        initial["recommendations"] = "\n".join(t.replace("\n", " ") for t in texts)
        return initial


class FollowUpForm(forms.Form):
    status = OpenChoice(
        label=_("New status"),
        choices=[(v, label) for v, label in FollowUp.choices if v != FollowUp.SUBMITTED],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("Date"), widget=DateInput, input_formats=DATE_FORMATS)
    agreement = forms.ModelChoiceField(
        label=_("Reflected in the agreement or decision"),
        queryset=Agreement.objects.none(),
        required=False,
    )
    reflected_in = forms.CharField(
        label=_("Or in another text or decision"), required=False, max_length=300
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, agreements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agreement"]
        field.queryset = agreements  # type: ignore[attr-defined]

    def follow_up_input(self) -> FollowUpInput:
        data = self.cleaned_data
        return FollowUpInput(
            status=data["status"],
            on=data["on"],
            agreement=data.get("agreement"),
            reflected_in=data.get("reflected_in") or "",
            note=data.get("note") or "",
        )


class AgreementForm(SourceFields):
    title = forms.CharField(label=_("Title"), max_length=300)
    signed_on = forms.DateField(
        label=_("Signed or adopted on"), widget=DateInput, input_formats=DATE_FORMATS
    )
    signatories_women = _number()
    signatories_men = _number()
    provisions = OpenChoices(
        label=_("Gender provisions it contains"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["title", "signed_on", "signatories_women", "signatories_men", "provisions"]

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["signatories_women"].label = _("Women signatories")
        self.fields["signatories_men"].label = _("Men signatories")
        active = GenderProvision.objects.filter(is_active=True)
        listed = [(p.code, p.name) for p in active]
        self.fields["provisions"].choices = listed  # type: ignore[attr-defined]

    def agreement_input(self) -> AgreementInput:
        data = self.cleaned_data
        return AgreementInput(
            title=data["title"],
            signed_on=data["signed_on"],
            signatories_women=data.get("signatories_women"),
            signatories_men=data.get("signatories_men"),
            provisions=tuple(data.get("provisions") or ()),
            body=self.body,
            **self.source(),
        )

    @classmethod
    def initial_for(cls, agreement: Agreement) -> dict[str, Any]:
        names = ("title", "signed_on", "signatories_women", "signatories_men", "source_document")
        initial = {n: getattr(agreement, n) for n in (*names, "source_date", "source_url", "note")}
        initial["version"] = agreement.version
        initial["provisions"] = list(agreement.provisions.values_list("code", flat=True))
        return initial
