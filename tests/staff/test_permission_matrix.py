"""Every staff-panel URL for every role and an anonymous visitor, against one declared table.

The table is the specification of least privilege. A model or URL the table does not declare
fails the test, so a new admin page cannot slip in without someone deciding who may open it.
"""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, reverse

from customers.models import Customer, SuppressionEntry
from privacy.audit import AuditEntry, record
from tests.factories import (
    ConsentEventFactory,
    MarketingBanFactory,
    ShipmentFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("admin", "cs", "mk", "anon")

# What each role may do through each model's admin: v(iew) a(dd) c(hange) d(elete).
# Columns: register admin, customer service, marketing.
MODELS: dict[str, tuple[str, str, str]] = {
    "auth.group": ("vacd", "", ""),
    "auth.user": ("vacd", "", ""),
    "django_tasks_database.dbtaskresult": ("", "", ""),
    "otp_totp.totpdevice": ("vacd", "", ""),
    "axes.accessattempt": ("vcd", "", ""),
    "axes.accesslog": ("vcd", "", ""),
    "axes.accessfailurelog": ("vcd", "", ""),
    # Customers are erased through a request, never deleted in the panel.
    "customers.customer": ("vac", "vac", ""),
    # Orders are accounting vouchers: customer service corrects, never deletes.
    "customers.order": ("vacd", "vac", ""),
    "customers.shipment": ("vacd", "vacd", ""),
    "customers.suppressionentry": ("vad", "", "v"),
    "customers.consentevent": ("va", "va", "va"),
    "customers.marketingban": ("vac", "vac", "vac"),
    "privacy.auditentry": ("v", "", ""),
    "privacy.datasubjectrequest": ("vac", "vac", ""),
    # Correction items are created by the request flow, not by hand.
    "privacy.correctionitem": ("vc", "vc", ""),
    "privacy.accesspackage": ("vd", "v", ""),
    "privacy.erasureledger": ("v", "", ""),
    "privacy.statementdraft": ("vc", "", ""),
    "privacy.statementversion": ("v", "", ""),
    "privacy.controller": ("vcd", "", ""),
    "integrations.apitoken": ("vac", "", ""),
    "integrations.apicalllog": ("v", "", ""),
    "integrations.importjob": ("va", "", ""),
}

# Every other admin URL: its arguments and the status each role gets.
OTHER_URLS: dict[str, tuple[dict, tuple[int, int, int, int]]] = {
    "index": ({}, (200, 200, 200, 302)),
    "login": ({}, (302, 302, 302, 200)),
    "logout": ({}, (405, 405, 405, 302)),
    "password_change": ({}, (200, 200, 200, 302)),
    "password_change_done": ({}, (200, 200, 200, 302)),
    "autocomplete": ({}, (403, 403, 403, 302)),
    "jsi18n": ({}, (200, 200, 200, 302)),
    "view_on_site": ({"content_type_id": "customer", "object_id": "customer"}, (404,) * 3 + (302,)),
    "audiences": ({}, (200, 403, 200, 302)),
    "audience_export": ({"channel": "email"}, (200, 403, 200, 302)),
    "otp_totp_totpdevice_config": ({"pk": "object"}, (200, 403, 403, 302)),
    "otp_totp_totpdevice_qrcode": ({"pk": "object"}, (200, 403, 403, 302)),
    "privacy_accesspackage_download": ({"pk": 999999, "kind": "json"}, (404, 404, 403, 302)),
    "privacy_datasubjectrequest_letter": (
        {"pk": 999999, "letter": "ratkaisu"},
        (404, 404, 403, 302),
    ),
    "privacy_statement_publish": ({"pk": "object"}, (405, 405, 405, 302)),
    "privacy_statement_import": ({}, (200, 403, 403, 302)),
    "privacy_processing_record": ({}, (200, 403, 403, 302)),
    "privacy_processing_record_pdf": ({}, (200, 403, 403, 302)),
}

STANDARD = ("changelist", "add", "change", "delete", "history")


@pytest.fixture
def rows(register_admin, customer_service, marketing):
    """One row of every model the staff panel shows, where one can be made plainly."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from privacy.demo import ensure_demo_controller

    shipment = ShipmentFactory()
    customer = shipment.order.customer
    ConsentEventFactory(customer=customer)
    MarketingBanFactory(customer=customer)
    SuppressionEntry.objects.create(kind="email", value_hash="0" * 64)
    record(actor=register_admin, action=AuditEntry.Action.VIEW, customer_id=customer.pk)
    ensure_demo_controller()
    AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="10.0.0.1")
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1")
    try:
        from privacy.models import StatementDraft

        StatementDraft.current()
    except ImportError:
        pass
    return customer


@pytest.fixture
def clients(client_factory, register_admin, customer_service, marketing, otp_login):
    return {
        "admin": otp_login(client_factory(), register_admin),
        "cs": otp_login(client_factory(), customer_service),
        "mk": otp_login(client_factory(), marketing),
        "anon": client_factory(),
    }


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


def _expected_model_status(letters: str, view: str, exists: bool, anonymous: bool) -> int:
    if anonymous:
        return 302
    allowed = {
        "changelist": bool(set(letters) & set("vc")),
        "add": "a" in letters,
        "change": bool(set(letters) & set("vc")),
        "delete": "d" in letters,
        "history": bool(set(letters) & set("vc")),
    }[view]
    if view == "history" and not exists:
        return 302  # the admin redirects before checking permissions
    if not allowed:
        return 403
    return 200 if exists or view in ("changelist", "add") else 302


def _cases(customer):
    """Yield (url, {role: expected}) for every admin URL; fail on anything undeclared."""
    undeclared = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label not in MODELS:
            undeclared.append(label)
            continue
        obj = model._default_manager.order_by("pk").first()
        pk = obj.pk if obj is not None else 999999
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        for view in STANDARD:
            args = [] if view in ("changelist", "add") else [pk]
            url = reverse(f"admin:{info}_{view}", args=args)
            yield (
                url,
                {
                    role: _expected_model_status(letters, view, obj is not None, role == "anon")
                    for role, letters in zip(ROLES, (*MODELS[label], ""), strict=True)
                },
            )
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None)
            if name and not name.endswith(tuple(f"_{v}" for v in STANDARD)):
                if name not in OTHER_URLS:
                    undeclared.append(name)
                    continue
                yield _other(name, customer, obj)
    site_names = [p.name for p in admin.site.get_urls() if isinstance(p, URLPattern) and p.name]
    for name in site_names:
        if name == "app_list":
            continue
        if name not in OTHER_URLS:
            undeclared.append(name)
            continue
        yield _other(name, customer, None)
    for app_label in {m._meta.app_label for m in admin.site._registry}:
        url = reverse("admin:app_list", kwargs={"app_label": app_label})
        statuses = {"anon": 302}
        for i, role in enumerate(ROLES[:3]):
            visible = any(
                letters[i] for label, letters in MODELS.items() if label.startswith(app_label + ".")
            )
            statuses[role] = 200 if visible else 404
        yield url, statuses
    assert not undeclared, f"Declare these in the permission matrix: {undeclared}"


def _other(name, customer, obj):
    kwargs, statuses = OTHER_URLS[name]
    resolved = {}
    for key, value in kwargs.items():
        if value == "customer" and key == "content_type_id":
            resolved[key] = ContentType.objects.get_for_model(Customer).pk
        elif value == "customer":
            resolved[key] = customer.pk
        elif value == "object":
            resolved[key] = obj.pk if obj is not None else 999999
        else:
            resolved[key] = value
    return reverse(f"admin:{name}", kwargs=resolved), dict(zip(ROLES, statuses, strict=True))


def test_every_staff_url_answers_each_role_as_the_matrix_says(rows, clients):
    wrong = []
    checked = 0
    for url, expected in _cases(rows):
        for role, status in expected.items():
            response = clients[role].get(url)
            checked += 1
            if response.status_code != status:
                wrong.append(f"{role:5} {url}: {response.status_code}, expected {status}")
    assert not wrong, "\n".join(wrong)
    assert checked > 400
