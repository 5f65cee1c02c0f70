"""The shop's own words must not promise a purpose it has switched off (statement.purposes).

The generated statement leaves a switched-off purpose out and the code refuses it; a hand-written
part, an own purpose, data held outside or a consent wording that still speaks of it is a gap,
and publishing is refused until it is reworded or the purpose switched back on.
"""

import pytest
from django.core.exceptions import ValidationError

from customers.models import ConsentWording
from demo.shop import ensure_demo_statement
from statement.completeness import completeness
from statement.models import (
    STATEMENT_LANGUAGES,
    OutsideCategory,
    ShopPurpose,
    StatementDraft,
    StatementPart,
    StatementVersion,
)
from statement.publishing import publish_statement
from statement.purposes import OPTIONAL, Mention, mentions
from tests.staff.test_statement_admin import DRAFT_URL, _publish
from tests.statement.test_purposes_off import say_nothing_of_optional_purposes

ALL = list(OPTIONAL)
REDEEMERS_GAP = (
    "Osa ”Rekisteröityjen ryhmät” (suomeksi) mainitsee sanan ”lahjakortin”, mutta kauppa ei "
    "käytä käsittelyn tarkoitusta ”Lahjakorttien lunastaminen”: poista maininta tai ota "
    "tarkoitus käyttöön."
)


def _named(text: str, language: str = "fi") -> list[tuple[str, str]]:
    return [(m.key, m.word) for m in mentions(text, language, ALL)]


# The matcher.


def test_every_optional_purpose_has_words_in_every_statement_language():
    for entry in OPTIONAL.values():
        assert set(entry.words) == set(STATEMENT_LANGUAGES), entry.purpose.key
        assert all(stem == stem.lower() for stems in entry.words.values() for stem in stems)


def test_a_stem_names_its_purpose_in_any_inflection_and_case():
    assert _named("Rekisteröityjä ovat asiakkaat ja lahjakortin lunastajat.") == [
        ("gift_cards", "lahjakortin")
    ]
    assert _named("LAHJAKORTTEJA myydään.") == [("gift_cards", "LAHJAKORTTEJA")]
    assert _named("Osallistuminen markkina- ja mielipidetutkimuksiin") == [
        ("market_research", "mielipidetutkimuksiin")
    ]
    assert _named("Julkaisemme referenssilistan.") == [("reference_list", "referenssilistan")]
    assert _named("Tietoja käytetään tilastointiin.") == [("statistics", "tilastointiin")]
    assert _named("Markkinointia kohdennetaan ostojen mukaan.") == [("targeting", "kohdennetaan")]
    assert _named("Uppgifterna används för profilering.", "sv") == [("targeting", "profilering")]
    assert _named("We redeem gift-cards and giftcards.", "en") == [("gift_cards", "gift-cards")]


def test_only_the_start_of_a_word_counts_so_unrelated_words_do_not_trip_it():
    # "lahja" (a gift) is no gift card, "tutkimme" (we look into) and "tutkinta" (an
    # investigation) no research, a payment reference no reference list, a customer's profile
    # page no profiling, and Statistics Finland no statistics of the shop's own.
    assert _named("Lahjapaketointi ja lahjat toimitetaan erikseen.") == []
    assert _named("Tutkimme reklamaatiot, ja poliisin tutkinta voi vaatia tietoja.") == []
    assert _named("Tilastokeskus voi lain nojalla pyytää tietoja.") == []
    assert _named("Ange betalningens referensnummer.", "sv") == []
    assert _named("Quote the payment reference. See your profile page.", "en") == []
    # Nor a word inside another: the stem must start the word.
    assert _named("Kävijätilastot ja asiakasreferenssit") == []


def test_a_language_is_matched_with_its_own_words_only():
    assert mentions("Lahjakortit", "en", ALL) == []
    assert mentions("gift cards", "fi", ALL) == []
    assert mentions("Lahjakortit ja tilastot", "fi", ["statistics"]) == [
        Mention("statistics", "tilastot")
    ]


