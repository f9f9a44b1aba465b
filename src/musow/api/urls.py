"""/api/v1/: the REST API (see musow.api), its OpenAPI description and documentation."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from musow.api import activities as a
from musow.api import figures, imports, problems, protection, reference, reports

app_name = "api"
urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs",
        # The page's few style rules from a static file: the CSP allows no inline style.
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("activities", a.ActivityList.as_view(), name="activities"),
    path("activities/<int:pk>", a.ActivityDetail.as_view(), name="activity"),
    path("activities/<int:pk>/submit", a.ActivitySubmit.as_view(), name="activity-submit"),
    path("activities/<int:pk>/validate", a.ActivityValidate.as_view(), name="activity-validate"),
    path("activities/<int:pk>/return", a.ActivityReturn.as_view(), name="activity-return"),
    path("activities/<int:pk>/delete", a.ActivityDelete.as_view(), name="activity-delete"),
    path("activities/<int:pk>/restore", a.ActivityRestore.as_view(), name="activity-restore"),
    path(
        "activities/<int:pk>/participation",
        a.ActivityParticipation.as_view(),
        name="activity-participation",
    ),
    path("activities/<int:pk>/media", a.ActivityMedia.as_view(), name="activity-media"),
    path(
        "activities/<int:pk>/attendance", a.ActivityAttendance.as_view(), name="activity-attendance"
    ),
    path("activities/<int:pk>/audit", a.ActivityAudit.as_view(), name="activity-audit"),
    path("figures", figures.Figures.as_view(), name="figures"),
    path("indicators", figures.Indicators.as_view(), name="indicators"),
    path("indicators/<slug:code>", figures.IndicatorDetail.as_view(), name="indicator"),
    path(
        "indicators/<slug:code>/targets",
        figures.IndicatorTargets.as_view(),
        name="indicator-targets",
    ),
    path("vocabularies", reference.Vocabularies.as_view(), name="vocabularies"),
    path("places", reference.Places.as_view(), name="places"),
    path("places/<str:pcode>", reference.PlaceDetail.as_view(), name="place"),
    path("imports", imports.Imports.as_view(), name="imports"),
    path("reports", reports.Reports.as_view(), name="reports"),
    path("reports/issued", reports.IssuedReports.as_view(), name="reports-issued"),
    path("reports/issued/<int:pk>", reports.IssuedReportDetail.as_view(), name="report-issued"),
    path("sgbv", protection.SgbvTables.as_view(), name="sgbv"),
    # Anything else under /api/v1/ is a problem+json 404, not the site's HTML page.
    re_path(r"^.*$", problems.not_found, name="not-found"),
]
