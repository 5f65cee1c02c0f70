"""Shopify and WooCommerce exports, and files mapped by hand, imported with every column that
has a home in the register; the fixtures follow the platforms' published export columns."""

import datetime as dt
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from customers import validators as v
from customers.models import ConsentEvent, Customer, CustomerNote, Order, OrderLine
from integrations.csv_import import RowAction, import_customers
from privacy.deadlines import voucher_kept_until
from privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures" / "platforms"
D = Decimal


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def run(data: bytes, **kwargs):
    report = import_customers(data=data, dry_run=False, **kwargs)
    assert not report.rejected, [r.as_dict() for r in report.rejected]
    return report


def today() -> str:
    day = timezone.localdate()
    return f"{day.day}.{day.month}.{day.year}"


def snapshot() -> tuple:
    return (
        list(Customer.objects.order_by("id").values()),
        list(ConsentEvent.objects.order_by("id").values()),
        list(Order.objects.order_by("id").values()),
        list(OrderLine.objects.order_by("id").values()),
        list(CustomerNote.objects.order_by("id").values()),
        AuditEntry.objects.count(),
    )


def test_a_shopify_customer_export_lands_every_column_that_has_a_home():
    report = run(fixture("shopify_customers.csv"))
    assert report.source == "Shopify-asiakasvienti"
    assert report.count(RowAction.CREATE) == 3
    aino = Customer.objects.get(email="aino.virtanen@example.fi")
    # Excel's apostrophe is gone from the id and the postal code.
    assert aino.external_id == "7012345678901"
    assert (aino.first_name, aino.last_name, aino.company) == (
        "Aino",
        "Virtanen",
        "Virtasen Kahvila Oy",
    )
    assert (aino.street_address, aino.postal_code, aino.post_office, aino.country) == (
        "Mannerheimintie 12 B 7",
        "00100",
        "Helsinki",
        "FI",
    )
    # The customer's own phone before the address's, stored in E.164, shown nationally.
    assert aino.phone == "+358401234567"
    assert v.format_phone(aino.phone) == "040 1234567"
    eino = Customer.objects.get(external_id="7012345678902")
    assert eino.phone == "+358507654321"  # only the address had a phone
    assert report.ignored_columns == []
    assert set(report.skipped_columns) == {
        "Default Address Province Code",
        "Total Spent",
        "Total Orders",
        "Tax Exempt",
        "Tags",
    }
    # The shop's customer-service note becomes an internal note on the customer, named as such.
    assert report.columns["Note"] == "asiakaspalvelun muistiinpano"
    (note,) = CustomerNote.objects.filter(customer=aino)
    assert (note.kind, note.body) == (
        CustomerNote.Kind.INTERNAL,
        "Shopify-asiakasvienti: Kanta-asiakas",
    )
    assert not CustomerNote.objects.exclude(customer=aino).exists()  # empty notes add nothing


def test_a_yes_becomes_a_consent_with_its_evidence_and_a_no_is_not_a_consent():
    run(fixture("shopify_customers.csv"))
    events = ConsentEvent.objects.order_by("customer__first_name", "channel")
    assert [
        (e.customer.first_name, e.purpose, e.channel, e.is_granted, e.via, e.evidence)
        for e in events
    ] == [
        (
            "Aino",
            "direct_marketing",
            "email",
            True,
            ConsentEvent.Via.IMPORT,
            f"Shopify-asiakasvienti {today()}, sarake Accepts Email Marketing = yes",
        ),
        (
            "Eino",
            "direct_marketing",
            "sms",
            True,
            ConsentEvent.Via.IMPORT,
            f"Shopify-asiakasvienti {today()}, sarake Accepts SMS Marketing = yes",
        ),
    ]
    asa = Customer.objects.get(first_name="Åsa")
    assert not Customer.objects.marketable("email").filter(pk=asa.pk).exists()
    assert Customer.objects.marketable("email").filter(first_name="Aino").exists()


def test_a_later_no_withdraws_and_an_old_yes_never_grants_again():
    data = fixture("shopify_customers.csv")
    run(data)
    unsubscribed = data.replace(b"aino.virtanen@example.fi,yes", b"aino.virtanen@example.fi,no")
    report = run(unsubscribed)
    assert report.count(RowAction.UPDATE) == 1
    withdrawal = ConsentEvent.objects.filter(customer__first_name="Aino").latest("id")
    assert (withdrawal.channel, withdrawal.is_granted) == ("email", False)
    assert withdrawal.evidence.endswith("sarake Accepts Email Marketing = no")
    # The old file again: its yes does not override the withdrawal.
    report = run(data)
    assert report.count(RowAction.UNCHANGED) == 3
    assert not Customer.objects.marketable("email").filter(first_name="Aino").exists()


