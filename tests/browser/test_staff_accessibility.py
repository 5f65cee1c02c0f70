"""axe-core finds no violation on any staff page a role may open, at 1280 px and at 1024 px.

The pages are the access matrix's (tests/security/test_access_matrix.py): every URL pattern of
the staff panel whose answer for the role is a page (200), its parameters filled with real rows,
so every change page shows a real object. To those the walk adds the case page's steps in the
states where they show something (an erasure being prepared and confirmed, a restriction's
decision and its lifting), a finished erasure, the person lookup with an answer and the request
queue with every case. Each staff role logs in once, with its password and TOTP code, as staff do.

At 1024 px (a laptop) no page scrolls sideways, and at both widths nothing is cut off: no
element that clips or scrolls its content (the admin's result tables scroll inside their own
box) holds content wider than itself.

STAFF_PAGES_DIR=<folder> saves every page walked at both widths there, to look at;
SCREENSHOT_DIR=docs/screenshots retakes the dashboards docs/staff.md shows (1280 px).
"""

import os
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import DESKTOP, accessibility_violations
from tests.security.conftest import ACTORS, build_world
from tests.security.test_access_matrix import OK, _model_answer, _value, cases

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1024, "height": 768}
ROLE_NAMES = {"admin": "paakayttaja", "cs": "asiakaspalvelu", "mk": "markkinointi"}
PASSWORD = "salasana-testi-123"  # build_world's staff password

# Staff URLs the matrix answers 200 that are files, not pages (CSV, JSON, PDF, JavaScript).
NOT_PAGES = {
    "admin:jsi18n",
    "admin:audience_export",
    "admin:audience_use_export",
    "admin:publication_list_export",
    "admin:rights_accesspackage_download",
    "admin:rights_datasubjectrequest_letter",
    "admin:statement_preview_pdf",
    "admin:statement_processing_record_pdf",
}

# Every element that clips or scrolls its content and holds more than it shows; form fields
# scroll their own text and a visually hidden text is clipped on purpose.
CUT_OFF = """() => {
  const cut = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.matches('input, textarea, select') || el.clientWidth <= 1) continue;
    const style = getComputedStyle(el);
    if (style.clip !== 'auto' || style.clipPath !== 'none') continue;
    if (!['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string'
          ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      cut.push(`${name} ${el.scrollWidth}px in ${el.clientWidth}px`);
    }
  }
  return cut;
}"""


def complete_world() -> dict:
    """Build the matrix's world plus a row of every model and cases at every step."""
    from axes.models import AccessAttempt

    from customers.marketing import keyed_hash
    from customers.models import BanRegisterImport, SuppressionEntry
    from customers.services import disclose_to_carrier
    from integrations.models import ImportJob
    from integrations.services import create_api_token, log_api_call
    from rights import cases as case_services
    from rights.authority import receive_authority_request
    from rights.corrections import propose_correction
    from rights.models import DataSubjectRequest
    from tests.factories import CustomerFactory

    world = build_world()
    a, b = world["a"], world["b"]
    Kind, Channel = DataSubjectRequest.Kind, DataSubjectRequest.Channel
    checked = DataSubjectRequest.Verification.ID_DOCUMENT

    def verified(kind: str, customer):
        case = case_services.receive_request(
            kind=kind, channel=Channel.EMAIL, customer=customer, requester_name=str(customer)
        )
        case_services.verify_identity(case=case, method=checked)
        return case

    # An erasure being prepared: its plan and its confirmation show.
    preparing = verified(Kind.ERASURE, CustomerFactory(first_name="Eino", last_name="Eskola"))
    case_services.start_request(case=preparing)
    # A correction with a proposed change.
    correction = verified(Kind.CORRECTION, a.customer)
    propose_correction(case=correction, field_name="last_name", new_value="Aalto-Nen")
    # A carried-out erasure (its ledger row, its decision) and B's restriction, in force.
    erased = verified(Kind.ERASURE, CustomerFactory(first_name="Unto", last_name="Uotila"))
    case_services.fulfil_request(case=erased, send_letter=False)
    case_services.fulfil_request(case=b.request, send_letter=False)

    disclose_to_carrier(shipment=a.shipment)
    receive_authority_request(
        customer=a.customer,
        authority="Helsingin poliisilaitos",
        legal_basis="Poliisilaki 4 luku 3 §",
        requested="Asiakkaan yhteystiedot",
    )
    if not SuppressionEntry.objects.exists():
        SuppressionEntry.objects.create(
            kind=SuppressionEntry.Kind.EMAIL, value_hash=keyed_hash("email", "pois@example.fi")
        )
    BanRegisterImport.objects.create(
        service="phone", list_date="2026-01-01", file_name="kieltorekisteri.csv"
    )
    token, _secret = create_api_token(name="Verkkokauppa", scopes=["customers:read"])
    log_api_call(
        token=token, method="GET", path="/api/v1/customers/", status_code=200, customer_id=None
    )
    ImportJob.objects.create(file_name="asiakkaat.csv", data=b"number,email\n")
    AccessAttempt.objects.create(
        username="tuntematon",
        ip_address="10.0.0.1",
        user_agent="Mozilla/5.0",
        path_info="/hallinta/login/",
        failures_since_start=1,
    )
    world["steps"] = {
        "preparing": preparing,
        "correction": correction,
        "erased": erased,
        "restricted": b.request,
    }
    return world


