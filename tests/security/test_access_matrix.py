"""Every URL pattern of the project, for every kind of visitor, answers as ACCESS declares.

The patterns are read from the URL resolver (includes, the admin site, the API router and the
language-prefixed portal and statement pages followed), so a new view that ACCESS does not
declare fails the test. ACCESS holds the answer of each pattern for each visitor in ACTORS:
nobody, customers A and B (portal sessions made through the mailed code), the three staff
roles and a staff account with no role. The answers of the staff panel's model pages and of
its admin actions for the staff roles are the staff permission matrix's (MODELS and ACTIONS in
tests/staff/test_permission_matrix.py, so least privilege is declared once); here they are
extended to the other visitors and checked against real rows.

Path parameters are filled with customer A's objects, so "B gets 404" in a row is the check
that one customer cannot reach another's object through any id-bearing URL.
"""

import base64
import re
import uuid
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import ActionLocation
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from customers.models import Customer
from integrations.models import ApiToken
from integrations.services import create_api_token
from privacy.models import AuditEntry
from tests.security import figures
from tests.security.conftest import ACTORS, client_maker
from tests.staff.test_permission_matrix import ACTIONS, MODELS, _expected_model_status

pytestmark = pytest.mark.django_db

LANGUAGE_PREFIXES = ("", "sv/", "en/")

# Answers: an HTTP status, "login" (302 to the login page of the URL's area: the staff panel's
# or the portal's) or "redirect" (302 anywhere else).
OK, LOGIN, REDIRECT = 200, "login", "redirect"


@dataclass(frozen=True)
class Row:
    """The declared answer of one URL pattern: GET per actor, and POST where it matters."""

    get: tuple
    kwargs: dict = field(default_factory=dict)
    # A POST with a valid CSRF token, for the rows whose POST acts on an object named in the URL.
    post: tuple | None = None
    # Whether the pattern takes a form POST (checked for CSRF in test_abuse.py); the API
    # authenticates by token, never by cookie, and is declared exempt.
    form: bool = False
    csrf_exempt: bool = False


def per(anon, a, b, admin_, cs, mk, norole) -> tuple:
    return (anon, a, b, admin_, cs, mk, norole)


def staff_only(admin_, cs, mk, norole) -> tuple:
    """Staff-panel answer: nobody and the customers are sent to the staff login."""
    return per(LOGIN, LOGIN, LOGIN, admin_, cs, mk, norole)


def everyone(answer) -> tuple:
    return (answer,) * len(ACTORS)


PORTAL_PAGE = per(LOGIN, OK, OK, LOGIN, LOGIN, LOGIN, LOGIN)
API_RESOURCE = everyone(401)  # a session, staff or customer, is no API credential

