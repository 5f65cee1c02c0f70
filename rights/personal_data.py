"""The personal-data declaration of the rights app's models: requests and their records."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacy.citations import Style, cite_lazy, with_citations
from privacy.declaration import Erasure, Field, declare
from privacy.retention import register_sweep_step
from privacy.vocabulary import (
    ACCESS_PACKAGES,
    ACCOUNTING_VOUCHERS,
    AUDIT_LOG,
    AUTHORITY_REQUESTS,
    CASE_RECORDS,
    CONSENT_HISTORY,
    DATA_SUBJECT_RIGHTS,
    DELIVERY_TRACKING,
    DISCLOSURE_LOG,
    DISCLOSURES,
    ERASURE_LEDGER,
    FROM_CUSTOMER,
    FROM_STAFF,
    FROM_SYSTEM,
    KEEP_AS_AUTHORITY_RECORD,
    LOGIN_CODES,
    LOGS,
    MARKETING_BANS,
    REQUESTS,
    SECURITY,
    WHILE_CUSTOMER,
)
from rights import access, retention
from rights.models import (
    AccessPackage,
    AccessPackageDownload,
    AuthorityRequest,
    CorrectionItem,
    DataSubjectRequest,
    ErasedShopId,
    ErasureLedger,
    RecipientNotification,
    RequestEvent,
)

KEEP_AS_CASE_RECORD = with_citations(
    _("Pyynnön käsittelyn osoittaminen (%(article)s)"),
    article=cite_lazy("5(2)", 12, style=Style.TEXT),
)
KEEP_AS_ERASURE_PROOF = with_citations(
    _("Poiston toistaminen varmuuskopion palautuksen jälkeen (%(article)s)"),
    article=cite_lazy(17, "5(2)", style=Style.TEXT),
)


def _case(*, source=FROM_STAFF, erasure=Erasure.KEEP, **kw) -> Field:
    """Declare a field of a request's case record."""
    return Field(
        category=REQUESTS,
        purposes=(DATA_SUBJECT_RIGHTS,),
        source=source,
        retention=kw.pop("retention", CASE_RECORDS),
        erasure=erasure,
        legal_reason=KEEP_AS_CASE_RECORD if erasure == Erasure.KEEP else None,
        **kw,
    )


# Free text may name the person, so it is anonymised; the structured record of what was asked,
# when and how it was decided stays as proof.
declare(
    DataSubjectRequest,
    customer_path="customer",
    fields={
        "requester_name": _case(source=FROM_CUSTOMER, erasure=Erasure.ANONYMISE),
        "requester_contact": _case(source=FROM_CUSTOMER, erasure=Erasure.ANONYMISE),
        "description": _case(source=FROM_CUSTOMER, erasure=Erasure.ANONYMISE),
        "extension_reason": _case(erasure=Erasure.ANONYMISE),
        "refusal_details": _case(erasure=Erasure.ANONYMISE),
        "decision_text": _case(erasure=Erasure.ANONYMISE),
        "decision_recipient": _case(source=FROM_CUSTOMER, erasure=Erasure.ANONYMISE),
        **{
            name: _case()
            for name in (
                "kind",
                "channel",
                "language",
                "received_at",
                "ban_channel",
                "ban_scope",
                "status",
                "verification_method",
                "verified_at",
                "due_date",
                "extension_months",
                "extension_notified_on",
                "refusal_reason",
                "decided_at",
                "decision_sent_at",
            )
        },
    },
    not_personal=["id", "code", "customer", "verified_by", "decided_by", "created_at"],
)
declare(
    RequestEvent,
    customer_path="request__customer",
    fields={
        "kind": _case(source=FROM_SYSTEM),
        "occurred_at": _case(source=FROM_SYSTEM),
        "message": _case(erasure=Erasure.ANONYMISE),
    },
    not_personal=["id", "request", "actor"],
)
declare(
    CorrectionItem,
    customer_path="request__customer",
    fields={
        "field_name": _case(source=FROM_CUSTOMER),
        "old_value": _case(source=FROM_SYSTEM, erasure=Erasure.ANONYMISE),
        "new_value": _case(source=FROM_CUSTOMER, erasure=Erasure.ANONYMISE),
        "reason": _case(source=FROM_CUSTOMER, erasure=Erasure.ANONYMISE),
        "state": _case(),
        "decision_reason": _case(erasure=Erasure.ANONYMISE),
        "decided_at": _case(),
        "applied_at": _case(),
    },
    not_personal=["id", "request", "decided_by"],
)
declare(
    RecipientNotification,
    customer_path="customer",
    fields={
        name: _case() for name in ("recipient", "fields", "listed_at", "notified_at", "method")
    },
    not_personal=["id", "request", "customer", "disclosure", "notified_by"],
)

