import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from customers.models import Customer
from portal.auth import SESSION_KEY
from privacy import declaration
from privacy.models import AuditEntry
from rights.access import (
    build_access_files,
    create_access_package,
    exported_tables,
    prune_access_packages,
    record_package_download,
)
from rights.erasure import erase_customer
from rights.models import AccessPackage, AccessPackageDownload
from statement.models import StatementDraft, StatementPart, StatementRecipient
from tests.factories import CustomerFactory, OrderFactory
from tests.rights.conftest import ERASED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]

# make_full_customer() creates a row in every model of these apps that belongs to a customer;
# other apps' models are proved field by field and by their rows when they have any.
FIXTURE_APPS = {"customers", "privacy"}


def models_reaching(target: type) -> list[type]:
    """Walk Django's model graph: every model with a chain of foreign keys to `target`."""
    found = {target}
    frontier = [target]
    while frontier:
        model = frontier.pop()
        for relation in model._meta.related_objects:
            related = relation.related_model
            if relation.concrete is False and related not in found:
                found.add(related)
                frontier.append(related)
    # Many-to-many and one-to-one links count too.
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if f.is_relation and f.concrete and f.related_model in found and model not in found:
                found.add(model)
    return sorted(found, key=lambda m: m._meta.label)


def _json_values(row: dict) -> dict:
    return json.loads(json.dumps(row, cls=DjangoJSONEncoder))


def test_the_export_holds_every_declared_field_of_every_model_that_reaches_a_customer(
    full_customer,
):
    document = json.loads(build_access_files(customer=full_customer)["tiedot.json"])
    tables = document["tables"]
    reaching = models_reaching(Customer)
    assert len(reaching) >= 10
    for model in reaching:
        decl = declaration.get_declaration(model)
        assert decl is not None, f"{model._meta.label} is not declared"
        if not decl.extra["linked"]:
            # Deliberately unlinked (the erasure ledger): never part of a person's export.
            assert not decl.exported
            continue
        table = tables[decl.label]
        assert list(table["fields"]) == decl.exported_fields()
        expected = decl.rows_for(full_customer)
        if model._meta.app_label in FIXTURE_APPS:
            assert expected.exists(), f"Add a {decl.label} row to make_full_customer()"
        assert len(table["rows"]) == expected.count()
        database_rows = {
            row["id"]: _json_values(row) for row in expected.values("id", *decl.exported_fields())
        }
        for row in table["rows"]:
            for name in decl.exported_fields():
                assert row[name] == database_rows[row["id"]][name], f"{decl.label}.{name}"


def test_every_declared_personal_field_is_exported_unless_declared_otherwise(full_customer):
    tables = exported_tables(full_customer)
    for decl in declaration.linked_declarations():
        for name, field in decl.fields.items():
            assert (name in tables[decl.label]["fields"]) == field.exported, (decl.label, name)


