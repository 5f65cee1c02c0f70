"""The statement's sections in one language, from the controller, the draft and the declaration.

The data-content, purposes, sources and retention sections come from `privacy.declaration`, never
from typed text, so declaring a new field changes the next statement. The controller's details come
from `Controller`; the rest is the hand-written `StatementDraft` in each language.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from privacy import declaration
from privacy.authority import SUPERVISORY_AUTHORITY
from privacy.citations import Style, cite
from privacy.dates import date_text
from privacy.declaration import Basis
from privacy.marketing_rules import marketing_text
from statement.choices import drafting
from statement.models import (
    Controller,
    OutsideCategory,
    StatementDraft,
    StatementPart,
    StatementRecipient,
)

# Headings, Finnish first (LEGAL.md "Headings, old and new"); the key is the importer's key.
HEADINGS = {
    "controller": gettext_lazy("Rekisterinpitäjä"),
    "contact_person": gettext_lazy("Yhteyshenkilö rekisteriä koskevissa asioissa"),
    "dpo": gettext_lazy("Tietosuojavastaava"),
    "register_name": gettext_lazy("Rekisterin nimi"),
    "purposes": gettext_lazy("Henkilötietojen käsittelyn tarkoitukset ja oikeusperusteet"),
    "data_subjects": gettext_lazy("Rekisteröityjen ryhmät"),
    "data_content": gettext_lazy("Rekisterin tietosisältö"),
    "sources": gettext_lazy("Säännönmukaiset tietolähteet"),
    "disclosures": gettext_lazy("Tietojen vastaanottajat ja säännönmukaiset luovutukset"),
    "transfers": gettext_lazy("Tietojen siirto EU:n tai ETA:n ulkopuolelle"),
    "retention": gettext_lazy("Tietojen säilytysaika"),
    "security": gettext_lazy("Rekisterin suojauksen periaatteet"),
    "cookies": gettext_lazy("Evästeet"),
    "automated_decisions": gettext_lazy("Automaattinen päätöksenteko ja profilointi"),
    "rights": gettext_lazy("Rekisteröidyn oikeudet"),
    "direct_marketing": gettext_lazy("Suoramarkkinointi"),
    "complaint": gettext_lazy("Oikeus tehdä valitus valvontaviranomaiselle"),
    "date": gettext_lazy("Selosteen versio ja muutokset"),
}


@dataclass(frozen=True)
class Section:
    """One numbered section of a statement or record."""

    key: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    items: tuple[tuple[str, str], ...] = ()  # (term, description); "\n" breaks a description
    table: "Table | None" = None


@dataclass(frozen=True)
class Table:
    """A table in a section: column headings and rows of text."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Return each row as (column heading, cell) pairs, for layouts that stack the cells."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Statement:
    """A statement (or the Art. 30 record) built in one language, ready for a template."""

    language: str
    title: str
    subtitle: str
    controller_name: str
    version_label: str
    sections: tuple[Section, ...]
    # The statement in brief, above the table of contents: (term, text), "\n" breaks a text.
    summary: tuple[tuple[str, str], ...] = ()

    @property
    def headings(self) -> list[str]:
        return [s.heading for s in self.sections]


# --- Pieces ---------------------------------------------------------------------------------


def paragraphs(text: str) -> tuple[str, ...]:
    """Split hand-written text into paragraphs at blank lines."""
    return tuple(p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip())


def capitalised(text: str) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def field_lines(fields: list[tuple[declaration.ModelDeclaration, str, object]]) -> str:
    """Return one line per model with its fields' labels ("Asiakkaat: etunimi, sukunimi")."""
    per_model: dict[type, dict[str, None]] = {}
    for decl, name, _field in fields:
        label = str(decl.model._meta.get_field(name).verbose_name)
        per_model.setdefault(decl.model, {})[label] = None
    return "\n".join(
        _("%(model)s: %(fields)s")
        % {"model": capitalised(model._meta.verbose_name_plural), "fields": ", ".join(labels)}
        for model, labels in per_model.items()
    )


