"""Consent wordings are the shop's data: edited in the staff panel, shown and recorded exactly.

A consent must be demonstrable (GDPR 7(1)): the portal shows the stored words at each switch,
under its purpose's heading, in the page's language, and the consent event keeps exactly what
the customer read there (the heading and those words), whatever is edited later.
"""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from customers.models import ConsentEvent, ConsentWording
from demo.shop import ensure_demo_statement
from privacy.models import AuditEntry
from statement.models import StatementDraft
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

MARKETING = reverse("portal:marketing")
NEW_WORDING = "Haluan Kissakaupan tarjoukset sähköpostiini, enintään kaksi viestiä kuukaudessa."


@pytest.fixture
def staff(register_admin, otp_login) -> Client:
    return otp_login(Client(), register_admin)


def _wording(purpose: str = "direct_marketing", channel: str = "email") -> ConsentWording:
    return ConsentWording.objects.get(purpose=purpose, channel=channel)


def _edit(staff, wording: ConsentWording, **texts: str):
    form = {"text_fi": wording.text_fi, "text_sv": wording.text_sv, "text_en": wording.text_en}
    return staff.post(f"/hallinta/customers/consentwording/{wording.pk}/change/", {**form, **texts})


def _legends(body: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r"<legend>(.*?)</legend>", body, re.S)
    ]


def _digest(body: str) -> str:
    return re.search(r'name="wordings" value="(\w+)"', body).group(1)


def _shown_with(body: str, name: str) -> str:
    """Return the words a customer reads at a switch: its purpose's heading and its own legend."""
    group = next(g for g in body.split('<fieldset class="purpose">')[1:] if f'name="{name}"' in g)
    before = group[: group.index(f'name="{name}"')]
    legends = re.findall(r"<legend>(.*?)</legend>", before, re.S)
    heading, label = (" ".join(text.split()) for text in (legends[0], legends[-1]))
    return f"{heading} – {label}"


def test_each_consent_switch_starts_as_its_channel_under_the_purposes_heading():
    assert ConsentWording.objects.count() == 8
    email = _wording()
    assert (email.text_fi, email.text_sv, email.text_en) == ("Sähköposti", "E-post", "Email")
    assert _wording("research", "phone").text_fi == "Puhelin"


def test_the_marketing_page_names_each_purpose_once(portal_client):
    page = portal_client(CustomerFactory()).get(MARKETING).content.decode()
    legends = _legends(page)
    assert legends.count("Tarjoukset ja uutiskirjeet meiltä") == 1
    assert legends.count("Markkina- ja mielipidetutkimukset") == 1
    assert legends.count("Sähköposti") == 2 and legends.count("Puhelin") == 2
    assert not [legend for legend in legends if "(" in legend]


def test_the_old_defaults_are_shortened_and_a_shops_own_wording_is_kept():
    migration = import_module("customers.migrations.0016_consent_wordings_under_their_heading")
    ConsentWording.objects.filter(purpose="direct_marketing", channel="email").update(
        text_fi="Tarjoukset ja uutiskirjeet meiltä (sähköposti)",
        text_sv="Erbjudanden och nyhetsbrev från oss (e-post)",
        text_en="Offers and newsletters from us (email)",
    )
    # The shop rewrote only the Swedish: the wording is the shop's, in every language.
    ConsentWording.objects.filter(purpose="research", channel="phone").update(
        text_fi="Markkina- ja mielipidetutkimukset (puhelin)",
        text_sv="Vi ringer ibland och frågar vad du tycker.",
        text_en="Market and opinion research (telephone)",
    )
    ConsentWording.objects.filter(purpose="research", channel="sms").update(text_fi=NEW_WORDING)
    migration.shorten_defaults(apps, None)

    email = _wording()
    assert (email.text_fi, email.text_sv, email.text_en) == ("Sähköposti", "E-post", "Email")
    phone = _wording("research", "phone")
    assert (phone.text_fi, phone.text_sv) == (
        "Markkina- ja mielipidetutkimukset (puhelin)",
        "Vi ringer ibland och frågar vad du tycker.",
    )
    assert _wording("research", "sms").text_fi == NEW_WORDING

    migration.restore_defaults(apps, None)
    assert _wording().text_fi == "Tarjoukset ja uutiskirjeet meiltä (sähköposti)"
    assert _wording("research", "sms").text_fi == NEW_WORDING


