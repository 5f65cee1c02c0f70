"""The shop maps its purposes onto the register's declared categories (issue 20, item 1): the
statement says which data a shop purpose uses, and the access package which of the customer's."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from demo.shop import ensure_demo_statement
from privacy.vocabulary import BASIC, CONTACT, GIFT_CARDS, ORDERS
from rights.access import build_access_files
from statement.content import build_statement, shop_purpose_entries
from statement.models import ShopPurpose, StatementDraft
from statement.publishing import publish_statement, stale_reason
from statement.record import build_processing_record
from tests.factories import CustomerFactory
from tests.statement.test_content import _extra_declared_field, _section
from tests.statement.test_shop_processing import PRIZE_DRAWS, _own_purpose, _pdf_text

pytestmark = pytest.mark.django_db

# What a category's text in the data-content section says of a shop purpose mapped onto it.
ALSO = {
    "fi": "Käytämme näitä tietoja myös: Arvontojen järjestäminen.",
    "sv": "Vi använder dessa uppgifter även för: Att ordna utlottningar.",
    "en": "We also use this data for: Running prize draws.",
}


def _content(draft: StatementDraft, language: str) -> dict[str, str]:
    return dict(_section(build_statement(draft, language), "data_content").items)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_statement_names_a_shop_purpose_with_the_categories_it_uses(language):
    ensure_demo_statement()
    draft = StatementDraft.current()
    _own_purpose(draft, categories=[CONTACT.key, ORDERS.key])
    content = _content(draft, language)
    mapped = [term for term, text in content.items() if ALSO[language] in text]
    with translation.override(language):
        assert mapped == [str(CONTACT.label), str(ORDERS.label)]


def test_the_mapping_makes_the_statement_stale_until_published():
    ensure_demo_statement()
    draft = StatementDraft.current()
    purpose = _own_purpose(draft)
    publish_statement(draft=draft)
    assert stale_reason(draft) is None
    purpose.categories = [BASIC.key]
    purpose.save()
    assert "Rekisteri ei enää vastaa" in stale_reason(draft)
    publish_statement(draft=draft)
    assert stale_reason(draft) is None


def test_the_processing_record_names_the_shop_purpose_too():
    ensure_demo_statement()
    draft = StatementDraft.current()
    _own_purpose(draft, categories=[ORDERS.key])
    record = dict(_section(build_processing_record(draft), "data_content").items)
    assert ALSO["fi"] in record[str(ORDERS.label)]


def test_a_purpose_the_declaration_already_gives_a_category_is_not_said_again():
    ensure_demo_statement()
    draft = StatementDraft.current()
    ShopPurpose.objects.create(
        draft=draft, catalogue_key="customer_relationship", categories=[BASIC.key]
    )
    assert "Käytämme näitä tietoja myös" not in _content(draft, "fi")[str(BASIC.label)]


@pytest.mark.parametrize(
    "key, categories",
    [
        ("order_delivery", ["contact", "delivery"]),
        ("credit_check", ["basic"]),
        ("newsletter", ["contact", "marketing"]),
        ("analytics", []),
    ],
)
def test_a_catalogue_purpose_starts_with_its_usual_categories(key, categories):
    ensure_demo_statement()
    purpose = ShopPurpose.objects.create(draft=StatementDraft.current(), catalogue_key=key)
    assert purpose.categories == categories
    # Changed by the register admin, the choice stays.
    purpose.categories = []
    purpose.save()
    purpose.refresh_from_db()
    assert purpose.categories == []


def test_a_category_the_shop_switched_off_cannot_be_picked_nor_come_back():
    ensure_demo_statement()
    draft = StatementDraft.current()
    with _extra_declared_field(purpose=GIFT_CARDS):
        purpose = _own_purpose(draft, categories=["test_extra"])
        purpose.full_clean()  # in use while gift cards are
        assert "Kokeilutiedot." in _content(draft, "fi")["Kokeiluryhmä"]

        draft.purposes_off = ["gift_cards"]
        draft.save()
        with pytest.raises(ValidationError) as refused:
            purpose.full_clean()
        assert refused.value.message_dict["categories"] == [
            "Tietoryhmää ”Kokeiluryhmä” ei voi valita: kauppa on poistanut käytöstä kaikki "
            "tarkoitukset, joihin sen tietoja käytetään, joten seloste ei kerro siitä. Ota "
            "jokin niistä käyttöön tai jätä ryhmä valitsematta."
        ]
        # A mapping stored before the switch does not bring the category's text back.
        assert "Kokeiluryhmä" not in _content(draft, "fi")
        assert shop_purpose_entries(draft, "fi")[0]["categories"] == []


@pytest.mark.parametrize(
    "language, credit, basic, used",
    [
        ("fi", "Luottotietojen tarkistaminen lasku- tai osamaksuostoksessa",
         "Asiakkaan perustiedot", "Tietosi, joita tähän käytetään:"),
        ("en", "Checking credit information for purchases on invoice or instalments",
         "Basic customer data", "Your data used for this:"),
    ],
)  # fmt: skip
def test_the_access_package_names_the_customers_data_each_shop_purpose_uses(
    language, credit, basic, used
):
    """GDPR 15(1)(a): which of the customer's own data a shop purpose uses, from the version."""
    ensure_demo_statement()
    draft = StatementDraft.current()
    ShopPurpose.objects.create(draft=draft, catalogue_key="credit_check")
    # Onto orders too, which this customer has none of: not named for them.
    _own_purpose(draft, categories=[BASIC.key, ORDERS.key])
    publish_statement(draft=draft)
    # After publishing, a change to the draft is not what the package says.
    ShopPurpose.objects.filter(catalogue_key="credit_check").update(categories=[CONTACT.key])
    customer = CustomerFactory(preferred_language=language)
    files = build_access_files(customer=customer)

    purposes = {p["name"]: p for p in json.loads(files["tiedot.json"])["purposes"]}
    assert purposes[credit]["categories"] == [[BASIC.key, basic]]
    own = PRIZE_DRAWS[f"name_{language}"]
    assert purposes[own]["categories"] == [[BASIC.key, basic]]

    text = _pdf_text(files["tiedot.pdf"])
    assert f"{used} {basic}." in text.split(credit, 1)[1][:600]
    assert f"{used} {basic}." in text.split(own, 1)[1][:600]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_statement_pdf_names_the_mapping(language):
    from statement.publishing import render_preview_pdf

    ensure_demo_statement()
    draft = StatementDraft.current()
    _own_purpose(draft, categories=[ORDERS.key])
    with translation.override(language):
        orders = str(ORDERS.label)
    text = _pdf_text(render_preview_pdf(draft, language))
    assert ALSO[language] in text.split(orders, 1)[1][:400]
