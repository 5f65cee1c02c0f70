"""The admin app configured with the staff panel's own site (kept import-light: no models)."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "staff.site.StaffAdminSite"
