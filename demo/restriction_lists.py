"""The demo shop's restriction lists (ASML), so that its postal and phone audiences are screened.

A real list names mostly people who are not the shop's customers; the demo's names some demo
customers too (every SAMPLE_EVERY-th of the first SAMPLE_FROM by number), so the screening is
seen to remove someone. Imported through the same parser and import as a file staff upload.
"""

import datetime as dt
import io

from django.utils import timezone

from customers.ban_register import import_ban_register, parse_ban_register
from customers.models import BanRegisterImport, Customer

SAMPLE_FROM = 3000
SAMPLE_EVERY = 15
# People on the lists who are not customers, as on any real list.
STRANGERS = 50


def _upload(lines: list[str]) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def ensure_demo_restriction_lists() -> list[BanRegisterImport]:
    """Import a postal and a phone restriction list naming strangers and some demo customers."""
    sample = list(
        Customer.objects.order_by("number").values_list(
            "last_name", "street_address", "postal_code", "phone"
        )[:SAMPLE_FROM:SAMPLE_EVERY]
    )
    post = ["sukunimi;katuosoite;postinumero"]
    post += [f"Muukalainen{i};Ohikulkutie {i};00{i % 100:02d}0" for i in range(STRANGERS)]
    post += [f"{last};{street};{code}" for last, street, code, _phone in sample]
    phone = ["puhelin"]
    phone += [f"+35850{9_000_000 + i}" for i in range(STRANGERS)]
    phone += [number for *_address, number in sample if number]
    list_date = timezone.localdate() - dt.timedelta(days=7)
    return [
        import_ban_register(
            parsed=parse_ban_register(service=service, upload=_upload(lines)),
            file_name=f"asml-{service}-demo.csv",
            list_date=list_date,
            imported_by=None,
        )
        for service, lines in (("post", post), ("phone", phone))
    ]
