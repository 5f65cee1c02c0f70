"""The privacy statement: built from the declaration and the draft, checked, published, printed.

The data-content, purposes and retention sections come from `privacy.declaration`, never from
typed text, so declaring a new field changes the next statement. The controller's details come
from `Controller`; the rest is the hand-written `StatementDraft` in each language.
"""

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy import declaration
from privacy.declaration import Basis
from privacy.models import Controller, StatementVersion
from privacy.pdf import render_pdf
from privacy.statement_import import ImportResult, decode_statement, parse_statement
from privacy.statement_models import (
    REQUIRED_PARTS,
    STATEMENT_LANGUAGES,
    StatementDraft,
    StatementPart,
    StatementPdf,
    StatementRecipient,
)
from privacy.tasks import render_statement_pdfs_task
from rekisteri.tasks import enqueue_after_commit

logger = logging.getLogger(__name__)

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

# Importer keys whose original wording becomes a draft part; the rest (controller, retention,
# data content…) is generated or comes from Controller and is kept in the import report only.
IMPORTED_PARTS = {
    "purposes": StatementPart.PURPOSES,
    "data_subjects": StatementPart.DATA_SUBJECTS,
    "sources": StatementPart.SOURCES,
    "disclosures": StatementPart.DISCLOSURES,
    "transfers": StatementPart.TRANSFERS,
    "cookies": StatementPart.COOKIES,
    "automated_decisions": StatementPart.AUTOMATED_DECISIONS,
    "rights": StatementPart.RIGHTS,
    "direct_marketing": StatementPart.DIRECT_MARKETING,
}

_LANGUAGE_ADJECTIVES = {
    "sv": gettext_lazy("ruotsinkielinen"),
    "en": gettext_lazy("englanninkielinen"),
}

# Country names the statement spells out; other codes are shown as they are.
_COUNTRIES = {
    "FI": gettext_lazy("Suomi"),
    "SE": gettext_lazy("Ruotsi"),
    "EE": gettext_lazy("Viro"),
    "DE": gettext_lazy("Saksa"),
    "IE": gettext_lazy("Irlanti"),
    "NL": gettext_lazy("Alankomaat"),
    "DK": gettext_lazy("Tanska"),
    "NO": gettext_lazy("Norja"),
    "US": gettext_lazy("Yhdysvallat"),
    "GB": gettext_lazy("Yhdistynyt kuningaskunta"),
}


@dataclass(frozen=True)
class Section:
    """One numbered section of a statement or record."""

    key: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    items: tuple[tuple[str, str], ...] = ()  # (term, description)


@dataclass(frozen=True)
class Statement:
    """A statement (or the Art. 30 record) built in one language, ready for a template."""

    language: str
    title: str
    subtitle: str
    controller_name: str
    version_label: str
    sections: tuple[Section, ...]

    @property
    def headings(self) -> list[str]:
        return [s.heading for s in self.sections]


# --- Building -------------------------------------------------------------------------------


def _paragraphs(text: str) -> tuple[str, ...]:
    """Split hand-written text into paragraphs at blank lines."""
    return tuple(p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip())


def _country(code: str) -> str:
    return str(_COUNTRIES.get(code, code))