def test_the_archive_holds_the_json_a_readme_and_a_csv_per_table(full_customer):
    files = build_access_files(customer=full_customer)
    with zipfile.ZipFile(io.BytesIO(files["tiedot.zip"])) as archive:
        names = set(archive.namelist())
        assert {"tiedot.json", "LUEMINUT.txt", "tilaukset.csv", "tilausrivit.csv"} <= names
        text = archive.read("asiakastiedot.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[0]["Sähköpostiosoite"] == ERASED["email"]
    assert rows[0]["Sukunimi"] == ERASED["last_name"]


def test_the_pdf_answers_article_15_in_the_customers_language(full_customer):
    reader = PdfReader(io.BytesIO(build_access_files(customer=full_customer)["tiedot.pdf"]))
    text = " ".join(page.extract_text() for page in reader.pages)
    for phrase in (
        ERASED["email"],
        "Mihin tietojasi käytetään",
        "Asiakassuhteen hoitaminen",
        "Perintä Oy",
        "Kuinka kauan tietojasi säilytetään",
        "kirjanpitolaki",
        "Mistä tietosi on saatu",
        "Automaattinen päätöksenteko",
        "Tietosuojavaltuutetun toimisto",
    ):
        assert phrase in text, phrase
    assert reader.metadata.title == "Henkilötietosi rekisterissämme"


def _pdf_text(content: bytes) -> str:
    """Return the PDF's text, with the words hyphenation broke across lines (U+2010) joined."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\u2010\n", "")


def test_the_pdf_lists_every_row_and_names_its_csv_file():
    customer = CustomerFactory()
    for day in range(14):
        OrderFactory(
            customer=customer,
            number=f"UUSI{day:02d}",
            ordered_at=timezone.now() - dt.timedelta(days=30 - day),
        )
    text = _pdf_text(build_access_files(customer=customer)["tiedot.pdf"])
    assert "Tilaukset (14)" in text
    assert all(f"UUSI{day:02d}" in text for day in range(14))
    assert "CSV-tiedosto: tilaukset.csv" in text
    assert customer.email in text


def test_the_pdf_answers_from_the_statement_in_swedish():
    draft = StatementDraft.current()
    draft.set_text(
        StatementPart.AUTOMATED_DECISIONS, "sv", "Vi fattar inga automatiserade beslut om dig."
    )
    draft.save()
    StatementRecipient.objects.create(
        draft=draft,
        name_fi="Pilvipalvelu",
        name_sv="Molntjänsten",
        country="US",
        safeguard=StatementRecipient.Safeguard.SCC,
    )
    customer = CustomerFactory(preferred_language="sv")
    files = build_access_files(customer=customer)
    text = _pdf_text(files["tiedot.pdf"])
    for phrase in (
        "Vi fattar inga automatiserade beslut om dig.",
        "Molntjänsten",
        "dataskyddsbestämmelser",
        "Dataombudsmannens byrå",
    ):
        assert phrase in text, phrase
    labels = json.loads(files["tiedot.json"])["tables"]["customers.Customer"]["fields"]
    assert labels["email"] == "e-postadress"


def test_a_package_is_stored_for_seven_days_and_downloads_are_logged(full_customer, settings):
    package = create_access_package(customer=full_customer)
    assert package.expires_at - package.created_at == pytest.approx(
        dt.timedelta(days=7), abs=dt.timedelta(seconds=5)
    )
    assert len(package.token) >= 40
    for kind in ("json", "zip", "pdf"):
        record_package_download(package=package, file_kind=kind)
    assert package.downloads.count() == 3


def test_an_expired_package_cannot_be_downloaded_and_is_pruned(
    full_customer, django_capture_on_commit_callbacks
):
    package = create_access_package(customer=full_customer)
    names = [package.json_file.name, package.pdf_file.name, package.archive_file.name]
    AccessPackage.objects.filter(pk=package.pk).update(expires_at=timezone.now())
    package.refresh_from_db()
    with pytest.raises(AccessPackage.DoesNotExist):
        record_package_download(package=package, file_kind="json")
    with django_capture_on_commit_callbacks(execute=True):
        assert prune_access_packages() >= 1
    assert not AccessPackage.objects.filter(pk=package.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_erasure_deletes_the_customers_packages_and_their_files(
    full_customer, django_capture_on_commit_callbacks
):
    package = full_customer.access_packages.first()
    name = package.pdf_file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        erase_customer(customer=full_customer)
    assert not AccessPackage.objects.filter(customer=full_customer).exists()
    assert not AccessPackageDownload.objects.filter(package__customer=full_customer).exists()
    assert not default_storage.exists(name)


def test_access_export_command_writes_the_package_and_is_audited(full_customer, tmp_path):
    out = io.StringIO()
    out_dir = tmp_path / "paketti"
    call_command("access_export", full_customer.formatted_number, "--out", out_dir, stdout=out)
    written = sorted(p.name for p in out_dir.iterdir())
    assert written == [f"{full_customer.number}-tiedot.{ext}" for ext in ("json", "pdf", "zip")]
    document = json.loads((out_dir / f"{full_customer.number}-tiedot.json").read_text())
    assert document["customer_number"] == full_customer.number
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.EXPORT,
        customer_id=full_customer.pk,
        actor=None,
        object_label__startswith="customers.customer",
    )
    assert entry.details["command"] == "access_export"


def test_prune_access_packages_command_deletes_expired_packages(full_customer):
    live = create_access_package(customer=full_customer)
    expired = create_access_package(customer=full_customer)
    AccessPackage.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    out = io.StringIO()
    call_command("prune_access_packages", stdout=out)
    assert AccessPackage.objects.filter(pk=live.pk).exists()
    assert not AccessPackage.objects.filter(pk=expired.pk).exists()
    assert out.getvalue().strip().endswith(": 1")


def _portal_login(client, customer) -> None:
    session = client.session
    now = timezone.now().timestamp()
    session[SESSION_KEY] = {"id": customer.pk, "verified_at": now, "seen_at": now, "method": "x"}
    session.save()


def test_the_customer_downloads_their_own_package_and_the_download_is_logged(client, full_customer):
    package = create_access_package(customer=full_customer)
    url = reverse("portal:access_download", args=[package.token, "json"])
    assert client.get(url).status_code == 404
    _portal_login(client, full_customer)
    response = client.get(url)
    assert response.status_code == 200
    assert ERASED["email"].encode() in b"".join(response.streaming_content)
    download = package.downloads.get()
    assert (download.file_kind, download.downloaded_by) == ("json", None)


def test_nobody_else_downloads_a_package(client, full_customer):
    package = create_access_package(customer=full_customer)
    _portal_login(client, CustomerFactory())
    url = reverse("portal:access_download", args=[package.token, "pdf"])
    assert client.get(url).status_code == 404
    assert not package.downloads.exists()


def test_staff_downloads_through_the_staff_panel_and_are_logged(full_customer, register_admin):
    package = create_access_package(customer=full_customer)
    request = RequestFactory().get("/")
    request.user = register_admin
    response = admin.site._registry[AccessPackage].download(request, package.pk, "pdf")
    assert response.status_code == 200
    assert package.downloads.get().downloaded_by == register_admin
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT, actor=register_admin)
    assert (entry.customer_id, entry.details["file"]) == (full_customer.pk, "pdf")
