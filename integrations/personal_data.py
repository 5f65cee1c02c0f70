"""The personal-data declaration of the API's records and the CSV import jobs."""

from django.utils.translation import gettext_lazy as _

from integrations.models import ApiCallLog, IdempotencyRecord, ImportJob, ImportMapping
from integrations.services import prune_integration_records
from privacy.citations import Style, cite_lazy, with_citations
from privacy.declaration import Erasure, Field, Source, declare
from privacy.retention import register_sweep_step
from privacy.vocabulary import (
    API_IDEMPOTENCY,
    AUDIT_LOG,
    BASIC,
    CUSTOMER_RELATIONSHIP,
    FROM_SYSTEM,
    IMPORT_FILES,
    LOGS,
    SECURITY,
)

FROM_EARLIER_REGISTER = Source("earlier_register", _("Aiemmasta asiakasrekisteristä tuodut tiedot"))
KEEP_AS_AUDIT_TRAIL = with_citations(
    _("Käsittelyn lainmukaisuuden osoittaminen (%(article)s)"),
    article=cite_lazy("5(2)", style=Style.TEXT),
)

declare(
    IdempotencyRecord,
    customer_path="customer",
    fields={
        # The path carries the shop's customer id and the body a copy of the customer's data.
        name: Field(
            category=LOGS,
            purposes=(SECURITY,),
            source=FROM_SYSTEM,
            retention=API_IDEMPOTENCY,
            erasure=Erasure.DELETE,
            exported=False,
        )
        for name in ("path", "response_body")
    },
    not_personal=[
        "id",
        "token",
        "customer",
        "key",
        "method",
        "request_hash",
        "response_status",
        "created_at",
    ],
)


def _call_log(erasure: Erasure) -> Field:
    return Field(
        category=LOGS,
        purposes=(SECURITY,),
        source=FROM_SYSTEM,
        retention=AUDIT_LOG,
        erasure=erasure,
        legal_reason=KEEP_AS_AUDIT_TRAIL if erasure == Erasure.KEEP else None,
    )


declare(
    ApiCallLog,
    customer_path="customer",
    fields={
        "occurred_at": _call_log(Erasure.KEEP),
        "method": _call_log(Erasure.KEEP),
        "path": _call_log(Erasure.ANONYMISE),
        "status_code": _call_log(Erasure.KEEP),
    },
    not_personal=["id", "token", "customer"],
)

# An import job is not linked to the customers it creates: its file and report are transient
# working copies, deleted on their own schedule rather than per customer.
_import = {
    "category": BASIC,
    "purposes": (CUSTOMER_RELATIONSHIP,),
    "source": FROM_EARLIER_REGISTER,
    "retention": IMPORT_FILES,
    "erasure": Erasure.DELETE,
    "exported": False,
}
declare(
    ImportJob,
    customer_path=None,
    fields={name: Field(**_import) for name in ("data", "report")},
    not_personal=[
        "id",
        "file_name",
        "is_dry_run",
        "status",
        "total_rows",
        "processed_rows",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
        "message",
        "mapping",
        "columns",
        "created_by",
        "created_at",
        "finished_at",
    ],
)
# Column names and register field names only, never a row's values.
declare(
    ImportMapping,
    customer_path=None,
    fields={},
    not_personal=["id", "name", "columns", "created_by", "created_at"],
)

# The daily sweep enforces the rules above (and the call log's share of the audit log's rule).
register_sweep_step(
    "expired_api_and_import_records",
    prune_integration_records,
    rules=(API_IDEMPOTENCY, IMPORT_FILES, AUDIT_LOG),
)
