"""The gap report: what a statement lacks under GDPR, what it cites that is gone, its promises."""

import re
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

_ABBREV = frozenset((
    "esim", "ks", "mm", "puh", "yms", "tms", "jne", "nro", "ns", "vrt", "os", "myöh", "ym", "klo",
    "tel", "oy", "ry", "n", "s", "p", "art", "mom", "kohd", "eu",
))  # fmt: skip


_LAST_WORD = re.compile(r"(\w+)$")


def runs(text: str) -> list[str]:
    """Join wrapped lines back into runs: paragraphs, list items and label lines stay apart."""
    runs: list[list[str]] = []
    previous = ""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            previous = ""
            continue
        # A break after a period or colon, after a short line without one ("A. Manuaalinen
        # aineisto") or before a list item ends a run; any other break only wrapped a line.
        ends = previous.endswith((".", ":", "!", "?")) or len(previous) <= 45
        if not runs or not previous or ends or re.match(r"[-•*–·▪]", line):
            runs.append([line])
        else:
            runs[-1].append(line)
        previous = line
    return [" ".join(run) for run in runs]


def sentences(text: str) -> list[str]:
    """Split text into sentences, keeping list items, paragraphs and label lines apart."""
    out: list[str] = []
    for para in runs(text):
        start = 0
        for m in re.finditer(r"[.!?](?=\s+[\"'(]?[A-ZÅÄÖ])", para):
            word = _LAST_WORD.search(para[max(start, m.start() - 40) : m.start()])
            if word and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREV):
                continue
            out.append(para[start : m.end()].strip())
            start = m.end()
        if para[start:].strip():
            out.append(para[start:].strip())
    return out


def dedupe(items: list[str]) -> list[str]:
    """Drop repeated items (case- and space-insensitively), keeping the first."""
    seen: set[str] = set()
    out = []
    for item in items:
        norm = " ".join(item.lower().split())
        if norm not in seen:
            seen.add(norm)
            out.append(item)
    return out


def _excerpt(sentence: str, match: re.Match[str], width: int = 110) -> str:
    """Shorten a long sentence to the part around the match."""
    if len(sentence) <= 2 * width + 20:
        return sentence
    start, end = max(0, match.start() - width), min(len(sentence), match.end() + width)
    prefix = "…" if start else ""
    return f"{prefix}{sentence[start:end].strip()}{'…' if end < len(sentence) else ''}"


# --- Outdated references ----------------------------------------------------------------------

# Henkilötietolaki 523/1999 was repealed by Tietosuojalaki 1050/2018 from 1.1.2019, with its
# Tietosuojalautakunta; the Data Protection Directive 95/46/EC by the GDPR from 25.5.2018; the
# Act on the Protection of Privacy in Electronic Communications 516/2004 by 917/2014 from 2015;
# Suoramarkkinointiliitto is now Asiakkuusmarkkinointiliitto (ASML), its "Robinson" service
# the ASML restriction services; Viestintävirasto became Traficom in 2019.
_OUTDATED = re.compile(
    r"henkilötietolai|henkilötietolaki|523/(19)?99|\bhetil\b|tietosuojalautakun|95/46"
    r"|tietosuojadirektiiv|516/2004|sähköisen viestinnän tietosuojalai|suoramarkkinointiliit"
    r"|robinson|viestintäviras",
    re.IGNORECASE,
)


def find_outdated(texts: list[str]) -> list[str]:
    """Return the sentences that cite repealed laws or bodies that no longer exist."""
    found = [_excerpt(s, m) for t in texts for s in sentences(t) if (m := _OUTDATED.search(s))]
    return dedupe(found)


# --- Promises ---------------------------------------------------------------------------------

# Kinds of sentence the register must make true, each a stem list: what the statement promises
# to do, forbids itself, or lets the customer demand.
_PROMISE_KINDS: tuple[str, ...] = (
    r"hävit|poist|unohde|anonymi",  # erasure, anonymisation
    r"kirjallise|allekirjoit|tarkastuspyyn|korjauspyyn",  # written, signed requests
    r"henkilöllisyy|todenta|tunnistetaan",  # identity verification
    r"kieltä|suoramainon|etämyyn|mielipidetutkimu|kieltorekister|peruutuslink|peru(a|ttaa)",
    r"\bei luovut|\bemme\b|\bemmekä\b|\bei koskaan|\bei siirr|luovuttamatta",  # self-limits
    r"ilman (\w+ )?(lupaa|lupaasi|suostumusta)|\bvain\b|ainoastaan|\bei halua",
    r"julkais|luettelo",  # publication in lists unless refused
    r"korja|oikais|viivytyksettä|viipymättä|välittömästi",  # correction without delay
    r"tiedotetaan|ilmoitamme|ilmoitetaan",  # telling the customer or recipients
    r"kadonn|varmiste|varmuuskopi|kopioimalla",  # tracing parcels, backups
    r"käyttäjätunnu|käyttöoikeu|salasan|valvotaan|lukitu|palomuur|salassapito|vaitiolo",
    r"tuomioistui|suomeksi|englanniksi|ruotsiksi|tietosuojavaltuutet|valvontaviranomai",
)
_PROMISE = re.compile("|".join(_PROMISE_KINDS), re.IGNORECASE)


def find_promises(texts: list[str]) -> list[str]:
    """Return the sentences that promise something the register must keep."""
    return dedupe([s for t in texts for s in sentences(t) if _PROMISE.search(s)])


# --- What a key needs -------------------------------------------------------------------------