# Keyword values naming fixture objects: "a.package" is customer A's access package's token.
ACCESS: dict[str, Row] = {
    # The staff panel (staff.site), besides the model pages derived below.
    "admin:index": Row(staff_only(OK, OK, OK, OK), form=True),
    "admin:login": Row(per(OK, OK, OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT), form=True),
    # Without a staff session both send the visitor to the panel's index (and so to its login).
    "admin:logout": Row(per(REDIRECT, REDIRECT, REDIRECT, 405, 405, 405, 405), form=True),
    "admin:password_change": Row(staff_only(OK, OK, OK, OK), form=True),
    "admin:password_change_done": Row(staff_only(OK, OK, OK, OK)),
    "admin:autocomplete": Row(staff_only(403, 403, 403, 403)),
    "admin:jsi18n": Row(staff_only(OK, OK, OK, OK)),
    "admin:view_on_site": Row(
        staff_only(404, 404, 404, 404),
        {"content_type_id": "customer-type", "object_id": "a.customer"},
    ),
    "admin:audiences": Row(staff_only(OK, 403, OK, 403), form=True),
    "admin:audience_export": Row(staff_only(OK, 403, OK, 403), {"channel": "email"}),
    "admin:audience_use_export": Row(
        staff_only(OK, 403, OK, 403), {"use": "research", "channel": "post"}
    ),
    "admin:publication_list_export": Row(staff_only(OK, 403, OK, 403)),
    # Marketing's lookup by exact email or phone (a GET form): every role with a marketing table.
    "admin:person_lookup": Row(staff_only(OK, OK, OK, 403)),
    "admin:totp_enrolment": Row(everyone(REDIRECT), form=True),
    "admin:auth_user_password_change": Row(
        staff_only(OK, 403, 403, 403), {"id": "norole.user"}, form=True
    ),
    "admin:rights_accesspackage_download": Row(
        staff_only(OK, OK, 403, 403), {"pk": "a.package_pk", "kind": "json"}
    ),
    "admin:rights_datasubjectrequest_letter": Row(
        # An open request has no decision letter yet: 404 once the permission is granted.
        staff_only(404, 404, 403, 403),
        {"pk": "a.request_pk", "letter": "ratkaisu"},
    ),
    # The case workspace (staff.admin.case_workspace): customer A's request, filed in the portal
    # and verified there; a step that does not apply to it yet sends staff back to the case.
    "admin:rights_datasubjectrequest_case": Row(
        staff_only(OK, OK, 403, 403), {"pk": "a.request_pk"}
    ),
    **{
        f"admin:rights_datasubjectrequest_case_{step}": Row(
            staff_only(answer, answer, 403, 403),
            {"pk": "a.request_pk"},
            post=staff_only(posted, posted, 403, 403) if posted else None,
            form=True,
        )
        for step, answer, posted in (
            ("verify", OK, OK),
            ("prepare", REDIRECT, REDIRECT),
            ("confirm", REDIRECT, None),
            ("decision", REDIRECT, REDIRECT),
            ("extend", OK, OK),
            ("refuse", OK, OK),
            ("withdraw", OK, OK),
            ("notified", OK, None),
            ("lift", REDIRECT, None),
        )
    },
    "admin:statement_preview": Row(staff_only(OK, 403, 403, 403), {"pk": "draft"}),
    "admin:statement_preview_page": Row(
        staff_only(OK, 403, 403, 403), {"pk": "draft", "language": "sv"}
    ),
    "admin:statement_preview_pdf": Row(
        staff_only(OK, 403, 403, 403), {"pk": "draft", "language": "fi"}
    ),
    "admin:statement_publish": Row(staff_only(405, 405, 405, 405), {"pk": "draft"}, form=True),
    "admin:statement_import": Row(staff_only(OK, 403, 403, 403), form=True),
    "admin:statement_onboarding": Row(staff_only(OK, 403, 403, 403), form=True),
    "admin:statement_processing_record": Row(staff_only(OK, 403, 403, 403)),
    "admin:statement_processing_record_pdf": Row(staff_only(OK, 403, 403, 403)),
    "admin:app_list": Row(staff_only(OK, OK, OK, 404), {"app_label": "customers"}),
    "admin:<catch-all>": Row(staff_only(404, 404, 404, 404), {"url": "ei-ole/"}),
    # Project-wide.
    "set_language": Row(everyone(REDIRECT), form=True),
    "health": Row(everyone(OK)),
    # The platforms' webhooks: signed by the shop's secret, never by a session; POST only, and
    # a POST without the platform's signature writes nothing (tests/platforms).
    "hooks:shopify": Row(everyone(405), post=everyone(401), csrf_exempt=True),
    "hooks:woocommerce": Row(everyone(405), post=everyone(401), csrf_exempt=True),
    # The web shop's API: token authentication only (see test_api_* below).
    "api:schema": Row(everyone(OK), csrf_exempt=True),
    "api:docs": Row(everyone(OK), csrf_exempt=True),
    **{
        f"api:{name}": Row(API_RESOURCE, kwargs, csrf_exempt=True)
        for name, kwargs in {
            "customer-list": {},
            "customer-detail": {"external_id": "a.external"},
            "order-list": {},
            "order-detail": {"external_id": "a.order_external"},
            "shipment-list": {},
            "shipment-detail": {"external_id": "a.shipment_external"},
            "shipment-events": {"external_id": "a.shipment_external"},
            "consent-list": {},
            "ban-list": {},
            "ban-lift": {},
            "disclosure-list": {},
            "disclosure-recipients": {},
        }.items()
    },
    # The portal, in every language.
    "portal:home": Row(everyone(REDIRECT)),
    "portal:login": Row(everyone(OK), form=True),
    "portal:login_code": Row(everyone(LOGIN), form=True),
    "portal:login_link": Row(everyone(OK), form=True),
    "portal:logout": Row(everyone(405), form=True),
    "portal:details": Row(PORTAL_PAGE, form=True),
    "portal:email_confirm": Row(per(LOGIN, REDIRECT, REDIRECT, *(LOGIN,) * 4), form=True),
    # A correction request for a field only staff change: the field is named, no object.
    "portal:correction": Row(PORTAL_PAGE, {"field": "y-tunnus"}, form=True),
    "portal:orders": Row(PORTAL_PAGE),
    "portal:marketing": Row(PORTAL_PAGE, form=True),
    "portal:download": Row(PORTAL_PAGE, form=True),
    "portal:erase": Row(PORTAL_PAGE, form=True),
    "portal:requests": Row(PORTAL_PAGE, form=True),
    "portal:request_withdraw": Row(
        per(LOGIN, 405, 405, *(LOGIN,) * 4),
        {"code": "a.request"},
        post=per(LOGIN, REDIRECT, 404, *(LOGIN,) * 4),
        form=True,
    ),
    # Public pages and the customer's package download.
    "portal:landing": Row(everyone(OK)),
    # A marketing message's opt-out link: a random token is no link (400 for anyone). Exempt
    # from CSRF: a mail client's RFC 8058 one-click POST carries no cookie; the token is the key.
    "portal:unsubscribe": Row(everyone(400), {"token": "random"}, form=True, csrf_exempt=True),
    "portal:access_download": Row(
        per(404, OK, 404, 404, 404, 404, 404), {"token": "a.package", "kind": "json"}
    ),
    "statement:current": Row(everyone(OK)),
    "statement:pdf": Row(everyone(OK)),
    "statement:versions": Row(everyone(OK)),
    "statement:version": Row(everyone(OK), {"number": "statement"}),
    "statement:version_pdf": Row(everyone(OK), {"number": "statement"}),
}

