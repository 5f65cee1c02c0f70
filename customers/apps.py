from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Asiakasrekisteri")

    def ready(self) -> None:
        from customers import marketing, purposes  # noqa: F401  (registers what purposes hold)
        from privacy.marketing_rules import register_marketing_text

        # The statement tells the marketing rules from the module that enforces them.
        register_marketing_text(marketing.statement_text)