def test_the_same_exports_twice_change_nothing():
    files = ["shopify_customers.csv", "shopify_orders.csv", "woocommerce_customers.csv"]
    files.append("woocommerce_orders.csv")
    for name in files:
        run(fixture(name))
    before = snapshot()
    for name in files:
        report = run(fixture(name))
        assert {r.action for r in report.rows} == {RowAction.UNCHANGED}, name
    assert snapshot() == before


def test_a_note_is_added_once_and_a_new_note_beside_it():
    run(fixture("shopify_customers.csv"))
    report = run(fixture("shopify_customers.csv"))
    assert {r.action for r in report.rows} == {RowAction.UNCHANGED}
    assert CustomerNote.objects.count() == 1
    changed = fixture("shopify_customers.csv").replace(b"Kanta-asiakas", b"Toivoo puhelua")

    report = run(changed)

    assert report.count(RowAction.UPDATE) == 1
    aino = Customer.objects.get(external_id="7012345678901")
    assert sorted(aino.notes.values_list("body", flat=True)) == [
        "Shopify-asiakasvienti: Kanta-asiakas",
        "Shopify-asiakasvienti: Toivoo puhelua",
    ]
    change = AuditEntry.objects.filter(customer_id=aino.pk, action=AuditEntry.Action.CHANGE).get()
    assert change.details["fields"] == ["notes"]


def test_the_relationship_start_moves_back_to_the_export_s_date_never_forward():
    woo = fixture("woocommerce_customers.csv")
    run(woo.replace(b"2024-03-15 10:22:01", b"2024-06-01 12:00:00"))
    helmi = Customer.objects.get(external_id="101")
    assert helmi.created_at.date() == dt.date(2024, 6, 1)

    run(woo)  # an earlier start: the relationship began then
    helmi.refresh_from_db()
    assert helmi.created_at.date() == dt.date(2024, 3, 15)

    report = run(woo.replace(b"2024-03-15 10:22:01", b"2025-05-05 09:00:00"))
    helmi.refresh_from_db()
    assert helmi.created_at.date() == dt.date(2024, 3, 15)
    assert report.count(RowAction.UNCHANGED) == 2


def test_a_relationship_start_in_the_future_rejects_the_row():
    data = fixture("woocommerce_customers.csv").replace(b"2024-03-15 10:22:01", b"2999-01-01")
    report = import_customers(data=data, dry_run=True)
    assert [(r.row, r.reasons) for r in report.rejected] == [
        (
            2,
            [
                "asiakkuuden alku: Aika 2999-01-01 ei ole muotoa 2024-03-15 10:22:01 tai on "
                "tulevaisuudessa."
            ],
        )
    ]


def test_an_unknown_column_is_listed_not_dropped():
    data = fixture("shopify_customers.csv").decode()
    lines = data.split("\r\n")
    lines = [lines[0] + ",Loyalty Points"] + [line + ",120" for line in lines[1:] if line]
    report = import_customers(data="\r\n".join(lines).encode(), dry_run=True)
    assert report.ignored_columns == ["Loyalty Points"]


def test_a_bad_row_rejects_the_whole_file_with_a_finnish_reason_naming_the_row():
    data = fixture("shopify_customers.csv").replace(b"eino.leino@example.fi", b"eino@@example")
    report = import_customers(data=data, dry_run=False)
    assert not report.written
    assert [(r.row, r.reasons) for r in report.rejected] == [
        (3, ["sähköposti: Anna kelvollinen sähköpostiosoite."])
    ]
    assert not Customer.objects.exists()
    assert not ConsentEvent.objects.exists()