# The staff panel's model pages: the admin's own views for each registered model.
MODEL_VIEWS = ("changelist", "add", "history", "delete", "change", "<object>")


def _model_rows() -> dict[str, Row]:
    rows = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label not in MODELS:
            continue  # reported as undeclared by the test
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        for view in MODEL_VIEWS:
            key = f"admin:{info}_{view}"
            kwargs = {} if view in ("changelist", "add") else {"object_id": f"row.{label}"}
            if view == "<object>":
                # <object_id>/ redirects to the change page for any staff member.
                rows[key] = Row(staff_only(*(REDIRECT,) * 4), kwargs)
            else:
                rows[key] = Row((f"model:{label}:{view}",) * len(ACTORS), kwargs, form=True)
    return rows


ACCESS.update(_model_rows())


def walk(patterns, prefix: str = "", namespace: str = ""):
    """Yield (key, route, pattern) for every URL pattern under `patterns`, includes followed."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield _key(pattern, prefix, namespace), prefix + str(pattern.pattern), pattern


def _key(pattern: URLPattern, prefix: str, namespace: str) -> str:
    qualified = f"{namespace}:" if namespace else ""
    if pattern.name:
        return qualified + pattern.name
    route = str(pattern.pattern)
    if route == "(?P<url>.*)$":
        return f"{qualified}<catch-all>"
    if route == "<path:object_id>/":
        # The admin's unnamed redirect to a model's change page.
        change = prefix.removeprefix("hallinta/").rstrip("/").replace("/", "_")
        return f"{qualified}{change}_<object>"
    return f"{qualified}{prefix}{route}"


def every_pattern() -> list[tuple[str, str, URLPattern]]:
    return list(walk(get_resolver().url_patterns))


def test_every_url_pattern_is_declared():
    patterns = every_pattern()
    undeclared = sorted({key for key, _route, _p in patterns} - set(ACCESS))
    assert not undeclared, "new view not declared: " + ", ".join(undeclared)
    models = {m._meta.label_lower for m in admin.site._registry}
    assert not models - set(MODELS), f"new admin not declared: {sorted(models - set(MODELS))}"
    stale = sorted(set(ACCESS) - {key for key, _route, _p in patterns})
    assert not stale, f"declared but no longer a URL: {stale}"
    figures.count("url patterns (resolver)", len(patterns))
    figures.count("url patterns declared", len(ACCESS))


# Filling in the parameters.


def _object_for(label: str, world):
    """Return customer A's row of a model where it has one, else any row (or None)."""
    from django.apps import apps

    model = apps.get_model(label)
    a = world["a"]
    own = {
        "customers.customer": a.customer,
        "customers.order": a.order,
        "customers.shipment": a.shipment,
        "rights.datasubjectrequest": a.request,
        "rights.accesspackage": a.package,
        "auth.user": world["staff"]["norole"],
    }
    if label in own:
        return own[label]
    if label in ("customers.consentevent", "customers.marketingban"):
        return model.objects.filter(customer=a.customer).first()
    return model._default_manager.order_by("pk").first()


