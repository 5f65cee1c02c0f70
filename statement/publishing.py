"""Publishing the draft as an immutable version, and printing each version's PDF once."""

import hashlib
import json
import re
from dataclasses import astuple

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from privacy.dates import date_text
from privacy.pdf import render_pdf
from rekisteri.tasks import enqueue_after_commit

# The module, not the task: the task calls back into this module.
from statement import tasks
from statement.choices import draft_choices, drafting
from statement.citations import keep_together_in_html
from statement.completeness import completeness
from statement.content import (
    Statement,
    build_statement,
    outside_items,
    outside_of,
    shop_purpose_entries,
)
from statement.models import (
    Controller,
    StatementDraft,
    StatementPdf,
    StatementVersion,
)
from statement.purposes import draft_purposes_off


def render_statement_html(statement: Statement) -> str:
    """Return the statement's HTML fragment (headings and sections) in its own language."""
    with translation.override(statement.language):
        return render_to_string("statement/statement_content.html", {"statement": statement})


def content_hash(rendered: dict[str, str]) -> str:
    """Return the SHA-256 of a version's rendered texts (every language, canonical JSON)."""
    canonical = json.dumps(rendered, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def statement_digest(draft: StatementDraft) -> str:
    """Return the SHA-256 of everything a statement published now would say, in every language.

    Built from the same sections as a version (the declaration, the vocabulary and the periods
    its settings give, the recipients, the controller, the draft's texts) but without the version
    label, so it changes exactly when what the statement states changes.
    """
    built = {
        language: [
            (s.key, s.heading, s.paragraphs, s.bullets, s.items, s.table and astuple(s.table))
            for s in build_statement(draft, language).sections
        ]
        for language in draft.languages()
    }
    canonical = json.dumps(built, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def stale_reason(draft: StatementDraft | None = None) -> str | None:
    """Return why the statement in force no longer matches the register, or None when it does.

    The version in force recorded the digest of what it was built from; the register changed when
    the same digest of today's declaration, recipients, controller and texts differs (queries:
    builds the statement in each language).
    """
    version = StatementVersion.latest()
    if version is None:
        return _("Tietosuojaselostetta ei ole vielä julkaistu.")
    if statement_digest(draft or StatementDraft.current()) != version.inputs_digest:
        return _(
            "Rekisteri ei enää vastaa julkaistua selostetta (versio %(number)s): seloste kertoisi "
            "nyt eri asiat. Tarkista luonnos ja julkaise uusi versio."
        ) % {"number": version.number}
    return None


def unchanged_since(draft: StatementDraft, *, digest: str = "") -> StatementVersion | None:
    """Return the version in force when the draft, published now, would say nothing new.

    Compares the digest of what a version published now would be built from (`digest`, or built
    here: the statement in each language) with the one the version in force recorded.
    """
    version = StatementVersion.latest()
    if version is not None and version.inputs_digest == (digest or statement_digest(draft)):
        return version
    return None


def _render_all(draft: StatementDraft, *, number: int, published_at) -> dict[str, str]:
    return {
        language: render_statement_html(
            build_statement(draft, language, number=number, published_at=published_at)
        )
        for language in draft.languages()
    }


def snapshot(draft: StatementDraft) -> dict:
    """Return the choices a version publishes beside its text, for what reads them later.

    The languages it is served in (the portal's language switch), the retention periods the
    shop chose (the retention sweep enforces them: statement.choices), the declared purposes it
    switched off (the code that does them refuses them: statement.purposes), and the data held
    outside the register, the shop's other sources and its own purposes in each language (the
    access package lists them).
    """
    outside = outside_of(draft)
    items = {}
    for language in draft.languages():
        with translation.override(language), drafting(draft):
            items[language] = [list(item) for item in outside_items(outside, language)]
    return {
        "languages": list(draft.languages()),
        "retention": draft_choices(draft),
        "purposes_off": sorted(draft_purposes_off(draft)),
        "outside": items,
        "sources": {
            language: [source.text("name", language) for source in draft.sources.all()]
            for language in draft.languages()
        },
        "purposes": {
            language: shop_purpose_entries(draft, language) for language in draft.languages()
        },
    }


def _next_number() -> int:
    return (StatementVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1


def preview_version(draft: StatementDraft) -> StatementVersion:
    """Return the version publishing the draft now would make, unsaved: for the preview.

    Its HTML and PDF are what the public would get, numbered as the next version and dated now.
    """
    number = _next_number()
    published_at = timezone.now()
    controller = Controller.current()
    return StatementVersion(
        number=number,
        published_at=published_at,
        controller_name=controller.name if controller else "",
        rendered_html=_render_all(draft, number=number, published_at=published_at),
        inputs_digest=statement_digest(draft),
    )


def render_preview_pdf(draft: StatementDraft, language: str) -> bytes:
    """Return the PDF the draft would be published as, in one language; nothing is stored."""
    return _render_version_pdf(preview_version(draft), language)


@transaction.atomic
def publish_statement(
    *,
    draft: StatementDraft,
    user: AbstractBaseUser | AnonymousUser | None = None,
    previewed_digest: str | None = None,
) -> StatementVersion:
    """Freeze the draft into the next immutable StatementVersion, in every language.

    Raises ValidationError with the Finnish completeness messages when anything is missing, when
    the version would say exactly what the version in force says, and when `previewed_digest`
    (the digest of what the staff member saw in the preview) no longer matches the draft.
    """
    # Lock the draft so two admins publishing at once get consecutive numbers, not an error.
    StatementDraft.objects.select_for_update().filter(pk=draft.pk).first()
    gaps = completeness(draft)
    if gaps:
        raise ValidationError(gaps)
    digest = statement_digest(draft)
    if (latest := unchanged_since(draft, digest=digest)) is not None:
        raise ValidationError(
            _(
                "Mikään ei ole muuttunut version %(number)s jälkeen: uusi versio sanoisi "
                "täsmälleen saman. Muuta luonnosta ennen kuin julkaiset."
            )
            % {"number": latest.number},
            code="unchanged",
        )
    if previewed_digest is not None and previewed_digest != digest:
        raise ValidationError(
            _(
                "Luonnos tai rekisteri on muuttunut esikatselun jälkeen. Tarkista esikatselu "
                "uudelleen ennen julkaisua."
            ),
            code="changed_since_preview",
        )
    number = _next_number()
    published_at = timezone.now()
    rendered = _render_all(draft, number=number, published_at=published_at)
    controller = Controller.current()
    version = StatementVersion.objects.create(
        number=number,
        published_at=published_at,
        content_hash=content_hash(rendered),
        controller_name=controller.name if controller else "",
        rendered_html=rendered,
        published_by=user if user is not None and user.is_authenticated else None,
        # What this version names and was built from: disclosures are allowed only to these
        # recipients (statement.registry), and a change of the inputs makes it stale.
        recipient_ids=sorted(draft.recipients.values_list("pk", flat=True)),
        inputs_digest=digest,
        snapshot=snapshot(draft),
    )
    # The worker renders the PDFs ahead of the first download (which would render them too).
    enqueue_after_commit(tasks.render_statement_pdfs_task, version_id=version.pk)
    return version


def statement_pdf_html(version: StatementVersion, language: str) -> str:
    """Return the standalone HTML document the PDF of a version is printed from."""
    with translation.override(language):
        valid_from = _("Versio %(number)s, voimassa %(date)s alkaen") % {
            "number": version.number,
            "date": date_text(timezone.localdate(version.published_at)),
        }
        return printed_document_html(
            language=language,
            title=pdf_title(version, language),
            author=version.controller_name,
            document_name=_("Tietosuojaseloste"),
            footer_label=valid_from,
            content=version.html(language),
        )


def printed_document_html(
    *,
    language: str,
    title: str,
    author: str,
    document_name: str,
    footer_label: str,
    content: str,
) -> str:
    """Return a statement-like document (the statement, the Art. 30 record) ready to print.

    Every page is headed by the controller's name and the document's name, and its footer says
    which version it is and the page number ("Versio 2, voimassa 1.3.2026 alkaen — sivu 1 / 6").
    Links to this site become absolute (SITE_URL), and legal references are kept on one line.
    """
    with translation.override(language):
        return render_to_string(
            "statement/statement_pdf.html",
            {
                "language": language,
                "title": title,
                "author": author,
                "document_name": document_name,
                "footer": page_footer(footer_label),
                "content": keep_together_in_html(absolute_links(content)),
            },
        )


def page_footer(label: str) -> str:
    """Return the running footer's HTML: the label, then the page number and the page count.

    The numbers are CSS counters, so the translated text keeps its own word order around them.
    """
    page = '<span class="page-number"></span>'
    pages = '<span class="page-count"></span>'
    text = escape(_("%(label)s — sivu %(page)s / %(pages)s"))
    # Safe: the translated text and the label are escaped, the spans are our own.
    return mark_safe(text % {"label": escape(label), "page": page, "pages": pages})  # noqa: S308


# A link to a path of this site ("/oma/"): WeasyPrint would resolve it against the directory the
# document is printed in, a file: address on the server.
_SITE_PATH_LINK = re.compile(r'(\shref=")(/(?!/)[^"]*")')


def absolute_links(html: str) -> str:
    """Return the HTML with its links to paths of this site made absolute with SITE_URL."""
    return _SITE_PATH_LINK.sub(
        lambda m: m.group(1) + settings.SITE_URL.rstrip("/") + m.group(2), html
    )


def pdf_title(version: StatementVersion, language: str) -> str:
    """Return the PDF's document title, e.g. "Tietosuojaseloste – Esimerkkikauppa Oy"."""
    with translation.override(language):
        return _("Tietosuojaseloste – %(controller)s") % {"controller": version.controller_name}


def _is_stored(pdf: StatementPdf) -> bool:
    return bool(pdf.file.name) and pdf.file.storage.exists(pdf.file.name)


def _render_version_pdf(version: StatementVersion, language: str) -> bytes:
    return render_pdf(
        statement_pdf_html(version, language),
        title=pdf_title(version, language),
        author=version.controller_name,
        language=language,
    )


def _store_file(pdf: StatementPdf, data: bytes) -> None:
    pdf.sha256 = hashlib.sha256(data).hexdigest()
    pdf.size = len(data)
    pdf.rendered_at = timezone.now()
    name = f"tietosuojaseloste-v{pdf.version.number}-{pdf.language}.pdf"
    pdf.file.save(name, ContentFile(data), False)


def _heal_statement_pdf(pdf: StatementPdf, data: bytes) -> StatementPdf:
    """Store a fresh rendering for a PDF row whose file is gone (e.g. a restore on a new server).

    Media files are not backed up: the version's HTML is in the database, so its PDF can always
    be printed again.
    """
    with transaction.atomic():
        locked = StatementPdf.objects.select_for_update().get(pk=pdf.pk)
        if _is_stored(locked):
            # A concurrent download stored it first; keep that one.
            return locked
        _store_file(locked, data)
        try:
            locked.save(update_fields=["file", "sha256", "size", "rendered_at"])
        except BaseException:
            locked.file.delete(save=False)
            raise
    return locked


def get_statement_pdf(*, version: StatementVersion, language: str) -> StatementPdf:
    """Return the stored PDF of a version in one language, rendering it when it is not stored.

    The first call renders with WeasyPrint and writes the file to storage; later calls read the
    StatementPdf row and check that its file is there, rendering it again if it went missing.
    Two concurrent first calls may both render, but only one is kept.
    """
    existing = StatementPdf.objects.filter(version=version, language=language).first()
    if existing is not None and _is_stored(existing):
        return existing
    data = _render_version_pdf(version, language)
    if existing is not None:
        return _heal_statement_pdf(existing, data)
    pdf = StatementPdf(version=version, language=language)
    _store_file(pdf, data)
    try:
        with transaction.atomic():
            pdf.save()
    except IntegrityError:
        # A concurrent first download stored it first; keep that one.
        pdf.file.delete(save=False)
        return StatementPdf.objects.get(version=version, language=language)
    except BaseException:
        # The row was not stored (e.g. the database went away): no file may outlive it.
        pdf.file.delete(save=False)
        raise
    return pdf
