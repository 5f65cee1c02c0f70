"""The written decisions and notices of data-subject requests, in the requester's language.

The texts are stored on the request as they were issued (`decision_text`); the PDF, the portal and
the staff panel show the stored text, so a reprint is the letter that was sent. A letter is plain
text, readable as the email it is sent as: its title is underlined with "=", each heading with "-"
(`letter_blocks` reads them back), so the printed letter and the web pages show real headings.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from privacy.authority import SUPERVISORY_AUTHORITY
from privacy.citations import Style, cite
from privacy.dates import date_text
from privacy.pdf import render_pdf
from rights.models import CorrectionItem, DataSubjectRequest
from statement.models import Controller
from statement.publishing import printed_document_html

# GDPR Art. 12(4), 77 and 79: every decision names the supervisory authority and the courts.
REMEDIES_HEADING = gettext_noop("Muutoksenhaku")
REMEDIES = (
    (
        gettext_noop(
            "Jos katsot, että henkilötietojesi käsittely rikkoo tietosuoja-asetusta, sinulla on "
            "oikeus tehdä valitus valvontaviranomaiselle (%(article)s):"
        ),
        (77,),
        Style.FULL,
    ),
    None,  # the supervisory authority's name, address and contacts (privacy.authority)
    (
        gettext_noop(
            "Voit lisäksi viedä asian tuomioistuimen, kuten käräjäoikeuden, käsiteltäväksi "
            "(%(article)s)."
        ),
        (79,),
        Style.SHORT,
    ),
)


def letter_language(case: DataSubjectRequest) -> str:
    """Return the language the request's letters are written in."""
    if case.language:
        return case.language
    return (case.customer.preferred_language if case.customer else "") or "fi"


def letter_date(day: dt.date) -> str:
    """Return a date as the letter's language writes it: "5.2.2026", in English "5 Feb 2026"."""
    return date_text(day)


def _title(text: str) -> list[str]:
    return [text, "=" * len(text), ""]


def _heading(text: str) -> list[str]:
    return ["", text, "-" * len(text), ""]


def _head(case: DataSubjectRequest, title: str, dated: dt.date) -> list[str]:
    return [
        *_title(title % {"reference": case.reference}),
        _("Pyyntösi: %(kind)s") % {"kind": case.get_kind_display()},
        _("Saapui: %(date)s") % {"date": letter_date(timezone.localdate(case.received_at))},
        _("Päivämäärä: %(date)s") % {"date": letter_date(dated)},
    ]


def _foot() -> list[str]:
    controller = Controller.current()
    if controller is None:
        return []
    contact = controller.contact_email or controller.email
    return ["", _("Ystävällisin terveisin"), controller.name, *([contact] if contact else [])]


def _remedies() -> list[str]:
    lines = _heading(_(REMEDIES_HEADING))
    for part in REMEDIES:
        if part is None:
            lines += [
                "",
                str(SUPERVISORY_AUTHORITY.name),
                SUPERVISORY_AUTHORITY.address_line(),
                SUPERVISORY_AUTHORITY.contact_line(),
                "",
            ]
        else:
            message, articles, style = part
            lines.append(_(message) % {"article": cite(*articles, style=style)})
    return lines


def refusal_decision_text(case: DataSubjectRequest) -> str:
    """Return the written refusal with its reasons and the remedies (GDPR Art. 12(4))."""
    with translation.override(letter_language(case)):
        lines = _head(case, _("Päätös tietosuojapyyntöösi %(reference)s"), timezone.localdate())
        lines += _heading(_("Ratkaisu"))
        lines.append(_("Emme toteuta pyyntöäsi."))
        lines += _heading(_("Perustelut"))
        reason = case.get_refusal_reason_display()
        lines.append(reason[:1].upper() + reason[1:] + ".")
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


def _outcome(case: DataSubjectRequest) -> str:
    """Return the decision in one line: a correction may be granted only in part, or not at all."""
    if case.kind == DataSubjectRequest.Kind.CORRECTION:
        states = set(case.corrections.values_list("state", flat=True))
        if states == {CorrectionItem.State.REJECTED}:
            return _("Emme korjanneet tietojasi. Perustelut ovat alla.")
        if CorrectionItem.State.REJECTED in states:
            return _("Korjasimme osan tiedoistasi. Perustelut ovat alla.")
    return _("Olemme toteuttaneet pyyntösi.")


