"""The privacy statement: generated sections, completeness, publishing and immutability."""

import hashlib
import json
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy

from demo.shop import ensure_demo_controller, ensure_demo_statement
from privacy import declaration
from privacy.declaration import Basis, Category, Erasure, Field, Purpose, Retention
from privacy.vocabulary import CUSTOMER_RELATIONSHIP, FROM_CUSTOMER
from statement.completeness import completeness, untranslated_declaration_texts
from statement.content import build_statement
from statement.models import (
    Controller,
    StatementDraft,
    StatementPart,
    StatementRecipient,
    StatementVersion,
)
from statement.publishing import content_hash, publish_statement

pytestmark = pytest.mark.django_db

# Lazy like a declaration's texts, but named so makemessages leaves these test-only texts out of
# the catalogues: they must stay untranslated.
untranslated = gettext_lazy


@pytest.fixture
def complete_draft() -> StatementDraft:
    """Return the demo shop's complete draft (published once as version 1)."""
    ensure_demo_statement()
    return StatementDraft.current()


def _section(statement, key):
    return next(s for s in statement.sections if s.key == key)


@contextmanager
def _extra_declared_field(*, purpose=CUSTOMER_RELATIONSHIP, retention_label="Kokeilutiedot."):
    """Declare one more personal-data field (the controller's website) for the test's length."""
    field = Field(
        category=Category(
            "test_extra", untranslated("Kokeiluryhmä"), 999, untranslated("Kokeilutiedot.")
        ),
        purposes=(purpose,),
        source=FROM_CUSTOMER,
        retention=Retention(
            "test_extra",
            untranslated(retention_label),
            months=3,
            counted_from=untranslated("kokeilusta"),
            reason=untranslated("Kokeilun arviointi."),
        ),
        erasure=Erasure.DELETE,
    )
    declaration.declare(Controller, customer_path=None, fields={"website": field})
    try:
        yield
    finally:
        declaration.undeclare(Controller)


def _retention_rows(statement) -> dict[str, tuple[str, str]]:
    """Return {counted from: (the data it covers, why)} of the retention table."""
    return {
        start: (data, why)
        for data, _period, start, why in _section(statement, "retention").table.rows
    }


def test_data_content_and_retention_follow_the_declaration(complete_draft):
    statement = build_statement(complete_draft, "fi")
    data_content = dict(_section(statement, "data_content").items)
    assert list(data_content) == [str(c.label) for c, _f in declaration.by_category()]
    assert data_content["Yhteystiedot"].startswith("Osoitteesi, sähköpostiosoitteesi")
    vouchers = next(
        (data, law)
        for start, (data, law) in _retention_rows(statement).items()
        if start.startswith("sen kalenterivuoden lopusta")
    )
    assert vouchers[0] == "Tilaushistoria, laskutus- ja perintätiedot, toimituksen seurantatiedot"
    assert vouchers[1].endswith("Lainkohta: kirjanpitolaki 1336/1997, 2 luvun 10 §.")
    purposes = dict(_section(statement, "purposes").items)
    service = purposes["Asiakaspalvelu ja reklamaatioiden käsittely"]
    assert "oikeutettu etu (6 artiklan 1 kohdan f alakohta)" in service
    assert "Oikeutettu etu: Asiakkaan yhteydenottoihin vastaaminen" in service


def test_every_purpose_says_whether_providing_the_data_is_required(complete_draft):
    # GDPR 13(2)(e): a statutory or contractual requirement, and what follows if not provided.
    purposes = dict(_section(build_statement(complete_draft, "fi"), "purposes").items)
    assert len(purposes) == len(declaration.used("purposes"))
    assert all(len(text.splitlines()) >= 2 for text in purposes.values()), purposes
    assert (
        "ilman niitä emme voi ottaa tilausta vastaan"
        in (purposes["Asiakassuhteen hoitaminen ja tilausten toimittaminen"])
    )


def test_a_purpose_without_its_requirement_is_listed_as_missing(complete_draft):
    purpose = Purpose("test_unstated", untranslated("Kokeilutarkoitus"), Basis.CONTRACT)
    with _extra_declared_field(purpose=purpose):
        gaps = completeness(complete_draft)
    assert any(
        "”Kokeilutarkoitus” puuttuu tieto" in gap and "(13 artiklan 2 kohdan e alakohta)" in gap
        for gap in gaps
    )


