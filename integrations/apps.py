from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Rajapinta ja tuonnit")

    def ready(self) -> None:
        from integrations import schema  # noqa: F401  (registers the OpenAPI auth extension)
