"""What the draft still lacks against GDPR Art. 13/14, listed in Finnish for the register admin."""

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy import declaration
from privacy.citations import cite, cited
from privacy.declaration import Basis
from statement.content import statement_purposes
from statement.models import (
    REQUIRED_PARTS,
    STATEMENT_LANGUAGES,
    Controller,
    OutsideCategory,
    ShopPurpose,
    ShopSource,
    StatementDraft,
    StatementPart,
)
from statement.purpose_catalogue import CATALOGUE
from statement.purposes import OPTIONAL, draft_purposes_off, mentions, refusals

TRANSLATED_LANGUAGES = tuple(lang for lang in STATEMENT_LANGUAGES if lang != "fi")

_LANGUAGE_ADJECTIVES = {
    "sv": gettext_lazy("ruotsinkielinen"),
    "en": gettext_lazy("englanninkielinen"),
}
_IN_LANGUAGE = {
    "fi": gettext_lazy("suomeksi"),
    "sv": gettext_lazy("ruotsiksi"),
    "en": gettext_lazy("englanniksi"),
}


class Gap(str):
    """A Finnish gap message that carries the address of the staff page where it is fixed."""

    url: str

    def __new__(cls, text: str, url: str = "") -> "Gap":
        gap = super().__new__(cls, text)
        gap.url = url
        return gap


# What the apps above the statement know the draft lacks: the customers app registers the consent
# wordings a served language lacks (customers.apps), as the platforms app registers its tellers in
# privacy.connected_systems. Each is called as `source(draft)` and returns Finnish messages (a
# Gap with the page where it is fixed).
GapSource = Callable[[StatementDraft], list[str]]

_gap_sources: list[GapSource] = []


def register_gap_source(source: GapSource) -> None:
    """Register `source(draft)`, listing in Finnish what the draft lacks (once per process)."""
    if source not in _gap_sources:
        _gap_sources.append(source)


def missing(label: str, language: str) -> str:
    """Return, in Finnish, that `label` lacks its text in `language` (or its translation)."""
    if language == "fi":
        return _("%(part)s: teksti puuttuu.") % {"part": label}
    return _("%(part)s: %(language)s käännös puuttuu.") % {
        "part": label,
        "language": _LANGUAGE_ADJECTIVES[language],
    }


def outdated(label: str, language: str) -> str:
    """Return, in Finnish, that `label`'s translation was written for an earlier Finnish text."""
    return _(
        "%(part)s: %(language)s teksti on kirjoitettu aiemmalle suomenkieliselle tekstille. "
        "Päivitä käännös tai vahvista, että se vastaa suomenkielistä."
    ) % {"part": label, "language": _LANGUAGE_ADJECTIVES[language]}


def _controller_gaps(
    controller: Controller | None, translations: tuple[str, ...] = TRANSLATED_LANGUAGES
) -> list[str]:
    if controller is None:
        return [cited(_("Rekisterinpitäjän tiedot puuttuvat (%(article)s)."), "13(1)(a)")]
    checks = (
        (
            controller.name,
            cited(_("Rekisterinpitäjän nimi puuttuu (%(article)s)."), "13(1)(a)"),
        ),
        (controller.business_id, _("Rekisterinpitäjän Y-tunnus puuttuu.")),
        (
            controller.street_address and controller.postal_code and controller.post_office,
            cited(_("Rekisterinpitäjän osoite puuttuu (%(article)s)."), "13(1)(a)"),
        ),
        (
            controller.email or controller.phone,
            _("Rekisterinpitäjän sähköposti tai puhelinnumero puuttuu (%(article)s).")
            % {"article": cite("13(1)(a)")},
        ),
        (
            controller.contact_name and (controller.contact_email or controller.contact_phone),
            _("Rekisteriasioiden yhteyshenkilö ja hänen yhteystietonsa puuttuvat."),
        ),
        (controller.register_name, _("Rekisterin nimi puuttuu.")),
        (
            not controller.dpo_name or controller.dpo_email or controller.dpo_phone,
            _("Tietosuojavastaavan yhteystiedot puuttuvat (%(article)s).")
            % {"article": cite("13(1)(b)")},
        ),
    )
    gaps = [message for present, message in checks if not present]
    if controller.register_name:
        gaps += [
            missing(_("Rekisterin nimi"), language)
            for language in translations
            if not controller.register_name_in(language)
        ]
    return gaps


