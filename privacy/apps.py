from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Tietosuoja")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from privacy import checks  # noqa: F401  (registers the system checks)

        # Each app declares its personal data in personal_data.py.
        autodiscover_modules("personal_data")
