"""The customer: who they are, how to reach them, and the register's one number allocator."""

import uuid

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers import validators as v
from privacy.citations import Style, cite_lazy, with_citations


class Language(models.TextChoices):
    FINNISH = "fi", _("suomi")
    SWEDISH = "sv", _("ruotsi")
    ENGLISH = "en", _("englanti")


class Channel(models.TextChoices):
    """A way of contacting a person for marketing."""

    EMAIL = "email", _("sähköposti")
    SMS = "sms", _("tekstiviesti")
    POST = "post", _("posti")
    PHONE = "phone", _("puhelin")


# Numbers looked up per query when allocating or matching many customers at once.
LOOKUP_CHUNK = 10_000


class CustomerQuerySet(models.QuerySet):
    def filter_in(self, column: str, values: list[str]) -> "CustomerQuerySet":
        """Return the customers whose column is one of the values.

        The same as `filter(<column>__in=values)`; on PostgreSQL one array parameter
        (`= ANY(%s)`) instead of thousands of IN placeholders, so the query is parsed and planned
        in milliseconds rather than seconds.
        """
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            return self.filter(**{f"{column}__in": values})
        name = connection.ops.quote_name(self.model._meta.get_field(column).column)
        # The column's name from the model, the values as one parameter.
        condition = RawSQL(f"{name} = ANY(%s)", [values], output_field=models.BooleanField())  # noqa: S611
        return self.filter(condition)

    def allocate_numbers(self, count: int) -> list[str]:
        """Return `count` new customer numbers, distinct and not yet in the register.

        The one place numbers are made: a new customer, an import, an erasure (which gives the
        anonymised row a number nobody knows) all take theirs here.
        """
        numbers: set[str] = set()
        while len(numbers) < count:
            fresh = {v.new_customer_number() for _ in range(count - len(numbers))} - numbers
            candidates = list(fresh)
            taken: set[str] = set()
            for i in range(0, len(candidates), LOOKUP_CHUNK):
                chunk = candidates[i : i + LOOKUP_CHUNK]
                taken.update(
                    self.model._default_manager.filter_in("number", chunk).values_list(
                        "number", flat=True
                    )
                )
            numbers |= fresh - taken
        return list(numbers)

    def active(self) -> "CustomerQuerySet":
        """Return customers that have not been erased."""
        return self.filter(erased_at__isnull=True)

    def marketable(self, channel: str, *, use=None, basis=None, today=None) -> "CustomerQuerySet":
        """Return customers who may be contacted through a channel for a use: the rule, in SQL.

        See customers.marketing.marketable: consent, the existing-customer exception, business
        and post/phone opt-out, bans, the suppression list, restriction lists, restriction,
        erasure and age. `use` is a customers.marketing.Use; direct marketing by default.
        """
        # Here, not at the top: the marketing rules query these models (a cycle within the app).
        from customers.marketing import USE_MARKETING, marketable

        return marketable(self, channel, use=use or USE_MARKETING, basis=basis, today=today)