def data_content_items(
    uses: "dict[str, list[declaration.Purpose]] | None" = None,
) -> tuple[tuple[str, str], ...]:
    """Return (category, one line per model: its declared field labels), in category order.

    With `uses` (shop_uses), a category the shop's own purposes use names them too.
    """
    return tuple(
        (
            str(category.label),
            with_shop_purposes(field_lines(fields), category, fields, uses),
        )
        for category, fields in declaration.by_category()
    )


def shop_uses(draft: StatementDraft | None) -> dict[str, list[declaration.Purpose]]:
    """Return the shop's purposes each declared category is mapped onto, by category key.

    From the draft's purposes (statement.ShopPurpose.categories), without the purposes the shop
    switched off; read within `drafting(draft)` for the draft's own choice.
    """
    if draft is None or not draft.pk:
        return {}
    off = declaration.purposes_off()
    uses: dict[str, list[declaration.Purpose]] = {}
    for shop_purpose in draft.purposes.all():
        purpose = shop_purpose.purpose()
        if purpose.key in off:
            continue
        for key in shop_purpose.categories or ():
            uses.setdefault(key, []).append(purpose)
    return uses


def with_shop_purposes(
    text: str,
    category: declaration.Category,
    fields: list[tuple[declaration.ModelDeclaration, str, declaration.Field]],
    uses: dict[str, list[declaration.Purpose]] | None,
) -> str:
    """Add to a category's text the shop's purposes that use it besides its fields' own.

    Only a category with a field in use comes here, so a mapping never brings back the text of
    a category the shop switched off (ShopPurpose.clean refuses such a mapping too).
    """
    declared = {p for _d, _n, f in fields for p in declaration.purposes_in_use(f)}
    extra = [p for p in (uses or {}).get(category.key, ()) if p not in declared]
    if not extra:
        return text
    also = _("Käytämme näitä tietoja myös: %(purposes)s.") % {
        "purposes": listing([str(p.label) for p in extra], "; ")
    }
    return f"{text}\n{also}"


def listing(labels: list[str], separator: str = ", ") -> str:
    """Join labels into one phrase: "Yhteystiedot, tilaushistoria, lokitiedot"."""
    return separator.join(
        label if i == 0 else label[:1].lower() + label[1:] for i, label in enumerate(labels)
    )


def category_items(
    uses: dict[str, list[declaration.Purpose]] | None = None,
) -> tuple[tuple[str, str], ...]:
    """Return (category, what it holds in one sentence) for every category in use, in order.

    A category some of whose fields a switched-off purpose leaves out lists the fields in use
    instead: its sentence would name data the shop does not process. With `uses` (shop_uses),
    a category the shop's own purposes use names them too.
    """
    partly = declaration.partly_in_use()
    return tuple(
        (
            str(category.label),
            with_shop_purposes(
                field_lines(fields) if category in partly else str(category.description),
                category,
                fields,
                uses,
            ),
        )
        for category, fields in declaration.by_category()
    )


def retention_reason(rule: declaration.Retention) -> str:
    """Return why a rule keeps data as long as it does, with its legal reference."""
    if rule.law:
        return _("%(reason)s Lainkohta: %(law)s.") % {"reason": rule.reason, "law": rule.law}
    return str(rule.reason)


def months_text(months: int) -> str:
    """Return a number of months in words in the active language ("6 kuukautta", "2 vuotta")."""
    return declaration.Retention("months", "", months=months).period_text()


def outside_duration(category: OutsideCategory, language: str) -> str:
    """Return how long data held outside the register is kept, in one language."""
    if category.retention_months is not None:
        return months_text(category.retention_months)
    return capitalised(category.text("retention", language))


def outside_retention_rows(
    categories: list[OutsideCategory], language: str
) -> tuple[tuple[str, ...], ...]:
    """Return a retention-table row for each category held outside the register."""
    return tuple(
        (
            category.text("name", language),
            outside_duration(category, language),
            "",
            _("Pidetään rekisterin ulkopuolella: %(place)s.")
            % {"place": category.text("held_in", language)},
        )
        for category in categories
    )