def test_a_woocommerce_customer_export_lands_every_column_that_has_a_home():
    report = run(fixture("woocommerce_customers.csv"))
    assert report.source == "WooCommerce-asiakasvienti"
    helmi = Customer.objects.get(external_id="101")
    assert (helmi.first_name, helmi.last_name, helmi.email) == (
        "Helmi",
        "Mäkelä",
        "helmi.makela@example.fi",
    )
    assert (helmi.street_address, helmi.postal_code, helmi.post_office, helmi.country) == (
        "Kauppakatu 3 as. 4",
        "40100",
        "Jyväskylä",
        "FI",
    )
    assert helmi.phone == "+358401112233"
    toivo = Customer.objects.get(external_id="102")
    assert (toivo.company, toivo.phone) == ("Korhosen Puutarha Ky", "+358445556677")
    assert report.ignored_columns == []
    assert report.skipped_columns == []
    # date_created, in the shop's time, is when the customer relationship began.
    assert report.columns["date_created"] == "asiakkuuden alku"
    helsinki = zoneinfo.ZoneInfo("Europe/Helsinki")
    assert helmi.created_at == dt.datetime(2024, 3, 15, 10, 22, 1, tzinfo=helsinki)
    assert toivo.created_at == dt.datetime(2025, 1, 2, 8, 0, tzinfo=helsinki)


def lines_of(order: Order) -> list[tuple]:
    return list(
        order.lines.values_list("product_name", "sku", "quantity", "unit_price_net", "vat_rate")
    )


def test_a_shopify_order_export_imports_orders_with_lines_and_vat():
    run(fixture("shopify_customers.csv"))
    report = run(fixture("shopify_orders.csv"))
    assert report.source == "Shopify-tilausvienti"
    assert report.count(RowAction.CREATE) == 3
    aino = Customer.objects.get(external_id="7012345678901")
    first = Order.objects.get(external_id="5123456789012")
    assert first.customer == aino
    assert first.number == "#1001"
    assert first.ordered_at == dt.datetime(2025, 11, 3, 12, 22, 11, tzinfo=dt.UTC)
    assert (first.status, first.invoice_state) == (Order.Status.SHIPPED, Order.InvoiceState.PAID)
    assert (first.billing_name, first.billing_street, first.billing_postal_code) == (
        "Aino Virtanen",
        "Mannerheimintie 12 B 7",
        "00100",
    )
    assert (first.billing_post_office, first.billing_email, first.billing_phone) == (
        "Helsinki",
        "aino.virtanen@example.fi",
        "+358401234567",
    )
    assert (first.delivery_name, first.delivery_street, first.delivery_country) == (
        "Aino Virtanen",
        "Mannerheimintie 12 B 7",
        "FI",
    )
    assert first.customer_note == "Jätä ovelle"
    # Prices include VAT in the shop: the lines keep net prices, the rate from "Tax 1 Name".
    assert lines_of(first) == [
        ("Kahvipaketti 500 g", "KAHVI-500", 2, D("10.28"), D("25.5")),
        ("Kahvimuki", "MUKI-1", 1, D("15.86"), D("25.5")),
        ("Toimitus", "", 1, D("4.70"), D("25.5")),
    ]
    assert (first.total_vat, first.total_gross) == (D("10.48"), D("51.60"))
    # The voucher's retention follows from the order's date (Kirjanpitolaki 2:10 §).
    assert voucher_kept_until(timezone.localdate(first.ordered_at)) == dt.date(2031, 12, 31)

    mixed = Order.objects.get(number="#1002")
    assert mixed.invoice_state == Order.InvoiceState.OPEN
    # Net prices to the cent miss the shop's total by a cent: a rounding line evens it out.
    assert lines_of(mixed) == [
        ("Kahvipaketti 500 g", "KAHVI-500", 1, D("11.32"), D("14")),
        ("Kahvimuki", "MUKI-1", 2, D("15.86"), D("25.5")),
        ("Pyöristys", "", 1, D("-0.01"), D("0")),
    ]
    assert (mixed.total_vat, mixed.total_gross) == (D("9.67"), D("52.70"))

    # A buyer the customer export did not have becomes a customer from the billing details.
    guest = Order.objects.get(number="#1003")
    siiri = guest.customer
    assert (siiri.first_name, siiri.last_name, siiri.email, siiri.phone) == (
        "Siiri",
        "Nieminen",
        "siiri.nieminen@example.fi",
        "+358449876543",
    )
    assert (siiri.street_address, siiri.postal_code, siiri.post_office) == (
        "Kauppatori 1",
        "20100",
        "Turku",
    )
    assert lines_of(guest) == [
        ("Teepaketti 100 g", "TEE-100", 1, D("7.46"), D("14")),
        ("Alennus", "", 1, D("-0.88"), D("14")),
    ]
    assert guest.total_gross == D("7.50")
    assert report.ignored_columns == []


