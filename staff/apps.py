from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def boolean_icon(value: bool | None) -> SafeString:
    """Return the admin's yes/no icon with its text in the staff's language.

    Django's own (admin_list._boolean_icon) gives the icon the alt text "True" or "False", which a
    screen reader reads out in English.
    """
    icon = {True: "yes", False: "no", None: "unknown"}[value]
    text = {True: gettext("kyllä"), False: gettext("ei"), None: gettext("ei tiedossa")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Henkilökunta")

    def ready(self) -> None:
        # Models can be imported only once the registry is ready.
        from django.contrib.admin.templatetags import admin_list

        from staff.roles import sync_role_groups

        # django-axes names its admin section by its label ("Axes"); staff see what it holds.
        apps.get_app_config("axes").verbose_name = _("Kirjautumisen estot")

        # Every boolean column and read-only field of the admin draws its icon through this one
        # function (the list's cells, and admin.utils' display_for_field and display_for_value
        # by importing it when called): replaced here, the icon reads in Finnish.
        admin_list._boolean_icon = boolean_icon

        # The roles are defined in code; every migrate brings their groups up to date, as
        # Django's own post_migrate handler does for permissions.
        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="staff.roles")