_package = {
    "category": REQUESTS,
    "purposes": (DATA_SUBJECT_RIGHTS,),
    "source": FROM_SYSTEM,
    "retention": ACCESS_PACKAGES,
    "erasure": Erasure.DELETE,
}
declare(
    AccessPackage,
    customer_path="customer",
    fields={
        "created_at": Field(**_package),
        "expires_at": Field(**_package),
        # The files are copies of the data itself and the token a credential: never re-exported.
        "token": Field(**{**_package, "category": LOGS, "purposes": (SECURITY,)}, exported=False),
        "json_file": Field(**_package, exported=False),
        "archive_file": Field(**_package, exported=False),
        "pdf_file": Field(**_package, exported=False),
    },
    not_personal=["id", "customer", "request", "created_by"],
)
declare(
    AccessPackageDownload,
    customer_path="package__customer",
    fields={name: Field(**_package) for name in ("file_kind", "downloaded_at")},
    not_personal=["id", "package", "downloaded_by"],
)

# The ledger must outlive the customer's erasure, so it is deliberately not linked to them.
_ledger = Field(
    category=REQUESTS,
    purposes=(DATA_SUBJECT_RIGHTS,),
    source=FROM_SYSTEM,
    retention=ERASURE_LEDGER,
    erasure=Erasure.KEEP,
    legal_reason=KEEP_AS_ERASURE_PROOF,
    exported=False,
)
declare(
    ErasureLedger,
    customer_path=None,
    fields={name: _ledger for name in ("customer_code", "customer_number")},
    not_personal=["id", "reason", "erased_at", "erased_by", "request", "reapplied_at"],
)
# The keyed hash of the web shop's id of an erased customer: the shop's late webhook or export
# row of the person is refused (platforms.webhooks, integrations.csv_import). Goes with its row.
declare(
    ErasedShopId,
    customer_path=None,
    fields={"id_hash": _ledger},
    not_personal=["id", "ledger"],
)

# An authority's request: who asked, on what law, what was given, whether the customer was told.
# Kept as long as the disclosure log keeps the hand-over, as proof of the lawful disclosure.
declare(
    AuthorityRequest,
    customer_path="customer",
    fields={
        name: Field(
            category=DISCLOSURES,
            purposes=(AUTHORITY_REQUESTS,),
            source=FROM_STAFF,
            retention=DISCLOSURE_LOG,
            erasure=Erasure.KEEP,
            legal_reason=KEEP_AS_AUTHORITY_RECORD,
        )
        for name in (
            "authority",
            "legal_basis",
            "requested",
            "received_at",
            "fields",
            "handed_over_at",
            "customer_told_at",
            "telling_withheld_reason",
        )
    },
    not_personal=["id", "customer", "disclosure", "handled_by"],
    # While the law forbids telling the customer (the reason is written down and they have not
    # been told), their access copy does not show the request.
    withheld=Q(customer_told_at__isnull=True, telling_withheld_reason__gt=""),
)

# What enforces each retention rule of the register and its cases: the daily sweep's steps, in
# the order they run (customers first, so that their orders and deliveries go with them).
register_sweep_step(
    "inactive_customers", retention.erase_inactive_customers, rules=(WHILE_CUSTOMER,)
)
register_sweep_step(
    "orders_past_accounting_retention",
    retention.anonymise_orders_past_retention,
    rules=(ACCOUNTING_VOUCHERS,),
)
register_sweep_step(
    "orders_of_erased_customers_released_from_holds",
    retention.anonymise_released_holds,
    rules=(ACCOUNTING_VOUCHERS,),
)
register_sweep_step(
    "delivery_tracking_past_retention",
    retention.delete_old_deliveries,
    rules=(DELIVERY_TRACKING,),
)
register_sweep_step(
    "login_codes_past_retention", retention.delete_old_login_codes, rules=(LOGIN_CODES,)
)
register_sweep_step(
    "expired_access_packages", access.prune_access_packages, rules=(ACCESS_PACKAGES,)
)
register_sweep_step(
    "consent_events_past_retention", retention.delete_ended_consents, rules=(CONSENT_HISTORY,)
)
register_sweep_step(
    "lifted_bans_past_retention", retention.delete_lifted_bans, rules=(MARKETING_BANS,)
)
register_sweep_step(
    "disclosures_past_retention", retention.delete_old_disclosures, rules=(DISCLOSURE_LOG,)
)
register_sweep_step(
    "authority_requests_past_retention",
    retention.delete_old_authority_requests,
    rules=(DISCLOSURE_LOG,),
)
register_sweep_step(
    "case_records_past_retention", retention.delete_old_case_records, rules=(CASE_RECORDS,)
)
register_sweep_step(
    "erasure_ledger_past_backups", retention.prune_erasure_ledger, rules=(ERASURE_LEDGER,)
)
register_sweep_step(
    "audit_entries_past_retention", retention.prune_audit_entries, rules=(AUDIT_LOG,)
)