def outside_items(categories: list[OutsideCategory], language: str) -> tuple[tuple[str, str], ...]:
    """Return (category, what it is, where it is held and why) for data held outside the register.

    Also the access package's list of what it cannot include (kept with the published version).
    """
    items = []
    for category in categories:
        lines = [category.text("description", language)]
        lines.append(
            _("Pidämme näitä tietoja rekisterin ulkopuolella: %(place)s.")
            % {"place": category.text("held_in", language)}
        )
        # Not a purpose the shop switched off (statement.purposes), though the data names it.
        off = declaration.purposes_off()
        purposes = [
            str(p.purpose().label) for p in category.purposes.all() if p.purpose().key not in off
        ]
        if purposes:
            lines.append(_("Tarkoitus: %(purposes)s.") % {"purposes": listing(purposes, "; ")})
        if category.shop_source_id:  # a declared source is the customer, said in the sources
            lines.append(_("Tietolähde: %(source)s.") % {"source": category.source_label(language)})
        lines.append(
            _("Säilytysaika: %(period)s.") % {"period": outside_duration(category, language)}
        )
        items.append((category.text("name", language), "\n".join(line for line in lines if line)))
    return tuple(items)


def retention_table(outside: tuple[tuple[str, ...], ...] = ()) -> Table:
    """Return the retention rules as one table: data, period, counted from, and why.

    Each rule is one row; a rule shared by several categories (the voucher rule keeps orders,
    billing and delivery details) names them all, so no period is stated twice. The starting
    point is the one the rule declares, which its sweep step counts from.
    """
    covered: dict[declaration.Retention, dict[str, None]] = {}
    for category, fields in declaration.by_category():
        for _decl, _name, field in fields:
            covered.setdefault(field.retention, {})[str(category.label)] = None
    rows = tuple(
        (
            listing(list(categories)),
            rule.duration(),
            str(rule.counted_from),
            retention_reason(rule),
        )
        for rule, categories in covered.items()
    )
    rows += outside
    return Table((_("Tiedot"), _("Säilytysaika"), _("Mistä lukien"), _("Miksi")), rows)


def retention_text(rule: declaration.Retention) -> str:
    """Return a retention rule with its legal reference, in the active language."""
    if rule.law:
        return _("%(rule)s (%(law)s).") % {"rule": rule.text().rstrip("."), "law": rule.law}
    return rule.text()


def retention_items() -> tuple[tuple[str, str], ...]:
    """Return (category, its retention rules one per line), in category order."""
    items = []
    for category, fields in declaration.by_category():
        rules = dict.fromkeys(f.retention for _d, _n, f in fields)
        items.append((str(category.label), "\n".join(retention_text(rule) for rule in rules)))
    return tuple(items)


def statement_purposes(draft: StatementDraft | None) -> list[declaration.Purpose]:
    """Return the purposes the statement lists: the declaration's, then the shop's own.

    A catalogue purpose the declaration already uses is listed once; a purpose the shop switched
    off (statement.purposes) is not listed, even when enabled from the catalogue.
    """
    purposes = list(declaration.used("purposes"))
    if draft is not None and draft.pk:
        purposes += [shop_purpose.purpose() for shop_purpose in draft.purposes.all()]
    off = declaration.purposes_off()
    return [purpose for purpose in dict.fromkeys(purposes) if purpose.key not in off]


