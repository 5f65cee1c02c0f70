"""What an old statement sets up (`ImportResult.setup`), prose statements, the promise review."""

import pytest

from statement.importer import StatementImportError, parse_statement
from statement.importer.catalogue_keys import PURPOSE_KEYS
from statement.importer.promises import (
    DROP,
    MAPPED,
    OUTSIDE,
    UNKNOWN,
    review_promise,
    review_promises,
)
from tests.statement.import_expectations import FIXTURES, parse_file

SEEDS = FIXTURES / "seeds"
PROSE = FIXTURES / "statements" / "paahtimo_proosa.txt"
NO_CONTROLLER = dict.fromkeys(
    ("name", "business_id", "street_address", "postal_code", "post_office", "email", "phone"), ""
)


def _setup(name: str) -> dict:
    return parse_file(SEEDS / name).setup


def test_postcardissimo_gives_its_company_y_tunnus_and_contact_address():
    setup = _setup("000_e966481798ddf730.txt")
    assert setup["controller"] == {
        **NO_CONTROLLER, "name": "Postcardissimo Oy", "business_id": "2786213-7",
    }  # fmt: skip
    assert setup["contact_person"] == {
        "name": "", "email": "customerservice@postcardissimo.com", "phone": "",
    }  # fmt: skip
    # "Rekisteriä ei luovuteta…" but "…viranomaisen lakiin perustuvasta pyynnöstä".
    assert setup["recipients"] == ["viranomaiset"]
    assert setup["purposes"] == [
        "customer_relationship", "marketing", "direct_marketing_profiling", "market_research",
        "analytics", "service_development",
    ]  # fmt: skip
    assert setup["sources"] == ["data_subject"]
    assert setup["transfers"] == []


def test_komiat_hetket_gives_its_po_box_phone_and_contact_person():
    setup = _setup("001_db8140427b108a6d.txt")
    assert setup["controller"] == {
        "name": "Komiat Hetket Oy",
        "business_id": "2311066-7",
        "street_address": "PL 11",
        "postal_code": "60101",
        "post_office": "Seinäjoki",
        "email": "",
        "phone": "0400 417 447",
    }
    assert setup["contact_person"] == {
        "name": "Heidi Saukko",
        "email": "",
        "phone": "040 - 8498 246",
    }
    assert setup["recipients"] == []
    assert setup["purposes"] == ["customer_relationship", "marketing", "analytics"]
    assert setup["sources"] == ["data_subject", "population_register", "restriction_lists"]


def test_offistore_names_a_person_as_controller_and_its_disclosure_recipients():
    setup = _setup("002_db6dfb59f197885c.txt")
    person = {"email": "marko.rinnetmaki@offistore.fi", "phone": "0504353330"}
    assert setup["controller"] == {**NO_CONTROLLER, "name": "Marko Rinnetmäki", **person}
    assert setup["contact_person"] == {"name": "Marko Rinnetmäki", **person}
    assert setup["recipients"] == [
        "luottotietoyhtiö", "perintätoimisto", "laskutuspalvelu", "viranomaiset",
    ]  # fmt: skip
    assert {"credit_check", "debt_collection", "direct_marketing_profiling"} <= set(
        setup["purposes"]
    )
    assert setup["sources"] == [
        "data_subject",
        "address_updates",
        "partners",
        "cookies_and_tracking",
    ]
    # "ei siirretä Euroopan Unionin ulkopuolelle, ellei …": no country is named.
    assert setup["transfers"] == []


def test_webstrella_names_no_controller_so_none_is_guessed():
    setup = _setup("003_2462a533b62ed91f.txt")
    assert setup["controller"] == NO_CONTROLLER
    assert setup["contact_person"] == {"name": "Jyri Tähtelä", "email": "", "phone": ""}
    assert setup["recipients"] == ["viranomaiset"]  # "Ellei lainsäädäntö siihen pakota"
    assert setup["purposes"] == [
        "customer_relationship", "order_delivery", "analytics", "service_development",
    ]  # fmt: skip


def test_finanime_gives_its_street_address_contact_and_carrier():
    setup = _setup("004_09d16aaa72ee3a86.txt")
    assert setup["controller"] == {
        **NO_CONTROLLER,
        "name": "Finanime Sekai",
        "business_id": "2787109-2",
        "street_address": "Joutsentie 8",
        "postal_code": "00730",
        "post_office": "Helsinki",
    }
    assert setup["contact_person"] == {
        "name": "Kaj Söderholm", "email": "kaj.soderholm@finanime.fi", "phone": "+358 50 436 3099",
    }  # fmt: skip
    assert setup["recipients"] == ["Posti", "perintätoimisto", "laskutuspalvelu", "viranomaiset"]
    assert "parcel_tracing" in setup["purposes"]
    assert setup["sources"] == []  # no section on sources


def test_every_recognised_purpose_is_a_catalogue_key():
    for seed in sorted(SEEDS.glob("*.txt")):
        assert set(parse_file(seed).setup["purposes"]) <= set(PURPOSE_KEYS)


# --- Prose statements -------------------------------------------------------------------------


def test_a_statement_in_paragraphs_without_headings_is_placed_by_what_each_says():
    result = parse_file(PROSE)
    assert result.sections["controller"].startswith("Yritys: Kahvipaahtimo Kaarna Oy")
    assert result.sections["purposes"].startswith("Käytämme asiakkaidemme tietoja")
    assert result.sections["data_content"].startswith("Keräämme sinusta nimen")
    assert (
        result.sections["sources"]
        == "Tiedot saamme sinulta itseltäsi, kun tilaat verkkokaupastamme."
    )
    assert "Postille tai Matkahuollolle" in result.sections["disclosures"]
    assert "24 kuukauden kuluttua" in result.sections["retention"]
    assert "suojattu salasanoin" in result.sections["security"]
    assert result.sections["rights"].startswith("Sinulla on oikeus tarkastaa")
    assert "tietosuojavaltuutetulle" in result.sections["complaint"]
    assert "controller" not in result.missing and "retention" not in result.missing
    assert any("ei ole otsikoita" in note for note in result.notes)


