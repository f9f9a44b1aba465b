from django.urls import path
from django.utils.translation import gettext_lazy as _

from musow.mainstreaming import views

app_name = "mainstreaming"
urlpatterns = [
    path("", views.review_list, name="reviews"),
    path(_("new/"), views.review_new, name="review-new"),
    path("<int:pk>/", views.review_detail, name="review"),
    path(_("<int:pk>/edit/"), views.review_edit, name="review-edit"),
    path(
        _("<int:pk>/recommendations/"),
        views.recommendation_add,
        name="recommendation-add",
    ),
    path(
        _("recommendations/<int:pk>/follow-up/"),
        views.recommendation_follow_up,
        name="recommendation-follow-up",
    ),
    path(_("projects/"), views.project_list, name="projects"),
    path(_("projects/<slug:code>/"), views.project_marker, name="project"),
]
