from django.urls import path
from django.utils.translation import gettext_lazy as _

from musow.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.intake_home, name="home"),
    path(_("template.<str:fmt>"), views.template_download, name="template"),
    path(_("form.xlsx"), views.xlsform_download, name="xlsform"),
    path(_("export.xlsx"), views.export_download, name="export"),
]