def shop_purpose_entries(draft: StatementDraft, language: str) -> list[dict[str, object]]:
    """Return the shop's purposes in one language, as a published version keeps them.

    Each: its key, name, legal basis (the code of GDPR 6(1)), legitimate interest, the declared
    categories it uses (key and name, those in use), and the data held outside the register it
    is for (its name and where it is held). The access package lists them beside the purposes of
    the fields the customer has data in (GDPR 15(1)(a)), with the customer's own categories.
    """
    entries = []
    with translation.override(language), drafting(draft):
        in_use = {category.key: category for category, _fields in declaration.by_category()}
        for shop_purpose in draft.purposes.prefetch_related("outside_categories"):
            purpose = shop_purpose.purpose()
            outside = [
                [category.text("name", language), category.text("held_in", language)]
                for category in shop_purpose.outside_categories.all()
            ]
            entries.append(
                {
                    "key": purpose.key,
                    "name": str(purpose.label),
                    "basis": str(purpose.basis.value),
                    "legitimate_interest": str(purpose.legitimate_interest or ""),
                    "categories": [
                        [key, str(in_use[key].label)]
                        for key in shop_purpose.categories or ()
                        if key in in_use
                    ],
                    "outside": outside,
                }
            )
    return entries


def purpose_items(draft: StatementDraft | None = None) -> tuple[tuple[str, str], ...]:
    """Return (purpose, legal basis, legitimate interest and requirement) per listed purpose."""
    items = []
    for purpose in statement_purposes(draft):
        lines = [_("Oikeusperuste: %(basis)s.") % {"basis": Basis(purpose.basis).label}]
        if purpose.legitimate_interest:  # GDPR 13(1)(d)
            lines.append(
                _("Oikeutettu etu: %(interest)s") % {"interest": purpose.legitimate_interest}
            )
        if purpose.requirement:  # GDPR 13(2)(e)
            lines.append(str(purpose.requirement))
        items.append((str(purpose.label), "\n".join(lines)))
    return tuple(items)


def country_name(code: object) -> str:
    """Return a country's name in the active language (django-countries' catalogue)."""
    from django_countries import countries

    return str(countries.name(str(code))) or str(code)


# The groups the statement lists recipients in, in this order (StatementRecipient.Kind).
RECIPIENT_GROUPS = {
    StatementRecipient.Kind.CARRIER: gettext_lazy("Kuljetusliikkeet"),
    StatementRecipient.Kind.PAYMENT: gettext_lazy("Maksunvälittäjät"),
    StatementRecipient.Kind.INVOICING: gettext_lazy("Laskutuspalvelut"),
    StatementRecipient.Kind.COLLECTION: gettext_lazy("Perintä"),
    StatementRecipient.Kind.ACCOUNTING: gettext_lazy("Kirjanpito"),
    StatementRecipient.Kind.HOSTING: gettext_lazy("Verkkokauppa-alusta ja palvelimet"),
    StatementRecipient.Kind.NEWSLETTER: gettext_lazy("Uutiskirjeet"),
    StatementRecipient.Kind.AUTHORITY: gettext_lazy("Viranomaiset"),
    StatementRecipient.Kind.OTHER: gettext_lazy("Muut vastaanottajat"),
}


def recipient_items(
    recipients: list[StatementRecipient], language: str
) -> tuple[tuple[str, str], ...]:
    """Return (group, one line per recipient with its role and country), grouped by kind."""
    items = []
    for kind, group in RECIPIENT_GROUPS.items():
        lines = []
        for recipient in (r for r in recipients if r.kind == kind):
            details = [recipient.get_role_display(), country_name(recipient.country)]
            if recipient.is_outside_eea:
                details.append(_("EU:n ja ETA:n ulkopuolella"))
            name = recipient.name(language) or recipient.name_fi
            lines.append(
                _("%(name)s (%(details)s)") % {"name": name, "details": ", ".join(details)}
            )
        if lines:
            items.append((str(group), "\n".join(lines)))
    return tuple(items)


def authority_promise() -> str:
    """Return what the shop promises about authorities' requests (AUTHORITY_REQUESTS_TOLD_FIRST)."""
    if settings.AUTHORITY_REQUESTS_TOLD_FIRST:
        return _(
            "Viranomaisille luovutamme tietoja vain, kun laki siihen velvoittaa. Kerromme sinulle "
            "viranomaisen pyynnöstä ennen luovutusta, ellei laki kiellä kertomasta."
        )
    return _("Viranomaisille luovutamme tietoja vain, kun laki siihen velvoittaa.")


