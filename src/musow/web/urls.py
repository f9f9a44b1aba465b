from django.urls import path
from django.utils.translation import gettext_lazy as _

from musow.web import views

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
]