def _field_label(model_declaration: declaration.ModelDeclaration, name: str) -> str:
    label = str(model_declaration.model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _data_content_items() -> tuple[tuple[str, str], ...]:
    """Return (category, field labels) from the declaration, in category order."""
    items = []
    for category, fields in declaration.by_category():
        labels = dict.fromkeys(_field_label(decl, name) for decl, name, _f in fields)
        items.append((str(category.label), ", ".join(labels)))
    return tuple(items)


def _retention_items() -> tuple[tuple[str, str], ...]:
    """Return (category, retention rules) from the declaration, in category order."""
    items = []
    for category, fields in declaration.by_category():
        rules = dict.fromkeys(f.retention for _d, _n, f in fields)
        texts = [f"{rule.label} ({rule.law})" if rule.law else str(rule.label) for rule in rules]
        items.append((str(category.label), " ".join(texts)))
    return tuple(items)


def _purpose_items() -> tuple[tuple[str, str], ...]:
    """Return (purpose, legal basis with interest and requirement) for each declared purpose."""
    items = []
    for purpose in declaration.used("purposes"):
        parts = [_("Oikeusperuste: %(basis)s.") % {"basis": Basis(purpose.basis).label}]
        if purpose.legitimate_interest:
            parts.append(
                _("Oikeutettu etu: %(interest)s") % {"interest": purpose.legitimate_interest}
            )
        if purpose.requirement:
            parts.append(str(purpose.requirement))
        items.append((str(purpose.label), " ".join(parts)))
    return tuple(items)


def _portal_url() -> str:
    """Return the self-service portal's address in the active language."""
    return settings.SITE_URL.rstrip("/") + reverse("portal:home")


def _rights_items() -> tuple[tuple[str, str], ...]:
    portal = _portal_url()
    return (
        (
            _("Tarkastusoikeus (15 art.)"),
            _("Voit nähdä ja ladata tietosi omilla sivuilla osoitteessa %(portal)s.")
            % {"portal": portal},
        ),
        (
            _("Oikeus tietojen oikaisemiseen (16 art.)"),
            _(
                "Voit korjata yhteystietosi itse omilla sivuilla; muiden tietojen korjausta voit "
                "pyytää samassa palvelussa."
            ),
        ),
        (
            _("Oikeus tietojen poistamiseen (17 art.)"),
            _(
                "Voit pyytää tietojesi poistamista omilla sivuilla. Kirjanpitolain edellyttämät "
                "tositteet säilytetään, mutta henkilötietosi niissä anonymisoidaan."
            ),
        ),
        (
            _("Oikeus käsittelyn rajoittamiseen (18 art.)"),
            _("Voit pyytää käsittelyn rajoittamista omilla sivuilla tai yhteyshenkilöltä."),
        ),
        (
            _("Vastustamisoikeus ja suoramarkkinointikielto (21 art.)"),
            _(
                "Voit vastustaa oikeutettuun etuun perustuvaa käsittelyä ja kieltää "
                "suoramarkkinoinnin milloin tahansa omilla sivuilla tai markkinointiviestin "
                "linkistä."
            ),
        ),
        (
            _("Oikeus siirtää tiedot järjestelmästä toiseen (20 art.)"),
            _("Voit ladata antamasi tiedot koneluettavassa muodossa omilla sivuilla."),
        ),
        (
            _("Suostumuksen peruuttaminen (7 art. 3 kohta)"),
            _(
                "Voit perua suostumuksesi milloin tahansa omilla sivuilla; peruutus ei vaikuta "
                "aiemman käsittelyn lainmukaisuuteen."
            ),
        ),
    )


def _complaint_section() -> Section:
    # GDPR 77 art.; the authority's details from tietosuoja.fi (LEGAL.md "Supervisory authority").
    return Section(
        "complaint",
        str(HEADINGS["complaint"]),
        paragraphs=(
            _(
                "Jos katsot, että henkilötietojesi käsittely rikkoo tietosuojalainsäädäntöä, "
                "sinulla on oikeus tehdä valitus valvontaviranomaiselle (77 art.)."
            ),
        ),
        items=(
            (_("Viranomainen"), _("Tietosuojavaltuutetun toimisto")),
            (_("Postiosoite"), _("PL 800, 00531 Helsinki")),
            (_("Käyntiosoite"), _("Lintulahdenkuja 4, 00530 Helsinki")),
            (_("Puhelin (vaihde)"), "029 566 6700"),
            (_("Sähköposti"), "tietosuoja@om.fi"),
            (_("Verkkosivusto"), "https://tietosuoja.fi"),
        ),
    )


def _controller_items(controller: Controller | None) -> tuple[tuple[str, str], ...]:
    if controller is None:
        return ()
    address = " ".join(
        part
        for part in (
            f"{controller.street_address},",
            controller.postal_code,
            controller.post_office,
        )
        if part.strip(",")
    ).strip(",")
    rows = (
        (_("Nimi"), controller.name),
        (_("Y-tunnus"), controller.business_id),
        (_("Osoite"), address),
        (_("Puhelin"), controller.phone),
        (_("Sähköposti"), controller.email),
        (_("Verkkosivusto"), controller.website),
    )
    return tuple((term, value) for term, value in rows if value)


def _person_items(name: str, email: str, phone: str) -> tuple[tuple[str, str], ...]:
    rows = ((_("Nimi"), name), (_("Sähköposti"), email), (_("Puhelin"), phone))
    return tuple((term, value) for term, value in rows if value)


def _recipient_items(recipients: list[StatementRecipient], language: str):
    items = []
    for recipient in recipients:
        details = [str(recipient.get_role_display()), _country(recipient.country)]
        if recipient.is_outside_eea:
            details.append(_("EU:n tai ETA:n ulkopuolella"))
        items.append((recipient.name(language) or recipient.name_fi, ", ".join(details)))
    return tuple(items)


def _version_label(number: int | None, published_at: datetime | None) -> str:
    if number is None or published_at is None:
        return _("Luonnos, ei julkaistu")
    return _("Versio %(number)s, julkaistu %(date)s") % {
        "number": number,
        "date": formats.date_format(timezone.localdate(published_at), "j.n.Y"),
    }


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
    with translation.override(language):
        text = lambda part: draft.text(part, language)  # noqa: E731
        heading = lambda key: str(HEADINGS[key])  # noqa: E731
        sections = [
            Section("controller", heading("controller"), items=_controller_items(controller))
        ]
        if controller and controller.contact_name:
            sections.append(
                Section(
                    "contact_person",
                    heading("contact_person"),
                    items=_person_items(
                        controller.contact_name, controller.contact_email, controller.contact_phone
                    ),
                )
            )
        if controller and controller.dpo_name:  # Art. 13(1)(b): only where there is one
            sections.append(
                Section(
                    "dpo",
                    heading("dpo"),
                    items=_person_items(
                        controller.dpo_name, controller.dpo_email, controller.dpo_phone
                    ),
                )
            )
        if controller and controller.register_name:
            sections.append(
                Section("register_name", heading("register_name"), (controller.register_name,))
            )
        sections += [
            Section(
                "purposes",
                heading("purposes"),
                _paragraphs(text(StatementPart.PURPOSES)),
                items=_purpose_items(),
            ),
            Section("data_subjects", heading("data_subjects"), _paragraphs(text("data_subjects"))),
            Section(
                "data_content",
                heading("data_content"),
                (_("Rekisteriin tallennetaan seuraavat tiedot tietoryhmittäin."),),
                items=_data_content_items(),
            ),
            Section(
                "sources",
                heading("sources"),
                _paragraphs(text(StatementPart.SOURCES)),
                bullets=tuple(str(s.label) for s in declaration.used("source")),
            ),
            Section(
                "disclosures",
                heading("disclosures"),
                _paragraphs(text(StatementPart.DISCLOSURES)),
                items=_recipient_items(recipients, language),
            ),
        ]
        outside = [r for r in recipients if r.is_outside_eea]
        if outside:
            sections.append(
                Section(
                    "transfers",
                    heading("transfers"),
                    _paragraphs(text(StatementPart.TRANSFERS)),
                    items=tuple(
                        (r.name(language) or r.name_fi, str(r.get_safeguard_display()))
                        for r in outside
                    ),
                )
            )
        else:
            sections.append(
                Section(
                    "transfers",
                    heading("transfers"),
                    (
                        _("Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle."),
                        *_paragraphs(text(StatementPart.TRANSFERS)),
                    ),
                )
            )
        sections += [
            Section(
                "retention",
                heading("retention"),
                (
                    _(
                        "Tietoja säilytetään vain niin kauan kuin niitä tarvitaan alla "
                        "mainittuihin tarkoituksiin tai laki sitä edellyttää."
                    ),
                ),
                items=_retention_items(),
            ),
            Section(
                "security",
                heading("security"),
                items=(
                    (_("A. Manuaalinen aineisto"), text(StatementPart.SECURITY_MANUAL)),
                    (
                        _("B. Sähköisesti käsiteltävät tiedot"),
                        text(StatementPart.SECURITY_ELECTRONIC),
                    ),
                ),
            ),
            Section("cookies", heading("cookies"), _paragraphs(text(StatementPart.COOKIES))),
            Section(
                "automated_decisions",
                heading("automated_decisions"),
                _paragraphs(text(StatementPart.AUTOMATED_DECISIONS)),
            ),
            Section(
                "rights",
                heading("rights"),
                (
                    _(
                        "Vastaamme pyyntöihin viipymättä ja viimeistään kuukauden kuluessa. "
                        "Tarvittaessa voimme pyytää sinua todentamaan henkilöllisyytesi."
                    ),
                    *_paragraphs(text(StatementPart.RIGHTS)),
                ),
                items=_rights_items(),
            ),
            Section(
                "direct_marketing",
                heading("direct_marketing"),
                _paragraphs(text(StatementPart.DIRECT_MARKETING)),
            ),
            _complaint_section(),
            Section(
                "date",
                heading("date"),
                (
                    _version_label(number, published_at),
                    _(
                        "Päivitämme selostetta, kun käsittely muuttuu. Aiemmat versiot "
                        "päivämäärineen ovat luettavissa verkkosivuillamme."
                    ),
                ),
            ),
        ]
        return Statement(
            language=language,
            title=_("Tietosuojaseloste"),
            subtitle=_("EU:n yleisen tietosuoja-asetuksen (2016/679) 13 ja 14 artikla"),
            controller_name=controller.name if controller else "",
            version_label=_version_label(number, published_at),
            sections=tuple(sections),
        )


# --- Completeness ---------------------------------------------------------------------------


def _missing(label: str, language: str) -> str:
    if language == "fi":
        return _("%(part)s: teksti puuttuu.") % {"part": label}
    return _("%(part)s: %(language)s käännös puuttuu.") % {
        "part": label,
        "language": _LANGUAGE_ADJECTIVES[language],
    }


def _controller_gaps(controller: Controller | None) -> list[str]:
    if controller is None:
        return [_("Rekisterinpitäjän tiedot puuttuvat (13 art. 1 a).")]
    gaps = []
    checks = (
        (controller.name, _("Rekisterinpitäjän nimi puuttuu (13 art. 1 a).")),
        (controller.business_id, _("Rekisterinpitäjän Y-tunnus puuttuu.")),
        (
            controller.street_address and controller.postal_code and controller.post_office,
            _("Rekisterinpitäjän osoite puuttuu (13 art. 1 a)."),
        ),
        (
            controller.email or controller.phone,
            _("Rekisterinpitäjän sähköposti tai puhelinnumero puuttuu (13 art. 1 a)."),
        ),
        (
            controller.contact_name and (controller.contact_email or controller.contact_phone),
            _("Rekisteriasioiden yhteyshenkilö ja hänen yhteystietonsa puuttuvat."),
        ),
        (controller.register_name, _("Rekisterin nimi puuttuu.")),
        (
            not controller.dpo_name or controller.dpo_email or controller.dpo_phone,
            _("Tietosuojavastaavan yhteystiedot puuttuvat (13 art. 1 b)."),
        ),
    )
    for present, message in checks:
        if not present:
            gaps.append(message)
    return gaps


def untranslated_declaration_texts() -> list[str]:
    """List, in Finnish, declaration texts (categories, purposes, sources, retention) lacking sv/en.

    Not part of completeness(): the register admin cannot fix a missing catalogue entry, the
    developer who declares a new text must (a test keeps this list empty).
    """
    labels = [category.label for category, _fields in declaration.by_category()]
    for purpose in declaration.used("purposes"):
        labels += [purpose.label, purpose.legitimate_interest, purpose.requirement]
    labels += [source.label for source in declaration.used("source")]
    labels += [retention.label for retention in declaration.used("retention")]
    gaps = []
    for label in dict.fromkeys(label for label in labels if label):
        finnish = str(label)
        for language in ("sv", "en"):
            with translation.override(language):
                translated = str(label)
            if translated == finnish:
                gaps.append(
                    _("Rekisterin sanaston tekstiltä ”%(label)s” puuttuu %(language)s käännös.")
                    % {"label": finnish, "language": _LANGUAGE_ADJECTIVES[language]}
                )
    return gaps


def completeness(draft: StatementDraft) -> list[str]:
    """Return, in Finnish, what the draft still lacks against GDPR Art. 13/14; [] when complete.

    A missing translation names its language. Reads the controller, recipients and declaration.
    """
    with translation.override("fi"):
        gaps = _controller_gaps(Controller.current())
        if not list(declaration.personal_fields()):
            gaps.append(_("Henkilötietojen ilmoitus on tyhjä: tietosisältöä ei voi muodostaa."))
        for purpose in declaration.used("purposes"):
            if purpose.basis == Basis.LEGITIMATE_INTEREST and not purpose.legitimate_interest:
                gaps.append(
                    _(
                        "Käsittelyn tarkoitukselta ”%(purpose)s” puuttuu oikeutettu etu "
                        "(13 art. 1 d)."
                    )
                    % {"purpose": purpose.label}
                )
        recipients = list(draft.recipients.all())
        outside = [r for r in recipients if r.is_outside_eea]
        required = list(REQUIRED_PARTS) + ([StatementPart.TRANSFERS] if outside else [])
        for part in StatementPart:
            label = str(part.label)
            if part in required and not draft.text(part, "fi"):
                gaps.append(_missing(label, "fi"))
            # A part written in Finnish must also be translated, optional or not.
            if part in required or draft.text(part, "fi"):
                gaps += [
                    _missing(label, lang) for lang in ("sv", "en") if not draft.text(part, lang)
                ]
        if not recipients:
            gaps.append(
                _("Tietojen vastaanottajia ja käsittelijöitä ei ole lueteltu (13 art. 1 e).")
            )
        for recipient in recipients:
            gaps += [
                _missing(_("Vastaanottaja ”%(name)s”") % {"name": recipient.name_fi}, lang)
                for lang in ("sv", "en")
                if not recipient.name(lang)
            ]
            if recipient.is_outside_eea and not recipient.safeguard:
                gaps.append(
                    _(
                        "Vastaanottajalta ”%(name)s” puuttuu siirron suojatoimi "
                        "(13 art. 1 f, 46 art.)."
                    )
                    % {"name": recipient.name_fi}
                )
        return [str(gap) for gap in gaps]


# --- Publishing -----------------------------------------------------------------------------


def render_statement_html(statement: Statement) -> str:
    """Return the statement's HTML fragment (headings and sections) in its own language."""
    with translation.override(statement.language):
        return render_to_string("privacy/statement_content.html", {"statement": statement})


@transaction.atomic
def publish_statement(*, draft: StatementDraft, user=None) -> StatementVersion:
    """Freeze the draft into the next immutable StatementVersion, in every language.

    Raises ValidationError with the Finnish completeness messages when anything is missing.
    """
    # Lock the draft so two admins publishing at once get consecutive numbers, not an error.
    StatementDraft.objects.select_for_update().filter(pk=draft.pk).first()
    gaps = completeness(draft)
    if gaps:
        raise ValidationError(gaps)
    number = (StatementVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    published_at = timezone.now()
    rendered = {
        language: render_statement_html(
            build_statement(draft, language, number=number, published_at=published_at)
        )
        for language in STATEMENT_LANGUAGES
    }
    content_hash = hashlib.sha256(
        json.dumps(rendered, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    controller = Controller.current()
    version = StatementVersion.objects.create(
        number=number,
        published_at=published_at,
        content_hash=content_hash,
        controller_name=controller.name if controller else "",
        rendered_html=rendered,
        published_by=user if user is not None and user.is_authenticated else None,
    )
    # The worker renders the PDFs ahead of the first download (which would render them too).
    enqueue_after_commit(render_statement_pdfs_task, version_id=version.pk)
    return version


# --- PDF ------------------------------------------------------------------------------------


def statement_pdf_html(version: StatementVersion, language: str) -> str:
    """Return the standalone HTML document the PDF of a version is printed from."""
    with translation.override(language):
        return render_to_string(
            "privacy/statement_pdf.html",
            {
                "language": language,
                "title": _("Tietosuojaseloste"),
                "author": version.controller_name,
                "content": version.html(language),
            },
        )


def get_statement_pdf(*, version: StatementVersion, language: str) -> StatementPdf:
    """Return the stored PDF of a version in one language, rendering it the first time only."""
    existing = StatementPdf.objects.filter(version=version, language=language).first()
    if existing is not None:
        return existing
    with translation.override(language):
        title = _("Tietosuojaseloste – %(controller)s") % {"controller": version.controller_name}
    data = render_pdf(
        statement_pdf_html(version, language),
        title=title,
        author=version.controller_name,
        language=language,
    )
    pdf = StatementPdf(
        version=version,
        language=language,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    pdf.file.save(f"tietosuojaseloste-v{version.number}-{language}.pdf", ContentFile(data), False)
    try:
        with transaction.atomic():
            pdf.save()
    except IntegrityError:
        # A concurrent first download stored it first; keep that one.
        pdf.file.delete(save=False)
        return StatementPdf.objects.get(version=version, language=language)
    return pdf


# --- Record of processing activities (Art. 30) -----------------------------------------------


def _erasure_items() -> tuple[tuple[str, str], ...]:
    items = []
    for category, fields in declaration.by_category():
        rules = dict.fromkeys(
            f"{f.erasure.label} ({f.legal_reason})" if f.legal_reason else str(f.erasure.label)
            for _d, _n, f in fields
        )
        items.append((str(category.label), "; ".join(rules)))
    return tuple(items)


def build_processing_record(draft: StatementDraft) -> Statement:
    """Return the record of processing activities (GDPR Art. 30(1)) in Finnish.

    Internal and shown to the authority on request; built from the same declaration and draft.
    """
    controller = Controller.current()
    recipients = list(draft.recipients.all())
    with translation.override("fi"):
        people = _controller_items(controller)
        if controller and controller.contact_name:
            people += _person_items(
                _("Yhteyshenkilö: %(name)s") % {"name": controller.contact_name},
                controller.contact_email,
                controller.contact_phone,
            )
        if controller and controller.dpo_name:
            people += _person_items(
                _("Tietosuojavastaava: %(name)s") % {"name": controller.dpo_name},
                controller.dpo_email,
                controller.dpo_phone,
            )
        outside = [r for r in recipients if r.is_outside_eea]
        sections = (
            Section(
                "controller", _("Rekisterinpitäjä ja yhteystiedot (30 art. 1 a)"), items=people
            ),
            Section("purposes", _("Käsittelyn tarkoitukset (30 art. 1 b)"), items=_purpose_items()),
            Section(
                "data_subjects",
                _("Rekisteröityjen ryhmät (30 art. 1 c)"),
                _paragraphs(draft.text(StatementPart.DATA_SUBJECTS, "fi")),
            ),
            Section(
                "data_content",
                _("Henkilötietoryhmät (30 art. 1 c)"),
                items=_data_content_items(),
            ),
            Section(
                "disclosures",
                _("Vastaanottajien ryhmät (30 art. 1 d)"),
                items=_recipient_items(recipients, "fi"),
            ),
            Section(
                "transfers",
                _("Siirrot kolmansiin maihin ja suojatoimet (30 art. 1 e)"),
                () if outside else (_("Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle."),),
                items=tuple((r.name_fi, str(r.get_safeguard_display())) for r in outside),
            ),
            Section(
                "retention",
                _("Poistamisen määräajat (30 art. 1 f)"),
                items=_retention_items(),
            ),
            Section(
                "erasure",
                _("Mitä poisto tekee tiedoille"),
                items=_erasure_items(),
            ),
            Section(
                "security",
                _("Teknisten ja organisatoristen turvatoimien kuvaus (30 art. 1 g)"),
                items=(
                    (_("A. Manuaalinen aineisto"), draft.text(StatementPart.SECURITY_MANUAL, "fi")),
                    (
                        _("B. Sähköisesti käsiteltävät tiedot"),
                        draft.text(StatementPart.SECURITY_ELECTRONIC, "fi"),
                    ),
                ),
            ),
        )
        return Statement(
            language="fi",
            title=_("Seloste käsittelytoimista"),
            subtitle=_("EU:n yleisen tietosuoja-asetuksen (2016/679) 30 artikla"),
            controller_name=controller.name if controller else "",
            version_label=_("Muodostettu %(date)s")
            % {"date": formats.date_format(timezone.localdate(), "j.n.Y")},
            sections=sections,
        )


def render_processing_record_pdf(draft: StatementDraft) -> bytes:
    """Return the Art. 30 record as a PDF (rendered on demand: staff-only and rarely read)."""
    record = build_processing_record(draft)
    with translation.override("fi"):
        content = render_statement_html(record)
        html = render_to_string(
            "privacy/statement_pdf.html",
            {
                "language": "fi",
                "title": record.title,
                "author": record.controller_name,
                "content": content,
            },
        )
    return render_pdf(html, title=record.title, author=record.controller_name, language="fi")


# --- Importing an old statement --------------------------------------------------------------


def _split_security(text: str) -> tuple[str, str]:
    """Split an old security section into its "A: manual" and "B: electronic" parts."""
    match = re.search(r"(?im)^\s*(?:b\s*[:.)]|.*sähköi)", text)
    if match and match.start() > 0:
        return text[: match.start()].strip(), text[match.start() :].strip()
    return "", text.strip()


@transaction.atomic
def import_statement(*, data: bytes, filename: str = "", store: bool = True) -> ImportResult:
    """Read an old statement, and unless store is False keep its wording in the draft.

    The Finnish parts the draft holds are replaced by the imported wording; the full import
    report (every section, gaps, outdated references, promises) is kept on the draft for the
    admin to revise. Raises StatementImportError (a ValueError) with a Finnish message, writing
    nothing, when the file is not a readable Finnish statement.
    """
    result = parse_statement(decode_statement(data))
    if not store:
        return result
    draft = StatementDraft.current()
    for key, part in IMPORTED_PARTS.items():
        if key in result.sections:
            draft.set_text(part, "fi", result.sections[key])
    if "security" in result.sections:
        manual, electronic = _split_security(result.sections["security"])
        if manual:
            draft.set_text(StatementPart.SECURITY_MANUAL, "fi", manual)
        draft.set_text(StatementPart.SECURITY_ELECTRONIC, "fi", electronic)
    draft.imported = result.as_json_dict()
    draft.imported_from = filename[:255]
    draft.save()
    return result
