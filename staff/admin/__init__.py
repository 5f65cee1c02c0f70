"""The staff panel's model admins, one module per app they serve (imported by autodiscover)."""

from staff.admin import (  # noqa: F401
    accounts,
    audit,
    authority,
    carriers,
    case_records,
    cases,
    consent_wordings,
    customers,
    disclosures,
    integrations,
    marketing,
    notices,
    platforms,
    statement,
)
