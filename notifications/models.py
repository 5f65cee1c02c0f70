"""Outgoing mail, held until a task worker has sent it (a transactional outbox).

A message is written in the same transaction as the change it reports, under a key that names
that change, so it is queued exactly once however often the change is retried; the worker marks
it sent under a row lock, so a retried delivery task never sends it twice. Once sent (or given
up), its recipient, subject and body are cleared: the outbox is not an archive of mail.
"""

import uuid

from django.core.mail import make_msgid
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customers.models import Customer


def _message_id() -> str:
    return make_msgid(idstring=uuid.uuid4().hex[:12])


class OutgoingEmail(models.Model):
    """One message to one recipient, waiting for or done with delivery."""

    class Kind(models.TextChoices):
        LOGIN_CODE = "login_code", _("kirjautumiskoodi")
        DECISION_LETTER = "decision_letter", _("tietosuojapyynnön ratkaisu")
        STAFF_NOTICE = "staff_notice", _("ilmoitus henkilökunnalle")
        DEADLINE_REMINDER = "deadline_reminder", _("määräaikamuistutus")
        PORTAL_NOTICE = "portal_notice", _("ilmoitus asiakkaalle")

    class Status(models.TextChoices):
        PENDING = "pending", _("odottaa lähetystä")
        SENT = "sent", pgettext_lazy("sähköposti", "lähetetty")
        DISCARDED = "discarded", _("jätetty lähettämättä")

    key = models.CharField(
        _("tunniste"),
        max_length=200,
        unique=True,
        help_text=_("Nimeää viestin aiheuttaneen tapahtuman; sama viesti jonoon vain kerran."),
    )
    kind = models.CharField(_("laji"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("tila"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asiakas"),
    )
    recipient = models.EmailField(_("vastaanottaja"), blank=True)
    subject = models.CharField(_("aihe"), max_length=300, blank=True)
    body = models.TextField(_("viesti"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=250, default=_message_id)
    send_before = models.DateTimeField(
        _("lähetettävä ennen"),
        null=True,
        blank=True,
        help_text=_("Vanhentunutta viestiä (esim. kirjautumiskoodi) ei enää lähetetä."),
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)
    finished_at = models.DateTimeField(_("käsitelty"), null=True, blank=True)

    class Meta:
        verbose_name = _("lähtevä sähköposti")
        verbose_name_plural = _("lähtevät sähköpostit")
        indexes = [
            # The recovery sweep looks for messages still pending after a while.
            models.Index(
                fields=["created_at"], condition=Q(status="pending"), name="outbox_pending_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
