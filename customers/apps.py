from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The shop's data the register is seeded with: (the seeding migration, its function, the model).
SEEDS = (
    ("customers.migrations.0014_carriers", "seed_carriers", "Carrier"),
    (
        "customers.migrations.0016_consent_wordings_under_their_heading",
        "seed_wordings",
        "ConsentWording",
    ),
)


def seed_defaults(sender, *, using: str = "default", apps=None, **kwargs) -> None:
    """Seed an empty table of the shop's data as its data migration does (a post_migrate handler).

    Each migration seeds its table once; a database emptied by `flush` (as the tests'
    transactional cases leave it) gets the rows back. A table with any row is the shop's and
    is left alone.
    """
    from importlib import import_module

    from django.apps import apps as global_apps
    from django.db import connections

    tables = connections[using].introspection.table_names()
    for module, function, name in SEEDS:
        model = global_apps.get_model("customers", name)
        # After a migration back to before the table there is nothing to seed.
        if model._meta.db_table in tables and not model.objects.using(using).exists():
            getattr(import_module(module), function)(global_apps)


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Asiakasrekisteri")

    def ready(self) -> None:
        from customers import consent_wordings, marketing, purposes  # noqa: F401  (purposes registers what they hold)
        from privacy.marketing_rules import register_marketing_text
        from statement.completeness import register_gap_source

        # The statement tells the marketing rules from the module that enforces them.
        register_marketing_text(marketing.statement_text)
        # It is not published while a consent wording lacks a language it serves.
        register_gap_source(consent_wordings.wording_gaps)
        # Nor while a wording names a purpose the shop has switched off.
        register_gap_source(consent_wordings.off_mention_gaps)
        post_migrate.connect(seed_defaults, sender=self, dispatch_uid="customers.defaults")