def test_a_wording_edited_in_the_staff_panel_is_shown_and_recorded_exactly(staff, portal_client):
    ensure_demo_statement()
    wording = _wording()
    answer = _edit(staff, wording, text_fi=NEW_WORDING)
    assert answer.status_code == 302
    entry = AuditEntry.objects.get(object_label=f"customers.consentwording:{wording.pk}")
    assert entry.action == AuditEntry.Action.CHANGE

    customer = CustomerFactory()
    client = portal_client(customer)
    page = client.get(MARKETING).content.decode()
    assert NEW_WORDING in _legends(page)
    assert "Tekstiviesti" in _legends(page)
    shown = _shown_with(page, "marketing_email")
    assert shown == f"Tarjoukset ja uutiskirjeet meiltä – {NEW_WORDING}"

    saved = client.post(
        MARKETING, {"marketing_email": "yes", "wordings": _digest(page)}, follow=True
    )
    assert "Markkinointivalintasi on tallennettu." in saved.content.decode()
    granted = ConsentEvent.objects.get(customer=customer)
    assert (granted.purpose, granted.channel, granted.is_granted) == (
        "direct_marketing",
        "email",
        True,
    )
    # Exactly what the customer read: the heading and the shop's words under it.
    assert granted.wording == shown

    # A later edit changes what the page asks, never what a recorded consent says.
    _edit(staff, _wording(), text_fi="Uutiskirje sähköpostiin.")
    assert ConsentEvent.objects.get(pk=granted.pk).wording == shown
    page = client.get(MARKETING).content.decode()
    client.post(MARKETING, {"marketing_email": "no", "wordings": _digest(page)})
    withdrawn = ConsentEvent.objects.filter(customer=customer, is_granted=False).get()
    assert withdrawn.wording == _shown_with(page, "marketing_email")
    assert withdrawn.wording == "Tarjoukset ja uutiskirjeet meiltä – Uutiskirje sähköpostiin."


def test_a_default_wording_is_recorded_as_the_page_shows_it(portal_client):
    ensure_demo_statement()
    customer = CustomerFactory()
    client = portal_client(customer)
    page = client.get(MARKETING).content.decode()
    client.post(MARKETING, {"research_sms": "yes", "wordings": _digest(page)})
    consent = ConsentEvent.objects.get(customer=customer)
    assert (consent.purpose, consent.channel) == ("research", "sms")
    assert consent.wording == _shown_with(page, "research_sms")
    assert consent.wording == "Markkina- ja mielipidetutkimukset – Tekstiviesti"


def test_the_portal_shows_and_records_the_wording_in_the_pages_language(staff, portal_client):
    ensure_demo_statement()
    _edit(staff, _wording(), text_sv="Jag vill ha erbjudanden per e-post.")
    customer = CustomerFactory()
    client = portal_client(customer)
    page = client.get("/sv" + MARKETING).content.decode()
    assert "Jag vill ha erbjudanden per e-post." in _legends(page)
    client.post("/sv" + MARKETING, {"marketing_email": "yes", "wordings": _digest(page)})
    assert ConsentEvent.objects.get(customer=customer).wording == _shown_with(
        page, "marketing_email"
    )
    assert ConsentEvent.objects.get(customer=customer).wording == (
        "Erbjudanden och nyhetsbrev från oss – Jag vill ha erbjudanden per e-post."
    )


def test_a_wording_edited_while_the_page_was_open_records_nothing_and_shows_the_new_words(
    staff, portal_client
):
    ensure_demo_statement()
    customer = CustomerFactory()
    client = portal_client(customer)
    shown = _digest(client.get(MARKETING).content.decode())
    _edit(staff, _wording(), text_fi=NEW_WORDING)
    answer = client.post(MARKETING, {"marketing_email": "yes", "wordings": shown})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert "Suostumusten sanamuotoja muutettiin sillä välin" in body
    assert NEW_WORDING in _legends(body)
    assert not ConsentEvent.objects.filter(customer=customer).exists()


def test_swedish_and_english_are_required_only_where_the_statement_serves_them(staff):
    wording = _wording()
    draft = StatementDraft.current()
    draft.serves_swedish = True
    draft.serves_english = False
    draft.save()
    refused = _edit(staff, wording, text_sv="", text_en="")
    assert refused.status_code == 200
    assert "Kirjoita sanamuoto myös ruotsiksi" in refused.content.decode()
    assert "Kirjoita sanamuoto myös englanniksi" not in refused.content.decode()
    assert _wording().text_sv == "E-post"

    draft.serves_swedish = False
    draft.save()
    assert _edit(staff, wording, text_sv="", text_en="").status_code == 302
    assert (_wording().text_sv, _wording().text_en) == ("", "")


def test_a_wording_is_never_added_or_removed_and_customer_service_cannot_edit_it(
    staff, customer_service, otp_login
):
    wording = _wording()
    assert staff.get("/hallinta/customers/consentwording/add/").status_code == 403
    assert staff.get(f"/hallinta/customers/consentwording/{wording.pk}/delete/").status_code == 403
    service = otp_login(Client(), customer_service)
    assert (
        service.get(f"/hallinta/customers/consentwording/{wording.pk}/change/").status_code == 403
    )