def test_a_clause_that_denies_promises_nothing():
    assert _named("Emme profiloi asiakkaita.") == []
    assert _named("Tietoja ei käytetä profilointiin eikä tilastointiin.") == []
    assert _named("Vi använder inte uppgifterna för profilering.", "sv") == []
    assert _named("No data is used for profiling.", "en") == []
    # A denial in one clause does not cover a promise in another.
    assert _named(
        "Markkinointia kohdennetaan ostohistorian perusteella vain, jos et ole kieltänyt "
        "profilointia."
    ) == [("targeting", "kohdennetaan")]
    assert _named(
        "Marketing is targeted by purchase history only if you have not objected to profiling.",
        "en",
    ) == [("targeting", "targeted")]


# The gap.


def _draft_off(*keys: str) -> StatementDraft:
    ensure_demo_statement()
    draft = StatementDraft.current()
    draft.purposes_off = list(keys)
    say_nothing_of_optional_purposes(draft)
    draft.save()
    return draft


def _mention_gaps(draft: StatementDraft) -> list[str]:
    return [gap for gap in completeness(draft) if "mainitsee sanan" in gap]


@pytest.mark.django_db
def test_a_part_naming_gift_cards_switched_off_is_a_gap_and_is_not_published(
    client, register_admin, otp_login
):
    admin_client = otp_login(client, register_admin)
    draft = _draft_off("gift_cards")
    assert _mention_gaps(draft) == []
    draft.set_text(
        StatementPart.DATA_SUBJECTS, "fi", "Verkkokaupan asiakkaat ja lahjakortin lunastajat."
    )
    draft.save()

    gaps = _mention_gaps(draft)
    assert gaps == [REDEEMERS_GAP]
    assert gaps[0].url == f"{DRAFT_URL}{draft.pk}/change/#id_text_data_subjects_fi"
    with pytest.raises(ValidationError) as refused:
        publish_statement(draft=draft)
    assert REDEEMERS_GAP in refused.value.messages

    # The staff panel lists it with a link to the text, and publishing there is refused too.
    page = admin_client.get(f"{DRAFT_URL}{draft.pk}/change/").content.decode()
    assert REDEEMERS_GAP in page
    assert f'<a href="{gaps[0].url}">Korjaa tästä</a>' in page
    assert 'id="id_text_data_subjects_fi"' in page
    response = _publish(admin_client, draft)
    shown = [str(m) for m in admin_client.get(response["Location"]).context["messages"]]
    assert "Selostetta ei julkaistu, koska siitä puuttuu:" in shown
    assert REDEEMERS_GAP in shown
    assert StatementVersion.objects.count() == 1

    # Reworded, the gap is gone and the statement is published.
    draft.set_text(StatementPart.DATA_SUBJECTS, "fi", "Verkkokaupan asiakkaat.")
    draft.confirm_translations(StatementPart.DATA_SUBJECTS)  # they never named gift cards
    draft.save()
    assert _mention_gaps(draft) == []
    assert publish_statement(draft=draft).snapshot["purposes_off"] == ["gift_cards"]


@pytest.mark.django_db
def test_only_the_languages_the_shop_serves_are_read():
    draft = _draft_off("gift_cards")
    draft.set_text(StatementPart.DISCLOSURES, "sv", "Presentkortens inlösare anmäls till oss.")
    draft.save()
    assert _mention_gaps(draft) == [
        "Osa ”Tietojen luovutukset (johdanto)” (ruotsiksi) mainitsee sanan ”Presentkortens”, "
        "mutta kauppa ei käytä käsittelyn tarkoitusta ”Lahjakorttien lunastaminen”: poista "
        "maininta tai ota tarkoitus käyttöön."
    ]
    draft.serves_swedish = False
    draft.save()
    assert _mention_gaps(draft) == []


@pytest.mark.django_db
def test_a_purpose_switched_on_may_be_named():
    draft = _draft_off()
    draft.set_text(StatementPart.DATA_SUBJECTS, "fi", "Asiakkaat ja lahjakortin lunastajat.")
    draft.save()
    assert _mention_gaps(draft) == []


