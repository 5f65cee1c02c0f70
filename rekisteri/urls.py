"""Root URL configuration.

The staff panel lives at /hallinta/; public and portal pages are Finnish at the root and Swedish
and English under their language prefixes.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from rekisteri.views import health

urlpatterns = [
    path("hallinta/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("api/v1/", include("integrations.urls")),
    path("hooks/", include("platforms.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("portal.urls")),
    path("", include("statement.urls")),
    prefix_default_language=False,
)