def _purpose_gaps(draft: StatementDraft) -> list[str]:
    gaps = []
    for shop_purpose in draft.purposes.all():
        if not shop_purpose.catalogue_key:
            name = _("Käsittelyn tarkoitus ”%(name)s”") % {"name": shop_purpose.name_fi}
            gaps += [
                missing(name, language)
                for language in shop_purpose.untranslated(
                    ShopPurpose.TEXT_FIELDS, draft.translations()
                )
            ]
    for purpose in statement_purposes(draft):
        if purpose.basis == Basis.LEGITIMATE_INTEREST and not purpose.legitimate_interest:
            gaps.append(
                _("Käsittelyn tarkoitukselta ”%(purpose)s” puuttuu oikeutettu etu (%(article)s).")
                % {"purpose": purpose.label, "article": cite("13(1)(d)")}
            )
        if not purpose.requirement:
            gaps.append(
                _(
                    "Käsittelyn tarkoitukselta ”%(purpose)s” puuttuu tieto siitä, onko tietojen "
                    "antaminen lakisääteinen tai sopimukseen perustuva vaatimus ja mitä "
                    "antamatta jättämisestä seuraa (%(article)s)."
                )
                % {"purpose": purpose.label, "article": cite("13(2)(e)")}
            )
    return gaps


def _part_gaps(draft: StatementDraft, *, has_transfers: bool) -> list[str]:
    required = list(REQUIRED_PARTS) + ([StatementPart.TRANSFERS] if has_transfers else [])
    translations = draft.translations()
    gaps = []
    for part in StatementPart:
        label = str(part.label)
        if part in required and not draft.text(part, "fi"):
            gaps.append(missing(label, "fi"))
        # A part written in Finnish must also be translated, optional or not.
        if part in required or draft.text(part, "fi"):
            gaps += [missing(label, lang) for lang in translations if not draft.text(part, lang)]
        gaps += [
            outdated(label, lang) for lang in translations if draft.translation_outdated(part, lang)
        ]
    return gaps


def _recipient_gaps(draft: StatementDraft) -> list[str]:
    recipients = list(draft.recipients.all())
    if not recipients:
        return [
            _("Tietojen vastaanottajia ja käsittelijöitä ei ole lueteltu (%(article)s).")
            % {"article": cite("13(1)(e)")}
        ]
    gaps = []
    for recipient in recipients:
        gaps += [
            missing(_("Vastaanottaja ”%(name)s”") % {"name": recipient.name_fi}, lang)
            for lang in draft.translations()
            if not recipient.name(lang)
        ]
        if recipient.is_outside_eea and not recipient.safeguard:
            gaps.append(
                _("Vastaanottajalta ”%(name)s” puuttuu siirron suojatoimi (%(article)s).")
                % {"name": recipient.name_fi, "article": cite("13(1)(f)", "45–47")}
            )
    return gaps


def _outside_gaps(draft: StatementDraft) -> list[str]:
    gaps = []
    for category in draft.outside_categories.all():
        name = _("Rekisterin ulkopuolella pidetty tietoryhmä ”%(name)s”") % {
            "name": category.name_fi
        }
        if not category.held_in_fi.strip():
            gaps.append(_("%(part)s: säilytyspaikka puuttuu.") % {"part": name})
        gaps += [
            missing(name, language)
            for language in category.untranslated(OutsideCategory.TEXT_FIELDS, draft.translations())
        ]
    return gaps


def _source_gaps(draft: StatementDraft) -> list[str]:
    gaps = []
    for source in draft.sources.all():
        name = _("Tietolähde ”%(name)s”") % {"name": source.name_fi}
        gaps += [
            missing(name, language)
            for language in source.untranslated(ShopSource.TEXT_FIELDS, draft.translations())
        ]
    return gaps


def mentioned_off(
    *, where: str, language: str, texts: Iterable[tuple[str, str]], off: Iterable[str]
) -> list[Gap]:
    """Return a Gap for each switched-off purpose the shop's own words name, once per purpose.

    `where` names, in Finnish, what says it; `texts` are its (text, address of the text's field)
    in `language`. A purpose switched off has nothing behind such a promise (statement.purposes).
    """
    keys = [key for key in OPTIONAL if key in off]
    found: dict[str, Gap] = {}
    for text, url in texts:
        for mention in mentions(text, language, keys):
            if mention.key in found:
                continue
            message = _(
                "%(where)s (%(language)s) mainitsee sanan ”%(word)s”, mutta kauppa ei käytä "
                "käsittelyn tarkoitusta ”%(purpose)s”: poista maininta tai ota tarkoitus "
                "käyttöön."
            ) % {
                "where": where,
                "language": _IN_LANGUAGE[language],
                "word": mention.word,
                "purpose": OPTIONAL[mention.key].purpose.label,
            }
            found[mention.key] = Gap(message, url)
    return [found[key] for key in keys if key in found]


