from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class StatementConfig(AppConfig):
    name = "statement"
    verbose_name = _("Tietosuojaseloste")

    def ready(self) -> None:
        # Models can be imported only once the registry is ready.
        from privacy.declaration import set_period_chooser, set_purposes_off
        from statement import checks  # noqa: F401  (registers the stale-statement check)
        from statement.cache import invalidate_on_change
        from statement.choices import chosen_months
        from statement.models import Controller, StatementVersion
        from statement.purposes import purposes_off

        # A rule that allows a choice takes the period the statement in force chose.
        set_period_chooser(chosen_months)
        # A purpose the statement in force switched off is processed for nothing.
        set_purposes_off(purposes_off)

        # The cached public statement page changes with a new version or the controller's
        # details (its name heads the page).
        for model in (StatementVersion, Controller):
            for signal in (post_save, post_delete):
                signal.connect(
                    invalidate_on_change,
                    sender=model,
                    dispatch_uid=f"statement.cache.{model.__name__}.{signal is post_save}",
                )
