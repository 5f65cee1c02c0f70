"""Form data the staff panel's customer page posts back, for tests that save it."""


def customer_page_data(customer, **changes) -> dict[str, str]:
    """Return the customer page's POST data for `customer` unchanged but for `changes`."""
    data = {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "preferred_language": "fi",
        "email": customer.email,
        "phone": customer.phone,
        "street_address": customer.street_address,
        "postal_code": customer.postal_code,
        "post_office": customer.post_office,
        "country": "FI",
        "source": "registration",
        "last_activity_at_0": "1.1.2026",
        "last_activity_at_1": "12:00:00",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        # The version the page was opened at (staff.admin.customers.CustomerAdminForm).
        "loaded_version": customer.updated_at.isoformat(),
    }
    return {**data, **changes}
