"""The audit log's entries (written only through privacy.audit)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Käyttölokin merkintöjä ei voi muuttaa."))

    def delete(self):
        raise ValidationError(_("Käyttölokin merkintöjä ei voi poistaa."))

    def prune(self, *, before: dt.datetime) -> int:
        """Delete entries that occurred before `before` and return how many; the sweep's only way.

        The PostgreSQL trigger refuses the whole statement if any row is still within retention.
        """
        deleted, _per_model = models.QuerySet.delete(self.filter(occurred_at__lt=before))
        return deleted


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("kirjautuminen")
        LOGIN_FAILED = "login_failed", _("epäonnistunut kirjautuminen")
        LOCKOUT = "lockout", _("kirjautumisen esto")
        VIEW = "view", _("tietojen katselu")
        SEARCH = "search", _("asiakashaku")
        ADD = "add", _("lisäys")
        CHANGE = "change", _("muutos")
        DELETE = "delete", _("poisto")
        EXPORT = "export", _("tietojen vienti")
        REQUEST = "request", _("tietosuojapyynnön käsittely")

    occurred_at = models.DateTimeField(_("aika"), default=timezone.now, editable=False)
    # PROTECT: staff accounts are deactivated, never deleted, so the trail keeps its actor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("käyttäjä"),
    )
    actor_label = models.CharField(
        _("käyttäjätunnus"),
        max_length=150,
        blank=True,
        help_text=_("Käyttäjätunnus kirjaushetkellä."),
    )
    action = models.CharField(_("toimenpide"), max_length=20, choices=Action.choices)
    # A plain id, not a foreign key: the trail must outlive the customer's erasure.
    customer_id = models.PositiveBigIntegerField(_("asiakkaan id"), null=True, blank=True)
    object_label = models.CharField(
        _("kohde"),
        max_length=200,
        blank=True,
        help_text=_("Mallin nimi ja rivin id, esim. customers.order:12; ei henkilötietoja."),
    )
    details = models.JSONField(
        _("lisätiedot"),
        default=dict,
        blank=True,
        help_text=_("Ehdot, määrät ja tunnisteet; ei henkilötietoja."),
    )
    ip_address = models.GenericIPAddressField(_("IP-osoite"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("käyttölokin merkintä")
        verbose_name_plural = _("käyttöloki")
        ordering = ["-occurred_at", "-id"]
        permissions = [
            # Exports are the audit log's business: each one is recorded with its criteria.
            ("export_audience", _("Voi viedä markkinointiyleisöjä")),
        ]
        indexes = [
            # The register admin reads one customer's trail, newest first.
            models.Index(fields=["customer_id", "-occurred_at"], name="audit_customer_idx"),
            # ... and one staff member's trail.
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_idx"),
            # The retention sweep prunes by age; the list is ordered by time.
            models.Index(fields=["-occurred_at"], name="audit_occurred_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("Käyttölokin merkintöjä ei voi muuttaa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Käyttölokin merkintöjä ei voi poistaa."))
