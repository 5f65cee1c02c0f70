"""The written decisions and notices of data-subject requests, in the requester's language.

The texts are stored on the request as they were issued (`decision_text`); the PDF is printed
from the stored text, so a reprint is the letter that was sent.
"""

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from privacy.authority import SUPERVISORY_AUTHORITY
from privacy.pdf import render_pdf
from rights.models import CorrectionItem, DataSubjectRequest
from statement.models import Controller

# GDPR Art. 12(4), 77 and 79: every decision names the supervisory authority and the courts.
REMEDIES = (
    gettext_noop("Muutoksenhaku"),
    gettext_noop(
        "Jos katsot, että henkilötietojesi käsittelyssä rikotaan tietosuoja-asetusta, sinulla on "
        "oikeus tehdä valitus valvontaviranomaiselle (EU:n yleinen tietosuoja-asetus, 77 artikla):"
    ),
    None,  # the supervisory authority's name, address and contacts (privacy.authority)
    gettext_noop(
        "Sinulla on lisäksi oikeus saattaa asia tuomioistuimen, kuten käräjäoikeuden, "
        "käsiteltäväksi (79 artikla)."
    ),
)


def letter_language(case: DataSubjectRequest) -> str:
    """Return the language the request's letters are written in."""
    if case.language:
        return case.language
    return (case.customer.preferred_language if case.customer else "") or "fi"


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _head(case: DataSubjectRequest, title: str) -> list[str]:
    return [
        title % {"reference": case.reference},
        "",
        _("Pyyntö: %(kind)s") % {"kind": case.get_kind_display()},
        _("Vastaanotettu: %(date)s") % {"date": _date(timezone.localdate(case.received_at))},
        _("Päivämäärä: %(date)s") % {"date": _date(timezone.localdate())},
        "",
    ]


def _foot() -> list[str]:
    controller = Controller.current()
    if controller is None:
        return []
    contact = controller.contact_email or controller.email
    return ["", controller.name, *([contact] if contact else [])]


def _remedies() -> list[str]:
    authority = [
        str(SUPERVISORY_AUTHORITY.name),
        SUPERVISORY_AUTHORITY.address_line(),
        SUPERVISORY_AUTHORITY.contact_line(),
    ]
    lines = [""]
    for line in REMEDIES:
        lines += authority if line is None else [_(line)]
    return lines


def refusal_decision_text(case: DataSubjectRequest) -> str:
    """Return the written refusal with its reasons and the remedies (GDPR Art. 12(4))."""
    with translation.override(letter_language(case)):
        lines = _head(case, _("Päätös tietosuojapyyntöön %(reference)s"))
        lines += [
            _("Ratkaisu: pyyntöä ei toteuteta."),
            "",
            _("Perusteet: %(reason)s") % {"reason": case.get_refusal_reason_display()},
        ]
        if case.refusal_details:
            lines.append(case.refusal_details)
        lines += _remedies() + _foot()
    return "\n".join(lines)


def _outcome(case: DataSubjectRequest) -> str:
    """Return the decision in one line: a correction may be granted only in part, or not at all."""
    if case.kind == DataSubjectRequest.Kind.CORRECTION:
        states = set(case.corrections.values_list("state", flat=True))
        if states == {CorrectionItem.State.REJECTED}:
            return _("Ratkaisu: emme korjanneet tietojasi. Perustelut ovat alla.")
        if CorrectionItem.State.REJECTED in states:
            return _("Ratkaisu: korjasimme osan tiedoistasi. Perustelut ovat alla.")
    return _("Ratkaisu: pyyntö on toteutettu.")


def completion_decision_text(
    case: DataSubjectRequest, lines: list[str], language: str | None = None
) -> str:
    """Return the written decision that a request was carried out, with the remedies."""
    with translation.override(language or letter_language(case)):
        text = _head(case, _("Päätös tietosuojapyyntöön %(reference)s"))
        text += [_outcome(case), "", *lines]
        # Art. 12(4) applies to what was not done (kept data, rejected corrections); the remedies
        # are named in every decision so no partial refusal goes without them.
        text += _remedies() + _foot()
    return "\n".join(text)


def extension_notice_text(case: DataSubjectRequest) -> str:
    """Return the notice telling the requester of an extension and its reasons (Art. 12(3))."""
    with translation.override(letter_language(case)):
        text = _head(case, _("Ilmoitus käsittelyajan pidentämisestä %(reference)s"))
        text += [
            _(
                "Pyyntösi käsittelyaikaa on pidennetty EU:n yleisen tietosuoja-asetuksen 12 "
                "artiklan 3 kohdan nojalla. Vastaamme viimeistään %(date)s."
            )
            % {"date": _date(case.due_date)},
            "",
            _("Pidentämisen syy:"),
            case.extension_reason,
            *_foot(),
        ]
    return "\n".join(text)


def portal_download_url() -> str:
    """Return the address of the portal page where a customer downloads their data."""
    return settings.SITE_URL.rstrip("/") + reverse("portal:download")


def render_letter_pdf(*, case: DataSubjectRequest, text: str | None = None) -> bytes:
    """Print a letter of the request (its decision by default) as a PDF in its language."""
    language = letter_language(case)
    body = case.decision_text if text is None else text
    lines = body.splitlines()
    title, paragraphs = (lines[0], lines[1:]) if lines else ("", [])
    with translation.override(language):
        html = render_to_string(
            "rights/request_letter.html",
            {
                "controller": Controller.current(),
                "title": title,
                "paragraphs": _paragraphs(paragraphs),
                "reference": case.reference,
            },
        )
    controller = Controller.current()
    return render_pdf(
        html, title=title, author=controller.name if controller else "", language=language
    )


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Group the letter's lines into paragraphs at blank lines."""
    groups: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]
