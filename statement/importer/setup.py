"""What an old statement says about the register's set-up: controller, contact, recipients…

Everything is read from what the text says and nothing is guessed: a field the text does not
give stays empty. A Y-tunnus (checked with its check digit) and an e-mail address are found
wherever they are written; names, addresses and phone numbers are read from the controller's
and the contact person's sections.
"""

import re

from stdnum.fi import ytunnus

from statement.importer import report
from statement.importer.catalogue_keys import recognise_purposes, recognise_sources

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
BUSINESS_ID = re.compile(r"(?<![\d-])(\d{7})\s?-\s?(\d)(?![\d-])")
_PHONE = re.compile(r"(?<![\w+-])(?:\+358|0)\s?\d{1,3}(?:\s?-?\s?\d{1,4}){1,4}(?![\w-])")
_POSTAL = re.compile(r"(?<![\d-])(\d{5})\s+([A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ]?[a-zåäö]+)?)")
_STREET = re.compile(
    r"\b(?:PL|PO Box|Postilokero)\s*\d+"
    r"|\b[A-ZÅÄÖ][a-zåäö]+(?:tie|katu|kuja|polku|tori|väylä|raitti|rinne|kaari|ranta|aukio"
    r"|puistikko|tanhua|mäki|gatan|vägen)\s+\d{1,4}(?!\d)(?:\s?[A-Za-z]\b)?(?:\s\d{1,3}\b)?"
)
_LABEL = re.compile(
    r"^(?:yritys|yhtiö|rekisterinpitäjä|nimi|toiminimi|rekisterinpitäjänä toimii)\s*:?\s*",
    re.IGNORECASE,
)
_COMPANY_FORM = re.compile(r"\b(oy|oyj|ab|ky|ay|tmi|ry|ltd|osuuskunta)\b\.?", re.IGNORECASE)
_PERSON = re.compile(
    r"(?<![\w-])([A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäö]+)?)\s+"
    r"([A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäö]+)?)(?![\w-])"
)
_NOT_NAMES = frozenset((
    "puh", "puhelin", "sähköposti", "yhteyshenkilö", "rekisteriasioita", "rekisteriasioista",
    "osoite", "postiosoite", "asiakaspalvelu", "tietosuoja", "tietosuojavastaava", "yritys",
    "rekisterinpitäjä", "hoitava", "vastaava", "yhteystiedot", "sähköpostiosoite",
))  # fmt: skip
_CONTACT_CUE = re.compile(
    r"yhteyshenkil|rekisteriasio|vastaava henkilö|hoitava henkilö|tietosuoja-asioi", re.IGNORECASE
)

# Recipients the statement names: (name as the staff panel lists it, kind of recipient, where
# the name may be found). A carrier named anywhere hands parcels over; the other kinds only
# count in a sentence that talks about disclosing or transferring data.
RECIPIENTS: tuple[tuple[str, str, str, bool], ...] = (
    ("Posti", "carrier", r"\bPosti(n|lle|a)?\b", True),
    ("Matkahuolto", "carrier", r"\bMatkahuol", True),
    ("PostNord", "carrier", r"\bPostNord", True),
    ("DHL", "carrier", r"\bDHL\b", True),
    ("DB Schenker", "carrier", r"\bSchenker", True),
    ("Budbee", "carrier", r"\bBudbee", True),
    ("Paytrail", "payment", r"\bPaytrail", True),
    ("Klarna", "payment", r"\bKlarna", True),
    ("Svea", "payment", r"\bSvea\b", True),
    ("Stripe", "payment", r"\bStripe\b", True),
    ("PayPal", "payment", r"\bPayPal", True),
    ("Mailchimp", "newsletter", r"\bMailchimp", True),
    ("Google", "other", r"\bGoogle\b", True),
    ("Shopify", "hosting", r"\bShopify", True),
    ("luottotietoyhtiö", "other", r"luottopäätö|luottotie|luot+ohakemu", False),
    ("perintätoimisto", "collection", r"\bperin(tä|nä|tää|nän)\w*|perintätoimist", False),
    ("laskutuspalvelu", "invoicing", r"laskutukse|laskutuspalvel", False),
    ("tilitoimisto", "accounting", r"tilitoimist|kirjanpitäj", False),
    (
        "viranomaiset",
        "authority",
        r"lainsäädän\w*\s+(?:\w+\s+){0,3}(?:velvoitt|pakot)|lainsäädäntö\s+(?:\w+\s+)?pakota"
        r"|viranomai\w* (?:\w+ ){0,2}pyynnö|viranomai\w* tiedustel|lain nojalla",
        False,
    ),
)
_RECIPIENT_RX = tuple((name, re.compile(rx, 0 if anywhere else re.I), anywhere)
                      for name, _kind, rx, anywhere in RECIPIENTS)  # fmt: skip
