import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from customers import validators as v
from customers.models import Customer
from tests.factories import CustomerFactory


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("2786213-7", "2786213-7"), ("27862137", "2786213-7"), (" 2311066-7 ", "2311066-7")],
)
def test_valid_business_id_is_stored_in_canonical_form(raw, stored):
    assert v.normalise_business_id(raw) == stored


@pytest.mark.parametrize("raw", ["2786213-8", "1234567-8"])
def test_business_id_with_wrong_check_digit_is_refused_in_finnish(raw):
    with pytest.raises(ValidationError) as exc:
        v.normalise_business_id(raw)
    assert "tarkistusmerkki" in exc.value.messages[0]


def test_business_id_in_wrong_shape_is_refused():
    with pytest.raises(ValidationError) as exc:
        v.normalise_business_id("12-34")
    assert "1234567-8" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("040 123 4567", "+358401234567"),
        ("0401234567", "+358401234567"),
        ("+358 50 436 3099", "+358504363099"),
        ("040 - 8498 246", "+358408498246"),
        ("09 123 4567", "+35891234567"),
    ],
)
def test_finnish_phone_numbers_are_stored_in_e164(raw, stored):
    assert v.normalise_phone(raw) == stored


@pytest.mark.parametrize("raw", ["123", "abc", "040 12"])
def test_invalid_phone_number_is_refused(raw):
    with pytest.raises(ValidationError) as exc:
        v.normalise_phone(raw)
    assert "Puhelinnumero" in exc.value.messages[0]


def test_phone_is_shown_in_national_form():
    assert v.format_phone("+358401234567") == "040 1234567"


@pytest.mark.parametrize("raw", ["00100", "99999", "60101"])
def test_finnish_postal_code_of_five_digits_is_accepted(raw):
    assert v.normalise_postal_code(raw) == raw


@pytest.mark.parametrize("raw", ["0010", "001000", "ABCDE"])
def test_finnish_postal_code_must_be_five_digits(raw):
    with pytest.raises(ValidationError) as exc:
        v.normalise_postal_code(raw, "FI")
    assert "viisi numeroa" in exc.value.messages[0]


def test_foreign_postal_code_is_not_held_to_the_finnish_rule():
    assert v.normalise_postal_code("SW1A 1AA", "GB") == "SW1A1AA"


def test_email_is_trimmed_and_lower_cased():
    assert v.normalise_email("  Aino.Virtanen@Example.FI ") == "aino.virtanen@example.fi"


def test_invalid_email_is_refused_in_finnish():
    with pytest.raises(ValidationError) as exc:
        v.normalise_email("ei-osoite")
    assert "sähköpostiosoite" in exc.value.messages[0]


def test_new_customer_numbers_are_nine_digits_with_a_valid_check_digit():
    for _ in range(200):
        number = v.new_customer_number()
        v.validate_customer_number(number)
        assert len(number) == 9


def test_customer_number_with_a_typo_is_refused():
    number = v.new_customer_number()
    typo = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(ValidationError):
        v.validate_customer_number(typo)


def test_customer_number_reads_in_groups_of_three():
    assert v.format_customer_number("123456782") == "123 456 782"


@pytest.mark.django_db
def test_customer_gets_a_number_and_a_normalised_email_on_save():
    customer = Customer.objects.create(first_name="Aino", email=" Aino@Example.FI")
    assert customer.email == "aino@example.fi"
    v.validate_customer_number(customer.number)


@pytest.mark.django_db
def test_model_clean_names_each_bad_field_in_finnish():
    customer = Customer(
        first_name="Aino", phone="123", postal_code="12", business_id="1234567-8", email="x"
    )
    with pytest.raises(ValidationError) as exc:
        customer.full_clean()
    errors = exc.value.message_dict
    assert set(errors) >= {"phone", "postal_code", "business_id", "email"}


@pytest.mark.django_db
def test_database_refuses_a_duplicate_email():
    CustomerFactory(email="sama@example.fi")
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerFactory(email="sama@example.fi")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "040 123 4567"),
        ("postal_code", "1234"),
        ("business_id", "12345678"),
    ],
)
def test_database_constraints_agree_with_the_validators(field, value):
    customer = CustomerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(**{field: value})


@pytest.mark.django_db
def test_database_refuses_an_upper_case_email():
    customer = CustomerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(email="Iso@Example.fi")
