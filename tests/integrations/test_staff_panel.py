import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from customers.models import Customer
from integrations.models import ApiToken, ImportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, register_admin, otp_login):
    return otp_login(client, register_admin)


def test_register_admin_creates_a_token_whose_secret_is_shown_once(admin_client):
    response = admin_client.post(
        reverse("admin:integrations_apitoken_add"),
        {"name": "Verkkokauppa", "scopes": ["customers:read", "customers:write"]},
    )
    assert response.status_code == 200
    secret = re.search(r'id="api-token-secret">(rk_[^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.scopes == ["customers:read", "customers:write"]
    assert (
        secret
        not in admin_client.get(
            reverse("admin:integrations_apitoken_change", args=[token.pk])
        ).content.decode()
    )

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/customers/").status_code == 200


def test_register_admin_revokes_tokens(admin_client, api):
    response = admin_client.post(
        reverse("admin:integrations_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [api.token.pk]},
    )
    assert response.status_code == 302
    assert api.get("/api/v1/customers/").status_code == 401


def test_customer_service_cannot_manage_tokens(client, customer_service, otp_login):
    otp_login(client, customer_service)
    assert client.get(reverse("admin:integrations_apitoken_changelist")).status_code == 403
    assert client.get(reverse("admin:integrations_importjob_add")).status_code == 403


def test_uploaded_csv_is_imported_by_a_background_task(
    admin_client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "asiakkaat.csv", "sähköposti;etunimi\naino@example.fi;Äinö\n".encode("cp1252")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:integrations_importjob_add"), {"upload": upload}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:integrations_importjob_change", args=[job.pk])
    assert (job.status, job.created_count, job.data) == (ImportJob.Status.DONE, 1, None)
    assert Customer.objects.get().first_name == "Äinö"
    page = admin_client.get(response.url).content.decode()
    assert "1 / 1" in page
    assert "Tuonti on päättynyt." in page
    assert "import-progress.js" not in page and "data-refresh-seconds" not in page


def test_rejected_upload_shows_row_reasons(admin_client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.csv", b"email;etunimi\nei-osoite;Aino\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:integrations_importjob_add"), {"upload": upload}
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    assert job.report == [
        {
            "row": 2,
            "action": "reject",
            "reasons": ["sähköposti: Anna kelvollinen sähköpostiosoite."],
            "external_id": "",
        }
    ]
    assert "Anna kelvollinen sähköpostiosoite" in admin_client.get(response.url).content.decode()
    assert Customer.objects.count() == 0


def test_running_import_page_refreshes_its_fields_in_place(admin_client):
    # In place (static/js/import-progress.js), never by reloading the page under the reader.
    job = ImportJob.objects.create(file_name="a.csv", status=ImportJob.Status.CHECKING)
    page = admin_client.get(reverse("admin:integrations_importjob_change", args=[job.pk]))
    body = page.content.decode()
    assert 'data-refresh-seconds="2"' in body and "import-progress.js" in body
    assert 'http-equiv="refresh"' not in body


def test_staff_map_the_columns_of_an_unknown_file_and_save_the_mapping(
    admin_client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from customers.models import ConsentEvent
    from integrations.models import ImportMapping

    data = "Tunnus;Nimi;Posti;Lupa;Pisteet\nK-1;Aino;aino@example.fi;kyllä;7\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:integrations_importjob_add"),
            {
                "upload": SimpleUploadedFile("kassa.csv", data),
                "column_1": "Tunnus",
                "target_1": "external_id",
                "column_2": "Nimi",
                "target_2": "first_name",
                "column_3": "Posti",
                "target_3": "email",
                "column_4": "Lupa",
                "target_4": "consent:email",
                "save_as": "Kassajärjestelmä",
            },
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert Customer.objects.get(external_id="K-1").first_name == "Aino"
    assert ConsentEvent.objects.get().evidence.startswith("Tiedosto kassa.csv ")
    page = admin_client.get(response.url).content.decode()
    assert "Tuntemattomat sarakkeet (ei tuotu): Pisteet" in page
    saved = ImportMapping.objects.get(name="Kassajärjestelmä")
    assert saved.columns == {
        "Tunnus": "external_id",
        "Nimi": "first_name",
        "Posti": "email",
        "Lupa": "consent:email",
    }

    # The next file alike, through the saved mapping: the same rows change nothing.
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:integrations_importjob_add"),
            {"upload": SimpleUploadedFile("kassa2.csv", data), "saved_mapping": saved.pk},
        )
    second = ImportJob.objects.latest("id")
    assert (second.status, second.unchanged_count) == (ImportJob.Status.DONE, 1)


def test_a_mapping_needs_both_the_column_and_the_field(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_client.post(
        reverse("admin:integrations_importjob_add"),
        {"upload": SimpleUploadedFile("a.csv", b"x;y\n1;2\n"), "column_1": "x"},
    )
    assert response.status_code == 200
    assert "Valitse sekä sarake että rekisterin tieto" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_recognised_shop_export_names_its_platform_on_the_job_page(
    admin_client, django_capture_on_commit_callbacks
):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (
        Path(__file__).parent.parent / "fixtures/platforms/woocommerce_customers.csv"
    ).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:integrations_importjob_add"),
            {"upload": SimpleUploadedFile("customers.csv", data)},
        )
    page = admin_client.get(response.url).content.decode()
    assert "WooCommerce-asiakasvienti" in page
    assert "<tr><td>date_created</td><td>asiakkuuden alku</td></tr>" in page
    assert "Tunnetut sarakkeet, joille rekisterissä ei ole paikkaa" not in page