def transfer_items(
    recipients: list[StatementRecipient], language: str
) -> tuple[tuple[str, str], ...]:
    """Return (recipient, country and safeguard) for each recipient outside the EU/EEA."""
    return tuple(
        (
            r.name(language) or r.name_fi,
            _("Maa: %(country)s. Suojatoimi: %(safeguard)s.")
            % {"country": country_name(r.country), "safeguard": r.get_safeguard_display()},
        )
        for r in recipients
        if r.is_outside_eea
    )


def controller_items(controller: Controller | None) -> tuple[tuple[str, str], ...]:
    """Return the controller's identity and contact details (GDPR 13(1)(a))."""
    if controller is None:
        return ()
    town = " ".join(p for p in (controller.postal_code, controller.post_office) if p)
    address = ", ".join(p for p in (controller.street_address, town) if p)
    rows = (
        (_("Nimi"), controller.name),
        (_("Y-tunnus"), controller.business_id),
        (_("Osoite"), address),
        (_("Puhelin"), controller.phone),
        (_("Sähköposti"), controller.email),
        (_("Verkkosivusto"), controller.website),
    )
    return tuple((term, value) for term, value in rows if value)


def summary_items(
    controller: Controller | None, draft: StatementDraft | None = None
) -> tuple[tuple[str, str], ...]:
    """Return the statement in brief: who, what, why, your rights and how to reach us.

    Each line is drawn from the same facts as the full sections below it (the controller, the
    categories and purposes in use, the portal), so the summary cannot say more than they do.
    """
    categories = [str(c.label) for c, _fields in declaration.by_category()]
    if draft is not None and draft.pk:
        categories += [c.text("name", translation.get_language()) for c in outside_of(draft)]
    purposes = [str(p.label) for p in statement_purposes(draft)]
    rows = []
    if controller is not None:
        rows.append((_("Kuka vastaa tiedoistasi"), controller.name))
    rows += [
        (
            _("Mitä tietoja"),
            listing(categories),
        ),
        (_("Miksi"), listing(purposes, "; ")),
        (
            _("Oikeutesi"),
            _(
                "Voit tarkastaa, korjata ja poistaa tietosi, rajoittaa ja vastustaa niiden "
                "käsittelyä ja kieltää markkinoinnin omilla sivuilla osoitteessa %(portal)s."
            )
            % {"portal": site_url(reverse("portal:home"))},
        ),
    ]
    if controller is not None:
        reach = controller.contact_email or controller.email
        if reach:
            rows.append((_("Yhteydenotot"), reach))
    return tuple(rows)


def person_items(name: str, email: str, phone: str) -> tuple[tuple[str, str], ...]:
    rows = ((_("Nimi"), name), (_("Sähköposti"), email), (_("Puhelin"), phone))
    return tuple((term, value) for term, value in rows if value)


