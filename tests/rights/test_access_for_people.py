"""The access package as a person reads it: a customer with a long history, in three languages.

Everything is built for real: the staff reads come from the staff panel, the PDF is read back
with pypdf (and its word boxes with poppler's pdftotext), the ZIP is opened and its CSV files
parsed as a spreadsheet in Finnish would.
"""

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from customers.models import (
    BanChannel,
    BanScope,
    Channel,
    ConsentEvent,
    ConsentPurpose,
    Customer,
    Order,
)
from customers.models.orders import TRACKING_STATES
from customers.validators import format_customer_number
from privacy.declaration import linked_declarations
from privacy.models import AuditEntry
from rights.access import build_access_files
from rights.access_display import column_label, event_message, package_note
from tests.factories import (
    ConsentEventFactory,
    CustomerFactory,
    MarketingBanFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    TrackingEventFactory,
)
from tests.rights.conftest import make_full_customer

pytestmark = pytest.mark.django_db

ORDERS = 30
STAFF_USERNAME = "paakayttaja"
FORMULA = '=HYPERLINK("http://example.com","x")'


@pytest.fixture
def staff_client(client, register_admin, otp_login):
    return otp_login(client, register_admin)


@pytest.fixture
def long_history(staff_client):
    """Return a customer with every status, state and code the register knows, read by staff."""
    customer = make_full_customer()
    customer.company = FORMULA
    customer.save()
    now = timezone.now()
    statuses, states = list(Order.Status), list(Order.InvoiceState)
    for i in range(ORDERS):
        order = OrderFactory(
            customer=customer,
            number=f"HIST{i:04d}",
            ordered_at=now - dt.timedelta(days=400 - i * 10),
            status=statuses[i % len(statuses)],
            invoice_state=states[i % len(states)],
            delivery_country="SE" if i == 0 else "FI",
            total_net=Decimal("1234.50"),
            total_vat=Decimal("314.80"),
            total_gross=Decimal("1549.30"),
        )
        OrderLineFactory(order=order, product_name=f"Tuote {i}", sku=f"SKU-{i}")
        shipment = ShipmentFactory(order=order, tracking_code=f"JJFI{i:012d}")
        for step, state in enumerate(TRACKING_STATES):
            TrackingEventFactory(
                shipment=shipment,
                status=state,
                description=f"Vaihe {i}-{step}",
                occurred_at=order.ordered_at + dt.timedelta(hours=step),
            )
    vias = list(ConsentEvent.Via)
    for i, purpose in enumerate(ConsentPurpose):
        for j, channel in enumerate(Channel):
            ConsentEventFactory(
                customer=customer,
                purpose=purpose,
                channel=channel,
                is_granted=(i + j) % 2 == 0,
                via=vias[(i + j) % len(vias)],
            )
    channels = [c for c in BanChannel if c != BanChannel.PHONE]
    for i, scope in enumerate(BanScope):
        MarketingBanFactory(
            customer=customer,
            scope=scope,
            channel=channels[i % len(channels)],
            via=vias[i % len(vias)],
            lifted_at=now if i % 2 else None,
        )
    # Staff read the customer in the staff panel: the change page, an order, a search.
    order = customer.orders.first()
    assert (
        staff_client.get(reverse("admin:customers_customer_change", args=[customer.pk])).status_code
        == 200
    )
    assert (
        staff_client.get(reverse("admin:customers_order_change", args=[order.pk])).status_code
        == 200
    )
    assert (
        staff_client.get(
            reverse("admin:customers_customer_changelist"), {"q": customer.email}
        ).status_code
        == 200
    )
    return customer


def _files(customer, language: str) -> dict[str, bytes]:
    customer.preferred_language = language
    customer.save(update_fields=["preferred_language"])
    return build_access_files(customer=customer)


def _pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return "\n".join(page.extract_text() for page in pages).replace("\xa0", " ")