def pages_for(actor: str, world) -> list[str]:
    """Return every staff page the access matrix lets the role open, and the extra states."""
    column = ACTORS.index(actor)
    urls = []
    for key, _route, url, row, _prefix in cases(world, languages=("",)):
        if not key.startswith("admin:") or key in NOT_PAGES:
            continue
        answer = row.get[column]
        if isinstance(answer, str) and answer.startswith("model:"):
            object_id = _value(row.kwargs.get("object_id", 0), world)
            answer = _model_answer(answer, actor, world, object_id)
        if answer == OK:
            urls.append(url)
    if actor in ("admin", "cs"):
        steps = world["steps"]
        for case, page in (
            (steps["preparing"], "case"),
            (steps["preparing"], "case_prepare"),
            (steps["preparing"], "case_confirm"),
            (steps["correction"], "case"),
            (steps["correction"], "change"),
            (steps["erased"], "case"),
            (steps["erased"], "case_decision"),
            (steps["restricted"], "case"),
            (steps["restricted"], "case_decision"),
            (steps["restricted"], "case_lift"),
        ):
            urls.append(reverse(f"admin:rights_datasubjectrequest_{page}", args=[case.pk]))
        urls.append(reverse("admin:rights_datasubjectrequest_changelist") + "?auki=kaikki")
    urls.append(reverse("admin:person_lookup") + f"?contact={world['a'].customer.email}")
    return urls


def staff_login(page, user) -> None:
    device = TOTPDevice.objects.create(user=user, name="puhelin", confirmed=True)
    page.goto("/hallinta/")
    page.get_by_label("Käyttäjätunnus").fill(user.username)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_label("Kertakäyttökoodi").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name=re.compile("Kirjaudu")).click()
    page.get_by_role("button", name="Kirjaudu ulos").wait_for()


def _check(page, url: str, width: int) -> list[str]:
    found = [
        f"{url} at {width} px: {v['id']} ({v['help']}) on "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:4])
        for v in accessibility_violations(page)
    ]
    found += [f"{url} at {width} px: cut off: {what}" for what in page.evaluate(CUT_OFF)]
    if width == LAPTOP["width"]:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            found.append(f"{url} at {width} px: the page is {overflow} px too wide")
    return found


@pytest.mark.parametrize("actor", ["admin", "cs", "mk"])
def test_every_staff_page_a_role_opens_is_accessible_at_1280_and_1024_px(
    actor, new_page, tmp_path, settings
):
    settings.ERASURE_LEDGER_FILE = tmp_path / "erasure-ledger.jsonl"
    cache.clear()
    world = complete_world()
    page = new_page(locale="fi-FI", viewport=DESKTOP)
    staff_login(page, world["staff"][actor])
    found, walked = [], pages_for(actor, world)
    shots = os.environ.get("STAFF_PAGES_DIR")
    for n, url in enumerate(walked):
        page.set_viewport_size(DESKTOP)
        response = page.goto(url)
        if shots:
            page.screenshot(path=f"{shots}/{actor}-{n:03d}-1280.png", full_page=True)
        if url == "/hallinta/" and os.environ.get("SCREENSHOT_DIR"):
            path = f"{os.environ['SCREENSHOT_DIR']}/staff-dashboard-{ROLE_NAMES[actor]}.png"
            page.screenshot(path=path, full_page=True)
        assert response.status == 200, (url, response.status)
        assert response.headers["content-type"].startswith("text/html"), url
        found += _check(page, url, DESKTOP["width"])
        page.set_viewport_size(LAPTOP)
        found += _check(page, url, LAPTOP["width"])
        if shots:
            page.screenshot(path=f"{shots}/{actor}-{n:03d}-1024.png", full_page=True)
    print(f"\n{actor}: {len(walked)} pages\n" + "\n".join(walked))
    assert len(walked) > 10
    assert not found, f"{len(found)} findings:\n" + "\n".join(found)
