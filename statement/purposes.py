"""The declared purposes a shop may switch off, and what keeps a switched-off purpose off.

The fields of the database and their purposes are declared in code (`privacy.declaration`), for
every shop. A small shop may simply not have some of them: no gift cards, no reference list, no
market research, no targeting by purchase history, no statistics of demographic details. It
switches them off on the statement draft (`StatementDraft.purposes_off`); publishing keeps the
choice in the version's snapshot, like the retention choices (statement.choices).

A switched-off purpose is gone from the statement, the access letter and the Art. 30 record
(`privacy.declaration.fields_in_use`: a field left with no purpose in use goes with it), and the
code that does that processing refuses it (`require_in_use`, read from the statement in force):
see `OPTIONAL` for what each purpose's switch stops. Switching a purpose off is refused while the
register holds data only that purpose explains (`register_holder`, `refusals`).

The other declared purposes (the customer relationship, accounting, customer service, marketing
and its control, the data subject's rights, security, authority requests, debt collection and
business contacts) are always on: every shop has them, or nothing could enforce their absence.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy import declaration, vocabulary
from privacy.declaration import Category, Purpose
from statement.models import StatementDraft, StatementVersion


@dataclass(frozen=True)
class Optional:
    """A declared purpose the shop may switch off, and what switching it off stops."""

    purpose: Purpose
    # For the staff panel: what the register refuses while the purpose is off.
    stops: Promise
    # The word stems that name the purpose in what the shop writes itself, per statement
    # language (`mentions`): matched at the start of a word, in any case; a space in a stem also
    # matches a hyphen or nothing ("gift card", "gift-card", "giftcard").
    words: dict[str, tuple[str, ...]]
    # Words that start with a stem but name something else, per language (Tilastokeskus).
    unlike: dict[str, tuple[str, ...]] = field(default_factory=dict)


OPTIONAL: dict[str, Optional] = {
    entry.purpose.key: entry
    for entry in (
        Optional(
            vocabulary.GIFT_CARDS,
            gettext_lazy(
                "Lahjakortin lunastajia ei voi lisätä rekisteriin (hallinta, rajapinta, tuonti)."
            ),
            words={
                "fi": ("lahjakort", "lahjasetel"),
                "sv": ("presentkort", "gåvokort"),
                "en": ("gift card", "gift voucher", "gift certificate"),
            },
        ),
        Optional(
            vocabulary.REFERENCE_LIST,
            gettext_lazy(
                "Asiakasluetteloa ei voi ladata, eikä omilla sivuilla kysytä yrityksen nimen "
                "julkaisemisesta."
            ),
            # Not "referens" or "reference" alone: a payment or order reference is no list.
            words={
                "fi": ("referenss", "asiakasluettelo"),
                "sv": ("referenslist", "referenskund", "kundförteckning"),
                "en": ("reference list", "reference customer", "customer list"),
            },
        ),
        Optional(
            vocabulary.MARKET_RESEARCH,
            gettext_lazy(
                "Tutkimusten yleisöjä ei voi ladata, eikä omilla sivuilla kysytä tutkimuksista."
            ),
            # "tutkimu" names no "tutkimme" (we look into) or "tutkinta" (an investigation).
            words={
                "fi": (
                    "tutkimu",
                    "markkinatutkimu",
                    "mielipidetutkimu",
                    "asiakastutkimu",
                    "asiakaskysely",
                    "tyytyväisyyskysely",
                    "asiakastyytyväisyyskysely",
                ),
                "sv": (
                    "undersökning",
                    "marknadsundersökning",
                    "opinionsundersökning",
                    "kundundersökning",
                    "enkät",
                ),
                "en": ("market research", "opinion research", "customer research", "survey"),
            },
        ),
        Optional(
            vocabulary.TARGETING,
            gettext_lazy(
                "Ostohistorian perusteella kohdennettuja yleisöjä ei voi ladata, eikä omilla "
                "sivuilla kysytä kohdentamisesta."
            ),
            # Not "profile" in English: a customer's profile page is no profiling.
            words={
                "fi": ("kohdenn", "kohdent", "profiloi"),
                "sv": ("profiler", "riktad marknadsföring", "riktade erbjudanden"),
                "en": ("targeted", "targeting", "profiling", "profiled"),
            },
        ),
        Optional(
            vocabulary.STATISTICS,
            gettext_lazy(
                "Asiakkaan ammattia ei kysytä eikä tallenneta. Syntymäaika (ikäraja) ja "
                "kiinnostuksen kohteet (suoramarkkinointi) jäävät muiden tarkoitusten vuoksi."
            ),
            words={"fi": ("tilasto",), "sv": ("statistik",), "en": ("statistic",)},
            # Statistics Finland, an authority, is no statistics of the shop's own.
            unlike={
                "fi": ("tilastokeskus",),
                "sv": ("statistikcentralen",),
                "en": ("statistics finland",),
            },
        ),
    )
}


# A clause that denies ("Emme profiloi asiakkaita.", "No data is used for profiling.") promises
# nothing, so its words do not count. A clause ends at a punctuation mark or a line break, and
# before a word that starts a new one ("…vain, jos et ole kieltänyt…", "…only if you have not…").
_CLAUSE_END = re.compile(
    r"[.!?;:,\n]|\s(?=(?:jos|kun|mutta|paitsi|om|när|men|utom|if|when|but|unless|except)\b)",
    re.IGNORECASE,
)
_NEGATION = {
    "fi": r"en|et|ei|emme|ette|eivät|enkä|etkä|eikä|emmekä|ettekä|eivätkä|älä|älkää",
    "sv": r"inte|ej|icke|aldrig|ingen|inget|inga|varken",
    "en": r"not|no|never|neither|nor|none|cannot|\w+n['’]t",
}


@dataclass(frozen=True)
class Mention:
    """A word in the shop's own text that names an optional purpose."""

    key: str
    word: str


