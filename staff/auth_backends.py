"""Django's ModelBackend, reading a staff member's permissions in one plain query."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router


@cache
def _permissions_sql() -> str:
    """Return the query of a user's own and group permissions (built once, after app loading)."""
    user = get_user_model()
    tables = {
        "permission": Permission._meta.db_table,
        "content_type": ContentType._meta.db_table,
        "user_permissions": user.user_permissions.through._meta.db_table,
        "user_groups": user.groups.through._meta.db_table,
        "group_permissions": Group.permissions.through._meta.db_table,
    }
    return (  # noqa: S608 (table names from the models; the user id is a parameter)
        "SELECT ct.app_label, p.codename FROM {permission} p "
        "JOIN {content_type} ct ON ct.id = p.content_type_id "
        "WHERE p.id IN (SELECT permission_id FROM {user_permissions} WHERE user_id = %s "
        "UNION SELECT gp.permission_id FROM {group_permissions} gp "
        "JOIN {user_groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %s)"
    ).format(**tables)


class ModelBackendOneQuery(ModelBackend):
    """The same rules as ModelBackend; the user's own and their groups' permissions at once.

    Every staff page checks permissions, and ModelBackend reads the two sets with an ORM query
    each, about 2.4 ms of CPU on every page (a register admin holds some 200 permissions); one
    plain query costs a fraction of that. An inactive user has none, a superuser has all.
    """

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                db = router.db_for_read(Permission)
                with connections[db].cursor() as cursor:
                    cursor.execute(_permissions_sql(), [user_obj.pk, user_obj.pk])
                    perms = cursor.fetchall()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in perms}
        return user_obj._perm_cache