def _archive(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _csv_tables(files: dict[str, bytes]) -> dict[str, list[list[str]]]:
    tables = {}
    for name, content in files.items():
        if name.endswith(".csv"):
            assert content.startswith(b"\xef\xbb\xbf"), f"{name} has no byte-order mark"
            text = content.decode("utf-8-sig")
            tables[name] = list(csv.reader(io.StringIO(text), delimiter=";"))
    return tables


SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+")


def _register_codes() -> set[str]:
    """Return the codes and field names the register stores, where they differ from their label.

    Read with Finnish active: the codes are English words, the labels Finnish.
    """
    codes = set(TRACKING_STATES)
    for decl in linked_declarations():
        for name in decl.exported_fields():
            codes.add(name)
            field = decl.model._meta.get_field(name)
            for code, label in field.flatchoices if field.choices else ():
                if isinstance(code, str) and code.lower() != str(label).lower():
                    codes.add(code)
    return {code for code in codes if len(code) > 2}


def _raw_codes_in(text: str, codes: set[str]) -> list[str]:
    text = ADDRESSES.sub(" ", text)
    found = set(SNAKE_CASE.findall(text))
    found |= {code for code in codes if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)}
    found |= set(re.findall(r"\b(?:FI|SE)\b", text))
    return sorted(found)


@pytest.mark.usefixtures("finnish")
def test_the_pdf_of_a_long_history_shows_no_raw_code_or_field_name(long_history):
    text = _pdf_text(_files(long_history, "fi")["tiedot.pdf"])
    assert _raw_codes_in(text, _register_codes()) == []
    for label in ("toimitettu", "perinnässä", "noudettavissa noutopisteestä", "Ruotsi"):
        assert label in text, label
    assert "1 234,50 €" in text and "1 549,30 €" in text


def test_the_scan_finds_raw_codes():
    codes = {"delivered", "at_pickup_point", "delivery_street"}
    text = "Tila: delivered · at_pickup_point\nLuovutetut tiedot: delivery_street\nMaa: FI"
    assert _raw_codes_in(text, codes) == ["FI", "at_pickup_point", "delivered", "delivery_street"]
    assert _raw_codes_in("Tila: toimitettu, Maa: Suomi, JJFI000000000001", codes) == []


@pytest.mark.usefixtures("finnish")
def test_nothing_of_a_long_history_is_cut_off(long_history):
    text = _pdf_text(_files(long_history, "fi")["tiedot.pdf"])
    for i in range(ORDERS):
        assert f"HIST{i:04d}" in text
        assert f"JJFI{i:012d}" in text
        assert f"Tuote {i}" in text
        for step in range(len(TRACKING_STATES)):
            assert f"Vaihe {i}-{step}" in text
    assert "lisää" not in text
    assert f"Tilaukset ({ORDERS + 1})" in text
    consents = long_history.consents.count()
    assert f"Suostumustapahtumat ({consents})" in text


@pytest.mark.usefixtures("finnish")
def test_the_cover_letter_answers_article_15_1_in_the_order_of_the_article(long_history):
    text = _pdf_text(_files(long_history, "fi")["tiedot.pdf"]).replace("\n", " ")
    headings = [
        "Mihin tietojasi käytetään",  # (a) purposes
        "Mitä tietoja sinusta on",  # (b) categories
        "Kenelle tietojasi on luovutettu",  # (c) recipients
        "Kuinka kauan tietojasi säilytetään",  # (d) retention
        "Oikeus tietojen oikaisemiseen",  # (e) rectification, erasure, restriction, objection
        "Oikeus tietojen poistamiseen",
        "Oikeus käsittelyn rajoittamiseen",
        "Oikeus vastustaa käsittelyä",
        "Oikeus tehdä valitus valvontaviranomaiselle",  # (f) complaint
        "Mistä tietosi on saatu",  # (g) source
        "Automaattinen päätöksenteko ja profilointi",  # (h) automated decisions
    ]
    positions = [text.find(heading) for heading in headings]
    assert -1 not in positions, dict(zip(headings, positions, strict=True))
    assert positions == sorted(positions)
    for fact in (
        "tietosuojavaltuutetulle",
        "Tietosuojavaltuutetun toimisto",
        "Perintä Oy (perintätoimisto)",
        "Kirjanpitolain (1336/1997)",
        "Kuljetusliikkeiden seurantajärjestelmät",
        "Voimassa olevat kieltosi",
    ):
        assert fact in text, fact


@pytest.mark.usefixtures("finnish")
def test_the_staff_reads_are_listed_with_dates_and_purposes_but_not_who(long_history):
    reads = AuditEntry.objects.filter(
        customer_id=long_history.pk, action=AuditEntry.Action.VIEW, actor__isnull=False
    )
    assert reads.count() >= 3
    assert set(reads.values_list("actor_label", flat=True)) == {STAFF_USERNAME}
    files = _files(long_history, "fi")
    text = _pdf_text(files["tiedot.pdf"])
    reads_part = text[text.index("Henkilökunnan tekemät tietojesi käsittelyt") :].replace("\n", " ")
    assert "Asiakastiedot" in reads_part and "Katselu" in reads_part
    assert "Näkyi hakutuloksissa" in reads_part
    assert "Asiakassuhteen hoitaminen ja tilausten toimittaminen" in reads_part
    first = timezone.localtime(reads.order_by("occurred_at").first().occurred_at)
    assert f"{first.day}.{first.month}.{first.year}" in reads_part
    assert STAFF_USERNAME not in text
    assert STAFF_USERNAME not in files["tiedot.json"].decode()
    for content in _archive(files["tiedot.zip"]).values():
        assert STAFF_USERNAME.encode() not in content


