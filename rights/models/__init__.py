"""Data-subject requests as tracked cases, access packages, the erasure ledger, authority requests.

Declared as personal data in `rights/personal_data.py`.
"""

# isort: off
# Models are registered in the order they are imported: the access export lists them so.
from rights.models.cases import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    CorrectionItem,
    DataSubjectRequest,
    RecipientNotification,
    RequestEvent,
)
from rights.models.packages import AccessPackage, AccessPackageDownload
from rights.models.ledger import ErasedShopId, ErasureLedger
from rights.models.authority import AuthorityRequest

# isort: on

__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "AccessPackage",
    "AccessPackageDownload",
    "AuthorityRequest",
    "CorrectionItem",
    "DataSubjectRequest",
    "ErasedShopId",
    "ErasureLedger",
    "RecipientNotification",
    "RequestEvent",
]
