import pytest
from django.conf import settings


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    # Argon2 is deliberately slow; tests only need hashing to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def register_admin(db, django_user_model):
    from privacy.roles import REGISTER_ADMIN, ensure_role_groups

    user = django_user_model.objects.create_user(
        "paakayttaja", password="salasana-testi-123", is_staff=True
    )
    user.groups.add(ensure_role_groups()[REGISTER_ADMIN])
    return user


@pytest.fixture
def customer_service(db, django_user_model):
    from privacy.roles import CUSTOMER_SERVICE, ensure_role_groups

    user = django_user_model.objects.create_user(
        "asiakaspalvelu", password="salasana-testi-123", is_staff=True
    )
    user.groups.add(ensure_role_groups()[CUSTOMER_SERVICE])
    return user
