from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from musow.lib.i18n import current_lang
from musow.reports.builder import ReportError
from musow.reports.renderers import FORMATS
from musow.reports.services import ReportRequest, report_request

FORMAT_CHOICES = [
    ("html", _("web page (HTML)")),
    ("pdf", _("PDF (A4)")),
    ("xlsx", _("spreadsheet (XLSX)")),
    ("csv", _("data (CSV with HXL hashtags)")),
    ("json", _("data (JSON)")),
]
LANG_CHOICES = [("fr", _("French")), ("en", _("English"))]
assert [code for code, _label in FORMAT_CHOICES] == list(FORMATS)


class ReportForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=40,
        help_text=_("2014, 2014-Q4, 2014-11 or 2014-01-01..2014-06-30"),
    )
    scope = forms.CharField(
        label=_("Scope"),
        max_length=100,
        required=False,
        help_text=_(
            "Empty for everything you may see; a region (ML07 or Gao), a campaign or a "
            "project code."
        ),
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
