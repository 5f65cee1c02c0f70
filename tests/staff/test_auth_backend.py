"""Staff permissions are read in one query, with Django's ModelBackend rules."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staff.auth_backends import ModelBackendOneQuery

pytestmark = pytest.mark.django_db


def _perm(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no permission caches


def test_own_and_group_permissions_in_one_query_as_modelbackend_gives_them():
    user = get_user_model().objects.create_user("kaisa", is_staff=True)
    user.user_permissions.add(_perm("view_customer"))
    group = Group.objects.create(name="ryhmä")
    group.permissions.add(_perm("change_customer"), _perm("view_customer"))
    user.groups.add(group)
    staff = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        perms = ModelBackendOneQuery().get_all_permissions(staff)
    assert len(queries) == 1
    assert perms == ModelBackend().get_all_permissions(_fresh(user))
    assert {"customers.view_customer", "customers.change_customer"} <= perms
    assert "customers.delete_customer" not in perms
    assert _fresh(user).has_perm("customers.change_customer")


def test_inactive_users_have_none_and_superusers_all():
    user = get_user_model().objects.create_user("olli", is_staff=True)
    user.user_permissions.add(_perm("view_customer"))
    user.is_active = False
    assert ModelBackendOneQuery().get_all_permissions(user) == set()
    boss = get_user_model().objects.create_superuser("pomo")
    everything = ModelBackendOneQuery().get_all_permissions(boss)
    assert len(everything) == Permission.objects.count()
    assert ModelBackendOneQuery().get_all_permissions(_fresh(user), obj=object()) == set()


def test_a_user_without_permissions_has_none():
    user = get_user_model().objects.create_user("uusi", is_staff=True)
    assert ModelBackendOneQuery().get_all_permissions(user) == set()
    assert not user.has_perm("customers.view_customer")
