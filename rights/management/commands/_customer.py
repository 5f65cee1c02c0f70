"""Shared argument handling for the privacy commands."""

from django.core.management.base import CommandError

from customers import validators as v
from customers.models import Customer


def customer_by_number(value: str) -> Customer:
    """Return the customer with a number as typed (spaces and dashes allowed)."""
    number = v.compact_customer_number(value)
    customer = Customer.objects.filter(number=number).first()
    if customer is None:
        raise CommandError(f"No customer with number {value}.")
    return customer