_PERIOD = re.compile(
    r"\d+\s*(vuo|kk\b|kuukau|päiv|viiko)|\bvuo(si|den|tta|det)\b|kuukau|niin kauan kuin|kunnes|"
    r"päätyttyä|päätty|\bajan\b|ajaksi|kirjanpitolai|kirjanpitoaineist|kuluttua|lakisääteis|"
    r"(yksi|kaksi|kolme|neljä|viisi|kuusi|seitsemän|kahdeksan|yhdeksän|kymmenen) vuotta",
    re.IGNORECASE,
)
_AUTHORITY = re.compile(
    r"valvontaviranomai|tietosuojavaltuutet|tietosuojaviranomai|tillsynsmyndighet", re.IGNORECASE
)
_GDPR_BASIS = re.compile(
    r"6\s*art|artikla\s*6|6\s*(\(1\)|kohd)|suostumu|sopimu|oikeutettu etu|oikeutettuun etuun|"
    r"oikeutettuihin etuihin|lakisääteinen velvoite|lakisääteisen velvoitteen|elintärkeä|"
    r"yleistä etua|yleisen edun",
    re.IGNORECASE,
)


def names_gdpr_basis(text: str) -> bool:
    """Tell whether a legal-basis text names a GDPR Art 6(1) basis."""
    return bool(_GDPR_BASIS.search(text))


def states_period(text: str) -> bool:
    """Tell whether a retention text gives a period or the criteria that set it (13(2)(a))."""
    return bool(_PERIOD.search(text))


def mentions_complaint(sentence: str) -> bool:
    """Tell whether a sentence gives the general right to complain to the authority."""
    if not _AUTHORITY.search(sentence):
        return False
    if re.search(r"valitu|valitt|kantel", sentence, re.IGNORECASE):
        return True
    # Art 13(2)(d) is general; taking only a refused request to the Ombudsman (HetiL 29 §) is
    # narrower, so seed 002's "saattaa epäämisen tietosuojavaltuutetun ratkaistavaksi" is not it.
    return bool(re.search(r"käsiteltäväksi|ratkaistavaksi", sentence, re.IGNORECASE)) and not (
        re.search(r"epää|evät|evätty|kieltäyty", sentence, re.IGNORECASE)
    )


# Keys filled from sentences elsewhere when no heading names them; sentences are single lines,
# so the anchored lookaheads (``match``) scan each one once.
FALLBACKS: dict[str, Callable[[str], object]] = {
    "transfers": re.compile(
        r"(?=.*\b(siirr|siirt))(?=.*(\beu\b|\beta\b|euroopan|kolmans|kolmas|ulkopuolel))",
        re.IGNORECASE,
    ).match,
    "retention": re.compile(r"(?=.*säily)(?=.*(" + _PERIOD.pattern + "))", re.IGNORECASE).match,
    "complaint": mentions_complaint,
    "automated_decisions": re.compile(
        r".*(automaat\w* päätö|automatisoi\w* päätö|profiloi|profilointi)", re.IGNORECASE
    ).match,
    "direct_marketing": re.compile(
        r"(?=.*kieltä)(?=.*(suoramarkkin|suoramainon|markkinoin))", re.IGNORECASE
    ).match,
}

# Art 13(2)(b)-(c): each right, and the stems that show the statement tells of it.
_RIGHTS: tuple[tuple[str, str], ...] = (
    (gettext_noop("tarkastusoikeus"), r"tarkast|tarkist|pääsy|nähtäv|kopio"),
    (gettext_noop("oikeus tietojen oikaisemiseen"), r"korja|oikais|täydent"),
    (gettext_noop("oikeus tietojen poistamiseen"), r"poist|hävit|unohd"),
    (gettext_noop("oikeus käsittelyn rajoittamiseen"), r"rajoit"),
    (gettext_noop("vastustamisoikeus"), r"vastust|kieltä"),
    (
        gettext_noop("oikeus siirtää tiedot järjestelmästä toiseen"),
        r"siirrettävyy|siirtää|koneluettav|toiseen",
    ),
)
# "perua"/"peruuttaa" and their forms, not "peruste"/"perustuu" (basis): "peru(?!s)".
_WITHDRAW = re.compile(r"suostumu\w* (\w+ ){0,2}peru(?!s)|peru(?!s)\w* (\w+ )?suostumu", re.I)


def describe_gaps(sections: dict[str, str], whole_text: str) -> list[str]:
    """Return notes on what present sections still lack: a GDPR basis, a period, rights."""
    notes: list[str] = []
    if "legal_basis" in sections and not names_gdpr_basis(sections["legal_basis"]):
        notes.append(
            _(
                "Käsittelyn peruste ei nimeä tietosuoja-asetuksen 6 artiklan oikeusperustetta "
                "(esimerkiksi sopimus, suostumus, lakisääteinen velvoite tai oikeutettu etu)."
            )
        )
    if "retention" in sections and not states_period(sections["retention"]):
        notes.append(_("Säilytyksestä ei kerrota aikaa eikä perusteita, joilla aika määräytyy."))
    if "complaint" not in sections and _AUTHORITY.search(whole_text):
        notes.append(
            _(
                "Tietosuojavaltuutettu mainitaan vain evätyn pyynnön käsittelijänä; yleinen "
                "oikeus tehdä valitus valvontaviranomaiselle puuttuu."
            )
        )
    lacking: list[str] = []
    if "rights" in sections:
        rights = sections["rights"] + "\n" + sections.get("direct_marketing", "")
        lacking = [_(name) for name, rx in _RIGHTS if not re.search(rx, rights, re.IGNORECASE)]
        if re.search(r"suostumu", whole_text, re.IGNORECASE) and not _WITHDRAW.search(whole_text):
            lacking.append(_("oikeus peruuttaa suostumus"))
    if lacking:
        notes.append(
            _("Rekisteröidyn oikeuksista ei mainita: %(rights)s.") % {"rights": ", ".join(lacking)}
        )
    return notes
