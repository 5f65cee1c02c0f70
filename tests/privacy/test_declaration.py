import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models

from customers.models import Customer
from privacy import declaration
from privacy.checks import check_declaration, models_reaching_customer


def test_the_project_declaration_is_complete():
    assert check_declaration() == []


def test_every_model_that_reaches_a_customer_is_declared():
    for model in models_reaching_customer():
        assert declaration.get_declaration(model) is not None, model._meta.label


def test_an_undeclared_field_makes_manage_py_check_fail_by_name(db):
    decl = declaration.get_declaration(Customer)
    saved = decl.fields.pop("phone")
    try:
        with pytest.raises(SystemCheckError) as exc:
            call_command("check")
        assert "customers.Customer.phone is not declared" in str(exc.value)
        assert "privacy.E001" in str(exc.value)
    finally:
        decl.fields["phone"] = saved


def test_a_declaration_naming_a_missing_field_fails():
    decl = declaration.get_declaration(Customer)
    decl.fields["shoe_size"] = decl.fields["email"]
    try:
        ids = {e.id for e in check_declaration()}
        messages = " ".join(e.msg for e in check_declaration())
        assert "privacy.E002" in ids
        assert "shoe_size" in messages
    finally:
        del decl.fields["shoe_size"]


def test_a_new_model_reaching_a_customer_without_a_declaration_fails():
    class LoyaltyCard(models.Model):
        customer = models.ForeignKey(Customer, on_delete=models.CASCADE)

        class Meta:
            app_label = "customers"

        def __str__(self) -> str:
            return str(self.pk)

    try:
        errors = [e for e in check_declaration() if e.id == "privacy.E003"]
        assert any("customers.LoyaltyCard" in e.msg for e in errors)
    finally:
        del apps.all_models["customers"]["loyaltycard"]
        apps.clear_cache()


def test_a_wrong_customer_path_fails():
    decl = declaration.get_declaration("customers.Order")
    original = decl.customer_path
    decl.customer_path = "lines"
    try:
        assert "privacy.E004" in {e.id for e in check_declaration()}
    finally:
        decl.customer_path = original


def test_kept_fields_name_their_legal_reason():
    for _decl, name, field in declaration.personal_fields():
        if field.erasure == declaration.Erasure.KEEP:
            assert field.legal_reason, name


@pytest.mark.django_db  # the categories in use follow the purposes the statement switched off
def test_categories_group_the_statement_data_content():
    labels = [str(category.label) for category, _items in declaration.by_category()]
    assert "Yhteystiedot" in labels
    assert "Tilaushistoria" in labels
    assert "Toimituksen seurantatiedot" in labels
    assert "Markkinointiluvat ja -kiellot" in labels