def _off_mention_gaps(draft: StatementDraft) -> list[Gap]:
    """List what the draft's hand-written parts, own purposes and outside data say of a purpose
    the draft switches off, in each language it serves, with the field to fix."""
    off = draft_purposes_off(draft)
    if not off:
        return []
    page = reverse("admin:statement_statementdraft_change", args=[draft.pk])
    gaps = []
    for part in StatementPart:
        for language in draft.languages():
            gaps += mentioned_off(
                where=_("Osa ”%(part)s”") % {"part": part.label},
                language=language,
                texts=[(draft.text(part, language), f"{page}#id_text_{part}_{language}")],
                off=off,
            )
    # The inlines' rows in the page's order: the anchor is the row's field.
    rows = [
        ("purposes", index, _("Käsittelyn tarkoitus ”%(name)s”"), row, ShopPurpose.TEXT_FIELDS)
        for index, row in enumerate(draft.purposes.all())
        if not row.catalogue_key  # a catalogue entry's words are not the shop's
    ] + [
        (
            "outside_categories",
            index,
            _("Rekisterin ulkopuolella pidetty tietoryhmä ”%(name)s”"),
            row,
            OutsideCategory.TEXT_FIELDS,
        )
        for index, row in enumerate(draft.outside_categories.all())
    ]
    for prefix, index, label, row, fields in rows:
        for language in draft.languages():
            gaps += mentioned_off(
                where=label % {"name": row.name_fi},
                language=language,
                texts=[
                    (
                        getattr(row, f"{field}_{language}"),
                        f"{page}#id_{prefix}-{index}-{field}_{language}",
                    )
                    for field in fields
                ],
                off=off,
            )
    return gaps


def completeness(draft: StatementDraft) -> list[str]:
    """Return, in Finnish, what the draft still lacks against GDPR Art. 13/14; [] when complete.

    A missing translation names its language; only the languages the shop serves are checked
    (Finnish always). Reads the controller, recipients, the shop's purposes and outside data, the
    declaration, and what the registered gap sources report (the consent wordings). The shop's
    own words must not name a purpose the draft switches off (`mentioned_off`).
    """
    with translation.override("fi"):
        gaps = _controller_gaps(Controller.current(), draft.translations())
        if not list(declaration.personal_fields()):
            gaps.append(_("Henkilötietojen ilmoitus on tyhjä: tietosisältöä ei voi muodostaa."))
        gaps += _purpose_gaps(draft)
        has_transfers = any(r.is_outside_eea for r in draft.recipients.all())
        gaps += _part_gaps(draft, has_transfers=has_transfers)
        gaps += _recipient_gaps(draft)
        gaps += _outside_gaps(draft)
        gaps += _source_gaps(draft)
        # A purpose switched off while the register holds data only it explains.
        gaps += refusals(draft_purposes_off(draft))
        # The shop's own words promising a purpose switched off.
        gaps += _off_mention_gaps(draft)
        gaps += [gap for source in _gap_sources for gap in source(draft)]
        # A Gap keeps its page; a lazy text becomes the Finnish string.
        return [gap if isinstance(gap, Gap) else str(gap) for gap in gaps]


def _statement_vocabulary() -> list[Promise | str]:
    """Return every declared text the statement, the record or the erasure plan shows."""
    texts: list[Promise | str] = []
    for category, fields in declaration.by_category():
        texts.append(category.label)
        for decl, name, field in fields:
            texts.append(decl.model._meta.verbose_name_plural)
            texts.append(decl.model._meta.get_field(name).verbose_name)
            texts += [field.retention.label, field.retention.law]
            texts += [field.erasure.label, field.legal_reason]
    for purpose in dict.fromkeys([*declaration.used("purposes"), *CATALOGUE.values()]):
        texts += [
            purpose.label,
            Basis(purpose.basis).label,
            purpose.legitimate_interest,
            purpose.requirement,
        ]
    texts += [source.label for source in declaration.used("source")]
    return [text for text in texts if text]


def untranslated_declaration_texts() -> list[str]:
    """List, in Finnish, declared texts the statement shows that lack a sv or en translation.

    Covers categories, purposes and their bases, sources, retention rules and their legal
    references, what erasure does and why a field is kept, and the model and field names of the
    data content. Not part of completeness():
    the register admin cannot fix a missing catalogue entry; the developer who declares a new
    text must (a test keeps this list empty).
    """
    with translation.override("fi"):
        texts = {str(text): text for text in _statement_vocabulary()}
    gaps = []
    for finnish, text in texts.items():
        # Acronyms such as "JSON" or "PDF" are the same in every language.
        if finnish.isupper():
            continue
        for language in TRANSLATED_LANGUAGES:
            with translation.override(language):
                translated = str(text)
            if translated == finnish:
                with translation.override("fi"):
                    gaps.append(
                        _("Rekisterin sanaston tekstiltä ”%(label)s” puuttuu %(language)s käännös.")
                        % {"label": finnish, "language": _LANGUAGE_ADJECTIVES[language]}
                    )
    return gaps
