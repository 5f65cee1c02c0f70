"""The access package's cover letter: GDPR Art. 15(1)(a)–(h), in the order the article lists them.

Nothing here is fixed prose about the register: each answer is rendered from what the code
declares and enforces (the personal-data declaration of the tables the customer has rows in, the
statement's recipients and its written parts, the supervisory authority, the marketing rules) and
from the customer's own rows (disclosures, bans, restriction).
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from customers.models import Customer
from customers.services import describe_fields
from privacy.citations import cite
from privacy.declaration import (
    Basis,
    Erasure,
    Field,
    ModelDeclaration,
    get_declaration,
    partly_in_use,
    purposes_in_use,
    purposes_off,
)
from privacy.marketing_rules import marketing_text
from rights.access_display import date_text, table_name
from statement.content import (
    complaint_section,
    listing,
    recipient_items,
    retention_text,
    transfer_items,
)
from statement.models import Controller, StatementDraft, StatementPart, StatementVersion


@dataclass(frozen=True)
class Block:
    """A paragraph, followed by (term, text) items or bullets."""

    text: str = ""
    items: tuple[tuple[str, str], ...] = ()
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """One answer of the cover letter: its heading and blocks."""

    heading: str
    blocks: tuple[Block, ...] = ()


def _unique(values: Iterable) -> list:
    return list(dict.fromkeys(values))


def purpose_entries(
    fields: list[Field], version: StatementVersion | None, language: str
) -> list[dict[str, Any]]:
    """15(1)(a): the purposes the customer's data is processed for, each with its legal basis.

    The purposes of the fields the customer has data in, then the shop's own purposes the
    statement in force lists (statement.ShopPurpose), with the data it holds outside the
    register for each (statement.OutsideCategory), in the package's language. A purpose is
    listed once. Each: key, name, basis (the code of GDPR 6(1)), legitimate_interest, categories
    (pairs of key and name: the categories of the customer's own data it uses — a field's
    purposes, and the ones the statement in force maps a shop purpose onto), outside (pairs of
    the category held outside the register and where).
    """
    entries: dict[str, dict[str, Any]] = {}
    for field in sorted(fields, key=lambda f: f.category.order):
        for purpose in field.purposes:
            entry = entries.setdefault(
                purpose.key,
                {
                    "key": purpose.key,
                    "name": capfirst(str(purpose.label)),
                    "basis": str(Basis(purpose.basis).value),
                    "legitimate_interest": str(purpose.legitimate_interest or ""),
                    "categories": [],
                    "outside": [],
                },
            )
            pair = [field.category.key, capfirst(str(field.category.label))]
            if pair not in entry["categories"]:
                entry["categories"].append(pair)
    own = {f.category.key for f in fields}
    by_language = version.snapshot.get("purposes", {}) if version else {}
    for shown in by_language.get(language) or by_language.get("fi") or []:
        categories = [
            [key, capfirst(name)] for key, name in shown.get("categories", ()) if key in own
        ]
        entry = entries.setdefault(
            shown["key"],
            {**shown, "name": capfirst(shown["name"]), "categories": [], "outside": []},
        )
        entry["categories"] += [pair for pair in categories if pair not in entry["categories"]]
        entry["outside"] += shown["outside"]
    return list(entries.values())


def _purposes(entries: list[dict[str, Any]]) -> Answer:
    """15(1)(a): the purposes, each with its legal basis, interest and data held outside."""
    items = []
    for entry in entries:
        lines = [_("Oikeusperuste: %(basis)s.") % {"basis": Basis(entry["basis"]).label}]
        if entry["legitimate_interest"]:
            lines.append(
                _("Oikeutettu etu: %(interest)s") % {"interest": entry["legitimate_interest"]}
            )
        if entry.get("categories"):
            lines.append(
                _("Tietosi, joita tähän käytetään: %(categories)s.")
                % {"categories": listing([name for _key, name in entry["categories"]])}
            )
        if entry["outside"]:
            held = "; ".join(f"{name} ({place})" for name, place in entry["outside"])
            lines.append(
                _("Tähän pidämme tietoja myös rekisterin ulkopuolella: %(held)s.") % {"held": held}
            )
        items.append((entry["name"], " ".join(lines)))
    return Answer(_("Mihin tietojasi käytetään"), (Block(items=tuple(items)),))


def _categories(
    used: list[tuple[ModelDeclaration, int]], version: StatementVersion | None, language: str
) -> Answer:
    """15(1)(b): the categories of the data, each with the tables of the customer it covers."""
    groups: dict[Any, list[str]] = {}
    for decl, count in used:
        for category in _unique(f.category for f in decl.fields.values()):
            groups.setdefault(category, []).append(f"{table_name(decl.model)} ({count})")
    # The category's declared description (what it holds, in a sentence), then the tables; only
    # the tables where a purpose switched off leaves some of its fields out (the sentence names
    # them all).
    partly = partly_in_use()
    items = tuple(
        (
            capfirst(str(category.label)),
            "\n".join(
                line
                for line in (
                    "" if category in partly else str(category.description),
                    ", ".join(tables),
                )
                if line
            ),
        )
        for category, tables in sorted(groups.items(), key=lambda kv: kv[0].order)
    )
    text = _(
        "Tietosi kuuluvat seuraaviin tietoryhmiin. Kunkin ryhmän kohdalla on taulukot, joissa "
        "sinusta on tietoja, ja suluissa merkintöjen määrä."
    )
    blocks = [Block(text, items=items)]
    # What the statement in force says the shop holds outside the register: not in this package.
    outside_by_language = version.snapshot.get("outside", {}) if version else {}
    outside = outside_by_language.get(language) or outside_by_language.get("fi")
    if outside:
        controller = Controller.current()
        reach = controller and (controller.contact_email or controller.email)
        text = _(
            "Lisäksi saatamme pitää sinusta seuraavia tietoja tämän rekisterin ulkopuolella. Ne "
            "eivät ole tässä paketissa; saat ne pyytämällä meiltä."
        )
        if reach:
            text += " " + _("Kirjoita osoitteeseen %(email)s.") % {"email": reach}
        blocks.append(Block(text, items=tuple((term, desc) for term, desc in outside)))
    return Answer(_("Mitä tietoja sinusta on"), tuple(blocks))


def _recipients(customer: Customer, draft: StatementDraft | None, language: str) -> Answer:
    """15(1)(c) and 15(2): who has received the data, who may, and transfers outside the EEA."""
    blocks = []
    # Through the declaration: a hand-over the customer may not yet be told of is withheld.
    shown = get_declaration("customers.Disclosure").rows_shown_to(customer)
    disclosures = list(shown.order_by("disclosed_at", "pk"))
    if disclosures:
        by_recipient: dict[tuple[str, str], list] = {}
        for d in disclosures:
            by_recipient.setdefault((d.recipient, d.get_recipient_kind_display()), []).append(d)
        items = []
        for (name, kind), rows in by_recipient.items():
            dates = ", ".join(_unique(date_text(d.disclosed_at) for d in rows))
            fields = describe_fields(_unique(n for d in rows for n in d.fields or []))
            items.append(
                (
                    f"{name} ({kind})",
                    _("%(dates)s. Luovutetut tiedot: %(fields)s.")
                    % {"dates": dates, "fields": fields},
                )
            )
        text = _("Tietojasi on luovutettu seuraaville vastaanottajille:")
        blocks.append(Block(text, items=tuple(items)))
    else:
        blocks.append(Block(_("Tietojasi ei ole luovutettu rekisterinpitäjän ulkopuolelle.")))
    recipients = list(draft.recipients.all()) if draft else []
    if recipients:
        text = _(
            "Tietosuojaselosteemme mukaan tietojasi voivat käsitellä puolestamme tai saada "
            "seuraavat vastaanottajat:"
        )
        blocks.append(Block(text, items=recipient_items(recipients, language)))
    transfers = transfer_items(recipients, language)
    if transfers:
        text = _(
            "Nämä vastaanottajat ovat EU:n ja ETA:n ulkopuolella. Saat jäljennöksen siirron "
            "suojatoimista pyytämällä sitä meiltä (%(article)s)."
        ) % {"article": cite(46)}
        blocks.append(Block(text, items=transfers))
    else:
        blocks.append(Block(_("Tietojasi ei siirretä EU:n tai ETA:n ulkopuolelle.")))
    return Answer(_("Kenelle tietojasi on luovutettu"), tuple(blocks))


def _retention(used: list[tuple[ModelDeclaration, int]]) -> Answer:
    """15(1)(d): each retention rule once, with the tables of the customer it applies to."""
    rules: dict[Any, list[str]] = {}
    for decl, _count in used:
        for rule in _unique(f.retention for f in decl.fields.values()):
            rules.setdefault(rule, []).append(table_name(decl.model))
    items = tuple((", ".join(names), retention_text(rule)) for rule, names in rules.items())
    return Answer(_("Kuinka kauan tietojasi säilytetään"), (Block(items=items),))


def _kept_on_erasure(used: list[tuple[ModelDeclaration, int]]) -> list[str]:
    reasons: dict[str, list[str]] = {}
    for decl, _count in used:
        for f in decl.fields.values():
            if f.erasure == Erasure.KEEP and f.exported:
                tables = reasons.setdefault(str(f.legal_reason), [])
                if table_name(decl.model) not in tables:
                    tables.append(table_name(decl.model))
    return [(", ".join(tables), capfirst(reason)) for reason, tables in reasons.items()]


def _rights(
    customer: Customer,
    fields: list[Field],
    used: list[tuple[ModelDeclaration, int]],
    controller: Controller | None,
) -> Answer:
    """15(1)(e): rectification, erasure, restriction and objection, with what each means here."""
    portal = settings.SITE_URL.rstrip("/") + reverse("portal:home")
    paragraphs = [
        _("Voit käyttää oikeuksiasi maksutta omilla sivuilla: %(url)s.") % {"url": portal}
    ]
    if controller and (controller.contact_email or controller.email):
        paragraphs.append(
            _("Voit esittää pyynnön myös sähköpostitse osoitteeseen %(email)s.")
            % {"email": controller.contact_email or controller.email}
        )
    own = get_declaration(Customer)
    self_service = describe_fields(own.self_service_fields()) if own else ""
    correction = _(
        "Voit korjata itse omilla sivuilla seuraavat tiedot: %(fields)s. Muiden virheellisten "
        "tai puutteellisten tietojen oikaisua voit pyytää."
    ) % {"fields": self_service}
    erasure = _(
        "Voit pyytää tietojesi poistamista. Osa tiedoista säilytetään silloinkin lain vuoksi; ne "
        "on lueteltu alla."
    )
    restriction = _(
        "Voit pyytää, että tietojesi käsittelyä rajoitetaan esimerkiksi siksi aikaa, kun "
        "tietojen paikkansapitävyyttä selvitetään."
    )
    if customer.is_restricted:
        restriction += " " + _("Tietojesi käsittely on nyt rajoitettu.")
    interests = _unique(
        str(p.label) for f in fields for p in f.purposes if p.basis == Basis.LEGITIMATE_INTEREST
    )
    objection = ""
    if interests:
        objection = _(
            "Voit henkilökohtaiseen tilanteeseesi liittyvästä syystä vastustaa käsittelyä, joka "
            "perustuu oikeutettuun etuumme: %(purposes)s."
        ) % {"purposes": ", ".join(interests).lower()}
        objection += " "
    objection += _(
        "Suoramarkkinoinnin ja siihen liittyvän profiloinnin voit kieltää milloin tahansa "
        "perustelematta."
    )
    refuse = marketing_text().how_to_refuse
    if refuse:
        objection += " " + refuse
    bans = [
        f"{b.get_scope_display()} ({b.get_channel_display()})"
        for b in customer.bans.filter(lifted_at__isnull=True).order_by("created_at")
    ]
    if bans:
        objection += " " + _("Voimassa olevat kieltosi: %(bans)s.") % {"bans": ", ".join(bans)}
    items = (
        (_("Oikeus tietojen oikaisemiseen (%(article)s)") % {"article": cite(16)}, correction),
        (_("Oikeus tietojen poistamiseen (%(article)s)") % {"article": cite(17)}, erasure),
        (_("Oikeus käsittelyn rajoittamiseen (%(article)s)") % {"article": cite(18)}, restriction),
        (_("Oikeus vastustaa käsittelyä (%(article)s)") % {"article": cite(21)}, objection),
        (
            _("Oikeus siirtää tiedot ja perua suostumus (%(article)s)")
            % {"article": cite(20, "7(3)")},
            _(
                "Tämän paketin JSON- ja CSV-tiedostot ovat koneluettavassa muodossa, jonka voit "
                "siirtää toiseen palveluun. Antamasi suostumuksen voit perua milloin tahansa."
            ),
        ),
    )
    blocks = [Block(" ".join(paragraphs), items=items)]
    kept = _kept_on_erasure(used)
    if kept:
        text = _("Jos pyydät tietojesi poistamista, nämä tiedot säilytetään lain vuoksi:")
        blocks.append(Block(text, items=tuple(kept)))
    return Answer(_("Oikeutesi"), tuple(blocks))


def _complaint() -> Answer:
    """15(1)(f): the right to complain to the Data Protection Ombudsman, with its contacts."""
    section = complaint_section()
    return Answer(
        str(section.heading),
        (Block(" ".join(section.paragraphs), items=tuple(section.items)),),
    )


def _sources(fields: list[Field], version: StatementVersion | None, language: str) -> Answer:
    """15(1)(g): where the data came from, and the shop's other sources its statement names."""
    sources = [capfirst(str(s.label)) for s in _unique(f.source for f in fields)]
    by_language = version.snapshot.get("sources", {}) if version else {}
    sources += by_language.get(language) or by_language.get("fi") or []
    return Answer(_("Mistä tietosi on saatu"), (Block(bullets=tuple(_unique(sources))),))


