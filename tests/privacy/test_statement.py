"""The privacy statement: generated sections, completeness, publishing and immutability."""

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from privacy import declaration
from privacy.declaration import Category, Erasure, Field, Retention
from privacy.demo import ensure_demo_controller, ensure_demo_statement
from privacy.models import Controller, StatementDraft, StatementVersion
from privacy.statement import (
    build_statement,
    completeness,
    publish_statement,
    untranslated_declaration_texts,
)
from privacy.statement_models import StatementPart, StatementRecipient
from privacy.vocabulary import CUSTOMER_RELATIONSHIP, FROM_CUSTOMER

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete_draft() -> StatementDraft:
    """Return the demo shop's complete draft (published once as version 1)."""
    ensure_demo_statement()
    return StatementDraft.current()


def _section(statement, key):
    return next(s for s in statement.sections if s.key == key)


def test_data_content_and_retention_follow_the_declaration(complete_draft):
    statement = build_statement(complete_draft, "fi")
    data_content = dict(_section(statement, "data_content").items)
    assert "Sähköpostiosoite" in data_content["Yhteystiedot"] or "sähköposti" in (
        data_content["Yhteystiedot"].lower()
    )
    retention = dict(_section(statement, "retention").items)
    assert "Kirjanpitolaki 1336/1997 2:10 §" in retention["Tilaushistoria"]
    purposes = dict(_section(statement, "purposes").items)
    assert "oikeutettu etu (6 art. 1 f)" in purposes["Asiakaspalvelu ja reklamaatioiden käsittely"]


def test_declaring_a_new_field_changes_the_next_draft(complete_draft):
    category = Category("test_extra", _("Kokeiluryhmä"), 999)
    retention = Retention("test_extra", _("Kokeilutiedot 3 kuukautta."))
    field = Field(
        category=category,
        purposes=(CUSTOMER_RELATIONSHIP,),
        source=FROM_CUSTOMER,
        retention=retention,
        erasure=Erasure.DELETE,
    )
    before = build_statement(complete_draft, "fi")
    assert "Kokeiluryhmä" not in dict(_section(before, "data_content").items)
    declaration.declare(Controller, customer_path=None, fields={"website": field})
    try:
        after = build_statement(complete_draft, "fi")
    finally:
        declaration.undeclare(Controller)
    assert dict(_section(after, "data_content").items)["Kokeiluryhmä"] == "Verkkosivusto"
    assert dict(_section(after, "retention").items)["Kokeiluryhmä"] == "Kokeilutiedot 3 kuukautta."


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
    assert "Tietojen vastaanottajia ja käsittelijöitä ei ole lueteltu (13 art. 1 e)." in gaps


def test_a_missing_translation_names_its_language(complete_draft):
    complete_draft.set_text(StatementPart.COOKIES, "sv", "")
    complete_draft.set_text(StatementPart.COOKIES, "en", "")
    complete_draft.save()
    assert completeness(complete_draft) == [
        "Evästeet: ruotsinkielinen käännös puuttuu.",
        "Evästeet: englanninkielinen käännös puuttuu.",
    ]


def test_a_transfer_outside_the_eea_needs_a_safeguard(complete_draft):
    StatementRecipient.objects.filter(is_outside_eea=True).update(safeguard="")
    assert any("puuttuu siirron suojatoimi" in gap for gap in completeness(complete_draft))


def test_missing_controller_details_are_listed():
    ensure_demo_controller()
    Controller.objects.update(business_id="", register_name="")
    gaps = completeness(StatementDraft.current())
    assert "Rekisterinpitäjän Y-tunnus puuttuu." in gaps
    assert "Rekisterin nimi puuttuu." in gaps


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
    version = publish_statement(draft=complete_draft, user=register_admin)
    assert version.number == 2
    assert set(version.rendered_html) == {"fi", "sv", "en"}
    assert "Esimerkkikauppa Oy" in version.rendered_html["sv"]
    assert "Den registrerades rättigheter" in version.rendered_html["sv"]
    assert "Rights of the data subject" in version.rendered_html["en"]
    expected = hashlib.sha256(
        json.dumps(version.rendered_html, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    assert version.content_hash == expected
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
    version.refresh_from_db()
    assert version.rendered_html == original


def test_a_later_draft_change_does_not_touch_the_published_version(complete_draft):
    first = StatementVersion.latest()
    complete_draft.set_text(StatementPart.COOKIES, "fi", "Emme käytä evästeitä lainkaan.")
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
    field = Field(
        category=Category("test_extra", _("Kokeiluryhmä"), 999),
        purposes=(CUSTOMER_RELATIONSHIP,),
        source=FROM_CUSTOMER,
        retention=Retention("while_customer_test", _("Asiakassuhteen ajan.")),
        erasure=Erasure.DELETE,
    )
    declaration.declare(Controller, customer_path=None, fields={"website": field})
    try:
        gaps = untranslated_declaration_texts()
    finally:
        declaration.undeclare(Controller)
    assert "Rekisterin sanaston tekstiltä ”Kokeiluryhmä” puuttuu ruotsinkielinen käännös." in gaps
    assert "Rekisterin sanaston tekstiltä ”Kokeiluryhmä” puuttuu englanninkielinen käännös." in gaps


def test_every_declared_text_is_translated_to_swedish_and_english():
    # A new category, purpose, source or retention rule needs its sv/en catalogue entries,
    # or the Swedish and English statements would show it in Finnish.
    assert untranslated_declaration_texts() == []