RECIPIENT_KINDS = {name: kind for name, kind, _rx, _anywhere in RECIPIENTS}
_DISCLOSING = re.compile(
    r"luovut|välit|siirr|siirt|palveluntarjoaj|ulkopuol|kolmans|kumppan|alihankkij", re.I
)

# Third countries by the stems Finnish statements write them with, as ISO 3166 codes. The EEA
# is not listed: a transfer there is not a transfer (GDPR Chapter V).
COUNTRIES: dict[str, str] = {
    r"yhdysval|\busa\b|\byhdysvaltoihin": "US",
    r"iso-britanni|britanni|yhdistynee\w* kuningaskun": "GB",
    r"kanada": "CA",
    r"sveits": "CH",
    r"japani": "JP",
    r"kiina": "CN",
    r"intia": "IN",
    r"australia": "AU",
    r"singapor": "SG",
    r"israel": "IL",
    r"venäjä": "RU",
    r"turkki|turkkiin": "TR",
}
_COUNTRIES = tuple((re.compile(rx, re.I), code) for rx, code in COUNTRIES.items())
_TRANSFERRING = re.compile(r"siirr|siirt|palvelim|sijaits|säilytetään|käsitellään", re.I)


def business_ids(text: str) -> list[str]:
    """Return every valid Y-tunnus written in the text, as 1234567-8, in order."""
    found = []
    for m in BUSINESS_ID.finditer(text):
        value = f"{m[1]}-{m[2]}"
        if ytunnus.is_valid(value) and value not in found:
            found.append(value)
    return found


def emails(text: str) -> list[str]:
    """Return the e-mail addresses written in the text, in order."""
    return report.dedupe([m.group().rstrip(".").lower() for m in EMAIL.finditer(text)])


def phones(text: str) -> list[str]:
    """Return the phone numbers written in the text (7–13 digits), as written."""
    found = []
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 7 <= len(digits) <= 13 and not BUSINESS_ID.fullmatch(m.group().strip()):
            found.append(" ".join(m.group().split()))
    return report.dedupe(found)


def _strip_details(line: str) -> str:
    """Remove the Y-tunnus, phone, e-mail and labels from a name line."""
    line = _LABEL.sub("", line.strip())
    line = re.split(r"\(|,|;|\by-tunnus\b|\bpuh\b|\bpuhelin\b", line, flags=re.IGNORECASE)[0]
    for rx in (EMAIL, _PHONE, BUSINESS_ID):
        line = rx.sub(" ", line)
    return " ".join(line.split()).strip(" .:-–")


def _controller_name(text: str) -> str:
    for line in report.runs(text):
        if BUSINESS_ID.fullmatch(_LABEL.sub("", line).strip()) or re.match(
            r"(y-tunnus|puh|puhelin|sähköposti|osoite)\b", line, re.I
        ):
            continue
        name = _strip_details(line)
        if not name or _STREET.fullmatch(name) or _POSTAL.fullmatch(name):
            continue
        if len(name.split()) > 8:
            return ""  # a sentence, not a name: nothing is guessed from it
        parts = [p.strip() for p in name.split(" / ")]
        return next((p for p in parts if _COMPANY_FORM.search(p)), name)
    return ""


