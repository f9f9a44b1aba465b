from django.urls import path
from django.utils.translation import gettext_lazy as _

from musow.web import (
    activity_views,
    auth_views,
    dashboard,
    protection_agreements,
    protection_views,
    training_views,
    user_views,
    views,
)

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path(_("figures/"), views.figures, name="figures"),
    path(_("figures/<int:year>/"), views.figures, name="figures-year"),
    path(_("figures/<int:year>/<slug:code>/"), views.figure_activities, name="figure-activities"),
    path(
        _("figures/<int:year>/activities/<slug:kind>/<slug:code>/"),
        views.group_activities,
        name="group-activities",
    ),
    # The dashboard: figures of a period within the user's scope, charts, map
    path(_("dashboard/"), dashboard.dashboard, name="dashboard"),
    # Signing in and out
    path(_("sign-in/"), auth_views.sign_in, name="login"),
    path(_("sign-out/"), auth_views.sign_out, name="logout"),
    path(_("my-password/"), auth_views.password_change, name="password-change"),
    # Activities: list (filters: period, region, type, theme, campaign, project, status,
    # organiser, q, indicator), entry, page with its audit trail, workflow actions (POST)
    path(_("activities/"), activity_views.activity_list, name="activities"),
    path(_("activities/new/"), activity_views.activity_new, name="activity-new"),
    path(_("activities/<int:pk>/"), activity_views.activity_detail, name="activity"),
    path(_("activities/<int:pk>/edit/"), activity_views.activity_edit, name="activity-edit"),
    path(_("activities/<int:pk>/submit/"), activity_views.activity_submit, name="activity-submit"),
    path(
        _("activities/<int:pk>/validate/"),
        activity_views.activity_validate,
        name="activity-validate",
    ),
    path(_("activities/<int:pk>/return/"), activity_views.activity_return, name="activity-return"),
    path(_("activities/<int:pk>/delete/"), activity_views.activity_delete, name="activity-delete"),
    path(
        _("activities/<int:pk>/restore/"), activity_views.activity_restore, name="activity-restore"
    ),
    # Trainings (issue 13): courses, a course's figures and sessions, a session's trainees
    path(_("courses/"), training_views.course_list, name="courses"),
    path(_("courses/<slug:code>/"), training_views.course_detail, name="course"),
    path(_("courses/<slug:code>/xlsform/"), training_views.course_xlsform, name="course-xlsform"),
    path(_("trainings/<int:pk>/"), training_views.training_session, name="training-session"),
    path(_("trainings/<int:pk>/scores/"), training_views.training_scores, name="training-scores"),
    path(
        _("trainings/score-sheet.<slug:fmt>"),
        training_views.score_sheet_template,
        name="score-sheet-template",
    ),
    # The SGBV programme: statistics (protected, or whole and audited) and providers' reports
    path(_("sgbv/"), protection_views.statistics, name="protection"),
    path(_("sgbv/reports/"), protection_views.report_list, name="protection-reports"),
    path(_("sgbv/reports/new/"), protection_views.report_new, name="protection-report-new"),
    path(_("sgbv/reports/import/"), protection_views.report_import, name="protection-import"),
    path(
        _("sgbv/reports/template.<slug:fmt>"),
        protection_views.report_template,
        name="protection-template",
    ),
    path(_("sgbv/reports/<int:pk>/"), protection_views.report_edit, name="protection-report"),
    path(
        _("sgbv/reports/<int:pk>/advance/"),
        protection_views.report_advance,
        name="protection-report-advance",
    ),
    path(_("sgbv/agreements/"), protection_agreements.agreement_list, name="protection-agreements"),
    path(
        _("sgbv/agreements/new/"),
        protection_agreements.agreement_new,
        name="protection-agreement-new",
    ),
    path(
        _("sgbv/agreements/<int:pk>/"),
        protection_agreements.agreement_detail,
        name="protection-agreement",
    ),
    path(
        _("sgbv/agreements/<int:pk>/end/"),
        protection_agreements.agreement_end,
        name="protection-agreement-end",
    ),
    # Users and roles, managed by the unit admin
    path(_("users/"), user_views.user_list, name="users"),
    path(_("users/new/"), user_views.user_new, name="user-new"),
    path(_("users/<int:pk>/"), user_views.user_edit, name="user"),
    path(_("users/<int:pk>/password/"), user_views.user_password, name="user-password"),
]
