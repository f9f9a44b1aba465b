"""Forms of the mainstreaming pages. They only collect values: the services check them
(one message per problem) and the views put each message back on its field."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from musow.activities.models import Organisation, Project
from musow.geo.models import Place
from musow.mainstreaming.models import (
    MARKER_CODE_CHOICES,
    Answer,
    ChecklistItem,
    DocumentKind,
    Recommendation,
    Review,
    Section,
)
from musow.mainstreaming.services import ReviewInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANSWER_CHOICES = [("", _("not answered")), *Answer.choices]


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """A service's messages on the form's fields (the others on the form itself)."""
    for name, messages in error.message_dict.items():
        field = name if name in form.fields else None
        for message in messages:
            form.add_error(field, message)


def _terms(model: Any) -> Any:
    return model.objects.filter(is_active=True)


class ReviewForm(forms.Form):
    title = forms.CharField(label=_("Document title"), required=False, max_length=1000)
    kind = forms.ModelChoiceField(
        _terms(DocumentKind),
        label=_("Document kind"),
        required=False,
        empty_label="–",
        to_field_name="code",
    )
    section = forms.ModelChoiceField(
        _terms(Section),
        label=_("Owner section"),
        required=False,
        empty_label="–",
        to_field_name="code",
    )
    document_date = forms.DateField(label=_("Document date"), required=False, widget=DATE)
    version = forms.CharField(label=_("Version"), required=False, max_length=1000)
    link = forms.URLField(
        label=_("Link to the document"), required=False, max_length=1000, assume_scheme="https"
    )
    reviewed_on = forms.DateField(label=_("Review date"), required=False, widget=DATE)
    region = forms.ModelChoiceField(
        Place.objects.filter(level=Place.Level.REGION).defer("boundary"),
        label=_("Region"),
        required=False,
        empty_label="–",
        help_text=_("For a regional document: focal points of the region see its review."),
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=_("Partner organisation"),
        required=False,
        empty_label="–",
        to_field_name="code",
        help_text=_("For a partner's document or proposal: the partner sees its review."),
    )
    project = forms.ModelChoiceField(
        Project.objects.all(),
        label=_("Project"),
        required=False,
        empty_label="–",
        to_field_name="code",
    )
    # A text field shown as radio buttons: the service says why a code is not in the scale.
    marker_code = forms.CharField(
        label=_("Gender Equality Marker"),
        required=False,
        widget=forms.RadioSelect(choices=MARKER_CODE_CHOICES),
    )
    justification = forms.CharField(
        label=_("Justification of the marker"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(_terms(ChecklistItem))
        for item in self.items:
            self.fields[f"item_{item.code}"] = forms.ChoiceField(
                label=item.name,
                choices=ANSWER_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )

    def checklist(self) -> list[forms.BoundField]:
        return [self[f"item_{item.code}"] for item in self.items]

    @staticmethod
    def initial_for(review: Review) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(review, name)
            for name in (
                "title",
                "kind",
                "section",
                "document_date",
                "version",
                "link",
                "reviewed_on",
                "region",
                "organisation",
                "project",
                "marker_code",
                "justification",
            )
        }
        for answer in review.answers.select_related("item"):
            initial[f"item_{answer.item.code}"] = answer.answer
        return initial

    def to_input(self) -> ReviewInput:
        data = self.cleaned_data
        return ReviewInput(
            kind=data["kind"],
            title=data["title"],
            section=data["section"],
            reviewed_on=data["reviewed_on"],
            marker_code=data["marker_code"],
            justification=data["justification"],
            document_date=data["document_date"],
            version=data["version"],
            link=data["link"],
            region=data["region"],
            organisation=data["organisation"],
            project=data["project"],
            answers={
                item.code: data[f"item_{item.code}"]
                for item in self.items
                if data.get(f"item_{item.code}")
            },
        )


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    section = forms.ModelChoiceField(
        _terms(Section),
        label=_("Addressed to (section)"),
        required=False,
        empty_label="–",
        to_field_name="code",
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)


FOLLOW_UP_CHOICES = [
    (Recommendation.Status.ACCEPTED, _("accepted")),
    (Recommendation.Status.IMPLEMENTED, _("implemented")),
    (Recommendation.Status.NOT_ACCEPTED, _("not accepted")),
]


# The next steps a recommendation's page offers, by its current status.
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    Recommendation.Status.OPEN: (
        Recommendation.Status.ACCEPTED,
        Recommendation.Status.NOT_ACCEPTED,
    ),
    Recommendation.Status.ACCEPTED: (Recommendation.Status.IMPLEMENTED,),
}


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=FOLLOW_UP_CHOICES)
    on = forms.DateField(label=_("On"), required=False, widget=DATE)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, current: str = "", **kwargs: Any) -> None:
        """`current`: the recommendation's status, to offer only its next steps (a posted
        form accepts every step: the service says which one may follow)."""
        super().__init__(*args, **kwargs)
        if current in NEXT_STEPS:
            field = self.fields["status"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [c for c in FOLLOW_UP_CHOICES if c[0] in NEXT_STEPS[current]]


class ProjectMarkerForm(forms.Form):
    """A project's marker code, owner section and budget by year: one line per year,
    `2014: 150000`."""

    marker_code = forms.CharField(
        label=_("Gender Equality Marker"),
        required=False,
        widget=forms.RadioSelect(choices=MARKER_CODE_CHOICES),
    )
    section = forms.ModelChoiceField(
        _terms(Section),
        label=_("Owner section"),
        required=False,
        empty_label="–",
        to_field_name="code",
    )
    justification = forms.CharField(
        label=_("Justification of the marker"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    budgets = forms.CharField(
        label=_("Budget by year (USD)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One year a line: the year, a colon, the amount (e.g. 2014: 150000)."),
    )

    def clean_budgets(self) -> dict[int, Any]:
        lines: dict[int, Any] = {}
        for line in (self.cleaned_data.get("budgets") or "").splitlines():
            if not line.strip():
                continue
            year, sep, amount = line.partition(":")
            amount = amount.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
            try:
                lines[int(year.strip())] = Decimal(amount.replace(",", "."))
            except (ValueError, InvalidOperation):
                raise ValidationError(
                    _("“%(line)s” is not a year and an amount (e.g. 2014: 150000).")
                    % {"line": line.strip()}
                ) from None
        return lines
