"""The demo shop "Esimerkkikauppa Oy": its controller details and staff accounts."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from privacy import roles
from privacy.models import Controller

DEMO_STAFF = [
    ("paakayttaja", "Pia", "Pääkäyttäjä", roles.REGISTER_ADMIN),
    ("asiakaspalvelu", "Aki", "Asiakaspalvelija", roles.CUSTOMER_SERVICE),
    ("markkinointi", "Maija", "Markkinoija", roles.MARKETING),
]


@transaction.atomic
def ensure_demo_controller() -> Controller:
    """Return the controller, creating the demo shop's details the first time."""
    controller = Controller.current()
    if controller is None:
        controller = Controller.objects.create(
            name="Esimerkkikauppa Oy",
            business_id="1234567-1",
            street_address="Esimerkkikatu 1",
            postal_code="00100",
            post_office="Helsinki",
            phone="+358 9 123 4567",
            email="asiakaspalvelu@esimerkkikauppa.example",
            website="https://esimerkkikauppa.example",
            contact_name="Pia Pääkäyttäjä",
            contact_email="tietosuoja@esimerkkikauppa.example",
            contact_phone="+358 40 123 4567",
            register_name="Esimerkkikauppa Oy:n asiakasrekisteri",
        )
    return controller


@transaction.atomic
def ensure_demo_staff() -> list[tuple[str, str, str]]:
    """Create the three demo staff accounts; return (username, role, password) for new ones."""
    groups = roles.ensure_role_groups()
    user_model = get_user_model()
    created = []
    for username, first, last, role in DEMO_STAFF:
        if user_model.objects.filter(username=username).exists():
            continue
        password = secrets.token_urlsafe(12)
        user = user_model.objects.create_user(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@esimerkkikauppa.example",
            is_staff=True,
            is_superuser=False,
        )
        user.groups.add(groups[role])
        created.append((username, role, password))
    return created
