"""The shop's processing as data: its purposes, data held outside the register, retention
choices and the languages it serves, each in the statement, the access package and the sweep."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from demo.shop import ensure_demo_controller, ensure_demo_statement
from privacy.deadlines import add_months
from privacy.declaration import Basis
from privacy.vocabulary import WHILE_CUSTOMER
from rights.access import build_access_pdf, exported_tables
from rights.retention import retention_sweep
from statement.completeness import completeness
from statement.models import (
    OutsideCategory,
    RetentionChoice,
    ShopPurpose,
    StatementDraft,
    StatementPart,
    StatementVersion,
)
from statement.publishing import publish_statement, stale_reason
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\u2010\n", "").split())


# What the register admin types in the staff panel (the browser test types the same).
ANALYTICS = {
    "name_fi": "Verkkosivuston käyttötiedot",
    "name_sv": "Uppgifter om användningen av webbplatsen",
    "name_en": "Website usage data",
    "description_fi": "Mitä sivuja katsoit ja milloin.",
    "description_sv": "Vilka sidor du såg och när.",
    "description_en": "Which pages you viewed and when.",
    "held_in_fi": "Google Analytics",
    "held_in_sv": "Google Analytics",
    "held_in_en": "Google Analytics",
    "retention_months": 14,
}
PRIZE_DRAWS = {
    "name_fi": "Arvontojen järjestäminen",
    "name_sv": "Att ordna utlottningar",
    "name_en": "Running prize draws",
    "legitimate_interest_fi": "Asiakkaiden palkitseminen arvonnoilla.",
    "legitimate_interest_sv": "Att belöna kunderna med utlottningar.",
    "legitimate_interest_en": "Rewarding customers with prize draws.",
    "description_fi": "Osallistuminen on vapaaehtoista.",
    "description_sv": "Deltagandet är frivilligt.",
    "description_en": "Taking part is voluntary.",
}


def _analytics(draft: StatementDraft, **fields) -> OutsideCategory:
    return OutsideCategory.objects.create(draft=draft, **{**ANALYTICS, **fields})


def _own_purpose(draft: StatementDraft, **fields) -> ShopPurpose:
    values = {**PRIZE_DRAWS, "basis": Basis.LEGITIMATE_INTEREST, **fields}
    return ShopPurpose.objects.create(draft=draft, **values)


def _html(version: StatementVersion, language: str = "fi") -> str:
    return " ".join(version.html(language).split())


def test_data_held_outside_the_register_is_in_the_statement_and_makes_it_stale():
    ensure_demo_statement()
    draft = StatementDraft.current()
    assert stale_reason(draft) is None
    category = _analytics(draft)
    analytics = ShopPurpose.objects.create(draft=draft, catalogue_key="analytics")
    category.purposes.add(analytics)
    assert "versio 1" in stale_reason(draft)

    version = publish_statement(draft=draft)
    assert stale_reason(draft) is None
    html = _html(version)
    assert "Verkkosivuston käyttötiedot" in html
    assert "Pidämme näitä tietoja rekisterin ulkopuolella: Google Analytics." in html
    assert "Tarkoitus: Verkkosivuston käytön analysointi." in html
    # The retention table has its row, the purposes section the enabled catalogue purpose.
    assert '<th scope="row">Verkkosivuston käyttötiedot</th>' in html
    assert "14 kuukautta" in html
    assert "Verkkosivuston käytön analysointi</dt>" in html
    assert "Which pages you viewed and when." in _html(version, "en")
    assert version.snapshot["outside"]["sv"][0][0] == "Uppgifter om användningen av webbplatsen"


def test_the_access_package_names_what_is_held_outside_and_where():
    ensure_demo_statement()
    draft = StatementDraft.current()
    _analytics(draft, held_in_fi="paperiarkisto", held_in_sv="pappersarkiv")
    publish_statement(draft=draft)
    customer = CustomerFactory(preferred_language="fi")
    with translation.override("fi"):
        text = _pdf_text(build_access_pdf(customer=customer, tables=exported_tables(customer)))
    assert "Ne eivät ole tässä paketissa; saat ne pyytämällä meiltä." in text
    assert "Verkkosivuston käyttötiedot" in text
    assert "Pidämme näitä tietoja rekisterin ulkopuolella: paperiarkisto." in text


def test_an_outside_category_is_translated_into_each_served_language():
    ensure_demo_statement()
    draft = StatementDraft.current()
    _analytics(draft, name_sv="", held_in_fi="")
    gaps = completeness(draft)
    assert (
        "Rekisterin ulkopuolella pidetty tietoryhmä ”Verkkosivuston käyttötiedot”: "
        "säilytyspaikka puuttuu." in gaps
    )
    assert (
        "Rekisterin ulkopuolella pidetty tietoryhmä ”Verkkosivuston käyttötiedot”: "
        "ruotsinkielinen käännös puuttuu." in gaps
    )
    with pytest.raises(ValidationError):
        OutsideCategory(draft=draft, name_fi="Paperilomakkeet").full_clean()


def test_a_legitimate_interest_purpose_must_state_the_interest():
    ensure_demo_statement()
    draft = StatementDraft.current()
    purpose = _own_purpose(draft, legitimate_interest_fi="", legitimate_interest_sv="")
    assert (
        "Käsittelyn tarkoitukselta ”Arvontojen järjestäminen” puuttuu oikeutettu etu "
        "(6 artiklan 1 kohdan f alakohta)." not in completeness(draft)
    )
    assert any(
        gap.startswith("Käsittelyn tarkoitukselta ”Arvontojen järjestäminen” puuttuu oikeutettu")
        for gap in completeness(draft)
    )
    with pytest.raises(ValidationError):
        publish_statement(draft=draft)
    purpose.legitimate_interest_fi = "Asiakkaiden palkitseminen arvonnoilla."
    purpose.legitimate_interest_sv = "Att belöna kunderna med utlottningar."
    purpose.save()
    assert completeness(draft) == []
    version = publish_statement(draft=draft)
    html = _html(version)
    assert "<dt>Arvontojen järjestäminen</dt>" in html
    assert "Oikeutettu etu: Asiakkaiden palkitseminen arvonnoilla." in html
    assert "Running prize draws" in _html(version, "en")


def test_a_catalogue_purpose_the_code_declares_is_listed_once():
    ensure_demo_statement()
    draft = StatementDraft.current()
    ShopPurpose.objects.create(draft=draft, catalogue_key="customer_relationship")
    with pytest.raises(ValidationError, match="Mikään ei ole muuttunut"):
        publish_statement(draft=draft)
    credit = ShopPurpose.objects.create(draft=draft, catalogue_key="credit_check")
    version = publish_statement(draft=draft)
    html = _html(version)
    assert html.count("Asiakassuhteen hoitaminen ja tilausten toimittaminen</dt>") == 1
    assert "Luottotappioiden välttäminen" in html
    with pytest.raises(ValidationError):
        ShopPurpose(draft=draft, catalogue_key="credit_check", name_fi="Oma").full_clean()
    assert credit.purpose().basis == Basis.LEGITIMATE_INTEREST


def _months_ago(months: int) -> dt.datetime:
    day = add_months(timezone.localdate(), -months)
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def test_a_retention_choice_is_bounded_by_the_rule():
    draft = StatementDraft.current()
    with pytest.raises(ValidationError, match="12–60 kuukautta"):
        RetentionChoice(draft=draft, rule=WHILE_CUSTOMER.key, months=6).full_clean()
    with pytest.raises(ValidationError):
        RetentionChoice(draft=draft, rule="accounting_vouchers", months=12).full_clean()
    RetentionChoice(draft=draft, rule=WHILE_CUSTOMER.key, months=24).full_clean()


def test_the_sweep_enforces_the_period_the_published_statement_chose(settings):
    settings.RETENTION_INACTIVE_MONTHS = 36
    ensure_demo_statement()
    draft = StatementDraft.current()
    dormant = CustomerFactory(last_activity_at=_months_ago(14))
    RetentionChoice.objects.create(draft=draft, rule=WHILE_CUSTOMER.key, months=12)
    # Chosen but not yet published: the customer was told 36 months, so 36 months it is.
    assert WHILE_CUSTOMER.in_months() == 36
    assert retention_sweep()["inactive_customers"] == 0
    assert "versio 1" in stale_reason(draft)

    version = publish_statement(draft=draft)
    assert "12 kuukautta" in _html(version)
    assert WHILE_CUSTOMER.in_months() == 12
    assert retention_sweep()["inactive_customers"] == 1
    dormant.refresh_from_db()
    assert dormant.erased_at is not None


def test_a_finnish_only_shop_publishes_in_finnish_alone(django_capture_on_commit_callbacks):
    ensure_demo_statement()  # publishes version 1 in all three languages
    controller = ensure_demo_controller()
    controller.register_name_sv = controller.register_name_en = ""
    controller.save()
    draft = StatementDraft.current()
    draft.serves_swedish = draft.serves_english = False
    for part in StatementPart:
        draft.set_text(part, "sv", "")
        draft.set_text(part, "en", "")
    draft.save()
    draft.recipients.update(name_sv="", name_en="")
    _analytics(draft, name_sv="", name_en="", description_sv="", description_en="")
    _own_purpose(draft, name_sv="", name_en="", legitimate_interest_sv="", description_sv="")

    assert completeness(draft) == []
    with django_capture_on_commit_callbacks(execute=True):
        version = publish_statement(draft=draft)
    assert version.languages == ("fi",)
    assert version.snapshot["languages"] == ["fi"]
    assert "Arvontojen järjestäminen" in version.html("fi")
    # Asked for in another language, the page and its PDF are the Finnish statement.
    assert version.html("sv") == version.html("fi")
    # The worker printed its PDF in Finnish only.
    assert list(version.pdfs.values_list("language", flat=True)) == ["fi"]


def test_a_finnish_only_draft_is_previewed_in_finnish_only(client, register_admin, otp_login):
    ensure_demo_statement()
    draft = StatementDraft.current()
    draft.serves_swedish = draft.serves_english = False
    draft.save()
    otp_login(client, register_admin)
    preview = client.get(f"/hallinta/statement/statementdraft/{draft.pk}/esikatselu/")
    text = preview.content.decode()
    assert "Suomeksi" in text and "Ruotsiksi" not in text and "Englanniksi" not in text
    swedish = f"/hallinta/statement/statementdraft/{draft.pk}/esikatselu/sv/"
    assert client.get(swedish).status_code == 404


def test_a_shop_that_serves_swedish_needs_it_complete():
    ensure_demo_statement()
    draft = StatementDraft.current()
    draft.serves_english = False
    draft.set_text(StatementPart.COOKIES, "en", "")
    draft.set_text(StatementPart.COOKIES, "sv", "")
    draft.save()
    gaps = completeness(draft)
    assert "Evästeet: ruotsinkielinen käännös puuttuu." in gaps
    assert not any("englanninkielinen" in gap for gap in gaps)


def test_a_finnish_only_shop_offers_no_other_language(client):
    from django.core.cache import cache

    ensure_demo_statement()
    draft = StatementDraft.current()
    draft.serves_swedish = draft.serves_english = False
    draft.save()
    publish_statement(draft=draft)
    cache.clear()
    page = client.get("/tietosuojaseloste/").content.decode()
    assert 'hreflang="sv"' not in page and 'hreflang="en"' not in page
    portal = client.get("/oma/kirjaudu/").content.decode()
    assert 'hreflang="fi"' in portal
    assert 'hreflang="sv"' not in portal and 'hreflang="en"' not in portal
    # An address in another language still shows the statement, in Finnish.
    swedish = client.get("/sv/tietosuojaseloste/").content.decode()
    assert "Rekisterin tietosisältö" in swedish


def test_a_shop_serving_three_languages_offers_them_all(client):
    from django.core.cache import cache

    ensure_demo_statement()
    cache.clear()
    page = client.get("/tietosuojaseloste/").content.decode()
    assert 'hreflang="sv"' in page and 'hreflang="en"' in page
    portal = client.get("/oma/kirjaudu/").content.decode()
    assert 'hreflang="sv"' in portal and 'hreflang="en"' in portal


def test_the_shops_own_sources_are_in_the_statement_and_the_access_package():
    from statement.models import ShopSource

    ensure_demo_statement()
    draft = StatementDraft.current()
    ShopSource.objects.create(
        draft=draft,
        name_fi="Väestötietojärjestelmän osoitepäivitykset",
        name_sv="Adressuppdateringar från befolkningsdatasystemet",
    )
    gaps = completeness(draft)
    assert (
        "Tietolähde ”Väestötietojärjestelmän osoitepäivitykset”: englanninkielinen käännös "
        "puuttuu." in gaps
    )
    ShopSource.objects.filter(draft=draft).update(
        name_en="Address updates from the Population Information System"
    )
    version = publish_statement(draft=draft)
    assert "<li>Väestötietojärjestelmän osoitepäivitykset</li>" in version.html("fi")
    assert "<li>Address updates from the Population Information System</li>" in version.html("en")
    customer = CustomerFactory(preferred_language="fi")
    with translation.override("fi"):
        text = _pdf_text(build_access_pdf(customer=customer, tables=exported_tables(customer)))
    assert "Väestötietojärjestelmän osoitepäivitykset" in text


@pytest.mark.parametrize(
    ("language", "own", "outside", "basis"),
    [
        ("fi", "Arvontojen järjestäminen", "Verkkosivuston käyttötiedot (Google Analytics)",
         "oikeutettu etu"),
        ("sv", "Att ordna utlottningar", "Uppgifter om användningen av webbplatsen "
         "(Google Analytics)", "berättigat intresse"),
        ("en", "Running prize draws", "Website usage data (Google Analytics)",
         "legitimate interest"),
    ],
)  # fmt: skip
def test_the_access_package_lists_the_shops_own_purposes_and_those_of_data_held_outside(
    language, own, outside, basis
):
    """GDPR 15(1)(a): the purposes answer lists the statement's purposes, not only the fields'."""
    import json

    from rights.access import build_access_files

    ensure_demo_statement()
    draft = StatementDraft.current()
    _own_purpose(draft)
    analytics = ShopPurpose.objects.create(draft=draft, catalogue_key="analytics")
    _analytics(draft).purposes.add(analytics)
    publish_statement(draft=draft)
    customer = CustomerFactory(preferred_language=language)
    files = build_access_files(customer=customer)

    purposes = {p["name"]: p for p in json.loads(files["tiedot.json"])["purposes"]}
    assert purposes[own]["basis"] == Basis.LEGITIMATE_INTEREST
    with translation.override(language):
        analysis = str(analytics.purpose().label)
    assert purposes[analysis]["outside"] == [[outside.split(" (")[0], "Google Analytics"]]
    assert len(purposes) > 2  # the fields' purposes stay

    text = _pdf_text(files["tiedot.pdf"])
    answer = text.split(own, 1)[1][:400]
    assert basis in answer.lower()
    held = {
        "fi": "Tähän pidämme tietoja myös rekisterin ulkopuolella:",
        "sv": "För detta har vi uppgifter även utanför registret:",
        "en": "For this we also hold data outside the register:",
    }[language]
    assert f"{held} {outside}." in text.split(analysis, 1)[1]


def test_data_held_outside_may_come_from_the_shops_own_source_and_the_statement_says_so():
    from django.db.models import RestrictedError

    from statement.models import ShopSource

    ensure_demo_statement()
    draft = StatementDraft.current()
    source = ShopSource.objects.create(
        draft=draft,
        name_fi="Messujen arvontalomakkeet",
        name_sv="Utlottningsblanketter från mässor",
        name_en="Prize-draw forms from trade fairs",
    )
    category = _analytics(draft, shop_source=source)
    category.full_clean()
    version = publish_statement(draft=draft)
    assert "Tietolähde: Messujen arvontalomakkeet." in _html(version)
    assert "Källa: Utlottningsblanketter från mässor." in _html(version, "sv")
    assert "Source: Prize-draw forms from trade fairs." in _html(version, "en")
    with pytest.raises(RestrictedError):  # not deleted from under the category that names it
        source.delete()
    draft.delete()  # the draft takes both
    assert not ShopSource.objects.exists()


def test_the_shops_source_of_data_held_outside_can_be_chosen_in_the_staff_panel(
    client, register_admin, otp_login
):
    from statement.models import ShopSource

    ensure_demo_statement()
    draft = StatementDraft.current()
    ShopSource.objects.create(draft=draft, name_fi="Messujen arvontalomakkeet")
    _analytics(draft)
    otp_login(client, register_admin)
    page = client.get(f"/hallinta/statement/statementdraft/{draft.pk}/change/").content.decode()
    assert "Oma tietolähde" in page
    assert ">Messujen arvontalomakkeet</option>" in page
