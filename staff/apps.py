from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Henkilökunta")

    def ready(self) -> None:
        # Models can be imported only once the registry is ready.
        from staff.roles import sync_role_groups

        # django-axes names its admin section by its label ("Axes"); staff see what it holds.
        apps.get_app_config("axes").verbose_name = _("Kirjautumisen estot")

        # The roles are defined in code; every migrate brings their groups up to date, as
        # Django's own post_migrate handler does for permissions.
        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="staff.roles")
