"""A shop switches off declared purposes it does not have (statement.purposes).

Off on the published statement, a purpose is gone from the statement in every language, from the
access package and the Art. 30 record, and the code that does it refuses it; it cannot be
switched off while the register holds data only it explains.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from customers.audiences import export_audience, export_publication_list
from customers.marketing import USE_RESEARCH, USE_TARGETED, publishable
from customers.models import Customer
from demo.shop import ensure_demo_statement
from integrations.models import ApiToken
from integrations.services import create_api_token
from privacy import vocabulary
from privacy.models import AuditEntry
from rights.access import build_access_pdf, exported_tables
from statement.completeness import completeness
from statement.models import StatementDraft, StatementVersion
from statement.publishing import get_statement_pdf, publish_statement, stale_reason
from statement.record import build_processing_record
from tests.factories import CustomerFactory
from tests.staff.test_statement_admin import _form_data

pytestmark = pytest.mark.django_db

DRAFT_URL = "/hallinta/statement/statementdraft/{pk}/change/"


def _label(purpose, language: str) -> str:
    with translation.override(language):
        return str(purpose.label)


# The demo statement's parts that name gift cards and targeting, as a shop without them writes
# them: the shop's own words must not name a purpose it has switched off (statement.completeness).
WITHOUT_OPTIONAL = {
    "fi": {
        "data_subjects": "Verkkokaupan asiakkaat, uutiskirjeen tilaajat sekä yritysasiakkaiden "
        "yhteyshenkilöt.",
        "automated_decisions": "Emme tee rekisterin tietojen perusteella automaattisia "
        "päätöksiä, joilla on sinuun oikeudellisia tai vastaavia vaikutuksia.",
    },
    "sv": {
        "data_subjects": "Webbutikens kunder, nyhetsbrevets prenumeranter samt "
        "företagskundernas kontaktpersoner.",
        "automated_decisions": "Vi fattar inga automatiserade beslut med rättsliga eller "
        "liknande följder för dig.",
    },
    "en": {
        "data_subjects": "The web shop's customers, newsletter subscribers and contact persons "
        "of business customers.",
        "automated_decisions": "We make no automated decisions with legal or similarly "
        "significant effects on you.",
    },
}


def say_nothing_of_optional_purposes(draft: StatementDraft) -> None:
    """Reword the demo statement's parts that name optional purposes (not saved)."""
    for language, parts in WITHOUT_OPTIONAL.items():
        for part, text in parts.items():
            draft.set_text(part, language, text)


def _switch_off(*keys: str) -> StatementDraft:
    draft = StatementDraft.current()
    draft.purposes_off = list(keys)
    say_nothing_of_optional_purposes(draft)
    draft.save()
    return draft


def _publish_off(*keys: str) -> StatementVersion:
    ensure_demo_statement()
    return publish_statement(draft=_switch_off(*keys))


def _text(version: StatementVersion, language: str) -> str:
    return " ".join(version.html(language).split())


def _pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\u2010\n", "").replace("-\n", "").split())


def test_a_switched_off_purpose_leaves_the_statement_in_every_language():
    first = ensure_demo_statement()
    for language in ("fi", "sv", "en"):
        assert _label(vocabulary.GIFT_CARDS, language) in _text(first, language)
    draft = _switch_off("gift_cards", "reference_list")
    assert "versio 1" in stale_reason(draft)

    version = publish_statement(draft=draft)
    assert stale_reason(draft) is None
    assert version.snapshot["purposes_off"] == ["gift_cards", "reference_list"]
    for language in ("fi", "sv", "en"):
        html = _text(version, language)
        assert _label(vocabulary.GIFT_CARDS, language) not in html
        assert _label(vocabulary.REFERENCE_LIST, language) not in html
        # The purposes always on stay.
        assert _label(vocabulary.CUSTOMER_RELATIONSHIP, language) in html
        assert _label(vocabulary.MARKET_RESEARCH, language) in html
    # Nor does the direct-marketing section tell of redeemers or lists.
    html = _text(version, "fi")
    assert "Lahjakortin lunastajat" not in html and "Julkaiseminen luetteloissa" not in html
    assert "Markkina- ja mielipidetutkimukset</dt>" in html
    pdf = _pdf_text(get_statement_pdf(version=version, language="fi").file.read())
    assert "Asiakassuhteen hoitaminen" in pdf
    assert "Lahjakorttien lunastaminen" not in pdf