@pytest.mark.parametrize(
    ("language", "portal", "right_to_object"),
    [
        ("fi", "/oma/", "Vastustamisoikeus ja suoramarkkinointikielto (21 artikla)"),
        (
            "sv",
            "/sv/oma/",
            "Rätt att göra invändningar och förbud mot direktmarknadsföring (artikel 21)",
        ),
        ("en", "/en/oma/", "Right to object and to refuse direct marketing (Article 21)"),
    ],
)
def test_every_right_is_listed_with_the_portal_in_each_language(
    complete_draft, language, portal, right_to_object
):
    rights = _section(build_statement(complete_draft, language), "rights")
    assert len(rights.items) == 7  # access, rectification, erasure, restriction, objection,
    # portability and withdrawing consent (GDPR 13(2)(b)-(c))
    assert right_to_object in dict(rights.items)
    assert any(portal in paragraph for paragraph in rights.paragraphs)
    assert any("tietosuoja@esimerkkikauppa.example" in p for p in rights.paragraphs)


def test_declaring_a_new_field_changes_the_next_draft(complete_draft):
    before = build_statement(complete_draft, "fi")
    assert "Kokeiluryhmä" not in dict(_section(before, "data_content").items)
    with _extra_declared_field(retention_label="Kokeilutiedot 3 kuukautta."):
        after = build_statement(complete_draft, "fi")
    assert dict(_section(after, "data_content").items)["Kokeiluryhmä"] == "Kokeilutiedot."
    assert _retention_rows(after)["kokeilusta"] == ("Kokeiluryhmä", "Kokeilun arviointi.")


def test_every_statement_part_has_a_heading_in_each_language(complete_draft):
    headings = {lang: build_statement(complete_draft, lang).headings for lang in ("fi", "sv", "en")}
    assert "Rekisterin tietosisältö" in headings["fi"]
    assert "Registrets datainnehåll" in headings["sv"]
    assert "Data content of the register" in headings["en"]
    assert len(set(headings["fi"]) & set(headings["sv"])) == 0
    assert len(headings["fi"]) == len(headings["sv"]) == len(headings["en"])


def test_empty_draft_lists_what_is_missing_in_finnish():
    ensure_demo_controller()
    gaps = completeness(StatementDraft.current())
    assert "Evästeet: teksti puuttuu." in gaps
    assert "Rekisteröityjen ryhmät: teksti puuttuu." in gaps
    missing = "Tietojen vastaanottajia ja käsittelijöitä ei ole lueteltu (13 artiklan 1 kohdan e"
    assert f"{missing} alakohta)." in gaps


def test_a_missing_translation_names_its_language(complete_draft):
    complete_draft.set_text(StatementPart.COOKIES, "sv", "")
    complete_draft.set_text(StatementPart.COOKIES, "en", "")
    complete_draft.save()
    assert completeness(complete_draft) == [
        "Evästeet: ruotsinkielinen käännös puuttuu.",
        "Evästeet: englanninkielinen käännös puuttuu.",
    ]


OUTDATED = (
    "Evästeet: {} teksti on kirjoitettu aiemmalle suomenkieliselle tekstille. Päivitä käännös "
    "tai vahvista, että se vastaa suomenkielistä."
)


def test_a_translation_written_for_an_earlier_finnish_text_is_refused_until_checked(
    complete_draft,
):
    """Finnish is the source of truth: its change outdates the translations written before it."""
    complete_draft.set_text(StatementPart.COOKIES, "fi", "Emme käytä evästeitä lainkaan.")
    complete_draft.save()
    complete_draft.refresh_from_db()  # kept in the database, not on the instance
    assert completeness(complete_draft) == [
        OUTDATED.format("ruotsinkielinen"),
        OUTDATED.format("englanninkielinen"),
    ]
    with pytest.raises(ValidationError):
        publish_statement(draft=complete_draft)

    complete_draft.set_text(StatementPart.COOKIES, "sv", "Vi använder inga kakor alls.")
    assert completeness(complete_draft) == [OUTDATED.format("englanninkielinen")]
    complete_draft.confirm_translations(StatementPart.COOKIES)
    assert completeness(complete_draft) == []

    # A later Finnish change outdates them again; the Finnish text they were written for does not.
    complete_draft.set_text(StatementPart.COOKIES, "fi", "Emme käytä evästeitä.")
    assert len(completeness(complete_draft)) == 2
    complete_draft.set_text(StatementPart.COOKIES, "fi", "Emme käytä evästeitä lainkaan.")
    assert completeness(complete_draft) == []


