"""The project's one HTML→PDF function (WeasyPrint); only services call it."""

import ssl
from functools import cache
from pathlib import Path

import pyphen
from django.conf import settings

# Page set-up shared by every printed document: A4, page numbers, embedded fonts.
PRINT_STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "print.css"

# Tagged PDF for screen readers; WeasyPrint ≥ 63 knows the PDF/UA-1 variant (it turns pdf_tags
# on and writes the PDF/UA identification, title display and language the standard asks for).
PDF_VARIANT = "pdf/ua-1"

# Printed documents are built from our own templates and never load anything from the network:
# only file: (the stylesheet) and data: URLs are fetched, so text a user typed cannot make the
# renderer request a remote address.
ALLOWED_PROTOCOLS = frozenset({"file", "data"})

# pyphen (WeasyPrint's hyphenator) ships no Finnish patterns: ours follow the syllable rules
# (scripts/fi_hyphenation.py). Swedish and English come with pyphen.
HYPHENATION_DICTIONARIES = {"fi": Path(__file__).parent / "hyphenation" / "hyph_fi_FI.dic"}


@cache
def _unused_ssl_context() -> ssl.SSLContext:
    # WeasyPrint's fetcher builds an HTTPS handler even when HTTPS is refused; giving it a bare
    # context spares loading the system's CA bundle (~0.1 s) on every render.
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _url_fetcher():
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, ssl_context=_unused_ssl_context())


@cache
def _register_hyphenation() -> None:
    for language, path in HYPHENATION_DICTIONARIES.items():
        pyphen.LANGUAGES.setdefault(language, path)
        pyphen.LANGUAGES_LOWERCASE.setdefault(language, language)


@cache
def _print_stylesheet():
    from weasyprint import CSS

    # Parsed once per process; WeasyPrint does not modify a stylesheet while rendering with it.
    return CSS(filename=str(PRINT_STYLESHEET), url_fetcher=_url_fetcher())


def render_pdf(html: str, *, title: str, author: str, language: str) -> bytes:
    """Return the HTML document printed as an A4 PDF with title, author and language set."""
    # Imported here: WeasyPrint parses its own stylesheets on import (~0.5 s), which no request
    # or command that prints nothing should pay for.
    from weasyprint import HTML

    _register_hyphenation()
    options = {"pdf_variant": PDF_VARIANT}
    document = HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher()
    ).render(stylesheets=[_print_stylesheet()], **options)
    # Set explicitly rather than trusting <title>/<meta>: PDF/UA requires a title and language.
    document.metadata.title = title
    document.metadata.authors = [author] if author else []
    document.metadata.lang = language
    return document.write_pdf(**options)