def backup_text() -> str:
    """Return what the statement says of backups, in the active language.

    deploy/backup.sh keeps each nightly backup BACKUP_KEEP_DAYS days, and a restore re-applies
    the erasure ledger before the restored database serves (deploy/restore.sh).
    """
    days = settings.BACKUP_KEEP_DAYS
    return ngettext(
        "Rekisterin tietokannasta otetaan joka yö salattu varmuuskopio, jota säilytetään "
        "%(days)d päivän. Varmuuskopiossa ovat myös sen ottamisen jälkeen poistetut tiedot; ne "
        "häviävät, kun varmuuskopion säilytysaika päättyy. Jos rekisteri palautetaan "
        "varmuuskopiosta, kaikki sen jälkeen tehdyt poistot tehdään uudelleen ennen kuin "
        "rekisteri otetaan käyttöön, joten poistetut tiedot eivät palaa käyttöön.",
        "Rekisterin tietokannasta otetaan joka yö salattu varmuuskopio, jota säilytetään "
        "%(days)d päivää. Varmuuskopiossa ovat myös sen ottamisen jälkeen poistetut tiedot; ne "
        "häviävät, kun varmuuskopion säilytysaika päättyy. Jos rekisteri palautetaan "
        "varmuuskopiosta, kaikki sen jälkeen tehdyt poistot tehdään uudelleen ennen kuin "
        "rekisteri otetaan käyttöön, joten poistetut tiedot eivät palaa käyttöön.",
        days,
    ) % {"days": days}


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _rights_items() -> tuple[tuple[str, str], ...]:
    # GDPR 13(2)(b)–(c); each right says how to use it, in the portal first.
    return (
        (
            _("Tarkastusoikeus (%(article)s)") % {"article": cite(15)},
            _(
                "Voit tarkastaa, mitä tietoja sinusta on tallennettu, ja ladata ne omilla "
                "sivuilla. Ensimmäinen jäljennös on maksuton."
            ),
        ),
        (
            _("Oikeus tietojen oikaisemiseen (%(article)s)") % {"article": cite(16)},
            _(
                "Voit korjata yhteystietosi itse omilla sivuilla. Muiden virheellisten tietojen "
                "oikaisua voit pyytää samassa palvelussa."
            ),
        ),
        (
            _("Oikeus tietojen poistamiseen (%(article)s)") % {"article": cite(17)},
            _(
                "Voit pyytää tietojesi poistamista omilla sivuilla. Kirjanpitolain edellyttämät "
                "tositteet säilytetään säilytysajan loppuun, mutta henkilötietosi niissä "
                "anonymisoidaan."
            ),
        ),
        (
            _("Oikeus käsittelyn rajoittamiseen (%(article)s)") % {"article": cite(18)},
            _(
                "Voit pyytää käsittelyn rajoittamista omilla sivuilla, esimerkiksi sen ajaksi, "
                "kun tietojen paikkansapitävyyttä selvitetään."
            ),
        ),
        (
            _("Vastustamisoikeus ja suoramarkkinointikielto (%(article)s)") % {"article": cite(21)},
            _(
                "Voit henkilökohtaiseen tilanteeseesi liittyvällä perusteella vastustaa "
                "oikeutettuun etuun perustuvaa käsittelyä. Tietojesi käytön suoramarkkinointiin "
                "ja siihen liittyvään profilointiin voit kieltää ilman perusteluja."
            )
            + " "
            + marketing_text().how_to_refuse,
        ),
        (
            _("Oikeus siirtää tiedot järjestelmästä toiseen (%(article)s)") % {"article": cite(20)},
            _(
                "Voit ladata antamasi tiedot yleisesti käytetyssä, koneluettavassa muodossa "
                "omilla sivuilla."
            ),
        ),
        (
            _("Suostumuksen peruuttaminen (%(article)s)") % {"article": cite("7(3)")},
            _(
                "Voit perua antamasi suostumuksen milloin tahansa omilla sivuilla. Peruutus ei "
                "vaikuta ennen sitä tehdyn käsittelyn lainmukaisuuteen."
            ),
        ),
    )


def _rights_section(draft: StatementDraft, language: str, controller: Controller | None) -> Section:
    portal = site_url(reverse("portal:home"))
    texts = [
        _(
            "Voit käyttää oikeuksiasi maksutta asiakkaan omilla sivuilla osoitteessa "
            "%(portal)s, jonne kirjaudut sähköpostiosoitteellasi."
        )
        % {"portal": portal}
    ]
    if controller and controller.contact_email:
        texts.append(
            _(
                "Jos et voi käyttää omia sivuja, voit esittää pyynnön myös rekisteriasioiden "
                "yhteyshenkilölle osoitteeseen %(email)s."
            )
            % {"email": controller.contact_email}
        )
    texts.append(
        _(
            "Vastaamme pyyntöihin viipymättä ja viimeistään kuukauden kuluessa pyynnön "
            "saapumisesta. Jos pyyntöjä on paljon tai ne ovat monimutkaisia, määräaikaa voidaan "
            "jatkaa enintään kahdella kuukaudella; kerromme jatkamisesta syineen ensimmäisen "
            "kuukauden aikana (%(extension)s). Pyydämme lisätietoja henkilöllisyytesi "
            "todentamiseksi vain, jos siihen on perusteltua syytä (%(identity)s)."
        )
        % {"extension": cite("12(3)"), "identity": cite("12(6)")}
    )
    return Section(
        "rights",
        str(HEADINGS["rights"]),
        (*texts, *paragraphs(draft.text(StatementPart.RIGHTS, language))),
        items=_rights_items(),
    )


