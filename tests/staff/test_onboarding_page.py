"""The register admin's guided set-up page: upload, confirm sections, clear errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from statement.models import Controller, StatementDraft
from tests.statement.import_expectations import FIXTURES

pytestmark = pytest.mark.django_db

URL = "/hallinta/statement/statementdraft/kayttoonotto/"


@pytest.fixture
def admin_client(client, register_admin, otp_login):
    return otp_login(client, register_admin)


def _upload(client, name: str = "001_db8140427b108a6d.txt"):
    data = (FIXTURES / "seeds" / name).read_bytes()
    return client.post(
        URL, {"section": "upload", "file": SimpleUploadedFile(name, data)}, follow=True
    )


def test_the_url_is_the_named_one():
    assert reverse("admin:statement_onboarding") == URL


def test_customer_service_may_not_open_the_set_up(client, customer_service, otp_login):
    otp_login(client, customer_service)
    assert client.get(URL).status_code == 403


def test_uploading_a_seed_prefills_controller_recipients_and_lists_promises(admin_client):
    page = _upload(admin_client).content.decode()
    assert "Seloste 001_db8140427b108a6d.txt luettiin" in page
    assert 'value="Komiat Hetket Oy"' in page and 'value="2311066-7"' in page
    assert 'value="Heidi Saukko"' in page
    assert "Tapahtuma- ja käyttäjäanalyysitiedot" in page  # named but not held
    assert "Jätä pois" in page  # "Tarkastuspyyntö tulee lähettää kirjallisesti…"
    assert "Rekisteri pitää tämän" in page
    assert StatementDraft.current().imported_from == "001_db8140427b108a6d.txt"


def test_a_wrong_y_tunnus_is_refused_with_a_clear_error_and_nothing_saved(admin_client):
    _upload(admin_client)
    response = admin_client.post(
        URL,
        {"section": "controller", "controller-name": "Komiat Hetket Oy",
         "controller-business_id": "2311066-8"},
    )  # fmt: skip
    page = response.content.decode()
    assert "Y-tunnus ei ole oikein" in page
    assert "Tietoja ei tallennettu" in page
    assert not Controller.objects.exists()


def test_confirming_the_controller_saves_it(admin_client):
    _upload(admin_client)
    response = admin_client.post(
        URL,
        {"section": "controller", "controller-name": "Komiat Hetket Oy",
         "controller-business_id": "2311066-7", "controller-post_office": "Seinäjoki"},
        follow=True,
    )  # fmt: skip
    assert "Rekisterinpitäjän tiedot tallennettiin." in response.content.decode()
    assert Controller.objects.get().business_id == "2311066-7"


def test_a_file_that_is_not_a_statement_is_refused_on_the_page(admin_client):
    response = admin_client.post(
        URL, {"section": "upload", "file": SimpleUploadedFile("x.txt", b"")}
    )
    assert "tyhjä" in response.content.decode()
