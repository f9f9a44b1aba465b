from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("musow.api.urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path(_("reports/"), include("musow.reports.urls")),
    path(_("import/"), include("musow.intake.urls")),
    path(_("gender-reviews/"), include("musow.mainstreaming.urls")),
    path(_("account/tokens/"), include("musow.api.page_urls")),
    path(_("bodies/"), include("musow.web.table_urls")),
    path(_("elections/"), include("musow.web.election_urls")),
    path(_("security/"), include("musow.web.security_urls")),
    path("", include("musow.web.urls")),
    prefix_default_language=True,
)

# A write that waited too long for another one is a 503 "try again", never a 500.
handler500 = "musow.web.busy.server_error"