def test_a_finnish_only_shop_has_no_outdated_translation_to_check(complete_draft):
    complete_draft.serves_swedish = complete_draft.serves_english = False
    complete_draft.set_text(StatementPart.COOKIES, "fi", "Emme käytä evästeitä lainkaan.")
    assert complete_draft.translation_outdated(StatementPart.COOKIES, "sv")
    assert completeness(complete_draft) == []


def test_a_transfer_outside_the_eea_needs_a_safeguard(complete_draft):
    StatementRecipient.objects.filter(country="US").update(safeguard="")
    assert completeness(complete_draft) == [
        "Vastaanottajalta ”Sähköpostipalvelun toimittaja” puuttuu siirron suojatoimi "
        "(13 artiklan 1 kohdan f alakohta ja 45–47 artikla)."
    ]


def test_a_recipient_in_a_third_country_makes_a_transfer_by_its_country_alone(complete_draft):
    complete_draft.recipients.filter(country="US").delete()
    statement = build_statement(complete_draft, "en")
    assert _section(statement, "transfers").paragraphs[0] == (
        "No data is transferred outside the EU/EEA."
    )
    complete_draft.recipients.create(
        name_fi="Pilvipalvelu", name_sv="Molntjänst", name_en="Cloud service", country="IN"
    )
    gaps = completeness(complete_draft)
    assert any("Pilvipalvelu" in gap and "suojatoimi" in gap for gap in gaps)
    StatementRecipient.objects.filter(country="IN").update(safeguard="scc")
    transfers = dict(_section(build_statement(complete_draft, "en"), "transfers").items)
    assert transfers["Cloud service"] == (
        "Country: India. Safeguard: standard data protection clauses adopted by the European "
        "Commission."
    )


def test_a_recipient_form_refuses_a_third_country_without_a_safeguard(complete_draft):
    recipient = StatementRecipient(draft=complete_draft, name_fi="Pilvipalvelu", country="IN")
    with pytest.raises(ValidationError) as refused:
        recipient.full_clean()
    assert "safeguard" in refused.value.message_dict


def test_missing_controller_details_are_listed():
    ensure_demo_controller()
    Controller.objects.update(business_id="", register_name="")
    gaps = completeness(StatementDraft.current())
    assert "Rekisterinpitäjän Y-tunnus puuttuu." in gaps
    assert "Rekisterin nimi puuttuu." in gaps


def test_an_untranslated_register_name_names_its_language(complete_draft):
    Controller.objects.update(register_name_en="")
    assert completeness(complete_draft) == ["Rekisterin nimi: englanninkielinen käännös puuttuu."]
    assert _section(build_statement(complete_draft, "sv"), "register_name").paragraphs == (
        "Esimerkkikauppa Oy:s kundregister",
    )


def test_publishing_an_incomplete_draft_is_refused_with_the_finnish_list():
    ensure_demo_controller()
    draft = StatementDraft.current()
    draft.set_text(StatementPart.COOKIES, "fi", "Käytämme vain välttämättömiä evästeitä.")
    draft.save()
    with pytest.raises(ValidationError) as refused:
        publish_statement(draft=draft)
    assert "Evästeet: ruotsinkielinen käännös puuttuu." in refused.value.messages
    assert "Suoramarkkinointi: teksti puuttuu." in refused.value.messages
    assert not StatementVersion.objects.exists()


