import pytest
from django.core.cache import cache
from django.urls import reverse

from privacy.dashboard import bar_chart
from tests.factories import ConsentEventFactory, MarketingBanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _index(client, user, otp_login) -> str:
    otp_login(client, user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_marketing_sees_consents_and_bans_per_channel_but_no_register_counts(
    client, marketing, otp_login
):
    ConsentEventFactory(channel="sms")
    MarketingBanFactory(channel="post")
    body = _index(client, marketing, otp_login)
    assert "<svg" in body and "Suostumukset kanavittain" in body
    assert "Avoimet tietosuojapyynnöt" not in body
    assert "Rekisteri lukuina" not in body


def test_customer_service_sees_the_request_queue_and_counts(client, customer_service, otp_login):
    body = _index(client, customer_service, otp_login)
    assert "Avoimet tietosuojapyynnöt" in body and "myöhässä" in body
    assert "Rekisteri lukuina" in body


def test_the_register_admin_sees_everything(client, register_admin, otp_login):
    body = _index(client, register_admin, otp_login)
    for heading in ("Rekisteri lukuina", "Avoimet tietosuojapyynnöt", "Suostumukset ja kiellot"):
        assert heading in body


def test_every_bar_carries_its_number_as_text():
    svg = bar_chart("Testi", [("sähköposti", 3), ("posti", 0)])
    assert ">3</text>" in svg and ">0</text>" in svg and "sähköposti" in svg
    assert 'role="img"' in svg