def test_a_field_left_with_no_purpose_in_use_leaves_the_data_content():
    ensure_demo_statement()
    draft = _switch_off("statistics")
    record = build_processing_record(draft)
    content = dict(next(s for s in record.sections if s.key == "data_content").items)
    demographics = content["Demografiatiedot ja kiinnostuksen kohteet"]
    assert "syntymäaika" in demographics and "kiinnostuksen kohteet" in demographics
    assert "ammatti" not in demographics

    version = publish_statement(draft=draft)
    html = _text(version, "fi")
    assert _label(vocabulary.STATISTICS, "fi") not in html
    # The category's sentence names the profession, so the fields in use are listed instead.
    assert "Syntymäaikasi, ammattisi" not in html
    assert "Asiakkaat: syntymäaika, kiinnostuksen kohteet" in html
    assert "Customers: date of birth, interests" in _text(version, "en")


def test_the_access_package_answers_without_a_switched_off_purpose():
    ensure_demo_statement()
    customer = CustomerFactory(preferred_language="fi")

    def package() -> str:
        with translation.override("fi"):
            pdf = build_access_pdf(customer=customer, tables=exported_tables(customer))
        return _pdf_text(pdf)

    assert "Lahjakorttien lunastaminen" in package()
    assert "Markkina- ja mielipidetutkimukset" in package()
    _publish_off("gift_cards", "market_research")
    text = package()
    assert "Mihin tietojasi käytetään" in text
    assert "Asiakassuhteen hoitaminen" in text
    assert "Lahjakorttien lunastaminen" not in text
    assert "Markkina- ja mielipidetutkimukset" not in text


def test_a_gift_card_redeemer_is_refused_while_gift_cards_are_off():
    ensure_demo_statement()
    CustomerFactory(source=Customer.Source.GIFT_CARD).delete()  # allowed while on
    _switch_off("gift_cards")
    # Only the draft: the statement in force still has gift cards.
    CustomerFactory(source=Customer.Source.GIFT_CARD).delete()
    publish_statement(draft=StatementDraft.current())
    with pytest.raises(ValidationError, match="Lahjakorttien lunastaminen ei ole käytössä"):
        CustomerFactory(source=Customer.Source.GIFT_CARD)
    assert not Customer.objects.filter(source=Customer.Source.GIFT_CARD).exists()
    with pytest.raises(ValidationError) as refused:
        Customer(first_name="Liisa", source=Customer.Source.GIFT_CARD).full_clean()
    assert "source" in refused.value.message_dict
    CustomerFactory(source=Customer.Source.ORDER)  # the other sources stay


def test_the_api_refuses_a_gift_card_redeemer_while_gift_cards_are_off():
    from rest_framework.test import APIClient

    _publish_off("gift_cards")
    _token, secret = create_api_token(name="Verkkokauppa", scopes=list(ApiToken.Scope.values))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = {"external_id": "gc-1", "first_name": "Liisa", "email": "liisa@example.fi"}
    response = api.post("/api/v1/customers/", {**body, "source": "gift_card"}, format="json")
    assert response.status_code == 400
    assert "Lahjakorttien lunastaminen ei ole käytössä" in str(response.json())
    assert not Customer.objects.filter(email="liisa@example.fi").exists()
    ok = api.post("/api/v1/customers/", {**body, "source": "order"}, format="json")
    assert ok.status_code == 201, ok.content


def test_the_staff_panel_offers_no_gift_card_source_and_does_not_ask_the_profession(
    client, register_admin, otp_login
):
    otp_login(client, register_admin)
    add = reverse("admin:customers_customer_add")
    page = client.get(add).content.decode()
    assert 'value="gift_card"' in page and 'name="profession"' in page
    _publish_off("gift_cards", "statistics")
    page = client.get(add).content.decode()
    assert 'value="gift_card"' not in page
    assert 'name="profession"' not in page
    assert 'name="birth_date"' in page
    response = client.post(
        add,
        {"first_name": "Liisa", "last_name": "Lunastaja", "source": "gift_card", "country": "FI"},
    )
    assert response.status_code == 200
    assert not Customer.objects.filter(last_name="Lunastaja").exists()


def test_a_profession_is_refused_while_statistics_is_off():
    _publish_off("statistics")
    with pytest.raises(ValidationError, match="Ammattia ei tallenneta"):
        CustomerFactory(profession="Kirjastonhoitaja")
    CustomerFactory(birth_date="1980-05-01", interests="Anime")  # other purposes keep these


