"""Importing an old statement into the draft; the parsing itself is privacy.statement_import."""

import re

from django.db import transaction

from statement.importer import ImportResult, decode_statement, parse_statement
from statement.models import StatementDraft, StatementPart

# Importer keys whose original wording becomes a draft part; the rest (controller, retention,
# data content…) is generated or comes from Controller and is kept in the import report only.
IMPORTED_PARTS = {
    "purposes": StatementPart.PURPOSES,
    "data_subjects": StatementPart.DATA_SUBJECTS,
    "sources": StatementPart.SOURCES,
    "disclosures": StatementPart.DISCLOSURES,
    "transfers": StatementPart.TRANSFERS,
    "cookies": StatementPart.COOKIES,
    "automated_decisions": StatementPart.AUTOMATED_DECISIONS,
    "rights": StatementPart.RIGHTS,
    "direct_marketing": StatementPart.DIRECT_MARKETING,
}


def _split_security(text: str) -> tuple[str, str]:
    """Split an old security section into its "A: manual" and "B: electronic" parts."""
    match = re.search(r"(?im)^\s*(?:b\s*[:.)]|.*sähköi)", text)
    if match and match.start() > 0:
        return text[: match.start()].strip(), text[match.start() :].strip()
    return "", text.strip()


@transaction.atomic
def import_statement(*, data: bytes, filename: str = "", store: bool = True) -> ImportResult:
    """Read an old statement, and unless store is False keep its wording in the draft.

    The Finnish parts the draft holds are replaced by the imported wording; the full import
    report (every section, gaps, outdated references, promises) is kept on the draft for the
    admin to revise. Raises StatementImportError (a ValueError) with a Finnish message, writing
    nothing, when the file is not a readable Finnish statement.
    """
    result = parse_statement(decode_statement(data))
    if not store:
        return result
    draft = StatementDraft.current()
    for key, part in IMPORTED_PARTS.items():
        if key in result.sections:
            draft.set_text(part, "fi", result.sections[key])
    if "security" in result.sections:
        manual, electronic = _split_security(result.sections["security"])
        if manual:
            draft.set_text(StatementPart.SECURITY_MANUAL, "fi", manual)
        draft.set_text(StatementPart.SECURITY_ELECTRONIC, "fi", electronic)
    draft.imported = result.as_json_dict()
    draft.imported_from = filename[:255]
    draft.save()
    return result
