"""CSV import of customers: Excel's Finnish files as well as UTF-8, all-or-nothing, re-runnable.

A row matches an existing customer by its external id, then by email; the same file imported
twice changes nothing. Only the columns present in the file are written, and an empty cell never
clears what the register already holds. Every row is checked before anything is written; a single
rejected row means nothing is written.

reading: the file, its columns and each row's values; planning: what each row would do;
writing: the import in one transaction; copy: PostgreSQL's COPY for the new rows.
"""

from integrations.csv_import.planning import ImportPlan, plan_import
from integrations.csv_import.reading import ImportFileError, ImportReport, RowAction, RowResult
from integrations.csv_import.writing import import_customers

__all__ = [
    "ImportFileError",
    "ImportPlan",
    "ImportReport",
    "RowAction",
    "RowResult",
    "import_customers",
    "plan_import",
]
