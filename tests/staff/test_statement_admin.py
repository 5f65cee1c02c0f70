"""The staff panel: editing the draft, publishing, uploading an old statement, Art. 30 record."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from demo.shop import ensure_demo_controller, ensure_demo_statement
from statement.models import (
    Controller,
    StatementDraft,
    StatementPart,
    StatementRecipient,
    StatementVersion,
)
from tests.factories import ConsentEventFactory, CustomerFactory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seeds" / "002_db6dfb59f197885c.txt"
DRAFT_URL = "/hallinta/statement/statementdraft/"


@pytest.fixture
def admin_client(client, register_admin, otp_login):
    return otp_login(client, register_admin)


def _form_data(client, url: str) -> dict[str, str]:
    """Return what a change page's form would post back unchanged (with its inlines' counts)."""
    context = client.get(url).context
    form = context["adminform"].form
    # A list (ticked checkboxes) is posted as it is: an empty one is nothing ticked.
    data = {
        name: value if isinstance(value := form[name].value(), list) else value or ""
        for name in form.fields
    }
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
    return data


def test_the_draft_page_lists_what_is_missing(admin_client):
    ensure_demo_controller()
    draft = StatementDraft.current()
    response = admin_client.get(f"{DRAFT_URL}{draft.pk}/change/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Evästeet: teksti puuttuu." in body
    assert "Esikatsele ja julkaise" in body


def test_editing_a_text_stores_it_in_its_language(admin_client):
    ensure_demo_statement()
    draft = StatementDraft.current()
    data = _form_data(admin_client, f"{DRAFT_URL}{draft.pk}/change/")
    data.update(
        {
            "text_cookies_sv": "Vi använder bara nödvändiga kakor.",
            "recipients-TOTAL_FORMS": "0",
            "recipients-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(f"{DRAFT_URL}{draft.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.text(StatementPart.COOKIES, "sv") == "Vi använder bara nödvändiga kakor."
    assert draft.text(StatementPart.COOKIES, "fi")  # untouched languages keep their text


def test_a_translation_outdated_by_a_finnish_edit_is_shown_and_confirmed_in_the_panel(
    admin_client,
):
    ensure_demo_statement()
    draft = StatementDraft.current()
    url = f"{DRAFT_URL}{draft.pk}/change/"
    data = _form_data(admin_client, url)
    data["text_cookies_fi"] = "Emme käytä evästeitä lainkaan."
    data["text_security_manual_fi"] = "Paperit ovat lukitussa kaapissa."
    data["text_security_manual_sv"] = "Papper förvaras i ett låst skåp."
    assert _post(admin_client, url, data).status_code == 302

    page = admin_client.get(url).content.decode()
    assert "Evästeet: ruotsinkielinen teksti on kirjoitettu aiemmalle suomenkieliselle" in page
    assert "Kirjoitettu aiemmalle suomenkieliselle tekstille" in page  # under the textareas
    assert 'name="translations_checked_cookies"' in page
    draft.refresh_from_db()
    assert draft.translation_outdated(StatementPart.SECURITY_MANUAL, "en")
    assert not draft.translation_outdated(StatementPart.SECURITY_MANUAL, "sv")  # rewritten too
    assert 'name="translations_checked_data_subjects"' not in page  # nothing changed there

    data = _form_data(admin_client, url)
    data["translations_checked_cookies"] = "on"
    assert _post(admin_client, url, data).status_code == 302
    page = admin_client.get(url).content.decode()
    assert "Evästeet: ruotsinkielinen teksti on kirjoitettu" not in page
    assert 'name="translations_checked_cookies"' not in page
    assert "Suojaus: manuaalinen aineisto: englanninkielinen teksti on kirjoitettu" in page


def _post(client, url: str, data: dict):
    """Post the draft's form back; the demo's recipients are left out (none changed)."""
    return client.post(
        url, {**data, "recipients-TOTAL_FORMS": "0", "recipients-INITIAL_FORMS": "0"}
    )


def _preview(client, draft, language: str = "fi"):
    return client.get(f"{DRAFT_URL}{draft.pk}/esikatselu/?kieli={language}")


def _publish(client, draft, **extra):
    """Post the preview's confirmation form as the staff member would, ticked."""
    digest = _preview(client, draft).context["confirm_form"]["digest"].value()
    return client.post(
        f"{DRAFT_URL}{draft.pk}/julkaise/", {"digest": digest, "confirm": "on", **extra}
    )