def complaint_section() -> Section:
    """Return the right to complain (GDPR 13(2)(d), 77) with the authority's contact details."""
    return Section(
        "complaint",
        str(HEADINGS["complaint"]),
        paragraphs=(
            _(
                "Jos katsot, että henkilötietojesi käsittely rikkoo tietosuojalainsäädäntöä, "
                "sinulla on oikeus tehdä valitus valvontaviranomaiselle, Suomessa "
                "tietosuojavaltuutetulle (%(article)s)."
            )
            % {"article": cite(77)},
        ),
        items=(
            (_("Viranomainen"), str(SUPERVISORY_AUTHORITY.name)),
            (_("Postiosoite"), str(SUPERVISORY_AUTHORITY.postal_address)),
            (_("Käyntiosoite"), str(SUPERVISORY_AUTHORITY.visiting_address)),
            (_("Puhelin (vaihde)"), str(SUPERVISORY_AUTHORITY.phone)),
            (_("Sähköposti"), SUPERVISORY_AUTHORITY.email),
            (_("Verkkosivusto"), SUPERVISORY_AUTHORITY.url),
        ),
    )


def version_label(number: int | None, published_at: datetime | None) -> str:
    """Return "Versio N, julkaistu D.M.YYYY" (or the draft's label) in the active language."""
    if number is None or published_at is None:
        return _("Luonnos, ei julkaistu")
    return _("Versio %(number)s, julkaistu %(date)s") % {
        "number": number,
        "date": date_text(timezone.localdate(published_at)),
    }


# --- The statement --------------------------------------------------------------------------


def _people_sections(controller: Controller | None, language: str) -> list[Section]:
    if controller is None:
        return []
    sections = []
    if controller.contact_name:
        sections.append(
            Section(
                "contact_person",
                str(HEADINGS["contact_person"]),
                items=person_items(
                    controller.contact_name, controller.contact_email, controller.contact_phone
                ),
            )
        )
    if controller.dpo_name:  # Art. 13(1)(b): only where there is one
        sections.append(
            Section(
                "dpo",
                str(HEADINGS["dpo"]),
                items=person_items(controller.dpo_name, controller.dpo_email, controller.dpo_phone),
            )
        )
    name = controller.register_name_in(language) or controller.register_name
    if name:
        sections.append(Section("register_name", str(HEADINGS["register_name"]), (name,)))
    return sections


def _transfers_section(
    draft: StatementDraft, language: str, recipients: list[StatementRecipient]
) -> Section:
    written = paragraphs(draft.text(StatementPart.TRANSFERS, language))
    items = transfer_items(recipients, language)
    if not items:
        lead = (_("Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle."),)
    else:
        # GDPR 13(1)(f): the safeguard of each transfer and how to get a copy of it.
        lead = (
            _(
                "Tietoja siirretään EU:n tai ETA:n ulkopuolelle alla mainituille vastaanottajille. "
                "Saat jäljennöksen siirron suojatoimista rekisteriasioiden yhteyshenkilöltä."
            ),
        )
    return Section("transfers", str(HEADINGS["transfers"]), (*lead, *written), items=items)


def outside_of(draft: StatementDraft) -> list[OutsideCategory]:
    """Return the draft's categories held outside the register, with their purposes."""
    return list(draft.outside_categories.select_related("shop_source").prefetch_related("purposes"))


def source_labels(
    draft: StatementDraft, outside: list[OutsideCategory], language: str
) -> tuple[str, ...]:
    """Return the sources the statement names: the declaration's, outside data's, the shop's."""
    labels = [str(s.label) for s in declaration.used("source")]
    labels += [category.source_label(language) for category in outside]
    if draft.pk:
        labels += [source.text("name", language) for source in draft.sources.all()]
    return tuple(dict.fromkeys(label for label in labels if label))


