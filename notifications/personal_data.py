"""The personal-data declaration of outgoing mail."""

from django.utils.translation import gettext_lazy as _

from notifications.models import OutgoingEmail
from privacy.declaration import Erasure, Field, Retention, declare
from privacy.vocabulary import CONTACT, CUSTOMER_RELATIONSHIP, DATA_SUBJECT_RIGHTS, FROM_SYSTEM

UNTIL_SENT = Retention(
    "outgoing_mail",
    _(
        "Lähtevän sähköpostin vastaanottaja ja sisältö poistetaan heti, kun viesti on lähetetty "
        "tai jätetty lähettämättä; tieto lähetyksestä poistetaan 30 päivän kuluttua."
    ),
)

_mail = Field(
    category=CONTACT,
    purposes=(CUSTOMER_RELATIONSHIP, DATA_SUBJECT_RIGHTS),
    source=FROM_SYSTEM,
    retention=UNTIL_SENT,
    erasure=Erasure.DELETE,
    # A message waiting to be sent is a copy of what the rest of the export already holds.
    exported=False,
)

declare(
    OutgoingEmail,
    customer_path="customer",
    fields={"recipient": _mail, "subject": _mail, "body": _mail},
    not_personal=[
        "id",
        "key",
        "kind",
        "status",
        "customer",
        "message_id",
        "send_before",
        "created_at",
        "finished_at",
    ],
)