@pytest.mark.django_db
def test_an_own_purpose_and_data_held_outside_are_read_but_not_a_catalogue_purpose(
    client, register_admin, otp_login
):
    admin_client = otp_login(client, register_admin)
    draft = _draft_off("statistics", "targeting")
    ShopPurpose.objects.create(draft=draft, catalogue_key="analytics")
    own = ShopPurpose.objects.create(
        draft=draft,
        basis="f",
        name_fi="Asiakaspalautteen käsittely",
        name_sv="Behandling av kundrespons",
        name_en="Handling customer feedback",
        legitimate_interest_fi="Palvelun parantaminen.",
        legitimate_interest_sv="Att förbättra tjänsten.",
        legitimate_interest_en="Improving the service with statistics of feedback.",
        description_fi="Vapaaehtoista.",
        description_sv="Frivilligt.",
        description_en="Voluntary.",
    )
    outside = OutsideCategory.objects.create(
        draft=draft,
        name_fi="Kampanjarekisteri",
        name_sv="Kampanjregister",
        name_en="Campaign register",
        description_fi="Kenelle kohdennettuja kampanjoita on lähetetty.",
        description_sv="Vem som fått kampanjer.",
        description_en="Who received campaigns.",
        held_in_fi="Taulukko",
        held_in_sv="Tabell",
        held_in_en="Spreadsheet",
        retention_months=12,
    )
    gaps = _mention_gaps(draft)
    assert gaps == [
        "Käsittelyn tarkoitus ”Asiakaspalautteen käsittely” (englanniksi) mainitsee sanan "
        "”statistics”, mutta kauppa ei käytä käsittelyn tarkoitusta ”Liiketoiminnan "
        "kehittäminen ja tilastointi”: poista maininta tai ota tarkoitus käyttöön.",
        "Rekisterin ulkopuolella pidetty tietoryhmä ”Kampanjarekisteri” (suomeksi) mainitsee "
        "sanan ”kohdennettuja”, mutta kauppa ei käytä käsittelyn tarkoitusta ”Markkinoinnin "
        "kohdentaminen ostohistorian perusteella (profilointi)”: poista maininta tai ota "
        "tarkoitus käyttöön.",
    ]
    # Each links to the field on the draft's page (the own purpose is its second inline row).
    page = admin_client.get(f"{DRAFT_URL}{draft.pk}/change/").content.decode()
    for gap, field in zip(
        gaps,
        ("purposes-1-legitimate_interest_en", "outside_categories-0-description_fi"),
        strict=True,
    ):
        assert gap.url == f"{DRAFT_URL}{draft.pk}/change/#id_{field}"
        assert f'id="id_{field}"' in page
    own.legitimate_interest_en = "Improving the service."
    own.save()
    outside.description_fi = "Kenelle kampanjoita on lähetetty."
    outside.save()
    assert _mention_gaps(draft) == []


@pytest.mark.django_db
def test_a_consent_wording_the_portal_asks_with_may_not_name_a_purpose_switched_off():
    draft = _draft_off("market_research")
    # The research switches' own wordings are not asked while research is off: no gap.
    assert ConsentWording.objects.filter(purpose="research").exists()
    assert _mention_gaps(draft) == []
    wording = ConsentWording.objects.get(purpose="direct_marketing", channel="email")
    wording.text_fi = "Tarjoukset, uutiskirjeet ja asiakastyytyväisyyskyselyt sähköpostiini"
    wording.save()
    gaps = _mention_gaps(draft)
    assert gaps == [
        f"Suostumuksen sanamuoto ”{wording}” (suomeksi) mainitsee sanan "
        "”asiakastyytyväisyyskyselyt”, mutta kauppa ei käytä käsittelyn tarkoitusta ”Markkina- "
        "ja mielipidetutkimukset”: poista maininta tai ota tarkoitus käyttöön."
    ]
    assert gaps[0].url == f"/hallinta/customers/consentwording/{wording.pk}/change/#id_text_fi"
    with pytest.raises(ValidationError):
        publish_statement(draft=draft)