def completion_decision_text(
    case: DataSubjectRequest, lines: list[str], language: str | None = None
) -> str:
    """Return the written decision that a request was carried out, with the remedies."""
    with translation.override(language or letter_language(case)):
        text = _head(case, _("Päätös tietosuojapyyntöösi %(reference)s"), timezone.localdate())
        text += _heading(_("Ratkaisu"))
        text += [_outcome(case), "", *lines]
        # Art. 12(4) applies to what was not done (kept data, rejected corrections); the remedies
        # are named in every decision so no partial refusal goes without them.
        text += _remedies() + _foot()
    return "\n".join(text)


def extension_notice_text(case: DataSubjectRequest) -> str:
    """Return the notice telling the requester of an extension and its reasons (Art. 12(3))."""
    dated = case.extension_notified_on or timezone.localdate()
    with translation.override(letter_language(case)):
        text = _head(case, _("Pyyntösi %(reference)s käsittelyaikaa on pidennetty"), dated)
        text += [
            "",
            _(
                "Tarvitsemme pyyntösi käsittelyyn tavallista enemmän aikaa, joten olemme "
                "pidentäneet käsittelyaikaa (%(article)s). Vastaamme sinulle viimeistään "
                "%(date)s."
            )
            % {"article": cite("12(3)", style=Style.FULL), "date": letter_date(case.due_date)},
            *_heading(_("Miksi tarvitsemme lisäaikaa")),
            case.extension_reason,
            *_foot(),
        ]
    return "\n".join(text)


def portal_download_url() -> str:
    """Return the address of the portal page where a customer downloads their data."""
    return settings.SITE_URL.rstrip("/") + reverse("portal:download")


# --- Reading a letter back ------------------------------------------------------------------


@dataclass(frozen=True)
class LetterBlock:
    """A heading (its text in one line) or a paragraph (its lines) of a letter."""

    lines: tuple[str, ...]
    is_heading: bool = False


_RULE = re.compile(r"^(=+|-+)$")


def letter_blocks(text: str) -> tuple[str, list[LetterBlock]]:
    """Return a stored letter's title and its headings and paragraphs, in order.

    A line underlined with "-" is a heading. Letters stored before headings were marked have
    none: their first line is the title and the rest are paragraphs.
    """
    lines = text.splitlines()
    title = lines[0] if lines else ""
    rest = lines[2:] if len(lines) > 1 and _RULE.match(lines[1].strip()) else lines[1:]
    blocks: list[LetterBlock] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph:
            blocks.append(LetterBlock(tuple(paragraph)))
            paragraph.clear()

    for i, line in enumerate(rest):
        following = rest[i + 1].strip() if i + 1 < len(rest) else ""
        if _RULE.match(line.strip()):
            continue
        if line.strip() and following.startswith("-") and _RULE.match(following):
            close()
            blocks.append(LetterBlock((line.strip(),), is_heading=True))
        elif line.strip():
            paragraph.append(line)
        else:
            close()
    close()
    return title, blocks


def letter_html(text: str, heading_level: int = 3) -> SafeString:
    """Return a stored letter's body as HTML for a web page: headings, then paragraphs."""
    _title_text, blocks = letter_blocks(text)
    tag = f"h{heading_level}"
    return format_html_join(
        "\n",
        "{}",
        (
            (
                format_html("<{}>{}</{}>", tag, block.lines[0], tag)
                if block.is_heading
                else format_html(
                    "<p>{}</p>",
                    format_html_join(mark_safe("<br>"), "{}", ((line,) for line in block.lines)),
                ),
            )
            for block in blocks
        ),
    )


def render_letter_pdf(
    *, case: DataSubjectRequest, text: str | None = None, dated: dt.date | None = None
) -> bytes:
    """Print a letter of the request (its decision by default) as a PDF in its language.

    Laid out as the statement is: every page headed by the shop's name and the letter's title,
    and footed by the request's reference, the letter's date and the page number.
    """
    language = letter_language(case)
    body = case.decision_text if text is None else text
    if dated is None:
        decided = case.decided_at if text is None else None
        dated = timezone.localdate(decided) if decided else timezone.localdate()
    title, blocks = letter_blocks(body)
    controller = Controller.current()
    author = controller.name if controller else ""
    with translation.override(language):
        content = render_to_string(
            "rights/request_letter.html",
            {"controller": controller, "title": title, "blocks": blocks},
        )
        footer = _("Viite %(reference)s, päivätty %(date)s") % {
            "reference": case.reference,
            "date": letter_date(dated),
        }
    html = printed_document_html(
        language=language,
        title=title,
        author=author,
        # The reference's hyphens do not break: "TS-2026-" at a line's end reads as cut off.
        document_name=title.replace(case.reference, case.reference.replace("-", "\u2011")),
        footer_label=footer,
        content=content,
    )
    return render_pdf(html, title=title, author=author, language=language)
