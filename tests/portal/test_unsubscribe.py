"""The opt-out link on every exported audience row records the ban without a login.

End to end: the link comes out of the export, a GET only asks, the page's button or a mail
client's RFC 8058 one-click POST records the ban (audited, with the statement version), and the
next export leaves the person out. A tampered, foreign or expired link records nothing.
"""

import csv
import io
import time

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from customers.audiences import COLUMNS, audience_rows, export_audience
from customers.marketing import USE_RESEARCH, is_marketable
from customers.models import MarketingBan
from customers.unsubscribe import LINK_VALID_DAYS, make_token
from demo.shop import ensure_demo_statement
from portal.views import UNSUBSCRIBES_PER_CLIENT
from privacy.models import AuditEntry
from tests.factories import ConsentEventFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def _exported_link(customer, channel: str = "email", use=None) -> str:
    """Return the customer's opt-out link as the export gives it, as a path on this site."""
    kwargs = {"use": use} if use else {}
    rows = {row[0]: row for row in audience_rows(channel, **kwargs)}
    column = COLUMNS[channel].index("unsubscribe_url")
    return rows[customer.number][column].removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def subscriber():
    ensure_demo_statement()
    customer = CustomerFactory()
    ConsentEventFactory(customer=customer, purpose="newsletter", channel="email")
    return customer


def test_opening_the_link_only_asks_so_a_link_scanner_bans_nobody(client, subscriber):
    link = _exported_link(subscriber)
    for _ in range(3):
        response = client.get(link)
        assert response.status_code == 200
    body = response.content.decode()
    assert "Vahvista kielto" in body
    assert "Kun vahvistat kiellon, emme enää lähetä sinulle markkinointia sähköpostitse." in body
    assert subscriber.email not in body and subscriber.last_name not in body
    assert body.count("<form") == 1 and 'method="post"' in body
    assert not MarketingBan.objects.exists()
    assert is_marketable(subscriber, "email")


def test_the_button_records_the_ban_audited_and_the_next_export_leaves_them_out(client, subscriber):
    link = _exported_link(subscriber)
    response = client.post(link)
    assert response.status_code == 200
    assert "Markkinointi on kielletty" in response.content.decode()
    ban = MarketingBan.objects.get(customer=subscriber)
    assert (ban.channel, ban.scope, ban.via) == ("email", "direct_marketing", "link")
    assert ban.statement_version is not None and ban.lifted_at is None
    entry = AuditEntry.objects.get(customer_id=subscriber.pk)
    assert (entry.action, entry.actor, entry.actor_label) == ("add", None, "peruutuslinkki")
    assert entry.object_label == f"customers.marketingban:{ban.pk}"
    assert entry.details == {"channel": "email", "scope": "direct_marketing", "one_click": False}
    assert subscriber.email not in str(entry.details)
    assert not is_marketable(subscriber, "email")
    assert subscriber.number not in {row[0] for row in audience_rows("email")}
    # The ban is on email only: post still reaches them until they refuse that too.
    assert is_marketable(subscriber, "post")


