from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "rights"
    verbose_name = _("Tietosuojapyynnöt")

    def ready(self) -> None:
        from rights import checks  # noqa: F401  (registers the deployment checks)