def test_audiences_of_switched_off_purposes_are_refused(marketing):
    business = CustomerFactory(company="Oy Testi Ab", business_id="1234567-1")
    ensure_demo_statement()
    assert list(publishable(Customer.objects.all())) == [business]
    _publish_off("market_research", "targeting", "reference_list")
    # The rules themselves let no one in.
    assert not publishable(Customer.objects.all()).exists()
    assert not Customer.objects.marketable("post", use=USE_RESEARCH).exists()
    assert not Customer.objects.marketable("post", use=USE_TARGETED).exists()
    assert Customer.objects.marketable("post").exists()
    before = AuditEntry.objects.count()
    for use in ("research", "targeted"):
        with pytest.raises(ValidationError, match="ei ole käytössä"):
            export_audience(actor=marketing, channel="email", use=use)
    with pytest.raises(ValidationError, match="Yritysasiakkaiden nimien julkaiseminen"):
        export_publication_list(actor=marketing)
    assert AuditEntry.objects.count() == before  # nothing was exported
    export_audience(actor=marketing, channel="email", use="marketing")


def test_the_audiences_page_offers_no_switched_off_use(client, marketing, otp_login):
    _publish_off("market_research", "reference_list")
    otp_login(client, marketing)
    page = client.get(reverse("admin:audiences")).content.decode()
    assert "Markkina- ja mielipidetutkimus" not in page
    assert "Lataa asiakasluettelo" not in page
    assert "Ostohistorian perusteella kohdennettu markkinointi" in page
    url = reverse("admin:audience_use_export", args=["research", "email"])
    response = client.get(url, follow=True)
    assert "Markkina- ja mielipidetutkimukset” ei ole käytössä" in response.content.decode()
    response = client.get(reverse("admin:publication_list_export"), follow=True)
    assert "ei ole käytössä" in response.content.decode()


def test_switching_off_is_refused_while_the_register_holds_what_only_it_explains(
    client, register_admin, otp_login
):
    ensure_demo_statement()
    redeemer = CustomerFactory(source=Customer.Source.GIFT_CARD)
    otp_login(client, register_admin)
    draft = StatementDraft.current()
    url = DRAFT_URL.format(pk=draft.pk)
    form = _draft_form(client, url)
    response = client.post(url, {**form, "purposes_off": ["gift_cards"]})
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert "rekisterissä on 1 lahjakortin lunastajaa" in page
    assert "Poista heidän tietonsa" in page
    draft.refresh_from_db()
    assert draft.purposes_off == []
    # Written some other way, the draft cannot be published either.
    draft = _switch_off("gift_cards")
    assert any("1 lahjakortin lunastajaa" in gap for gap in completeness(draft))
    with pytest.raises(ValidationError):
        publish_statement(draft=draft)

    _switch_off()
    redeemer.delete()
    form = _draft_form(client, url)  # with the texts _switch_off reworded
    response = client.post(url, {**form, "purposes_off": ["gift_cards"]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.purposes_off == ["gift_cards"]
    change = AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).latest("pk")
    assert change.details["changes"] == [
        {"verb": "changed", "fields": ["Käytöstä poistetut tarkoitukset"]}
    ]


def _draft_form(client, url: str) -> dict:
    """Return the draft's form as the page posts it, its inlines' rows left out (kept)."""
    data = _form_data(client, url)
    for name in list(data):
        if name.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS")):
            data[name] = "0"
    return data


def test_data_held_outside_names_no_switched_off_purpose():
    from statement.models import OutsideCategory, ShopPurpose

    ensure_demo_statement()
    draft = StatementDraft.current()
    targeting = ShopPurpose.objects.create(draft=draft, catalogue_key="direct_marketing_profiling")
    analytics = ShopPurpose.objects.create(draft=draft, catalogue_key="analytics")
    category = OutsideCategory.objects.create(
        draft=draft,
        **{f"name_{lang}": "Selaushistoria" for lang in ("fi", "sv", "en")},
        **{f"description_{lang}": "Mitä tuotteita katsoit." for lang in ("fi", "sv", "en")},
        **{f"held_in_{lang}": "Google Analytics" for lang in ("fi", "sv", "en")},
        retention_months=14,
    )
    category.purposes.set([targeting, analytics])
    version = publish_statement(draft=_switch_off("targeting"))
    html = _text(version, "fi")
    assert "Tarkoitus: Verkkosivuston käytön analysointi." in html
    assert _label(vocabulary.TARGETING, "fi") not in html
    assert version.snapshot["outside"]["fi"][0][1].count("Tarkoitus:") == 1
    assert "kohdentaminen" not in version.snapshot["outside"]["fi"][0][1]
