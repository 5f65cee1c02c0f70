"""The statement says what the marketing rules do: its direct-marketing section comes from them.

Each sentence about who is marketed to through which channel is rendered from the facts the
rule reads (customers.marketing), so changing a fact changes the statement, and what the statement
promises per channel is what `marketable()` does to a customer.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from customers.ban_register import import_ban_register, parse_ban_register
from customers.marketing import is_marketable
from demo.shop import ensure_demo_statement
from statement.content import build_statement
from statement.models import StatementDraft
from tests.factories import CustomerFactory, OrderFactory

pytestmark = pytest.mark.django_db

CHANNELS = {"Sähköposti": "email", "Tekstiviesti": "sms", "Posti": "post", "Puhelin": "phone"}


@pytest.fixture
def draft() -> StatementDraft:
    ensure_demo_statement()
    return StatementDraft.current()


def _marketing(draft, language="fi") -> dict[str, str]:
    statement = build_statement(draft, language)
    return dict(next(s for s in statement.sections if s.key == "direct_marketing").items)


def _objection(draft, language="fi") -> str:
    statement = build_statement(draft, language)
    rights = dict(next(s for s in statement.sections if s.key == "rights").items)
    return next(text for term, text in rights.items() if "21" in term)


@pytest.mark.parametrize(("term", "channel"), CHANNELS.items())
def test_what_the_statement_says_of_a_channel_is_what_the_rule_does(draft, term, channel):
    rule = _marketing(draft)[term]
    consumer = CustomerFactory()  # no consent, never refused
    if "suostumusta ei tarvita" in rule:
        assert is_marketable(consumer, channel)
    else:
        assert rule.startswith("Kuluttaja-asiakkaille vain heidän suostumuksellaan.")
        assert not is_marketable(consumer, channel)
    business = CustomerFactory(company="Oy Ab", business_id="1572860-0")
    assert ("Yritysasiakkaille" in rule or "suostumusta ei tarvita" in rule) == is_marketable(
        business, channel
    )


def test_the_existing_customer_exception_is_told_only_while_it_is_used(draft, settings):
    settings.EXISTING_CUSTOMER_NOTICE_SINCE = None
    buyer = CustomerFactory()
    OrderFactory(customer=buyer)
    assert "omista vastaavista tuotteistamme" not in _marketing(draft)["Sähköposti"]
    assert not is_marketable(buyer, "email")
    settings.EXISTING_CUSTOMER_NOTICE_SINCE = timezone.localdate() - dt.timedelta(days=30)
    email = _marketing(draft)["Sähköposti"]
    assert "omista vastaavista tuotteistamme, kunnes he kieltävät sen" in email
    assert "omista vastaavista" not in _marketing(draft)["Tekstiviesti"]
    assert is_marketable(buyer, "email")


def test_screening_against_a_restriction_list_is_told_once_a_list_is_imported(draft):
    assert not any("ASML" in text for text in _marketing(draft).values())
    upload = SimpleUploadedFile("lista.csv", b"sukunimi;katuosoite;postinumero\nA;B 1;00100\n")
    import_ban_register(
        parsed=parse_ban_register(service="post", upload=upload),
        file_name="lista.csv",
        list_date=timezone.localdate(),
        imported_by=None,
    )
    told = _marketing(draft)
    assert "Asiakkuusmarkkinointiliiton (ASML) suoramainonnan rajoituspalvelusta" in told["Posti"]
    assert "ASML" not in told["Puhelin"]


def test_the_statement_tells_targeting_research_lists_gift_cards_children_and_opting_out(draft):
    told = _marketing(draft)
    assert "viimeisen 12 kuukauden ostojen perusteella" in told["Kohdennettu markkinointi"]
    assert "ellet ole kieltänyt profilointia" in told["Kohdennettu markkinointi"]
    research = told["Markkina- ja mielipidetutkimukset"]
    assert research.startswith("Sähköposti ja tekstiviesti: Kuluttaja-asiakkaille vain")
    assert "Kuluttaja-asiakkaita emme julkaise" in told["Julkaiseminen luetteloissa"]
    assert "ellei hän itse anna siihen suostumustaan" in told["Lahjakortin lunastajat"]
    assert told["Lapset"].startswith("Alle 13-vuotiaille emme markkinoi")
    refuse = told["Markkinoinnin kieltäminen"]
    assert "jokaisen markkinointiviestin peruutuslinkistä kirjautumatta" in refuse
    # The right to object says the same, from the same place.
    assert _objection(draft).endswith(refuse)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_marketing_rules_are_told_in_swedish_and_english_too(draft, language):
    finnish = _marketing(draft, "fi")
    told = _marketing(draft, language)
    assert len(told) == len(finnish) == 10
    for (fi_term, fi_text), (term, text) in zip(finnish.items(), told.items(), strict=True):
        assert term != fi_term and text != fi_text
    assert _objection(draft, language).endswith(told[list(told)[-1]])
