"""The personal-data declaration of the privacy app's own model: the staff audit log."""

from django.utils.translation import gettext_lazy as _

from privacy.citations import Style, cite_lazy, with_citations
from privacy.declaration import Erasure, Field, declare
from privacy.models import AuditEntry
from privacy.vocabulary import AUDIT_LOG, FROM_SYSTEM, LOGS, SECURITY

# The log holds staff identities and addresses and customers' ids; it is deliberately not linked to
# a customer, so erasure leaves the trail in place until its own retention ends.
_audit_field = Field(
    category=LOGS,
    purposes=(SECURITY,),
    source=FROM_SYSTEM,
    retention=AUDIT_LOG,
    erasure=Erasure.KEEP,
    legal_reason=with_citations(
        _("Käsittelyn turvallisuuden osoittaminen (%(article)s)"),
        article=cite_lazy("5(2)", 32, style=Style.TEXT),
    ),
    exported=False,
)
declare(
    AuditEntry,
    customer_path=None,
    fields={
        name: _audit_field
        for name in ("occurred_at", "actor", "actor_label", "customer_id", "ip_address")
    },
    not_personal=["id", "action", "object_label", "details"],
)
