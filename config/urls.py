from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from infopoint.core.health import healthz
from infopoint.pages.views import favicon

urlpatterns = i18n_patterns(
    path("admin/", admin.site.urls),
    path("account/", include("infopoint.accounts.urls")),
    path("enquiries/", include("infopoint.enquiries.urls")),
    path("appointments/", include("infopoint.appointments.urls")),
    path("articles/", include("infopoint.knowledge.urls")),
    path("news/", include("infopoint.news.urls")),
    path("reports/", include("infopoint.reports.urls")),
    path("privacy/", include("infopoint.privacy.urls")),
    path("", include("infopoint.pages.urls")),
)

# The API has no language prefix: messages follow the Accept-Language header.
urlpatterns += [path("api/v1/", include("infopoint.api.urls"))]
# Load balancers and monitoring ask for it without a language (infopoint/core/health.py).
urlpatterns += [path("healthz", healthz, name="healthz")]
# Browsers ask for it on every site, without a language.
urlpatterns += [path("favicon.ico", favicon, name="favicon")]

handler400 = "infopoint.pages.views.bad_request"
handler404 = "infopoint.pages.views.not_found"
handler500 = "infopoint.pages.views.server_error"
