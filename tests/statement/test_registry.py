"""The recipients registry: every disclosure points to a recipient the statement in force names.

A disclosure to a recipient the statement does not name is refused with a message saying what to
do; the demo shop's statement names every carrier its disclosure log holds; the notices of
GDPR Art. 19 name the real recipients; and a register that no longer matches the statement in
force makes it stale, on the dashboard, the draft page and in `manage.py check`.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from customers.models import Customer, Disclosure, Order
from customers.services import record_disclosure
from demo.customers import seed_customers
from demo.shop import ensure_demo_statement
from rights.cases import receive_request, verify_identity
from rights.erasure import erase_customer
from rights.models import DataSubjectRequest
from statement.models import StatementDraft, StatementRecipient, StatementVersion
from statement.publishing import publish_statement, stale_reason
from tests.factories import CustomerFactory, OrderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]


@pytest.fixture
def published() -> StatementVersion:
    return ensure_demo_statement()


def _recipient(**fields) -> StatementRecipient:
    return StatementDraft.current().recipients.create(
        **{
            "name_fi": "Uusi Kumppani Oy",
            "name_sv": "Ny Partner Ab",
            "name_en": "New Partner Ltd",
            "role": "recipient",
            "country": "FI",
            **fields,
        }
    )


def test_a_disclosure_to_a_recipient_the_statement_does_not_name_is_refused(published):
    newcomer = _recipient(kind=StatementRecipient.Kind.ACCOUNTING)
    customer = CustomerFactory()
    with pytest.raises(ValidationError) as refused:
        record_disclosure(customer=customer, recipient=newcomer, fields=["email"], reason="x")
    assert "ei mainitse vastaanottajaa ”Uusi Kumppani Oy”" in refused.value.messages[0]
    assert not Disclosure.objects.exists()
    publish_statement(draft=StatementDraft.current())
    disclosure = record_disclosure(
        customer=customer, recipient=newcomer, fields=["email"], reason="Kirjanpito"
    )
    assert disclosure.listed_recipient == newcomer and disclosure.recipient == "Uusi Kumppani Oy"


def test_the_demo_statement_names_every_carrier_its_disclosure_log_holds(published):
    seed_customers(count=60, seed=3)
    version = StatementVersion.latest()
    used = set(Disclosure.objects.values_list("listed_recipient", flat=True))
    assert used and None not in used
    assert used <= set(version.recipient_ids)
    names = set(Disclosure.objects.values_list("recipient", flat=True))
    assert {"DHL Express (Finland) Oy", "Budbee Oy"} <= names
    for name in names:
        assert name in version.html("fi")


def test_the_art_19_notices_name_the_recipients_the_data_really_went_to(published):
    customer = CustomerFactory()
    order = OrderFactory(customer=customer, invoice_state=Order.InvoiceState.PAID)
    dhl = StatementDraft.current().recipients.get(carrier="dhl")
    record_disclosure(
        customer=customer, recipient=dhl, fields=["delivery_name"], reason="x", order=order
    )
    case = receive_request(
        kind=DataSubjectRequest.Kind.ERASURE,
        channel=DataSubjectRequest.Channel.EMAIL,
        customer=customer,
    )
    verify_identity(case=case, method=DataSubjectRequest.Verification.EMAIL_ON_FILE)
    erase_customer(customer=customer, case=case)
    assert list(case.notifications.values_list("recipient", flat=True)) == [
        "DHL Express (Finland) Oy"
    ]
    assert not Disclosure.objects.filter(customer=customer).exists()


def test_a_changed_register_makes_the_statement_stale_until_the_next_version(
    published, settings, register_admin, otp_login, client
):
    assert stale_reason() is None
    settings.RETENTION_INACTIVE_MONTHS = 12
    assert "versio 1" in stale_reason()
    out = io.StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "statement.W001" in out.getvalue()
    otp_login(client, register_admin)
    page = client.get("/hallinta/").content.decode()
    assert "Tietosuojaseloste on vanhentunut" in page
    publish_statement(draft=StatementDraft.current())
    assert stale_reason() is None
    assert "12 kuukautta" in StatementVersion.latest().html("fi")


@pytest.mark.parametrize(
    "change",
    [
        lambda: (
            StatementDraft.current()
            .recipients.filter(carrier="posti")
            .update(name_fi="Posti Group Oyj")
        ),
        lambda: Customer._meta.apps.get_model("statement", "Controller").objects.update(
            name="Uusi Nimi Oy"
        ),
        lambda: _recipient(kind=StatementRecipient.Kind.PAYMENT),
    ],
    ids=["recipient renamed", "controller renamed", "recipient added"],
)
def test_each_fact_the_statement_states_changes_its_digest(published, change):
    assert stale_reason() is None
    change()
    assert stale_reason() is not None
