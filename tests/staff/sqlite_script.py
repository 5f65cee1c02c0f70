"""Run by test_sqlite.py inside `manage.py shell` on a fresh SQLite database; prints OK."""

import contextlib
import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.utils import timezone

from customers import services
from customers.audiences import audience_rows
from customers.ban_register import import_ban_register, parse_ban_register
from customers.marketing import KeyedHash, NormalisedText, is_marketable, keyed_hash
from customers.models import (
    Customer,
    Order,
    OrderLine,
    Shipment,
    SuppressionEntry,
    TrackingEvent,
)
from portal.order_history import orders_page
from privacy.audit import record, record_views
from privacy.models import AuditEntry
from staff.customer_page import orders_section
from staff.dashboard import marketing_figures, register_counts, request_queue
from staff.paginator import EstimatedCountPaginator, table_count
from staff.search import search_customers

assert connection.vendor == "sqlite", connection.vendor
now = timezone.now()


def customer(**kw):
    defaults = {"first_name": "Åsa", "street_address": "Hämeentie 5 A 3", "postal_code": "00100"}
    defaults.update(kw)
    defaults.setdefault("post_office", "Helsinki")
    return Customer.objects.create(**defaults)


a = customer(last_name="Äijälä", email="asa.aijala@example.fi", phone="+358401111111")
b = customer(last_name="Öhman", email="b@example.fi", phone="+358402222222")
c = customer(last_name="Virtanen", email="c@example.fi", phone="+358403333333")
for person in (a, b, c):
    for channel in ("email", "sms", "post", "phone"):
        services.record_consent(
            customer=person,
            purpose="direct_marketing",
            channel=channel,
            is_granted=True,
            via="staff",
        )
services.record_consent(
    customer=c,
    purpose="direct_marketing",
    channel="sms",
    is_granted=False,
    via="staff",
    occurred_at=now + dt.timedelta(seconds=1),
)
services.set_marketing_ban(customer=b, channel="email", scope="direct_marketing", via="staff")
SuppressionEntry.objects.create(kind="phone", value_hash=keyed_hash("phone", a.phone))
parsed = parse_ban_register(
    service="post",
    upload=io.BytesIO("sukunimi;katuosoite;postinumero\nÖHMAN;hämeentie 5a3;00100\n".encode()),
)
import_ban_register(parsed=parsed, file_name="x.csv", list_date=now.date(), imported_by=None)

row = (
    Customer.objects.filter(pk=a.pk)
    .annotate(h=KeyedHash(F("email"), kind="email"), n=NormalisedText(F("last_name")))
    .values_list("h", "n")
    .get()
)
assert row == (keyed_hash("email", a.email), "ÄIJÄLÄ"), row
assert not is_marketable(a, "email")  # suppressed phone keeps them out everywhere
assert not is_marketable(b, "email")  # banned from email
assert is_marketable(b, "sms")
assert not is_marketable(b, "post")  # on the postal restriction list
assert is_marketable(c, "email") and not is_marketable(c, "sms")  # withdrew SMS
assert [r[0] for r in audience_rows("email")] == [c.number]

Order.objects.create(customer=c, number="T1")
assert list(search_customers(Customer.objects.all(), "c@example.fi")) == [c]
assert list(search_customers(Customer.objects.all(), "040 333 3333")) == [c]
assert list(search_customers(Customer.objects.all(), c.formatted_number)) == [c]
assert list(search_customers(Customer.objects.all(), "äijä")) == [a]
assert list(search_customers(Customer.objects.all(), "ÅSA ÖHM")) == [b]
assert EstimatedCountPaginator(Customer.objects.all(), 2).count == 3
assert table_count(Customer) == 3
assert "T1" in orders_section(c)

figures = marketing_figures(timezone.localdate())
granted = figures["charts"][0]["table"]["rows"][-1][1]
assert sum(granted) == 12, granted
assert request_queue(timezone.localdate())["open_total"] == 0
assert dict(register_counts()["rows"])["asiakkaita"] == 3

# The portal's order list through the portable three-query path, and its digest.
order = Order.objects.get(number="T1")
OrderLine.objects.create(order=order, product_name="Kahvi", quantity=2, unit_price_net=5)
shipment = Shipment.objects.create(order=order, carrier="posti", tracking_code="JJFI9")
TrackingEvent.objects.create(shipment=shipment, occurred_at=now, status="x", location="Oulu")
page = orders_page(c.pk, 1, 10)
(row,) = list(page.object_list)
assert (row.number, row.lines[0].product_name, page.paginator.count) == ("T1", "Kahvi", 1)
assert "Oulu</li>" in row.shipments[0].events and "posti.fi" in row.shipments[0].tracking_url
TrackingEvent.objects.create(shipment=shipment, occurred_at=now, status="y")
assert orders_page(c.pk, 1, 10).digest != page.digest
(last,) = orders_page(c.pk, 5, 10).object_list  # past the end: the last page
assert last.number == "T1"

entry = record(actor=None, action=AuditEntry.Action.VIEW, customer_id=c.pk)
with contextlib.suppress(ValidationError):
    entry.delete()
assert AuditEntry.objects.filter(pk=entry.pk).exists()
# A list's entries go in as one plain INSERT: the values must read back as the ORM wrote them.
record_views(
    actor=None,
    search={"kind": "name"},
    rows=[(c.pk, "customers.customer:list", {"objects": [c.pk]})],
)
listed = AuditEntry.objects.get(
    action=AuditEntry.Action.VIEW, object_label="customers.customer:list"
)
assert (listed.customer_id, listed.details, listed.occurred_at.tzinfo is not None) == (
    c.pk,
    {"objects": [c.pk]},
    True,
)
assert AuditEntry.objects.get(action=AuditEntry.Action.SEARCH).details == {"kind": "name"}
assert get_user_model().objects.count() == 0
print("SQLITE-OK")
