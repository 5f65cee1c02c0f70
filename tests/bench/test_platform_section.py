"""The platform-export section of `manage.py bench` imports its files, measures \\copy of the
same rows beside them, and leaves the database as it was."""

import pytest

from bench import platform_imports
from customers.models import ConsentEvent, Customer, Order, OrderLine


@pytest.mark.django_db(transaction=True)
def test_the_platform_section_imports_both_exports_beside_copy_and_rolls_back(monkeypatch):
    monkeypatch.setattr(platform_imports, "CUSTOMERS", 30)
    figures = platform_imports.platform_section(runs=1)
    assert [f.label for f in figures] == [
        "Shopify export, 30 customers + 30 orders (2 lines each)",
        "the same two files twice (2nd changes nothing)",
    ]
    # 30 customers, 10 + 6 consents, 30 orders of 2 lines, shipping and a rounding cent.
    assert figures[0].baseline_label == "psql \\copy of the same 196 rows"
    for figure in figures:
        assert figure.median_ms > 0 and figure.baseline_median_ms > 0
    for model in (Customer, ConsentEvent, Order, OrderLine):
        assert not model.objects.exists()