def build_statement(
    draft: StatementDraft,
    language: str,
    *,
    number: int | None = None,
    published_at: datetime | None = None,
) -> Statement:
    """Return the statement in one language: the draft's texts plus the generated sections.

    Reads the controller, the draft's recipients and the declaration (queries).
    """
    controller = Controller.current()
    recipients = list(draft.recipients.all())
    outside = outside_of(draft) if draft.pk else []
    with translation.override(language), drafting(draft):

        def section(key: str, *texts: str, **kwargs) -> Section:
            return Section(key, str(HEADINGS[key]), tuple(texts), **kwargs)

        def written(part: StatementPart) -> tuple[str, ...]:
            return paragraphs(draft.text(part, language))

        sections = [
            section("controller", items=controller_items(controller)),
            *_people_sections(controller, language),
            section("purposes", *written(StatementPart.PURPOSES), items=purpose_items(draft)),
            section("data_subjects", *written(StatementPart.DATA_SUBJECTS)),
            section(
                "data_content",
                _(
                    "Tallennamme sinusta seuraavia tietoja. Kaikki sinusta tallennetut tiedot "
                    "näet tietopaketista, jonka voit ladata omilla sivuilla."
                ),
                *(
                    (
                        _(
                            "Osaa tiedoista pidämme tämän rekisterin ulkopuolella; ne on lueteltu "
                            "viimeisinä paikkoineen. Niitä ei ole tietopaketissa, mutta saat ne "
                            "pyytämällä."
                        ),
                    )
                    if outside
                    else ()
                ),
                items=category_items(shop_uses(draft)) + outside_items(outside, language),
            ),
            section(
                "sources",
                *written(StatementPart.SOURCES),
                bullets=source_labels(draft, outside, language),
            ),
            section(
                "disclosures",
                *written(StatementPart.DISCLOSURES),
                _(
                    "Kirjaamme jokaisen luovutuksen: kenelle, mitä tietoja ja milloin. Luovutamme "
                    "tietoja vain alla luetelluille vastaanottajille."
                ),
                authority_promise(),
                items=recipient_items(recipients, language),
            ),
            _transfers_section(draft, language, recipients),
            section(
                "retention",
                _(
                    "Tietoja säilytetään vain niin kauan kuin niitä tarvitaan alla mainittuihin "
                    "tarkoituksiin tai laki sitä edellyttää. Säilytysajan jälkeen tiedot "
                    "poistetaan tai anonymisoidaan automaattisesti."
                ),
                table=retention_table(outside_retention_rows(outside, language)),
            ),
            section(
                "security",
                items=(
                    (
                        _("A. Manuaalinen aineisto"),
                        draft.text(StatementPart.SECURITY_MANUAL, language),
                    ),
                    (
                        _("B. Sähköisesti käsiteltävät tiedot"),
                        draft.text(StatementPart.SECURITY_ELECTRONIC, language),
                    ),
                    (_("C. Varmuuskopiot"), backup_text()),
                ),
            ),
            section("cookies", *written(StatementPart.COOKIES)),
            section("automated_decisions", *written(StatementPart.AUTOMATED_DECISIONS)),
            _rights_section(draft, language, controller),
            section(
                "direct_marketing",
                *written(StatementPart.DIRECT_MARKETING),
                items=marketing_text().items,
            ),
            complaint_section(),
            section(
                "date",
                version_label(number, published_at),
                _(
                    "Päivitämme selostetta, kun käsittely muuttuu. Aiemmat versiot "
                    "päivämäärineen ovat luettavissa osoitteessa %(url)s."
                )
                % {"url": site_url(reverse("statement:versions"))},
            ),
        ]
        return Statement(
            language=language,
            title=_("Tietosuojaseloste"),
            subtitle=capitalised(cite(13, 14, style=Style.FULL)),
            controller_name=controller.name if controller else "",
            version_label=version_label(number, published_at),
            sections=tuple(sections),
            summary=summary_items(controller, draft),
        )
