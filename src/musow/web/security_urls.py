from django.urls import path
from django.utils.translation import gettext_lazy as _

from musow.web import security_views as views

# Security sector and DDR: forces' strengths, programme figures (DDR, recruitment, CVR)
app_name = "security"
urlpatterns = [
    path("", views.home, name="home"),
    path(_("strengths/new/"), views.strength_new, name="strength-new"),
    path(_("strengths/<int:pk>/"), views.strength_detail, name="strength"),
    path(_("strengths/<int:pk>/edit/"), views.strength_edit, name="strength-edit"),
    path(_("figures/new/<slug:programme>/"), views.report_new, name="report-new"),
    path(_("figures/<int:pk>/"), views.report_detail, name="report"),
    path(_("figures/<int:pk>/edit/"), views.report_edit, name="report-edit"),
    path(
        _("strengths/<int:pk>/submit/"),
        views.record_submit,
        {"kind": "strength"},
        name="strength-submit",
    ),
    path(
        _("strengths/<int:pk>/validate/"),
        views.record_validate,
        {"kind": "strength"},
        name="strength-validate",
    ),
    path(
        _("strengths/<int:pk>/return/"),
        views.record_return,
        {"kind": "strength"},
        name="strength-return",
    ),
    path(
        _("figures/<int:pk>/submit/"),
        views.record_submit,
        {"kind": "report"},
        name="report-submit",
    ),
    path(
        _("figures/<int:pk>/validate/"),
        views.record_validate,
        {"kind": "report"},
        name="report-validate",
    ),
    path(
        _("figures/<int:pk>/return/"),
        views.record_return,
        {"kind": "report"},
        name="report-return",
    ),
]