def test_a_prose_statement_reports_its_setup():
    setup = parse_file(PROSE).setup
    assert setup == {
        "controller": {
            "name": "Kahvipaahtimo Kaarna Oy",
            "business_id": "3141593-8",
            "street_address": "Rantakatu 5 B",
            "postal_code": "40100",
            "post_office": "Jyväskylä",
            "email": "kauppa@kaarna.fi",
            "phone": "040 123 4567",
        },
        "contact_person": {
            "name": "Anna Koivisto",
            "email": "anna.koivisto@kaarna.fi",
            "phone": "",
        },
        "recipients": ["Posti", "Matkahuolto", "Paytrail"],
        "sources": ["data_subject"],
        # "Kirjanpitolaki velvoittaa…" is read as retention, not as a purpose.
        "purposes": ["customer_relationship", "order_delivery", "newsletter"],
        "transfers": [],
    }


def test_prose_without_a_controller_is_still_not_a_statement():
    with pytest.raises(StatementImportError, match="vain yksi"):
        parse_statement(
            "Evästeet\n\nKäytämme sivustollamme evästeitä, jotta ostoskori toimii.\n\n"
            "Säilytämme tietoja kaksi vuotta.\n\nSinulla on oikeus tarkastaa tietosi.\n"
        )


def test_y_tunnus_and_email_are_recognised_wherever_they_are_written():
    text = (
        "Tietosuojaseloste\n\n1. Rekisterinpitäjä\n\nPyöräpaja Vauhti\n\n"
        "2. Käsittelyn tarkoitus\n\nTilausten toimittaminen.\n\n"
        "3. Rekisteröidyn oikeudet\n\nPyynnöt osoitteeseen tietosuoja@vauhti.fi. "
        "Yrityksemme Y-tunnus on 3141591-1.\n"
    )
    controller = parse_statement(text).setup["controller"]
    assert controller["business_id"] == "3141591-1"
    assert controller["email"] == "tietosuoja@vauhti.fi"
    assert controller["name"] == "Pyöräpaja Vauhti"


def test_a_number_that_fails_the_check_digit_is_not_a_y_tunnus():
    text = (
        "Rekisterinpitäjä\n\nPyöräpaja Vauhti, Y-tunnus 3141591-2\n\n"
        "Käsittelyn tarkoitus\n\nTilausten toimittaminen.\n"
    )
    assert parse_statement(text).setup["controller"]["business_id"] == ""


def test_a_third_country_named_for_the_servers_is_a_transfer():
    text = (
        "Rekisterinpitäjä\n\nKauppa Oy\n\nTietojen siirto EU:n ulkopuolelle\n\n"
        "Uutiskirjepalvelun palvelimet sijaitsevat Yhdysvalloissa; siirto perustuu "
        "vakiolausekkeisiin.\n"
    )
    assert parse_statement(text).setup["transfers"] == ["US"]


# --- The promise review -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")), ids=lambda n: n[:3])
def test_every_promise_of_each_seed_is_mapped_or_dropped_or_the_shops_own(seed):
    reviews = review_promises(parse_file(SEEDS / seed).promises)
    assert reviews
    assert {r.status for r in reviews} <= {MAPPED, DROP, OUTSIDE}
    assert all(r.explanation for r in reviews)


@pytest.mark.parametrize(
    ("sentence", "status", "rule"),
    [
        (
            "Ilmoitamme aina välittömästi asiakkaalle, emmekä koskaan luovuta tietoja ilman "
            "tuomioistuimen lainvoimaista määräystä.",
            DROP,
            "court_order_only",
        ),
        ("Asiakkaidemme tiedot ovat täysin turvassa.", DROP, "absolute_security"),
        (
            "Tarkastuspyyntö tulee lähettää kirjallisesti ja allekirjoitettuna.",
            DROP,
            "written_request",
        ),
        ("Tekemällä tilauksen asiakas suostuu tietojen luovutukseen.", DROP, "bundled_consent"),
        (
            "Tiedot poistetaan 24 kuukauden kuluttua viimeisestä tilauksesta.",
            MAPPED,
            "retention_period",
        ),
        ("Tietoja ei luovuteta ulkopuolisille.", MAPPED, "no_disclosure"),
        ("Sinulla on oikeus tarkastaa tietosi.", MAPPED, "access"),
        ("Rekisteriä käytetään myös kadonneiden pakettien seurantaan.", MAPPED, "parcel_tracing"),
        ("Tietokannat sijaitsevat lukituissa tiloissa.", OUTSIDE, "premises"),
        ("Pidämme huolta asiakkaistamme.", UNKNOWN, ""),
    ],
)
def test_a_promise_is_mapped_to_its_mechanism_or_dropped_with_a_reason(sentence, status, rule):
    review = review_promise(sentence)
    assert (review.status, review.rule) == (status, rule)
    assert review.explanation


def test_finanimes_court_order_promise_is_to_be_dropped_because_authorities_need_none():
    reviews = review_promises(parse_file(SEEDS / "004_09d16aaa72ee3a86.txt").promises)
    court = next(r for r in reviews if "tuomioistuimen" in r.text)
    assert court.status == DROP
    assert "ilman tuomioistuimen määräystä" in court.explanation
    told = next(r for r in reviews if r.text.startswith("Näistä olosuhteista tiedotetaan"))
    assert (told.status, told.rule) == (MAPPED, "told_first")
