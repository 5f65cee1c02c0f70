"""The project's one HTML→PDF function (WeasyPrint); only services call it."""

from pathlib import Path

from django.conf import settings

# Page set-up shared by every printed document: A4, page numbers, embedded fonts.
PRINT_STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "print.css"

# Tagged PDF for screen readers; WeasyPrint ≥ 63 knows the PDF/UA-1 variant.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str, *, title: str, author: str, language: str) -> bytes:
    """Return the HTML document printed as an A4 PDF with title, author and language set."""
    # Imported here: WeasyPrint parses its own stylesheets on import (~0.5 s), which no request
    # or command that prints nothing should pay for.
    from weasyprint import CSS, HTML

    options = {"pdf_variant": PDF_VARIANT}
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[CSS(filename=str(PRINT_STYLESHEET))], **options
    )
    # Set explicitly rather than trusting <title>/<meta>: PDF/UA requires a title and language.
    document.metadata.title = title
    document.metadata.authors = [author] if author else []
    document.metadata.lang = language
    return document.write_pdf(**options)