def _automated(draft: StatementDraft | None, language: str) -> Answer:
    """15(1)(h): automated decisions and profiling, as the statement in force says them."""
    written = draft.text(StatementPart.AUTOMATED_DECISIONS, language) if draft else ""
    lines = [line.strip() for line in written.splitlines() if line.strip()]
    if not lines:
        lines = [
            _(
                "Sinua koskevia päätöksiä ei tehdä pelkästään automaattisesti ilman ihmisen "
                "osallistumista (%(article)s)."
            )
            % {"article": cite(22)}
        ]
    heading = _("Automaattinen päätöksenteko ja profilointi")
    return Answer(heading, tuple(Block(line) for line in lines))


def cover_letter(
    *, customer: Customer, used: list[tuple[ModelDeclaration, int]], language: str
) -> list[Answer]:
    """Return the answers of GDPR Art. 15(1)(a)–(h) for this customer, in the article's order.

    `used` lists the declarations of the tables the customer has rows in, with the row counts.
    Queries the statement draft, its recipients, the customer's disclosures and active bans.
    """
    # Each field with the purposes the statement in force keeps on (statement.purposes).
    off = purposes_off()
    fields = [
        dataclasses.replace(f, purposes=purposes_in_use(f, off))
        for decl, _count in used
        for f in decl.fields.values()
        if purposes_in_use(f, off)
    ]
    draft = StatementDraft.objects.order_by("pk").first()
    version = StatementVersion.latest()
    return [
        _purposes(purpose_entries(fields, version, language)),
        _categories(used, version, language),
        _recipients(customer, draft, language),
        _retention(used),
        _rights(customer, fields, used, Controller.current()),
        _complaint(),
        _sources(fields, version, language),
        _automated(draft, language),
    ]
