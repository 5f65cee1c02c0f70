"""Public pages of the privacy statement: the current version, earlier versions, their PDFs."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from statement import cache as statement_cache
from statement.models import STATEMENT_LANGUAGES, Controller, StatementVersion
from statement.publishing import get_statement_pdf


def _version(number: int | None) -> StatementVersion | None:
    if number is None:
        return StatementVersion.latest()
    return get_object_or_404(StatementVersion, number=number)


def _language(version: StatementVersion | None = None) -> str:
    """Return the request's language if the version is published in it, else Finnish."""
    language = translation.get_language() or "fi"
    served = version.languages if version is not None else STATEMENT_LANGUAGES
    return language if language in served else "fi"


@require_safe
def statement(request: HttpRequest, number: int | None = None) -> HttpResponse:
    """Show the current statement, or an earlier version, in the request's language.

    The current statement's page is the same for every visitor, so it is served from the cache
    until the next version is published (statement.cache).
    """
    if number is None:
        language = translation.get_language()
        generation = statement_cache.current_generation()
        cached = statement_cache.get_page(generation, language)
        if cached is not None:
            return HttpResponse(cached)
    latest = StatementVersion.latest()
    version = latest if number is None else get_object_or_404(StatementVersion, number=number)
    context = {
        "controller": Controller.current(),
        "version": version,
        "is_current": version is not None and version == latest,
    }
    if version is not None:
        context["html"] = version.html(_language(version))
        # The language switch offers only the languages the shop publishes its statement in.
        context["statement_languages"] = [
            (code, name) for code, name in settings.LANGUAGES if code in version.languages
        ]
        context["pdf_url"] = (
            reverse("statement:pdf")
            if number is None
            else reverse("statement:version_pdf", args=[version.number])
        )
    response = render(request, "statement/statement.html", context)
    if number is None and version is not None:
        statement_cache.store_page(generation, language, response.content)
    return response


@require_safe
def statement_versions(request: HttpRequest) -> HttpResponse:
    """List every published version with its date."""
    return render(
        request,
        "statement/statement_versions.html",
        {"controller": Controller.current(), "versions": StatementVersion.objects.all()},
    )


@require_safe
def statement_pdf(request: HttpRequest, number: int | None = None) -> HttpResponse:
    """Serve a version's PDF from storage (rendered on the first download only)."""
    version = _version(number)
    if version is None:
        raise Http404("No statement has been published.")
    pdf = get_statement_pdf(version=version, language=_language(version))
    etag = quote_etag(pdf.sha256)
    not_modified = get_conditional_response(request, etag=etag)
    response = not_modified or FileResponse(
        pdf.file.open("rb"),
        content_type="application/pdf",
        filename=f"tietosuojaseloste-v{version.number}-{pdf.language}.pdf",
    )
    response["ETag"] = etag
    # A numbered version never changes; the current one does when a new version is published.
    if number is None:
        patch_cache_control(response, public=True, max_age=300)
    else:
        patch_cache_control(response, public=True, max_age=31536000, immutable=True)
    return response
