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

        from django.db.models.signals import post_delete, post_save

        from privacy.models import Controller, StatementVersion
        from privacy.statement_cache import invalidate_on_change

        # The cached public statement page changes with a new version or the controller's
        # details (its name heads the page).
        for model in (StatementVersion, Controller):
            for signal in (post_save, post_delete):
                signal.connect(
                    invalidate_on_change,
                    sender=model,
                    dispatch_uid=f"privacy.statement_cache.{model.__name__}.{signal is post_save}",
                )