def _change_cookies(draft, text: str = "Emme käytä evästeitä lainkaan.") -> None:
    draft.set_text(StatementPart.COOKIES, "fi", text)
    draft.confirm_translations(StatementPart.COOKIES)  # still say the same
    draft.save()


def test_publishing_from_the_panel_refuses_an_incomplete_draft(admin_client):
    ensure_demo_controller()
    draft = StatementDraft.current()
    preview = _preview(admin_client, draft).content.decode()
    assert "Selostetta ei voi vielä julkaista" in preview
    assert "Evästeet: teksti puuttuu." in preview
    assert "Julkaise versio 1" not in preview
    response = admin_client.post(
        f"{DRAFT_URL}{draft.pk}/julkaise/", {"digest": "x" * 64, "confirm": "on"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "Evästeet: teksti puuttuu." in messages
    assert not StatementVersion.objects.exists()


def test_the_preview_marks_the_changed_words_against_the_published_version(admin_client):
    ensure_demo_statement()
    draft = StatementDraft.current()
    before = draft.text(StatementPart.COOKIES, "fi")
    assert "välttämättömiä evästeitä" in before
    _change_cookies(draft, before.replace("välttämättömiä", "analytiikka-"))
    response = _preview(admin_client, draft)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Muutokset versioon 1 verrattuna" in body
    assert '<del><span class="visually-hidden">poistettu: </span>välttämättömiä' in body
    assert '<ins><span class="visually-hidden">lisätty: </span>analytiikka-' in body
    # The preview shows the new version itself, and links to its PDF and public page.
    assert "analytiikka- evästeitä" in body
    assert f"{DRAFT_URL}{draft.pk}/esikatselu/fi/pdf/" in body
    assert "Julkaise versio 2" in body
    pdf = admin_client.get(f"{DRAFT_URL}{draft.pk}/esikatselu/fi/pdf/")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "analytiikka- evästeitä" in text
    page = admin_client.get(f"{DRAFT_URL}{draft.pk}/esikatselu/sv/").content.decode()
    assert '<html lang="sv">' in page and "Dataskyddsbeskrivning" in page
    assert not StatementVersion.objects.filter(number=2).exists()


def test_an_unchanged_draft_is_refused_with_the_version_it_matches(admin_client):
    ensure_demo_statement()
    draft = StatementDraft.current()
    preview = _preview(admin_client, draft).content.decode()
    assert "Mikään ei ole muuttunut version 1 jälkeen" in preview
    assert "Julkaise versio 2" not in preview
    response = admin_client.post(
        f"{DRAFT_URL}{draft.pk}/julkaise/",
        {"digest": _preview(admin_client, draft).context["preview"].inputs_digest, "confirm": "on"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("Mikään ei ole muuttunut version 1 jälkeen" in m for m in messages), messages
    assert StatementVersion.objects.count() == 1


def test_publishing_needs_the_confirmation_in_the_preview(admin_client):
    ensure_demo_statement()
    draft = StatementDraft.current()
    _change_cookies(draft)
    digest = _preview(admin_client, draft).context["confirm_form"]["digest"].value()
    response = admin_client.post(f"{DRAFT_URL}{draft.pk}/julkaise/", {"digest": digest})
    assert response.status_code == 302
    assert response["Location"].endswith(f"{DRAFT_URL}{draft.pk}/esikatselu/")
    assert StatementVersion.objects.count() == 1
    assert admin_client.get(f"{DRAFT_URL}{draft.pk}/julkaise/").status_code == 405


def test_a_draft_changed_after_its_preview_is_not_published(admin_client):
    ensure_demo_statement()
    draft = StatementDraft.current()
    _change_cookies(draft)
    digest = _preview(admin_client, draft).context["confirm_form"]["digest"].value()
    _change_cookies(draft, "Käytämme evästeitä.")
    response = admin_client.post(
        f"{DRAFT_URL}{draft.pk}/julkaise/", {"digest": digest, "confirm": "on"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("muuttunut esikatselun jälkeen" in m for m in messages), messages
    assert StatementVersion.objects.count() == 1


def test_publishing_from_the_preview_creates_the_next_version(admin_client, register_admin):
    ensure_demo_statement()
    draft = StatementDraft.current()
    _change_cookies(draft)
    response = _publish(admin_client, draft)
    version = StatementVersion.latest()
    assert version.number == 2
    assert version.published_by == register_admin
    assert "Emme käytä evästeitä lainkaan." in version.html("fi")
    page = admin_client.get(response["Location"])
    body = page.content.decode()
    message = next(str(m) for m in page.context["messages"])
    assert "Julkaistiin tietosuojaselosteen versio 2." in message
    assert '<a href="/tietosuojaseloste/versiot/2/">Avaa julkaistu seloste</a>' in message
    # The version's page: its public page, its PDFs and the consents given under it.
    assert 'href="/tietosuojaseloste/versiot/2/pdf/"' in body
    assert 'href="/sv/tietosuojaseloste/versiot/2/pdf/"' in body
    assert "Tämän version aikana ei ole annettu suostumuksia." in body


def test_a_versions_page_counts_the_consents_given_under_it(admin_client):
    version = ensure_demo_statement()
    customer = CustomerFactory()
    ConsentEventFactory.create_batch(3, customer=customer, statement_version=version)
    body = admin_client.get(
        f"/hallinta/statement/statementversion/{version.pk}/change/"
    ).content.decode()
    assert "3 suostumustapahtumaa" in body
    link = f"/hallinta/customers/consentevent/?statement_version__id__exact={version.pk}"
    assert link in body
    listed = admin_client.get(link)
    assert listed.status_code == 200
    assert len(listed.context["cl"].result_list) == 3


def test_customer_service_cannot_publish(client, customer_service, otp_login):
    ensure_demo_statement()
    otp_login(client, customer_service)
    draft = StatementDraft.current()
    response = client.post(f"{DRAFT_URL}{draft.pk}/julkaise/")
    assert response.status_code == 403
    assert StatementVersion.objects.count() == 1


def test_uploading_an_old_statement_fills_the_finnish_draft(admin_client):
    upload = SimpleUploadedFile("vanha.txt", SEED.read_bytes(), content_type="text/plain")
    response = admin_client.post(f"{DRAFT_URL}tuo/", {"file": upload})
    assert response.status_code == 302
    draft = StatementDraft.current()
    assert draft.imported_from == "vanha.txt"
    assert draft.text(StatementPart.SECURITY_ELECTRONIC, "fi")
    assert "missing" in draft.imported


def test_uploading_a_binary_shows_the_reason_and_stores_nothing(admin_client):
    upload = SimpleUploadedFile(
        "kuva.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00", content_type="image/png"
    )
    response = admin_client.post(f"{DRAFT_URL}tuo/", {"file": upload})
    assert response.status_code == 200
    assert "binääritiedosto" in response.content.decode()
    assert not StatementDraft.objects.exists()


def test_the_processing_record_is_generated_for_the_register_admin(admin_client):
    ensure_demo_statement()
    response = admin_client.get(f"{DRAFT_URL}kasittelytoimet/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Seloste käsittelytoimista" in body
    assert "Poistamisen määräajat (30 artiklan 1 kohdan f alakohta)" in body
    assert "kirjanpitolaki 1336/1997, 2 luvun 10 §" in body
    pdf = admin_client.get(f"{DRAFT_URL}kasittelytoimet/pdf/")
    assert pdf.status_code == 200
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Vastaanottajien ryhmät, myös kolmansissa maissa (30 artiklan 1 kohdan d" in text
    assert "Esimerkkikauppa Oy" in text


def test_the_processing_record_is_not_for_customer_service(client, customer_service, otp_login):
    otp_login(client, customer_service)
    assert client.get(f"{DRAFT_URL}kasittelytoimet/").status_code == 403
    assert client.get(f"{DRAFT_URL}kasittelytoimet/pdf/").status_code == 403


def test_published_versions_are_read_only_in_the_panel(admin_client):
    version = ensure_demo_statement()
    response = admin_client.get(f"/hallinta/statement/statementversion/{version.pk}/change/")
    assert response.status_code == 200
    assert 'name="content_hash"' not in response.content.decode()


@pytest.mark.parametrize("role", ["customer_service", "marketing"])
def test_only_the_register_admin_edits_the_statement_content(client, otp_login, request, role):
    ensure_demo_statement()
    otp_login(client, request.getfixturevalue(role))
    draft = StatementDraft.current()
    controller = Controller.current()
    for url in (
        f"{DRAFT_URL}{draft.pk}/change/",
        f"{DRAFT_URL}tuo/",
        f"/hallinta/statement/controller/{controller.pk}/change/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(f"/hallinta/statement/controller/{controller.pk}/change/", {"name": "X"})
    assert response.status_code == 403
    assert Controller.current().name == "Esimerkkikauppa Oy"


def test_the_register_admin_edits_the_controller_and_the_next_version_shows_it(admin_client):
    controller = ensure_demo_statement() and Controller.current()
    data = _form_data(admin_client, f"/hallinta/statement/controller/{controller.pk}/change/")
    data["register_name_sv"] = "Esimerkkikauppa Ab:s kundregister"
    response = admin_client.post(f"/hallinta/statement/controller/{controller.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = StatementDraft.current()
    _publish(admin_client, draft)
    assert "Esimerkkikauppa Ab:s kundregister" in StatementVersion.latest().rendered_html["sv"]


def test_a_third_country_recipient_without_a_safeguard_is_refused_in_the_panel(admin_client):
    ensure_demo_statement()
    draft = StatementDraft.current()
    data = _form_data(admin_client, f"{DRAFT_URL}{draft.pk}/change/")
    data.update(
        {
            "recipients-TOTAL_FORMS": "1",
            "recipients-INITIAL_FORMS": "0",
            "recipients-0-position": "9",
            "recipients-0-name_fi": "Pilvipalvelu",
            "recipients-0-role": "processor",
            "recipients-0-country": "IN",
            "recipients-0-safeguard": "",
        }
    )
    response = admin_client.post(f"{DRAFT_URL}{draft.pk}/change/", data)
    assert response.status_code == 200
    assert "Valitse siirron suojatoimi" in response.content.decode()
    assert not draft.recipients.filter(country="IN").exists()


def test_uploading_a_file_too_large_for_a_statement_is_refused(admin_client):
    upload = SimpleUploadedFile("iso.txt", b"Rekisterinpitaja\n" * 200_000, "text/plain")
    response = admin_client.post(f"{DRAFT_URL}tuo/", {"file": upload})
    assert response.status_code == 200
    assert "Tiedosto on liian suuri selosteeksi" in response.content.decode()
    assert not StatementDraft.objects.exists()


def test_the_draft_page_reads_the_carriers_once_however_many_recipients(admin_client):
    ensure_demo_statement()
    draft = StatementDraft.current()
    url = f"{DRAFT_URL}{draft.pk}/change/"
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for index in range(5):
        StatementRecipient.objects.create(
            draft=draft, name_fi=f"Vastaanottaja {index}", kind="other", country="FI"
        )
    with CaptureQueriesContext(connection) as many:
        page = admin_client.get(url).content.decode()
    assert page.count('name="recipients-') > 0
    assert len(many) == len(few)
    assert sum("customers_carrier" in q["sql"] for q in many.captured_queries) == 1
