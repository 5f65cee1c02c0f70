"""The personal-data declaration of the privacy app's own model: the staff audit log."""

from django.utils.translation import gettext_lazy as _

from privacy.declaration import Erasure, Field, Retention, declare
from privacy.models import AuditEntry
from privacy.vocabulary import FROM_SYSTEM, LOGS, SECURITY

# The staff audit log's own rule. The trigger of migration privacy.0004_audit refuses to delete
# younger entries ("2 years"), so the two must agree; tests/staff/test_audit.py checks they do.
AUDIT_ENTRIES = Retention(
    "audit_entries",
    _(
        "Henkilökunnan käyttöloki (kirjautumiset, asiakastietojen katselut, muutokset, viennit "
        "ja pyyntöjen käsittely) 24 kuukautta kirjauksesta; vanhemmat merkinnät poistetaan "
        "päivittäin."
    ),
    law=_("tietosuoja-asetuksen 5 art. 2 kohta ja 32 art."),
    months=24,
)

# The log holds staff identities and addresses and customers' ids; it is deliberately not linked to
# a customer, so erasure leaves the trail in place until its own retention ends.
_audit_field = Field(
    category=LOGS,
    purposes=(SECURITY,),
    source=FROM_SYSTEM,
    retention=AUDIT_ENTRIES,
    erasure=Erasure.KEEP,
    legal_reason=_("Käsittelyn turvallisuuden osoittaminen (GDPR 5 art. 2 kohta ja 32 art.)"),
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
