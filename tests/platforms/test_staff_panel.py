"""The connection settings in the staff panel: the register admin's alone, secrets never shown."""

from django.urls import reverse

from platforms.models import Connection
from privacy.models import AuditEntry
from statement.models import StatementRecipient

ADD = reverse("admin:platforms_connection_add")


def _form(**values) -> dict:
    return {
        "name": "Kahvikauppa",
        "kind": "shopify",
        "base_url": "https://kahvikauppa.myshopify.com",
        "list_id": "",
        "api_key": "shpat_salainen",
        "api_secret": "",
        "webhook_secret": "shpss_salainen",
        "recipient": "",
        "is_active": "on",
        **values,
    }


def test_the_register_admin_connects_a_shop_and_it_becomes_a_recipient(
    client, otp_login, register_admin
):
    otp_login(client, register_admin)

    response = client.post(ADD, _form())

    assert response.status_code == 302
    connection = Connection.objects.get()
    assert connection.api_key == "shpat_salainen"
    assert connection.webhook_secret == "shpss_salainen"
    assert "shpat_salainen" not in connection.api_key_sealed
    recipient = connection.recipient
    assert (recipient.name_fi, recipient.kind, recipient.role) == (
        "Shopify-verkkokauppa",
        StatementRecipient.Kind.HOSTING,
        StatementRecipient.Role.PROCESSOR,
    )
    entry = AuditEntry.objects.get(
        object_label=f"platforms.connection:{connection.pk}", details__has_key="secrets_changed"
    )
    assert entry.details["secrets_changed"] == ["api_key", "webhook_secret"]
    assert "shpat_salainen" not in str(entry.details)


def test_the_change_page_never_shows_a_secret_and_an_empty_field_keeps_it(
    client, otp_login, register_admin
):
    otp_login(client, register_admin)
    client.post(ADD, _form())
    connection = Connection.objects.get()
    url = reverse("admin:platforms_connection_change", args=[connection.pk])

    page = client.get(url).content.decode()
    client.post(
        url,
        _form(
            name="Kahvikauppa Oy", api_key="", webhook_secret="", recipient=connection.recipient_id
        ),
    )

    assert "shpat_salainen" not in page and "shpss_salainen" not in page
    assert "Nyt: tallennettu." in page
    assert "/hooks/shopify/" in page
    connection.refresh_from_db()
    assert connection.name == "Kahvikauppa Oy"
    assert connection.api_key == "shpat_salainen"


def test_a_newsletter_tool_needs_its_list(client, otp_login, register_admin):
    otp_login(client, register_admin)

    response = client.post(
        ADD, _form(kind="newsletter", base_url="https://us21.api.mailchimp.com/3.0")
    )

    assert response.status_code == 200
    assert "Anna uutiskirjepalvelun postituslistan tunniste." in response.content.decode()
    assert not Connection.objects.exists()


def test_customer_service_cannot_open_the_connections(client, otp_login, customer_service):
    otp_login(client, customer_service)

    assert client.get(reverse("admin:platforms_connection_changelist")).status_code == 403
    assert client.get(ADD).status_code == 403