def _value(spec, world):
    if not isinstance(spec, str):
        return spec
    a = world["a"]
    values = {
        "a.customer": lambda: a.customer.pk,
        "a.external": lambda: a.customer.external_id or "x",
        "a.order_external": lambda: a.order.external_id or "x",
        "a.shipment_external": lambda: a.shipment.external_id or "x",
        "a.package": lambda: a.package.token,
        "a.package_pk": lambda: a.package.pk,
        "a.request": lambda: a.request.code,
        "a.request_pk": lambda: a.request.pk,
        "norole.user": lambda: world["staff"]["norole"].pk,
        "customer-type": lambda: ContentType.objects.get_for_model(Customer).pk,
        "draft": lambda: __import__("statement.models").models.StatementDraft.current().pk,
        "statement": lambda: world["statement"].number,
        "random": lambda: uuid.uuid4().hex,
    }
    if spec in values:
        return values[spec]()
    if spec.startswith("row."):
        obj = _object_for(spec[4:], world)
        return obj.pk if obj is not None else 999999
    return spec


def _url(key: str, route: str, row: Row, world, language_prefix: str) -> str:
    kwargs = {name: _value(spec, world) for name, spec in row.kwargs.items()}
    if key == "admin:<catch-all>":
        return "/hallinta/" + kwargs["url"]
    if key.endswith("_<object>"):
        return "/" + route.replace("<path:object_id>", str(kwargs["object_id"]))
    language = {"": "fi", "sv/": "sv", "en/": "en"}[language_prefix]
    with translation.override(language):
        return reverse(key, kwargs=kwargs)


def _model_answer(answer: str, actor: str, world, object_id) -> object:
    _m, label, view = answer.split(":")
    if actor in ("anon", "a", "b"):
        return LOGIN
    letters = {"admin": 0, "cs": 1, "mk": 2}
    granted = MODELS[label][letters[actor]] if actor in letters else ""
    exists = view in ("changelist", "add") or object_id != 999999
    status = _expected_model_status(granted, view, exists, anonymous=False)
    return REDIRECT if status == 302 else status


def _matches(response, answer, url: str) -> bool:
    if answer == LOGIN:
        if response.status_code != 302:
            return False
        location = response["Location"]
        if url.startswith("/hallinta/"):
            return location.startswith(reverse("admin:login"))
        prefix = re.match(r"^/(sv/|en/)?", url).group(0)
        return location == f"{prefix}oma/kirjaudu/"
    if answer == REDIRECT:
        return response.status_code == 302
    return response.status_code == answer


def cases(world, languages=LANGUAGE_PREFIXES):
    """Yield (key, url, row, language prefix) for every pattern, in every language it takes."""
    for key, route, _pattern in every_pattern():
        row = ACCESS[key]
        i18n = key.split(":")[0] in ("portal", "privacy")
        for prefix in languages if i18n else ("",):
            yield key, route, _url(key, route, row, world, prefix), row, prefix


