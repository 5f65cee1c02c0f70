"""URLs of the web shop's API, mounted at /api/v1/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from integrations import views
from integrations.throttling import ClientRateThrottle

app_name = "api"

router = SimpleRouter()
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("orders", views.OrderViewSet, basename="order")
router.register("shipments", views.ShipmentViewSet, basename="shipment")
router.register("consents", views.ConsentViewSet, basename="consent")
router.register("bans", views.MarketingBanViewSet, basename="ban")
router.register("disclosures", views.DisclosureViewSet, basename="disclosure")

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(api_version="v1", throttle_classes=[ClientRateThrottle]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema",
            template_name="integrations/api_docs.html",
            title=_("Rekisterin rajapinta"),
            throttle_classes=[ClientRateThrottle],
        ),
        name="docs",
    ),
    *router.urls,
]
