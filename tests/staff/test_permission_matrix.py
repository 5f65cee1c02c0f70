"""Every staff-panel URL and admin action, for every role and an anonymous visitor.

The tables below are the specification of least privilege. The URLs are enumerated from the
admin site's own URL patterns and the actions from each model admin, so a new admin, URL or
action that the tables do not declare fails the test: nothing reaches the panel without someone
deciding who may use it.
"""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import ActionLocation
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from customers.models import BanRegisterImport, Customer, SuppressionEntry
from privacy.audit import record
from privacy.models import AuditEntry
from tests.factories import ConsentEventFactory, MarketingBanFactory, ShipmentFactory

pytestmark = pytest.mark.django_db

ROLES = ("admin", "cs", "mk", "anon")

# What each role may do through each model's admin: v(iew) a(dd) c(hange) d(elete).
# Columns: register admin (pääkäyttäjä), customer service, marketing.
MODELS: dict[str, tuple[str, str, str]] = {
    # Staff accounts: created and closed by the register admin, never deleted (the audit log
    # names its actors); the roles themselves are defined in code and only shown.
    "auth.user": ("vac", "", ""),
    "auth.group": ("v", "", ""),
    "django_tasks_database.dbtaskresult": ("", "", ""),
    "axes.accessattempt": ("vcd", "", ""),
    # Customers are erased through a request, never deleted in the panel.
    "customers.customer": ("vac", "vac", ""),
    # Orders are accounting vouchers: customer service corrects, never deletes.
    "customers.order": ("vacd", "vac", ""),
    "customers.shipment": ("vacd", "vacd", ""),
    # The shop's carriers and tracking pages: retired (inactive), never deleted, as old
    # shipments keep showing theirs.
    "customers.carrier": ("vac", "", ""),
    "customers.suppressionentry": ("vad", "", "v"),
    "customers.consentevent": ("va", "va", "va"),
    # The words the portal asks each consent with: edited by the register admin, one per
    # switch, never added or removed.
    "customers.consentwording": ("vc", "", ""),
    "customers.marketingban": ("vac", "vac", "vac"),
    "customers.banregisterimport": ("va", "", "va"),
    # The disclosure log is a record: added by hand or by the services, never rewritten.
    "customers.disclosure": ("va", "va", ""),
    "privacy.auditentry": ("v", "", ""),
    "rights.datasubjectrequest": ("vac", "vac", ""),
    # Authority requests are records: kept, never deleted in the panel.
    "rights.authorityrequest": ("vac", "vac", ""),
    # Correction items are created by the request flow, not by hand.
    "rights.correctionitem": ("vc", "vc", ""),
    # Notices of customers' own changes (GDPR Art. 19): listed by the portal, marked sent here.
    "rights.recipientnotification": ("vc", "vc", ""),
    "rights.accesspackage": ("vd", "v", ""),
    "rights.erasureledger": ("v", "", ""),
    "statement.statementdraft": ("vc", "", ""),
    "statement.statementversion": ("v", "", ""),
    "statement.controller": ("vcd", "", ""),
    "integrations.apitoken": ("vac", "", ""),
    "integrations.apicalllog": ("v", "", ""),
    "integrations.importjob": ("va", "", ""),
    # The connected web shops and newsletter tool: their keys are the register admin's alone;
    # the webhook log and the outbox are records, shown only.
    "platforms.connection": ("vac", "", ""),
    "platforms.webhookevent": ("v", "", ""),
    "platforms.outboxmessage": ("v", "", ""),
    # Saved column mappings are made on the import page, then renamed or deleted here.
    "integrations.importmapping": ("vcd", "", ""),
}

