from django.urls import path
from django.utils.translation import gettext_lazy as _

from musow.web import table_import_views, table_views

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
]