class Customer(models.Model):
    class Source(models.TextChoices):
        REGISTRATION = "registration", _("rekisteröityminen")
        ORDER = "order", _("tilaus")
        NEWSLETTER = "newsletter", _("uutiskirjeen tilaus")
        GIFT_CARD = "gift_card", _("lahjakortin lunastus")
        IMPORT = "import", _("tuonti")
        CUSTOMER_SERVICE = "customer_service", _("asiakaspalvelu")

    code = models.UUIDField(_("julkinen tunniste"), default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(
        _("asiakasnumero"),
        max_length=9,
        unique=True,
        editable=False,
        validators=[v.validate_customer_number],
        help_text=_("Yhdeksän numeroa; viimeinen on tarkistenumero."),
    )
    external_id = models.CharField(
        _("verkkokaupan tunniste"),
        max_length=100,
        blank=True,
        help_text=_("Asiakkaan tunniste verkkokaupan omassa järjestelmässä."),
    )
    first_name = models.CharField(_("etunimi"), max_length=100, blank=True)
    last_name = models.CharField(_("sukunimi"), max_length=100, blank=True)
    street_address = models.CharField(_("katuosoite"), max_length=200, blank=True)
    postal_code = models.CharField(_("postinumero"), max_length=10, blank=True)
    post_office = models.CharField(_("postitoimipaikka"), max_length=100, blank=True)
    country = models.CharField(
        _("maa"), max_length=2, default="FI", help_text=_("Kaksikirjaiminen maakoodi, esim. FI.")
    )
    phone = models.CharField(
        _("matkapuhelin"),
        max_length=16,
        blank=True,
        help_text=_("Esim. 040 123 4567 tai +358 40 123 4567."),
    )
    email = models.EmailField(_("sähköpostiosoite"), max_length=254, blank=True)
    company = models.CharField(_("yritys"), max_length=200, blank=True)
    business_id = models.CharField(
        _("Y-tunnus"), max_length=9, blank=True, help_text=_("Muodossa 1234567-8.")
    )
    preferred_language = models.CharField(
        _("asiointikieli"), max_length=2, choices=Language.choices, default=Language.FINNISH
    )
    birth_date = models.DateField(_("syntymäaika"), null=True, blank=True)
    profession = models.CharField(_("ammatti"), max_length=100, blank=True)
    interests = models.TextField(_("kiinnostuksen kohteet"), blank=True)
    source = models.CharField(
        _("tietolähde"), max_length=20, choices=Source.choices, default=Source.REGISTRATION
    )
    is_restricted = models.BooleanField(
        _("käsittelyä rajoitettu"),
        default=False,
        help_text=with_citations(
            _(
                "Rajoitettua asiakasta ei käytetä markkinointiin eikä muuhun kuin välttämättömään "
                "käsittelyyn (%(article)s)."
            ),
            article=cite_lazy(18, style=Style.TEXT),
        ),
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("muokattu"), auto_now=True)
    last_activity_at = models.DateTimeField(_("viimeisin asiointi"), default=timezone.now)
    erased_at = models.DateTimeField(_("poistettu"), null=True, blank=True, editable=False)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("asiakas")
        verbose_name_plural = _("asiakkaat")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[1-9][0-9]{8}$"), name="customer_number_format"
            ),
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="customer_email_unique"
            ),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="customer_email_lower"),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^\+[1-9][0-9]{6,14}$"),
                name="customer_phone_e164",
            ),
            models.CheckConstraint(
                condition=~Q(country="FI")
                | Q(postal_code="")
                | Q(postal_code__regex=r"^[0-9]{5}$"),
                name="customer_postal_code_fi",
            ),
            models.CheckConstraint(
                condition=Q(business_id="") | Q(business_id__regex=r"^[0-9]{7}-[0-9]$"),
                name="customer_business_id_format",
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="customer_external_id"
            ),
        ]
        indexes = [
            # Staff look customers up by exact phone number.
            models.Index(fields=["phone"], name="customer_phone_idx"),
            # Surname (and surname + first name) lookups and the list sorted by name.
            models.Index(fields=["last_name", "first_name"], name="customer_name_idx"),
            # The default list order.
            models.Index(fields=["-created_at"], name="customer_created_idx"),
            # The retention sweep finds customers inactive for the configured period.
            models.Index(fields=["last_activity_at"], name="customer_activity_idx"),
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip() or _("(nimetön)")
        return f"{name} ({v.format_customer_number(self.number)})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def formatted_number(self) -> str:
        return v.format_customer_number(self.number)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        for field in v.FIELD_NORMALISERS:
            try:
                setattr(self, field, v.normalise_field(field, getattr(self, field), self.country))
            except ValidationError as exc:
                errors.setdefault(field, []).extend(exc.messages)
        # Here, not at the top: customers.purposes imports this model (a cycle within the app).
        from customers.purposes import refused_fields

        for field, message in refused_fields(self).items():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        from customers.purposes import check_customer

        # Data only a purpose the statement in force switched off explains is refused however
        # it comes (staff panel, API, import, portal).
        check_customer(self)
        # Normalise only this row's own fields; validation proper happens in clean() and
        # the database constraints.
        self.email = (self.email or "").strip().lower()
        self.country = (self.country or "FI").upper()
        if not self.number:
            self.number = type(self).objects.allocate_numbers(1)[0]
        super().save(*args, **kwargs)