# Every other admin URL: its arguments and the status each role gets (admin, cs, mk, anon).
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
    "audience_use_export": ({"use": "research", "channel": "post"}, (200, 403, 200, 302)),
    "publication_list_export": ({}, (200, 403, 200, 302)),
    # Whoever may record a ban or a consent finds the person by exact email or phone.
    "person_lookup": ({}, (200, 200, 200, 302)),
    # Open to a password-only session with a pending enrolment; anyone else is sent onwards.
    "totp_enrolment": ({}, (302, 302, 302, 302)),
    "auth_user_password_change": ({"id": "object"}, (200, 403, 403, 302)),
    "rights_accesspackage_download": ({"pk": 999999, "kind": "json"}, (404, 404, 403, 302)),
    "rights_datasubjectrequest_letter": (
        {"pk": 999999, "letter": "ratkaisu"},
        (404, 404, 403, 302),
    ),
    "rights_datasubjectrequest_case": ({"pk": 999999}, (404, 404, 403, 302)),
    **{
        f"rights_datasubjectrequest_case_{step}": ({"pk": 999999}, (404, 404, 403, 302))
        for step in (
            "verify",
            "prepare",
            "confirm",
            "decision",
            "extend",
            "refuse",
            "withdraw",
            "notified",
            "lift",
        )
    },
    "statement_preview": ({"pk": "object"}, (200, 403, 403, 302)),
    "statement_preview_page": ({"pk": "object", "language": "sv"}, (200, 403, 403, 302)),
    "statement_preview_pdf": ({"pk": "object", "language": "fi"}, (200, 403, 403, 302)),
    "statement_publish": ({"pk": "object"}, (405, 405, 405, 302)),
    "statement_import": ({}, (200, 403, 403, 302)),
    "statement_onboarding": ({}, (200, 403, 403, 302)),
    "statement_processing_record": ({}, (200, 403, 403, 302)),
    "statement_processing_record_pdf": ({}, (200, 403, 403, 302)),
}

# Every admin action and the roles that get it (list and change-form actions alike).
ACTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "auth.user": {"reopen_totp_enrolment": ("admin",)},
    "axes.accessattempt": {"delete_selected": ("admin",), "cleanup_expired_attempts": ("admin",)},
    "customers.order": {"delete_selected": ("admin",)},
    "customers.shipment": {"delete_selected": ("admin", "cs")},
    "customers.suppressionentry": {"delete_selected": ("admin",)},
    "customers.marketingban": {"lift_bans": ("admin", "cs", "mk")},
    # None: every step of a request is taken on its own case page (staff.admin.case_workspace).
    "rights.datasubjectrequest": {},
    # None: each correction is decided on its case page, with its own reasons.
    "rights.correctionitem": {},
    "rights.recipientnotification": {"mark_sent": ("admin", "cs")},
    "rights.accesspackage": {"delete_selected": ("admin",)},
    "statement.controller": {"delete_selected": ("admin",)},
    "integrations.apitoken": {"revoke": ("admin",)},
    "integrations.importmapping": {"delete_selected": ("admin",)},
}

STANDARD = ("changelist", "add", "change", "delete", "history")


