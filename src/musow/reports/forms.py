from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from musow.lib.i18n import current_lang
from musow.reports.models import TEXT_MAX
from musow.reports.renderers import FORMATS
from musow.reports.services import (
    ReportRequest,
    period_choices,
    report_request,
    scope_choices,
)
from musow.reports.types import ReportError

FORMAT_CHOICES = [
    ("html", _("web page (HTML)")),
    ("pdf", _("PDF (A4)")),
    ("xlsx", _("spreadsheet (XLSX)")),
    ("csv", _("data for HXL tools (CSV with HXL hashtags, commas)")),
    ("csv-sheet", _("data for a spreadsheet (CSV; in French: semicolons, decimal comma)")),
    ("json", _("data (JSON)")),
]
_AREA = forms.Textarea(attrs={"rows": 4})
LANG_CHOICES = [("fr", _("French")), ("en", _("English"))]
assert [code for code, _label in FORMAT_CHOICES] == list(FORMATS)


class ReportForm(forms.Form):
    # Picked from lists (the periods of the years with data, the scopes within the user's
    # rights); any period or scope the service accepts can still be given in the address.
    period = forms.CharField(label=_("Period"), max_length=40, widget=forms.Select)
    scope = forms.CharField(
        label=_("Scope"),
        max_length=100,
        required=False,
        widget=forms.Select,
        help_text=_("A region, a campaign or a project; only what your account may see."),
    )
    format = forms.CharField(
        label=_("Format"), required=False, widget=forms.Select(choices=FORMAT_CHOICES)
    )
    lang = forms.CharField(
        label=_("Language"), required=False, widget=forms.Select(choices=LANG_CHOICES)
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request_data: ReportRequest | None = None
        lang = current_lang()
        period = str(self.data.get("period") or self.initial.get("period") or "")
        scope = str(self.data.get("scope") or self.initial.get("scope") or "")
        self.fields["period"].widget.choices = period_choices(user, lang, period)
        self.fields["scope"].widget.choices = scope_choices(user, lang, scope)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.request_data = report_request(
                period=data.get("period"),
                scope=data.get("scope"),
                fmt=data.get("format") or "html",
                lang=data.get("lang") or current_lang(),
                user=self.user,
            )
        except ReportError as exc:
            raise ValidationError([ValidationError(m) for m in str(exc).splitlines()]) from exc
        return data


class ReportTextForm(forms.Form):
    """The unit's own words for a report, in both languages."""

    period = forms.CharField(max_length=40, widget=forms.HiddenInput)
    scope = forms.CharField(max_length=100, required=False, widget=forms.HiddenInput)
    lang = forms.CharField(max_length=2, required=False, widget=forms.HiddenInput)
    highlights_fr = forms.CharField(
        label=_("Highlights (French)"), required=False, max_length=TEXT_MAX, widget=_AREA
    )
    highlights_en = forms.CharField(
        label=_("Highlights (English)"), required=False, max_length=TEXT_MAX, widget=_AREA
    )
    challenges_fr = forms.CharField(
        label=_("Challenges (French)"), required=False, max_length=TEXT_MAX, widget=_AREA
    )
    challenges_en = forms.CharField(
        label=_("Challenges (English)"), required=False, max_length=TEXT_MAX, widget=_AREA
    )
    recommendations_fr = forms.CharField(
        label=_("Recommendations (French)"), required=False, max_length=TEXT_MAX, widget=_AREA
    )
    recommendations_en = forms.CharField(
        label=_("Recommendations (English)"), required=False, max_length=TEXT_MAX, widget=_AREA
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "text_%s")  # the page's report form has id_period
        super().__init__(*args, **kwargs)
        self.user = user
        self.request_data: ReportRequest | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.request_data = report_request(
                period=data.get("period"),
                scope=data.get("scope"),
                fmt="html",
                lang=data.get("lang") or current_lang(),
                user=self.user,
            )
        except ReportError as exc:
            raise ValidationError([ValidationError(m) for m in str(exc).splitlines()]) from exc
        return data
