from django.urls import path
from django.utils.translation import gettext_lazy as _

from musow.web import candidate_import_views, election_views

# Elections (political participation): elections, their candidate lists and workflow
app_name = "elections"
urlpatterns = [
    path("", election_views.election_list, name="elections"),
    path(_("new/"), election_views.election_new, name="election-new"),
    # Candidate lists by file: the upload page, the template, the export
    path(_("lists/import/"), candidate_import_views.lists_upload, name="lists-import"),
    path(
        _("lists/template.<slug:fmt>"), candidate_import_views.lists_template, name="lists-template"
    ),
    path(_("lists/export.<slug:fmt>"), candidate_import_views.lists_export, name="lists-export"),
    path("<int:pk>/", election_views.election_detail, name="election"),
    path(_("<int:pk>/new-list/"), election_views.list_new, name="list-new"),
    path(_("lists/<int:pk>/"), election_views.list_detail, name="list"),
    path(_("lists/<int:pk>/edit/"), election_views.list_edit, name="list-edit"),
    path(_("lists/<int:pk>/submit/"), election_views.list_submit, name="list-submit"),
    path(_("lists/<int:pk>/validate/"), election_views.list_validate, name="list-validate"),
    path(_("lists/<int:pk>/return/"), election_views.list_return, name="list-return"),
]