def _either(stems: Iterable[str]) -> str:
    return "|".join(re.escape(stem).replace(r"\ ", r"[\s-]*") for stem in stems)


@cache
def _stems(key: str, language: str) -> re.Pattern:
    entry = OPTIONAL[key]
    unlike = entry.unlike.get(language)
    skip = rf"(?!{_either(unlike)})" if unlike else ""
    return re.compile(rf"(?<!\w){skip}(?:{_either(entry.words[language])})\w*", re.IGNORECASE)


@cache
def _negation(language: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{_NEGATION[language]})(?!\w)", re.IGNORECASE)


def mentions(text: str, language: str, keys: Iterable[str]) -> list[Mention]:
    """Return the first word of `text` naming each optional purpose of `keys` in `language`.

    A word names a purpose when it starts with one of the purpose's stems (`Optional.words`);
    words in a clause that denies are left out. [] for a language without stems.
    """
    if language not in _NEGATION:
        return []
    clauses = [c for c in _CLAUSE_END.split(text) if not _negation(language).search(c)]
    found = []
    for key in keys:
        if key not in OPTIONAL:
            continue
        word = next(
            (m.group() for clause in clauses if (m := _stems(key, language).search(clause))),
            None,
        )
        if word is not None:
            found.append(Mention(key, word))
    return found


@dataclass(frozen=True)
class _Holder:
    count: Callable[[], int]
    # Finnish, with %(count)s and %(purpose)s: what the register holds and what to do.
    message: Promise


_holders: dict[str, list[_Holder]] = {}


def register_holder(purpose: Purpose, *, count: Callable[[], int], message: Promise) -> None:
    """Register data only `purpose` explains: while `count()` > 0 it cannot be switched off.

    The app that holds the data registers it (customers.purposes), as retention mechanisms are.
    """
    _holders.setdefault(purpose.key, []).append(_Holder(count, message))


def refusals(keys: Iterable[str]) -> list[str]:
    """Return, in Finnish, why each of these purposes cannot be switched off now ([]: it can)."""
    messages = []
    for key in keys:
        entry = OPTIONAL.get(key)
        if entry is None:
            messages.append(_("Tätä käsittelyn tarkoitusta ei voi poistaa käytöstä."))
            continue
        for holder in _holders.get(key, ()):
            count = holder.count()
            if count:
                messages.append(
                    str(holder.message) % {"count": count, "purpose": capfirst(entry.purpose.label)}
                )
    return messages


def draft_purposes_off(draft: StatementDraft) -> frozenset[str]:
    """Return the optional purposes the draft switches off."""
    return frozenset(key for key in draft.purposes_off or () if key in OPTIONAL)


def published_purposes_off() -> frozenset[str]:
    """Return the purposes the statement in force switched off (none before the first).

    Reads only that key of the version's snapshot, not its HTML in every language.
    """
    off = (
        StatementVersion.objects.order_by("-number")
        .values_list("snapshot__purposes_off", flat=True)
        .first()
    )
    return frozenset(off or ())


_drafting: ContextVar[frozenset[str] | None] = ContextVar("drafting_purposes", default=None)


@contextmanager
def drafting_purposes(draft: StatementDraft) -> Iterator[None]:
    """Within the block, the purposes off are the draft's (for building the draft's statement)."""
    token = _drafting.set(draft_purposes_off(draft))
    try:
        yield
    finally:
        _drafting.reset(token)


def categories_in_use(draft: StatementDraft | None) -> dict[str, Category]:
    """Return the declared categories left with a field in use under the draft's purposes off.

    None: every declared category. A shop purpose may use only these (ShopPurpose.categories).
    """
    if draft is None:
        groups = declaration.by_category(everything=True)
    else:
        with drafting_purposes(draft):
            groups = declaration.by_category()
    return {category.key: category for category, _fields in groups}


def purposes_off() -> frozenset[str]:
    """Return the purposes off: the draft's while drafting, else the statement in force's."""
    off = _drafting.get()
    return published_purposes_off() if off is None else off


def in_use(purpose: Purpose) -> bool:
    """Return whether the statement in force (or the draft being built) keeps the purpose on."""
    return purpose.key not in purposes_off()


def require_in_use(purpose: Purpose) -> None:
    """Refuse processing for a purpose the statement in force has switched off."""
    if not in_use(purpose):
        raise ValidationError(
            _(
                "Käsittelyn tarkoitus ”%(purpose)s” ei ole käytössä: voimassa oleva "
                "tietosuojaseloste ei kerro siitä. Jos kauppa tarvitsee sitä, ota tarkoitus "
                "käyttöön selosteen luonnoksessa ja julkaise uusi versio."
            )
            % {"purpose": capfirst(purpose.label)},
            code="purpose_off",
        )
