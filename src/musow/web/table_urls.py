from django.urls import path
from django.utils.translation import gettext_lazy as _

from musow.web import advocacy_views, sitting_views, table_import_views, table_views

# Women at the table: bodies, their compositions (role × sex at a date) and workflow
app_name = "bodies"
urlpatterns = [
    path("", table_views.body_list, name="list"),
    path("<int:pk>/", table_views.body_detail, name="body"),
    # The compositions and sittings behind a figure (or a cell of it): the drill-down
    path(_("figure/<slug:code>/"), table_views.figure_records, name="figure"),
    # Compositions and sittings by file: the upload page, the template, the export
    path(_("import/"), table_import_views.records_upload, name="import"),
    path(_("template.<slug:fmt>"), table_import_views.records_template, name="template"),
    path(_("export.<slug:fmt>"), table_import_views.records_export, name="export"),
    path(_("<int:pk>/new-composition/"), table_views.composition_new, name="composition-new"),
    path(_("compositions/<int:pk>/"), table_views.composition_detail, name="composition"),
    path(_("compositions/<int:pk>/edit/"), table_views.composition_edit, name="composition-edit"),
    path(
        _("compositions/<int:pk>/submit/"),
        table_views.composition_submit,
        name="composition-submit",
    ),
    path(
        _("compositions/<int:pk>/validate/"),
        table_views.composition_validate,
        name="composition-validate",
    ),
    path(
        _("compositions/<int:pk>/return/"),
        table_views.composition_return,
        name="composition-return",
    ),
    # Sittings (a round of talks, a session): attendance by role and sex at a date
    path(_("<int:pk>/new-sitting/"), sitting_views.sitting_new, name="sitting-new"),
    path(_("sittings/<int:pk>/"), sitting_views.sitting_detail, name="sitting"),
    path(_("sittings/<int:pk>/edit/"), sitting_views.sitting_edit, name="sitting-edit"),
    path(_("sittings/<int:pk>/submit/"), sitting_views.sitting_submit, name="sitting-submit"),
    path(_("sittings/<int:pk>/validate/"), sitting_views.sitting_validate, name="sitting-validate"),
    path(_("sittings/<int:pk>/return/"), sitting_views.sitting_return, name="sitting-return"),
    # What women's organisations asked for (submissions, recommendations' follow-up)
    path(_("<int:pk>/new-submission/"), advocacy_views.submission_new, name="submission-new"),
    path(_("submissions/<int:pk>/"), advocacy_views.submission_detail, name="submission"),
    path(_("submissions/<int:pk>/edit/"), advocacy_views.submission_edit, name="submission-edit"),
    path(
        _("submissions/<int:pk>/submit/"),
        advocacy_views.submission_submit,
        name="submission-submit",
    ),
    path(
        _("submissions/<int:pk>/validate/"),
        advocacy_views.submission_validate,
        name="submission-validate",
    ),
    path(
        _("submissions/<int:pk>/return/"),
        advocacy_views.submission_return,
        name="submission-return",
    ),
    path(_("recommendations/<int:pk>/follow-up/"), advocacy_views.follow_up, name="follow-up"),
    # ... and what the agreements and decisions say
    path(_("<int:pk>/new-agreement/"), advocacy_views.agreement_new, name="agreement-new"),
    path(_("agreements/<int:pk>/"), advocacy_views.agreement_detail, name="agreement"),
    path(_("agreements/<int:pk>/edit/"), advocacy_views.agreement_edit, name="agreement-edit"),
    path(
        _("agreements/<int:pk>/submit/"), advocacy_views.agreement_submit, name="agreement-submit"
    ),
    path(
        _("agreements/<int:pk>/validate/"),
        advocacy_views.agreement_validate,
        name="agreement-validate",
    ),
    path(
        _("agreements/<int:pk>/return/"), advocacy_views.agreement_return, name="agreement-return"
    ),
]
