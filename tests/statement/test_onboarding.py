"""Onboarding from the old statement: the comparison, and saving each confirmed section."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from demo.shop import ensure_demo_statement
from privacy.models import AuditEntry
from statement import onboarding
from statement.importing import import_statement
from statement.models import (
    Controller,
    ShopPurpose,
    ShopSource,
    StatementDraft,
    StatementRecipient,
)
from statement.publishing import publish_statement, stale_reason
from tests.statement.import_expectations import FIXTURES

pytestmark = pytest.mark.django_db

SEEDS = FIXTURES / "seeds"


def _import(name: str) -> StatementDraft:
    path = SEEDS / name
    import_statement(data=path.read_bytes(), filename=path.name)
    return StatementDraft.current()


def test_json_report_of_a_prose_statement_holds_its_setup():
    out = StringIO()
    call_command(
        "import_statement", str(FIXTURES / "statements" / "paahtimo_proosa.txt"), "--json",
        stdout=out,
    )  # fmt: skip
    setup = json.loads(out.getvalue())["setup"]
    assert setup["controller"]["business_id"] == "3141593-8"
    assert setup["contact_person"]["name"] == "Anna Koivisto"
    assert setup["recipients"] == ["Posti", "Matkahuolto", "Paytrail"]
    assert set(setup) == {
        "controller", "contact_person", "recipients", "sources", "purposes", "transfers",
    }  # fmt: skip
    assert not StatementDraft.objects.exists()


def test_komiat_hetkets_data_content_names_analytics_the_register_does_not_hold():
    draft = _import("001_db8140427b108a6d.txt")
    comparison = onboarding.compare_data_content(draft.imported["sections"]["data_content"])
    assert comparison.not_held == ["Tapahtuma- ja käyttäjäanalyysitiedot"]
    not_named = [str(c.label) for c in comparison.not_named]
    assert "Lokitiedot" in not_named and "Toimituksen seurantatiedot" in not_named
    assert "Demografiatiedot ja kiinnostuksen kohteet" not in not_named


def test_offistores_offers_and_quotes_are_not_held_by_the_register():
    draft = _import("002_db6dfb59f197885c.txt")
    comparison = onboarding.compare_data_content(draft.imported["sections"]["data_content"])
    assert comparison.not_held == ["tarjouksista"]
    assert ("Y-tunnus", ["Yritystiedot"]) in comparison.matched


def test_confirming_the_controller_creates_it_and_audits_the_change(register_admin):
    _import("004_09d16aaa72ee3a86.txt")
    values = {**_import("004_09d16aaa72ee3a86.txt").imported["setup"]["controller"]}
    values["email"] = "info@finanime.fi"  # the admin adds what the old statement lacked
    onboarding.confirm_controller(user=register_admin, values=values)
    controller = Controller.objects.get()
    assert (controller.name, controller.business_id, controller.post_office) == (
        "Finanime Sekai", "2787109-2", "Helsinki",
    )  # fmt: skip
    entry = AuditEntry.objects.get(object_label=f"statement.controller:{controller.pk}")
    assert entry.action == AuditEntry.Action.ADD
    assert "Finanime" not in json.dumps(entry.details)  # field names only, never values
    assert "controller" in onboarding.confirmed(StatementDraft.current())


def test_the_contact_person_needs_the_controller_first(register_admin):
    _import("004_09d16aaa72ee3a86.txt")
    with pytest.raises(ValueError, match="rekisterinpitäjän"):
        onboarding.confirm_contact_person(
            user=register_admin, values={"name": "Kaj Söderholm", "email": "", "phone": ""}
        )


def test_confirmed_recipients_join_the_registry_once_with_their_kind(register_admin):
    draft = _import("004_09d16aaa72ee3a86.txt")
    names = draft.imported["setup"]["recipients"]
    onboarding.add_recipients(user=register_admin, names=names)
    onboarding.add_recipients(user=register_admin, names=names)  # re-run adds nothing
    rows = {r.name_fi: r for r in StatementRecipient.objects.filter(draft=draft)}
    assert set(rows) == {"Posti", "perintätoimisto", "laskutuspalvelu", "viranomaiset"}
    assert rows["Posti"].carrier == "posti"
    assert rows["Posti"].kind == StatementRecipient.Kind.CARRIER
    assert rows["viranomaiset"].role == StatementRecipient.Role.AUTHORITY
    assert rows["perintätoimisto"].kind == StatementRecipient.Kind.COLLECTION
    assert AuditEntry.objects.filter(details__onboarding="recipients").count() == 2


def test_confirmed_purposes_and_sources_are_applied_to_the_draft_once(register_admin):
    draft = _import("002_db6dfb59f197885c.txt")
    setup = draft.imported["setup"]
    purposes = [*setup["purposes"], "no_such_key"]
    applied = onboarding.confirm_keys(
        user=register_admin, purposes=purposes, sources=setup["sources"]
    )
    assert [p.catalogue_key for p in applied.purposes] == [
        "customer_relationship", "order_delivery", "direct_marketing_profiling", "analytics",
        "credit_check", "legal_obligations",
    ]  # fmt: skip
    # The catalogue has no entry for these: the admin writes them as the shop's own.
    assert applied.without_entry == ["service_development", "debt_collection"]
    assert [s.name_fi for s in ShopSource.objects.filter(draft=draft)] == [
        "Osoitteiden päivityspalvelut",
        "Yhteistyökumppanit ja alihankkijat",
        "Evästeet ja verkkosivujen seuranta",
    ]  # the customer themself is the declaration's own source
    address = ShopSource.objects.get(name_fi="Osoitteiden päivityspalvelut")
    assert address.name_sv and address.name_en and address.name_en != address.name_fi
    done = onboarding.confirmed(StatementDraft.current())
    assert done["without_entry"] == ["service_development", "debt_collection"]
    assert "no_such_key" not in done["purposes"]

    again = onboarding.confirm_keys(
        user=register_admin, purposes=purposes, sources=setup["sources"]
    )
    assert (again.purposes, again.sources) == ([], [])  # confirming twice creates nothing twice
    assert ShopPurpose.objects.filter(draft=draft).count() == 6
    assert ShopSource.objects.filter(draft=draft).count() == 3
    entries = AuditEntry.objects.filter(details__onboarding="keys").order_by("pk")
    assert [len(e.details["added_purposes"]) for e in entries] == [6, 0]


def test_applied_purposes_make_the_statement_stale_until_published(register_admin):
    ensure_demo_statement()  # version 1 in force
    onboarding.confirm_keys(
        user=register_admin, purposes=["credit_check"], sources=["population_register"]
    )
    assert "versio 1" in stale_reason()
    version = publish_statement(draft=StatementDraft.current(), user=register_admin)
    assert stale_reason() is None
    html = version.html("fi")
    assert "Luottotietojen tarkistaminen lasku- tai osamaksuostoksessa" in html
    assert "Väestötietojärjestelmä" in html
    assert "Befolkningsdatasystemet" in version.html("sv")


def test_every_promise_on_the_draft_is_reviewed():
    draft = _import("000_e966481798ddf730.txt")
    reviews = onboarding.review_old_promises(draft)
    assert [r.text for r in reviews] == draft.imported["promises"]