@pytest.mark.usefixtures("finnish")
def test_a_customer_without_staff_reads_is_told_so(full_customer):
    text = _pdf_text(build_access_files(customer=full_customer)["tiedot.pdf"])
    assert "Henkilökuntamme ei ole katsonut tietojasi." in text


@pytest.mark.parametrize(
    ("language", "orders_file", "header", "readme"),
    [
        ("fi", "tilaukset.csv", "Tilausnumero", "LUEMINUT.txt"),
        ("sv", "bestallningar.csv", "Beställningsnummer", "LASMIG.txt"),
        ("en", "orders.csv", "Order number", "README.txt"),
    ],
)
def test_the_csv_files_open_in_columns_in_the_customers_language(
    long_history, language, orders_file, header, readme
):
    files = _archive(_files(long_history, language)["tiedot.zip"])
    assert orders_file in files and readme in files
    tables = _csv_tables(files)
    assert len(tables) >= 8
    codes = _register_codes()
    for name, rows in tables.items():
        assert re.fullmatch(r"[a-z0-9-]+\.csv", name), name
        headers = rows[0]
        assert len(headers) == len(set(headers)), f"{name}: a label twice in {headers}"
        for cell in headers:
            assert not SNAKE_CASE.search(cell), f"{name}: {cell}"
            assert cell not in codes and cell != "id", f"{name}: {cell}"
        assert len(rows) > 1, f"{name} has no rows"
        assert all(len(row) == len(headers) for row in rows), name
    orders = tables[orders_file]
    assert orders[0][1] == header
    assert len(orders) == ORDERS + 2


@pytest.mark.usefixtures("finnish")
def test_the_csv_files_show_labels_and_keep_formulas_from_running(long_history):
    tables = _csv_tables(_archive(_files(long_history, "fi")["tiedot.zip"]))
    own = dict(zip(*tables["asiakastiedot.csv"][:2], strict=True))
    assert own["Yritys"] == "'" + FORMULA
    assert own["Maa"] == "Suomi"
    assert own["Asiointikieli"] == "suomi"
    orders = [
        dict(zip(tables["tilaukset.csv"][0], row, strict=True))
        for row in tables["tilaukset.csv"][1:]
    ]
    assert {o["Tila"] for o in orders} == {str(s.label) for s in Order.Status}
    assert orders[1]["Verollinen summa"] == "1549,30"
    disclosed = dict(zip(*tables["luovutukset.csv"][:2], strict=True))
    assert disclosed["Luovutetut tiedot"] == "Etunimi, Sukunimi, Sähköpostiosoite, Katuosoite"
    # The carrier by the name the shop gave it in the staff panel.
    shipment = dict(zip(*tables["lahetykset.csv"][:2], strict=True))
    assert shipment["Kuljetusliike"] == "Posti"


@pytest.mark.usefixtures("finnish")
def test_the_json_keeps_codes_and_the_readme_explains_them(long_history):
    files = _files(long_history, "fi")
    document = json.loads(files["tiedot.json"])
    assert set(document) == {
        "format", "generated_at", "controller", "customer_number", "purposes", "tables",
    }  # fmt: skip
    orders = document["tables"]["customers.Order"]["rows"]
    assert {row["status"] for row in orders} == set(Order.Status.values)
    archive = _archive(files["tiedot.zip"])
    assert archive["tiedot.json"] == files["tiedot.json"]
    readme = archive["LUEMINUT.txt"].decode("utf-8-sig")
    for line in (
        "tilaukset.csv: Tilaukset, 31 riviä",
        "customers.Order: Tilaukset",
        "  status: Tila",
        "    shipped = toimitettu",
        "  order_id: Tilaus (tunniste)",
        "    posti = Posti",
        "customer_number: asiakasnumerosi",
    ):
        assert line in readme, line


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_two_words_of_the_pdf_overprint(long_history, language, tmp_path):
    path = tmp_path / "tiedot.pdf"
    path.write_bytes(_files(long_history, language)["tiedot.pdf"])
    text = ADDRESSES.sub(" ", _pdf_text(path.read_bytes()))
    assert SNAKE_CASE.findall(text) == []
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')
    for number, page in enumerate(boxes.split("<page")[1:], start=1):
        words = [tuple(map(float, m)) for m in word.findall(page)]
        assert words
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                across = min(a[2], b[2]) - max(a[0], b[0])
                down = min(a[3], b[3]) - max(a[1], b[1])
                assert across <= 0.5 or down <= 0.5, f"page {number}: {a} overlaps {b}"


