"""The staff panel's model admins, one module per app they serve (imported by autodiscover)."""

from staff.admin import accounts, audit, cases, customers, integrations, statement  # noqa: F401
