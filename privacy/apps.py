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

        from django.db.models.signals import post_migrate

        from privacy.roles import sync_role_groups

        # The roles are defined in code; every migrate brings their groups up to date, as
        # Django's own post_migrate handler does for permissions.
        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="privacy.roles")
