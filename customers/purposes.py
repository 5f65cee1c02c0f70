"""What keeps an optional purpose off in the customer register (statement.purposes).

A gift-card redeemer (`Customer.Source.GIFT_CARD`) exists only for gift cards, and a profession
only for statistics: while the statement in force switches the purpose off, a customer carrying
either is refused wherever it is written (the staff panel, the API, an import, the portal), and
the purpose cannot be switched off while the register still holds one. The audiences of research
and of targeting and the reference list refuse in customers.audiences; the portal does not ask
about them (customers.marketing.choices reads the declaration's purposes in use).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Customer
from privacy import vocabulary
from statement.purposes import in_use, register_holder


def _redeemers() -> int:
    return Customer.objects.filter(source=Customer.Source.GIFT_CARD, erased_at__isnull=True).count()


def _professions() -> int:
    return Customer.objects.exclude(profession="").count()


register_holder(
    vocabulary.GIFT_CARDS,
    count=_redeemers,
    message=gettext_lazy(
        "Tarkoitusta ”%(purpose)s” ei voi poistaa käytöstä: rekisterissä on %(count)s lahjakortin "
        "lunastajaa, joiden tiedot ovat rekisterissä sen vuoksi. Poista heidän tietonsa tai "
        "odota, että ne anonymisoidaan säilytysajan päätyttyä, ja poista tarkoitus sitten."
    ),
)
register_holder(
    vocabulary.STATISTICS,
    count=_professions,
    message=gettext_lazy(
        "Tarkoitusta ”%(purpose)s” ei voi poistaa käytöstä: %(count)s asiakkaan ammatti on "
        "tallennettu sitä varten. Tyhjennä ammatti asiakkaiden tiedoista ja poista tarkoitus "
        "sitten."
    ),
)


def refused_fields(customer: Customer) -> dict[str, str]:
    """Return, per field, why the customer cannot be saved as it is ({}: it can).

    Reads the statement in force only when the customer carries something an optional purpose
    explains.
    """
    errors = {}
    if customer.source == Customer.Source.GIFT_CARD and not in_use(vocabulary.GIFT_CARDS):
        errors["source"] = _(
            "Lahjakorttien lunastaminen ei ole käytössä: tietosuojaseloste ei kerro siitä, joten "
            "lahjakortin lunastajaa ei voi lisätä rekisteriin."
        )
    if customer.profession.strip() and not in_use(vocabulary.STATISTICS):
        errors["profession"] = _(
            "Ammattia ei tallenneta: tilastointi ei ole käytössä, eikä tietosuojaseloste kerro "
            "ammatin käsittelystä."
        )
    return errors


def fields_not_asked() -> frozenset[str]:
    """Return the customer's fields no form asks while their purpose is switched off."""
    return frozenset() if in_use(vocabulary.STATISTICS) else frozenset({"profession"})


def source_choices() -> list[tuple[str, str]]:
    """Return the sources a customer may be added from: no gift card while gift cards are off."""
    if in_use(vocabulary.GIFT_CARDS):
        return list(Customer.Source.choices)
    return [(k, label) for k, label in Customer.Source.choices if k != Customer.Source.GIFT_CARD]


def check_customer(customer: Customer) -> None:
    """Refuse a customer carrying data only a switched-off purpose explains."""
    errors = refused_fields(customer)
    if errors:
        raise ValidationError(errors)
