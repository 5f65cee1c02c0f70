"""The recipients registry: who receives customers' data, and whether the statement says so.

Each recipient is a record (StatementRecipient) with its role, kind, country and safeguard; a
carrier points to one (`carrier`), and every disclosure points to one. A disclosure is allowed
only to a recipient the statement in force names: the published version records the recipients
it listed, so the log can never hold a recipient the customer was not told about (GDPR 13(1)(e)).
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from statement.models import StatementDraft, StatementRecipient, StatementVersion


def registry() -> QuerySet:
    """Return every recipient in the registry (the draft's), in the statement's order."""
    return StatementRecipient.objects.filter(draft=StatementDraft.current())


def listed_recipient_ids() -> frozenset[int]:
    """Return the ids of the recipients the statement in force names (none before the first)."""
    version = StatementVersion.latest()
    return frozenset(version.recipient_ids) if version else frozenset()


def listed() -> QuerySet:
    """Return the recipients the statement in force names, in the statement's order."""
    return registry().filter(pk__in=listed_recipient_ids())


def require_listed(recipient: StatementRecipient) -> None:
    """Refuse a disclosure to a recipient the statement in force does not name."""
    if recipient.pk not in listed_recipient_ids():
        raise ValidationError(
            _(
                "Tietosuojaseloste ei mainitse vastaanottajaa ”%(name)s”, joten tietoja ei voi "
                "luovuttaa sille. Lisää vastaanottaja selosteeseen ja julkaise uusi versio ensin."
            )
            % {"name": recipient.name_fi},
            code="unlisted_recipient",
        )


def carrier_recipient(carrier: str, name: str = "") -> StatementRecipient:
    """Return the registry's recipient for a carrier (its key), or raise ValidationError naming
    it by `name` (as staff and the shop know it; the key where no name is given)."""
    recipient = registry().filter(carrier=carrier).first()
    if recipient is None:
        raise ValidationError(
            _(
                "Kuljetusliikettä ”%(carrier)s” ei ole vastaanottajarekisterissä. Lisää se "
                "selosteen vastaanottajiin ja julkaise uusi versio ennen ensimmäistä lähetystä."
            )
            % {"carrier": name or carrier},
            code="unknown_carrier",
        )
    return recipient


def recipient_of_kind(kind: str) -> StatementRecipient:
    """Return the registry's (first) recipient of a kind, e.g. the collection agency."""
    recipient = registry().filter(kind=kind).first()
    if recipient is None:
        raise ValidationError(
            _(
                "Vastaanottajarekisterissä ei ole vastaanottajaa lajia ”%(kind)s”. Lisää se "
                "selosteen vastaanottajiin ja julkaise uusi versio ensin."
            )
            % {"kind": StatementRecipient.Kind(kind).label},
            code="no_recipient_of_kind",
        )
    return recipient
