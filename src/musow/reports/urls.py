from django.urls import path
from django.utils.translation import gettext_lazy as _

from musow.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_page, name="report"),
    path(_("issue/"), views.report_issue_view, name="issue"),
    path(_("text/"), views.report_text_view, name="text"),
]