@pytest.mark.usefixtures("finnish")
def test_the_package_of_the_demo_customer_with_most_history_reads_as_labels():
    call_command("seed_demo", customers=60, seed=3, no_progress=True, stdout=io.StringIO())
    customer = (
        Customer.objects.annotate(events=Count("orders__shipments__events"))
        .order_by("-events", "pk")
        .first()
    )
    assert customer.events > 0
    files = _files(customer, "fi")
    text = _pdf_text(files["tiedot.pdf"])
    assert _raw_codes_in(text, _register_codes()) == []
    assert "Henkilökunnan tekemät tietojesi käsittelyt" in text
    codes = _register_codes()
    for name, rows in _csv_tables(_archive(files["tiedot.zip"])).items():
        for cell in rows[0]:
            assert not SNAKE_CASE.search(cell) and cell not in codes, f"{name}: {cell}"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_table_of_the_package_names_two_columns_alike(language):
    with translation.override(language):
        for decl in linked_declarations():
            labels = [column_label(decl.model, c) for c in ["id", *decl.exported_fields()]]
            assert len(labels) == len(set(labels)), (decl.label, labels)


@pytest.mark.usefixtures("finnish")
def test_the_case_history_names_fields_and_states_by_their_labels():
    assert event_message("street_address") == "Katuosoite"
    assert event_message("first_name, street_address") == "Etunimi, Katuosoite"
    assert event_message("street_address: approved") == "Katuosoite: hyväksytty"
    assert event_message("sähköposti") == "sähköposti"
    with translation.override("en"):
        assert event_message("sähköposti") == "email"
    assert event_message("Voimassa 14.12.2026 asti.") == "Voimassa 14.12.2026 asti."


@pytest.mark.usefixtures("finnish")
def test_the_access_package_note_of_the_case_history_is_read_in_the_readers_language():
    note = package_note(dt.datetime(2026, 12, 14, 10, 5, tzinfo=dt.UTC))
    assert note == "Voimassa 14.12.2026 12:05 asti."  # stored in Finnish, the shop's time
    assert event_message(note) == "Voimassa 14.12.2026 12.05 asti."
    with translation.override("sv"):
        assert event_message(note) == "Giltigt till 14.12.2026 12.05."
    with translation.override("en"):
        assert event_message(note) == "Valid until 14 Dec 2026 12:05."


@pytest.mark.usefixtures("finnish")
def test_a_shipment_with_hundreds_of_events_continues_on_more_pages():
    customer = CustomerFactory()
    shipment = ShipmentFactory(order=OrderFactory(customer=customer))
    start = timezone.now()
    for i in range(300):
        TrackingEventFactory(
            shipment=shipment,
            description=f"Tapahtuma {i:03d}",
            occurred_at=start + dt.timedelta(minutes=i),
        )
    content = build_access_files(customer=customer)["tiedot.pdf"]
    assert len(PdfReader(io.BytesIO(content)).pages) > 5
    text = _pdf_text(content)
    assert [i for i in range(300) if f"Tapahtuma {i:03d}" not in text] == []


@pytest.mark.usefixtures("finnish")
def test_every_page_of_a_long_package_says_whose_it_is_and_which_page():
    customer = CustomerFactory()
    shipment = ShipmentFactory(order=OrderFactory(customer=customer))
    start = timezone.now()
    for i in range(300):
        TrackingEventFactory(shipment=shipment, occurred_at=start + dt.timedelta(minutes=i))
    pages = PdfReader(io.BytesIO(build_access_files(customer=customer)["tiedot.pdf"])).pages
    number = format_customer_number(customer.number)
    for n, page in enumerate(pages, start=1):
        text = page.extract_text().replace("\xa0", " ")
        assert "Henkilötietosi rekisterissämme" in text
        assert f"Asiakasnumero {number} — sivu {n} / {len(pages)}" in text