@pytest.fixture
def rows(register_admin, customer_service, marketing):
    """One row of every model the staff panel shows, where one can be made plainly."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from demo.shop import ensure_demo_controller
    from integrations.models import ApiToken, ImportMapping
    from rights.models import AccessPackage, RecipientNotification
    from statement.models import StatementDraft

    shipment = ShipmentFactory()
    customer = shipment.order.customer
    ConsentEventFactory(customer=customer)
    MarketingBanFactory(customer=customer)
    SuppressionEntry.objects.create(kind="email", value_hash="0" * 64)
    BanRegisterImport.objects.create(service="phone", list_date="2026-01-01", file_name="x.csv")
    record(actor=register_admin, action=AuditEntry.Action.VIEW, customer_id=customer.pk)
    ensure_demo_controller()
    AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="10.0.0.1")
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1")
    StatementDraft.current()
    ImportMapping.objects.create(name="Kassa", columns={"Posti": "email"})
    ApiToken.objects.create(name="Verkkokauppa", prefix="rk_x", token_hash="1" * 64)
    AccessPackage.objects.create(customer=customer, expires_at=timezone.now() + timedelta(days=14))
    # A notice of the customer's own change (no request): the panel's notices list shows those.
    RecipientNotification.objects.create(
        customer=customer, recipient="Perintä Oy", fields=["street_address"]
    )
    return customer


@pytest.fixture
def users(register_admin, customer_service, marketing):
    return {"admin": register_admin, "cs": customer_service, "mk": marketing}


@pytest.fixture
def clients(users, otp_login):
    clients = {role: otp_login(Client(), user) for role, user in users.items()}
    return {**clients, "anon": Client()}


def _names(patterns) -> set[str]:
    """Return every named URL pattern under a list of patterns, includes followed."""
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


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


def _other(name: str, customer, obj):
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


def _cases(customer):
    """Return [(url, {role: status})] for every named admin URL; fail on anything undeclared."""
    every_name = _names(admin.site.get_urls())
    covered: set[str] = {"app_list"}
    undeclared: list[str] = []
    cases = []
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
            letters = (*MODELS[label], "")
            expected = {
                role: _expected_model_status(letter, view, obj is not None, role == "anon")
                for role, letter in zip(ROLES, letters, strict=True)
            }
            cases.append((reverse(f"admin:{info}_{view}", args=args), expected))
            covered.add(f"{info}_{view}")
        for name in _names(model_admin.get_urls()) - covered:
            if name in OTHER_URLS:
                cases.append(_other(name, customer, obj))
                covered.add(name)
    for name in every_name - covered:
        if name in OTHER_URLS:
            cases.append(_other(name, customer, None))
            covered.add(name)
        else:
            undeclared.append(name)
    for app_label in {m._meta.app_label for m in admin.site._registry}:
        url = reverse("admin:app_list", kwargs={"app_label": app_label})
        statuses = {"anon": 302}
        for i, role in enumerate(ROLES[:3]):
            visible = any(
                letters[i] for label, letters in MODELS.items() if label.startswith(app_label + ".")
            )
            statuses[role] = 200 if visible else 404
        cases.append((url, statuses))
    assert not undeclared, f"Declare these in the permission matrix: {sorted(undeclared)}"
    assert every_name <= covered
    return cases


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


def _request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_each_role_is_offered_exactly_the_declared_admin_actions(rows, users):
    wrong = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        declared = ACTIONS.get(label, {})
        for role, user in users.items():
            request = _request_as(user)
            offered = set()
            # An action is offered on the list or change page, which a role must be able to open.
            if model_admin.has_view_or_change_permission(request):
                for location in ActionLocation:
                    offered |= set(model_admin.get_actions(request, action_location=location))
            expected = {name for name, roles in declared.items() if role in roles}
            if offered != expected:
                wrong.append(
                    f"{label} {role}: offered {sorted(offered)}, declared {sorted(expected)}"
                )
    assert not wrong, "\n".join(wrong)


def test_an_action_runs_only_for_the_roles_declared_and_is_audited(rows, clients):
    wrong, posted = [], set()
    for model in admin.site._registry:
        label = model._meta.label_lower
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        url = reverse(f"admin:{info}_changelist")
        for name, allowed in ACTIONS.get(label, {}).items():
            posted.add(f"{label}.{name}")
            for role in ROLES:
                with transaction.atomic():
                    before = AuditEntry.objects.filter(details__admin_action=name).count()
                    response = clients[role].post(
                        url, {"action": name, ACTION_CHECKBOX_NAME: [obj.pk], "index": 0}
                    )
                    ran = AuditEntry.objects.filter(details__admin_action=name).count() > before
                    transaction.set_rollback(True)
                if ran != (role in allowed) or response.status_code >= 500:
                    wrong.append(f"{label}.{name} {role}: ran={ran}, {response.status_code}")
    assert not wrong, "\n".join(wrong)
    declared = {f"{label}.{name}" for label, actions in ACTIONS.items() for name in actions}
    assert declared == posted, f"no row to post these actions on: {sorted(declared - posted)}"