@pytest.fixture(autouse=True)
def _media_root(shared_world, tmp_path, settings):
    # The shared world's files stay where it stored them (tests.security.conftest).
    settings.ERASURE_LEDGER_FILE = tmp_path / "erasure-ledger.jsonl"


@pytest.fixture
def full_world(shared_world, db):
    return shared_world


@pytest.fixture
def make_client(full_world, otp_login):
    return client_maker(full_world, otp_login)


@pytest.mark.parametrize("actor", ACTORS)
def test_every_url_answers_each_visitor_as_declared(actor, full_world, make_client):
    world = full_world
    client = make_client(actor)
    column = ACTORS.index(actor)
    wrong, checked, posted = [], 0, []
    for key, _route, url, row, _prefix in cases(world):
        answer = row.get[column]
        if isinstance(answer, str) and answer.startswith("model:"):
            object_id = _value(row.kwargs.get("object_id", 0), world)
            answer = _model_answer(answer, actor, world, object_id)
        response = client.get(url)
        checked += 1
        if not _matches(response, answer, url):
            wrong.append(f"{actor} GET {url} [{key}]: {response.status_code}, expected {answer}")
        if row.post is not None:
            posted.append((key, url, row.post[column]))
    for key, url, answer in posted:
        with transaction.atomic():
            response = client.post(url)
            transaction.set_rollback(True)
        checked += 1
        if not _matches(response, answer, url):
            wrong.append(f"{actor} POST {url} [{key}]: {response.status_code}, expected {answer}")
    figures.count("pattern x actor checks (GET and POST, all languages)", checked)
    figures.count("actors", 1)
    assert not wrong, "\n".join(wrong)


def test_a_customer_never_reaches_another_customers_objects(full_world, make_client):
    """Every URL naming one of A's objects, visited by B: 404, and A's objects unchanged."""
    world = full_world
    from tests.security.conftest import snapshot

    client = make_client("b")
    before = snapshot(world["a"].customer)
    checked = 0
    for key, _route, url, row, _prefix in cases(world):
        if not any(str(spec).startswith("a.") for spec in row.kwargs.values()):
            continue
        if key.startswith(("admin:", "api:")):
            continue  # staff and token areas: a customer session is sent to the login or 401
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            checked += 1
            body = response.content.decode(errors="replace")
            assert response.status_code in (404, 405), (method, url, response.status_code)
            for secret in world["a"].secrets:
                assert secret not in body, (url, secret)
    assert snapshot(world["a"].customer) == before
    figures.count("cross-customer id-bearing checks", checked)
    assert checked >= 12


def test_every_admin_action_runs_only_for_the_declared_roles(full_world, make_client):
    """Each action of each model admin, posted by every visitor; only declared roles run it."""
    world = full_world
    clients = {actor: make_client(actor) for actor in ACTORS}
    wrong, checked = [], 0
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        offered = set()
        for user in world["staff"].values():
            request = RequestFactory().get("/")
            request.user = user
            if model_admin.has_view_or_change_permission(request):
                for location in ActionLocation:
                    offered |= set(model_admin.get_actions(request, action_location=location))
        undeclared = offered - set(ACTIONS.get(label, {}))
        if undeclared:
            wrong.append(f"{label}: undeclared actions {sorted(undeclared)}")
        obj = _object_for(label, world)
        if obj is None:
            continue
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        url = reverse(f"admin:{info}_changelist")
        for name, allowed in ACTIONS.get(label, {}).items():
            for actor, client in clients.items():
                with transaction.atomic():
                    before = AuditEntry.objects.filter(details__admin_action=name).count()
                    response = client.post(
                        url, {"action": name, ACTION_CHECKBOX_NAME: [obj.pk], "index": 0}
                    )
                    ran = AuditEntry.objects.filter(details__admin_action=name).count() > before
                    transaction.set_rollback(True)
                checked += 1
                expected_status = {"anon": 302, "a": 302, "b": 302, "norole": 403}.get(actor)
                if ran != (actor in allowed) or response.status_code >= 500:
                    wrong.append(f"{label}.{name} {actor}: ran={ran}, {response.status_code}")
                elif expected_status and response.status_code != expected_status:
                    wrong.append(f"{label}.{name} {actor}: {response.status_code}")
    figures.count("admin actions checked", sum(len(a) for a in ACTIONS.values()))
    figures.count("admin action x actor posts", checked)
    assert not wrong, "\n".join(wrong)