def _person(text: str) -> str:
    for m in _PERSON.finditer(text):
        if m[1].lower() not in _NOT_NAMES and m[2].lower() not in _NOT_NAMES:
            rest = text[m.end() : m.end() + 6]
            if not _COMPANY_FORM.match(rest.strip()):
                return f"{m[1]} {m[2]}"
    return ""


def _first(items: list[str], exclude: tuple[str, ...] = ()) -> str:
    return next((item for item in items if item not in exclude), "")


def _contact_text(sections: dict[str, str], whole: str) -> str:
    if sections.get("contact_person"):
        return sections["contact_person"]
    # No heading of its own: the sentence that names the contact person, wherever it is.
    return " ".join(s for s in report.sentences(whole) if _CONTACT_CUE.search(s))


def _controller_text(sections: dict[str, str]) -> str:
    text = sections.get("controller", "")
    cue = _CONTACT_CUE.search(text)
    return text[: cue.start()] if cue else text  # "Yhteyshenkilö …" inside it is the contact's


def read_controller(sections: dict[str, str], whole: str, contact_email: str) -> dict[str, str]:
    """Return the controller's details the text gives; "" for each one it does not."""
    text = _controller_text(sections)
    postal = _POSTAL.search(text)
    street = _STREET.search(text)
    return {
        "name": _controller_name(text),
        "business_id": _first(business_ids(text) or business_ids(whole)),
        "street_address": street.group().strip() if street else "",
        "postal_code": postal[1] if postal else "",
        "post_office": postal[2] if postal else "",
        "email": _first(emails(text)) or _first(emails(whole), (contact_email,)),
        "phone": _first(phones(text)),
    }


def read_contact_person(sections: dict[str, str], whole: str) -> dict[str, str]:
    """Return the contact person's name, e-mail and phone the text gives."""
    text = _contact_text(sections, whole)
    cue = _CONTACT_CUE.search(text)
    tail = text[cue.start() :] if cue and not sections.get("contact_person") else text
    return {"name": _person(tail), "email": _first(emails(tail)), "phone": _first(phones(tail))}


def read_recipients(whole: str) -> list[str]:
    """Return the recipients the text names, carriers wherever and others where it discloses."""
    sentences = report.sentences(whole)
    disclosing = [s for s in sentences if _DISCLOSING.search(s)]
    found = []
    for name, rx, anywhere in _RECIPIENT_RX:
        if any(rx.search(s) for s in (sentences if anywhere else disclosing)):
            found.append(name)
    return found


def read_transfers(sections: dict[str, str], whole: str) -> list[str]:
    """Return the third countries (ISO codes) the text says data goes to or is kept in."""
    sentences = report.sentences(sections.get("transfers", "")) + [
        s for s in report.sentences(whole) if _TRANSFERRING.search(s)
    ]
    return [code for rx, code in _COUNTRIES if any(rx.search(s) for s in sentences)]


def _sentences_of(sections: dict[str, str], *keys: str) -> list[str]:
    return [s for key in keys for s in report.sentences(sections.get(key, ""))]


def read_setup(sections: dict[str, str], whole: str) -> dict:
    """Return the set-up an old statement gives: controller, contact, recipients, keys…"""
    contact = read_contact_person(sections, whole)
    return {
        "controller": read_controller(sections, whole, contact["email"]),
        "contact_person": contact,
        "recipients": read_recipients(whole),
        "sources": recognise_sources(_sentences_of(sections, "sources")),
        "purposes": recognise_purposes(
            _sentences_of(sections, "purposes", "legal_basis", "disclosures")
        ),
        "transfers": read_transfers(sections, whole),
    }
