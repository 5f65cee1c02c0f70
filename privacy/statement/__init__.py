"""The privacy statement: built from the declaration and the draft, checked, published, printed.

- `content`: the statement's sections in one language (`build_statement`);
- `completeness`: what the draft lacks against GDPR Art. 13/14, in Finnish;
- `publishing`: immutable versions and their stored PDFs;
- `record`: the Art. 30 record of processing activities;
- `importing`: an old statement's wording into the draft.
"""

from privacy.statement.completeness import completeness, untranslated_declaration_texts
from privacy.statement.content import HEADINGS, Section, Statement, build_statement
from privacy.statement.importing import import_statement
from privacy.statement.publishing import (
    get_statement_pdf,
    publish_statement,
    render_statement_html,
    statement_pdf_html,
)
from privacy.statement.record import build_processing_record, render_processing_record_pdf

__all__ = [
    "HEADINGS",
    "Section",
    "Statement",
    "build_processing_record",
    "build_statement",
    "completeness",
    "get_statement_pdf",
    "import_statement",
    "publish_statement",
    "render_processing_record_pdf",
    "render_statement_html",
    "statement_pdf_html",
    "untranslated_declaration_texts",
]