# The API: token authentication and scopes, for every route and method the router serves.

API_SCOPES = {
    "api:customer-list": "customers",
    "api:customer-detail": "customers",
    "api:order-list": "orders",
    "api:order-detail": "orders",
    "api:shipment-list": "orders",
    "api:shipment-detail": "orders",
    "api:shipment-events": "orders",
    "api:consent-list": "marketing",
    "api:ban-list": "marketing",
    "api:ban-lift": "marketing",
    "api:disclosure-list": "orders",
    "api:disclosure-recipients": "orders",
}


def _api_routes(world):
    for key, route, pattern in every_pattern():
        if not key.startswith("api:") or key in ("api:schema", "api:docs"):
            continue
        assert key in API_SCOPES, f"new API route not declared: {key}"
        actions = getattr(pattern.callback, "actions", {})
        url = _url(key, route, ACCESS[key], world, "")
        for method in list(actions):  # DRF adds "head" to it on the first request
            yield key, url, method


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


# The register admin's real username and password (tests.security.conftest.build_world).
STAFF_BASIC = _basic("turva-admin", "salasana-testi-123")


def test_the_api_refuses_a_missing_wrong_revoked_or_unscoped_token(full_world, settings):
    from rest_framework.test import APIClient

    settings.API_CLIENT_THROTTLE_RATE = "10000/min"
    world = full_world
    _token, good = create_api_token(name="Kaikki", scopes=list(ApiToken.Scope.values))
    revoked, revoked_secret = create_api_token(name="Peruttu", scopes=list(ApiToken.Scope.values))
    revoked.revoked_at = revoked.created_at
    revoked.save()
    wrong, checked = [], 0
    for key, url, method in _api_routes(world):
        resource = API_SCOPES[key]
        needed = f"{resource}:{'read' if method in ('get', 'head', 'options') else 'write'}"
        other_scopes = [s for s in ApiToken.Scope.values if s != needed]
        _t, unscoped = create_api_token(name=f"Ilman {needed}", scopes=other_scopes)
        attempts = {
            "no token": (None, 401),
            "wrong token": ("x" * 43, 401),
            "revoked token": (revoked_secret, 401),
            "token without the scope": (unscoped, 403),
            "a staff password": (STAFF_BASIC, 401),
        }
        for what, (secret, status) in attempts.items():
            client = APIClient()
            if secret and secret.startswith("Basic "):
                client.credentials(HTTP_AUTHORIZATION=secret)
            elif secret:
                client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
            response = getattr(client, method)(url, {}, format="json")
            checked += 1
            if response.status_code != status:
                wrong.append(f"{method.upper()} {url} with {what}: {response.status_code}")
            for secret_value in world["a"].secrets + world["b"].secrets:
                assert secret_value not in response.content.decode()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {good}")
        response = getattr(client, method)(url, {}, format="json")
        checked += 1
        if response.status_code in (401, 403):
            wrong.append(f"{method.upper()} {url} with a scoped token: {response.status_code}")
    figures.count("api route x method x credential checks", checked)
    assert not wrong, "\n".join(wrong)


def test_the_public_schema_is_no_password_oracle(full_world):
    """Basic authentication with a staff password is not accepted anywhere in the API."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=STAFF_BASIC)
    with_right = client.get(reverse("api:schema"))
    client.credentials(HTTP_AUTHORIZATION=_basic("turva-admin", "väärä-salasana"))
    with_wrong = client.get(reverse("api:schema"))
    assert with_right.status_code == with_wrong.status_code == 200