def test_publishing_freezes_every_language_with_a_hash(complete_draft, register_admin):
    complete_draft.set_text(StatementPart.COOKIES, "fi", "Emme käytä evästeitä lainkaan.")
    complete_draft.confirm_translations(StatementPart.COOKIES)  # still say the same
    complete_draft.save()
    version = publish_statement(draft=complete_draft, user=register_admin)
    assert version.number == 2
    assert set(version.rendered_html) == {"fi", "sv", "en"}
    assert "Esimerkkikauppa Oy" in version.rendered_html["sv"]
    assert "Den registrerades rättigheter" in version.rendered_html["sv"]
    assert "Rights of the data subject" in version.rendered_html["en"]
    expected = hashlib.sha256(
        json.dumps(version.rendered_html, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    assert version.content_hash == expected == content_hash(version.rendered_html)
    assert version.published_by == register_admin


def test_the_statement_points_at_the_portal_and_the_ombudsman(complete_draft):
    html = StatementVersion.latest().rendered_html
    assert "/oma/" in html["fi"]
    assert "/sv/oma/" in html["sv"]
    assert "tietosuoja@om.fi" in html["fi"]
    assert "PL 800, 00531 Helsinki" in html["fi"]
    assert "00531 Helsingfors" in html["sv"]


def test_a_published_version_never_changes(complete_draft):
    version = StatementVersion.latest()
    original = dict(version.rendered_html)
    version.rendered_html = {"fi": "muutettu"}
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        StatementVersion.objects.filter(pk=version.pk).update(content_hash="x")
    with pytest.raises(ValidationError):
        version.delete()
    with pytest.raises(ValidationError):
        StatementVersion.objects.all().delete()
    version.refresh_from_db()
    assert version.rendered_html == original


def test_the_database_refuses_to_change_or_delete_a_published_version(complete_draft):
    version = StatementVersion.latest()
    for sql in (
        "UPDATE privacy_statementversion SET rendered_html = '{}'::jsonb WHERE id = %s",
        "UPDATE privacy_statementversion SET content_hash = 'x' WHERE id = %s",
        "DELETE FROM privacy_statementversion WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [version.pk])
    version.refresh_from_db()
    assert version.content_hash == content_hash(version.rendered_html)


def test_deleting_the_publisher_keeps_the_version(complete_draft, register_admin):
    complete_draft.set_text(StatementPart.COOKIES, "fi", "Emme käytä evästeitä lainkaan.")
    complete_draft.confirm_translations(StatementPart.COOKIES)  # still say the same
    complete_draft.save()
    version = publish_statement(draft=complete_draft, user=register_admin)
    register_admin.delete()
    version.refresh_from_db()
    assert version.published_by is None
    assert version.number == 2


def test_a_later_draft_change_does_not_touch_the_published_version(complete_draft):
    first = StatementVersion.latest()
    complete_draft.set_text(StatementPart.COOKIES, "fi", "Emme käytä evästeitä lainkaan.")
    complete_draft.confirm_translations(StatementPart.COOKIES)  # still say the same
    complete_draft.save()
    second = publish_statement(draft=complete_draft)
    first.refresh_from_db()
    assert "Emme käytä evästeitä lainkaan." in second.rendered_html["fi"]
    assert "Emme käytä evästeitä lainkaan." not in first.rendered_html["fi"]
    assert second.content_hash != first.content_hash


def test_demo_statement_is_published_once():
    first = ensure_demo_statement()
    again = ensure_demo_statement()
    assert first == again
    assert StatementVersion.objects.count() == 1
    assert completeness(StatementDraft.current()) == []


def test_an_untranslated_declaration_text_is_reported_per_language(complete_draft):
    with _extra_declared_field():
        gaps = untranslated_declaration_texts()
    assert "Rekisterin sanaston tekstiltä ”Kokeiluryhmä” puuttuu ruotsinkielinen käännös." in gaps
    assert "Rekisterin sanaston tekstiltä ”Kokeiluryhmä” puuttuu englanninkielinen käännös." in gaps


def test_every_declared_text_is_translated_to_swedish_and_english():
    # A new category, purpose, source or retention rule needs its sv/en catalogue entries,
    # or the Swedish and English statements would show it in Finnish.
    assert untranslated_declaration_texts() == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", ["C. Varmuuskopiot", "säilytetään 14 päivää", "poistot tehdään uudelleen"]),
        (
            "sv",
            [
                "C. Säkerhetskopior",
                "bevaras i 14 dagar",
                "görs alla raderingar som gjorts efter den på nytt",
            ],
        ),
        ("en", ["C. Backups", "kept for 14 days", "erasure made since is carried out again"]),
    ],
)
def test_the_security_section_says_how_long_backups_keep_erased_data(
    complete_draft, settings, language, expected
):
    # deploy/backup.sh prunes backups after BACKUP_KEEP_DAYS; a restore re-applies erasures.
    settings.BACKUP_KEEP_DAYS = 14
    statement = build_statement(complete_draft, language)
    (security,) = [s for s in statement.sections if s.key == "security"]
    text = " ".join(f"{term} {description}" for term, description in security.items)
    for phrase in expected:
        assert phrase in text