def test_a_mail_clients_one_click_post_needs_no_cookie_or_csrf_token(subscriber):
    link = _exported_link(subscriber)
    mail_client = Client(enforce_csrf_checks=True)  # no session, no CSRF cookie
    response = mail_client.post(
        link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200  # RFC 8058: answered at once, no redirect
    assert MarketingBan.objects.filter(customer=subscriber, via="link").count() == 1
    assert AuditEntry.objects.get(customer_id=subscriber.pk).details["one_click"] is True


def test_following_the_link_twice_records_one_ban(client, subscriber):
    link = _exported_link(subscriber)
    client.post(link)
    response = client.post(link)
    assert response.status_code == 200
    assert "Markkinointi on kielletty" in response.content.decode()
    assert MarketingBan.objects.filter(customer=subscriber).count() == 1
    assert AuditEntry.objects.filter(customer_id=subscriber.pk).count() == 1


def test_a_research_link_bans_research_and_leaves_marketing(client):
    customer = CustomerFactory()
    ConsentEventFactory(customer=customer, purpose="research", channel="email")
    ConsentEventFactory(customer=customer, purpose="newsletter", channel="email")
    link = _exported_link(customer, use=USE_RESEARCH)
    assert "kutsu sinua markkina- ja mielipidetutkimuksiin" in client.get(link).content.decode()
    client.post(link)
    assert MarketingBan.objects.get(customer=customer).scope == "research"
    assert not is_marketable(customer, "email", use=USE_RESEARCH)
    assert is_marketable(customer, "email")


def test_a_post_and_a_phone_row_carry_their_own_links(client):
    customer = CustomerFactory()
    post_link = _exported_link(customer, "post")
    phone_link = _exported_link(customer, "phone")
    assert post_link != phone_link
    client.post(phone_link)
    assert not is_marketable(customer, "phone") and is_marketable(customer, "post")


def test_a_swedish_customers_link_opens_in_swedish(client):
    customer = CustomerFactory(preferred_language="sv")
    link = _exported_link(customer, "post")
    assert link.startswith("/sv/peru/")
    body = client.get(link).content.decode()
    assert 'lang="sv"' in body and "Vahvista kielto" not in body


def test_a_tampered_link_records_nothing(client, subscriber):
    link = _exported_link(subscriber)
    token = link.split("/")[-2]
    value, stamp, signature = token.rsplit(":", 2)
    code, _channel, scope = value.split(".")
    # Someone edits the channel, or forges a link with another salt, or breaks the signature.
    forged = [
        f"{code}.sms.{scope}:{stamp}:{signature}",
        signing.TimestampSigner(salt="joku.muu").sign(f"{code}.email.{scope}"),
        f"{value}:{stamp}:{signature[:-2]}xx",
        "ei-linkki",
    ]
    for token in forged:
        response = client.post(f"/peru/{token}/")
        assert response.status_code == 400
        assert "Linkki ei kelpaa" in response.content.decode()
        assert client.get(f"/peru/{token}/").status_code == 400
    assert not MarketingBan.objects.exists() and not AuditEntry.objects.exists()


def test_an_expired_link_records_nothing_and_sends_to_the_portal(client, subscriber, monkeypatch):
    sent_at = time.time() - (LINK_VALID_DAYS + 1) * 86400
    with monkeypatch.context() as clock:
        clock.setattr(time, "time", lambda: sent_at)
        token = make_token(code=subscriber.code, channel="email", scope="direct_marketing")
    response = client.post(f"/peru/{token}/")
    assert response.status_code == 410
    body = response.content.decode()
    assert "Linkki on vanhentunut" in body and 'href="/oma/kirjaudu/"' in body
    assert not MarketingBan.objects.exists()
    # A link a day younger than the limit still works.
    with monkeypatch.context() as clock:
        clock.setattr(time, "time", lambda: sent_at + 2 * 86400)
        token = make_token(code=subscriber.code, channel="email", scope="direct_marketing")
    assert client.post(f"/peru/{token}/").status_code == 200
    assert MarketingBan.objects.filter(customer=subscriber).exists()


def test_an_erased_customers_link_says_done_and_writes_nothing(client, subscriber):
    link = _exported_link(subscriber)
    type(subscriber).objects.filter(pk=subscriber.pk).update(erased_at=timezone.now())
    assert client.post(link).status_code == 200
    assert not MarketingBan.objects.exists() and not AuditEntry.objects.exists()


def test_posting_links_is_rate_limited_per_client(client):
    for _ in range(UNSUBSCRIBES_PER_CLIENT):
        assert client.post("/peru/ei-linkki/").status_code == 400
    response = client.post("/peru/ei-linkki/")
    assert response.status_code == 429
    assert "Liian monta pyyntöä" in response.content.decode()


def test_the_export_gives_a_mailing_tool_the_rfc_8058_header_values(marketing, subscriber):
    lines = "".join(export_audience(actor=marketing, channel="email"))
    header, row = list(csv.reader(io.StringIO(lines)))
    values = dict(zip(header, row, strict=True))
    assert values["list_unsubscribe"] == f"<{values['unsubscribe_url']}>"
    assert values["list_unsubscribe_post"] == "List-Unsubscribe=One-Click"
    assert values["unsubscribe_url"].startswith("http://127.0.0.1:8000/peru/")
    started = AuditEntry.objects.filter(action="export").order_by("id").first()
    assert started.details["criteria"]["unsubscribe_links"] == {
        "scope": "direct_marketing",
        "valid_days": LINK_VALID_DAYS,
    }


def test_each_customer_channel_and_scope_gets_its_own_signed_link(subscriber):
    other = CustomerFactory()
    tokens = {
        make_token(code=c.code, channel=ch, scope=s)
        for c in (subscriber, other)
        for ch in ("email", "post")
        for s in ("direct_marketing", "research")
    }
    assert len(tokens) == 8
