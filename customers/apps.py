from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def seed_defaults(sender, *, using: str = "default", **kwargs) -> None:
    """Seed an empty register's carriers as the data migration does (a post_migrate handler).

    The migration seeds them once; a database emptied by `flush` (as the tests' transactional
    cases leave it) gets them back. A table with any row is the shop's and is left alone.
    """
    from importlib import import_module

    from django.db import connections

    from customers.models import Carrier

    # After a migration back to before the table, there is nothing to seed.
    if Carrier._meta.db_table not in connections[using].introspection.table_names():
        return
    if not Carrier.objects.using(using).exists():
        migration = import_module("customers.migrations.0014_carriers")
        for key, name, tracking_url in migration.CARRIERS:
            Carrier.objects.using(using).create(key=key, name=name, tracking_url=tracking_url)


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Asiakasrekisteri")

    def ready(self) -> None:
        from customers import marketing
        from privacy.marketing_rules import register_marketing_text

        # The statement tells the marketing rules from the module that enforces them.
        register_marketing_text(marketing.statement_text)
        post_migrate.connect(seed_defaults, sender=self, dispatch_uid="customers.defaults")