def test_a_woocommerce_order_export_imports_orders_with_lines_and_vat():
    run(fixture("woocommerce_customers.csv"))
    report = run(fixture("woocommerce_orders.csv"))
    assert report.source == "WooCommerce-tilausvienti"
    order = Order.objects.get(external_id="5001")
    assert order.customer.external_id == "101"
    assert (order.number, order.status, order.invoice_state) == (
        "5001",
        Order.Status.SHIPPED,
        Order.InvoiceState.PAID,
    )
    assert order.ordered_at == dt.datetime(2025, 10, 20, 6, 15, tzinfo=dt.UTC)
    assert (order.billing_name, order.billing_street, order.billing_phone) == (
        "Helmi Mäkelä",
        "Kauppakatu 3 as. 4",
        "+358401112233",
    )
    assert lines_of(order) == [
        ("Villasukat", "SUKKA-42", 2, D("10.00"), D("25.5")),
        ("Mustikkahillo", "HILLO-1", 1, D("10.00"), D("14")),
        ("Toimitus", "", 1, D("4.90"), D("25.5")),
    ]
    assert (order.total_vat, order.total_gross) == (D("7.75"), D("42.65"))
    guest = Order.objects.get(external_id="5002")
    assert (guest.customer.first_name, guest.customer.email, guest.customer.external_id) == (
        "Ville",
        "ville.vieras@example.fi",
        "",
    )
    assert guest.customer_note == "Soittakaa ennen toimitusta"
    assert guest.total_gross == D("15.06")
    assert report.ignored_columns == []


def test_a_bad_line_rejects_the_order_file_with_a_reason_naming_its_row():
    run(fixture("shopify_customers.csv"))
    data = fixture("shopify_orders.csv").replace(
        b"\r\n#1001,aino.virtanen@example.fi,,,,,,,,,,,,,,,1,",
        b"\r\n#1001,aino.virtanen@example.fi,,,,,,,,,,,,,,,kaksi,",
    )
    report = import_customers(data=data, dry_run=False)
    assert [(r.row, r.reasons) for r in report.rejected] == [
        (2, ["Rivi 3: Määrä kaksi ei ole positiivinen kokonaisluku."])
    ]
    assert not Order.objects.exists()


def test_an_order_placed_in_the_future_rejects_the_order_file_with_its_reason():
    run(fixture("woocommerce_customers.csv"))
    data = fixture("woocommerce_orders.csv").replace(b"2026-01-05 18:40:00", b"2999-01-05 18:40")
    report = import_customers(data=data, dry_run=False)
    assert [r.reasons for r in report.rejected] == [
        ["Tilausaika 2999-01-05 18:40 on tulevaisuudessa."]
    ]
    assert not Order.objects.exists()


def test_any_file_imports_through_a_mapping_the_staff_chose():
    data = (
        "Asiakas-ID;Etu;Suku;Osoite;Lisäosoite;Uutiskirje;Tekstiviestit;Kieli;Pisteet\r\n"
        "A-1;Aino;Virtanen;aino@example.fi;Katu 1;kyllä;ei;sv;10\r\n"
        'A-2;Eino;Leino;eino@example.fi;="Katu 2";ei;;en;5\r\n'
    ).encode()
    mapping = {
        "Asiakas-ID": "external_id",
        "Etu": "first_name",
        "Suku": "last_name",
        "Osoite": "email",
        "Lisäosoite": "street_address",
        "Uutiskirje": "consent:email",
        "Tekstiviestit": "consent:sms",
        "Kieli": "preferred_language",
    }
    report = run(data, mapping=mapping, source="Tiedosto asiakkaat.csv")
    assert report.ignored_columns == ["Pisteet"]
    aino = Customer.objects.get(external_id="A-1")
    assert (aino.email, aino.street_address, aino.preferred_language) == (
        "aino@example.fi",
        "Katu 1",
        "sv",
    )
    assert Customer.objects.get(external_id="A-2").street_address == "Katu 2"
    event = ConsentEvent.objects.get()
    assert (event.customer, event.channel, event.is_granted) == (aino, "email", True)
    assert event.evidence == f"Tiedosto asiakkaat.csv {today()}, sarake Uutiskirje = kyllä"


def test_the_report_names_every_column_in_the_staffs_words():
    from integrations.csv_import.platforms import PROFILES, target_label

    for profile in PROFILES:
        targets = {t for t in profile.columns.values() if t} | set(profile.numbered.values())
        for target in targets:
            label = str(target_label(target))
            assert "_" not in label and ":" not in label, (profile.key, target, label)
