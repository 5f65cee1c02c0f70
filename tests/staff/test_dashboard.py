"""The front page per role: the request queue, consent and ban charts, the register's size."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rekisteri.backups import record_verified_backup
from rights.cases import receive_request
from rights.models import DataSubjectRequest
from staff.charts import Series, bar_chart, stacked_columns
from staff.dashboard import month_starts, request_queue
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


def _request_due_in(days: int):
    request = receive_request(kind="access", channel="email")
    due = timezone.localdate() + dt.timedelta(days=days)
    DataSubjectRequest.objects.filter(pk=request.pk).update(due_date=due)
    return request


def test_marketing_sees_consents_and_bans_per_channel_but_no_queue_or_counts(
    client, marketing, otp_login
):
    ConsentEventFactory(channel="sms")
    MarketingBanFactory(channel="post")
    body = _index(client, marketing, otp_login)
    assert "<svg" in body and "Annetut suostumukset kuukausittain" in body
    assert "Asetetut markkinointikiellot kuukausittain" in body
    assert "Avoimet tietosuojapyynnöt" not in body
    assert "Rekisteri lukuina" not in body


def test_customer_service_sees_the_request_queue_and_counts_but_no_marketing(
    client, customer_service, otp_login
):
    _request_due_in(-2)
    body = _index(client, customer_service, otp_login)
    assert "Avoimet tietosuojapyynnöt" in body and "myöhässä" in body
    assert "Rekisteri lukuina" in body
    assert "Suostumukset ja kiellot" not in body


def test_the_register_admin_sees_everything(client, register_admin, otp_login):
    body = _index(client, register_admin, otp_login)
    for heading in ("Rekisteri lukuina", "Avoimet tietosuojapyynnöt", "Suostumukset ja kiellot"):
        assert heading in body


def test_the_queue_counts_overdue_requests_first_then_each_of_four_weeks():
    for days in (-3, -1, 0, 6, 7, 20, 40):
        _request_due_in(days)
    queue = request_queue(timezone.localdate())
    labels = [label for label, _n in queue["due_rows"]]
    assert labels[0] == "myöhässä" and labels[-1] == "myöhemmin"
    assert [n for _label, n in queue["due_rows"]] == [2, 2, 1, 1, 0, 1]
    assert queue["queue"][0].due_date < timezone.localdate()
    assert dict(queue["status_rows"])["vastaanotettu"] == 7


def test_every_chart_has_a_table_of_the_same_figures(client, register_admin, otp_login):
    ConsentEventFactory(channel="sms")
    ConsentEventFactory(channel="sms")
    body = _index(client, register_admin, otp_login)
    assert body.count("Näytä taulukkona") == body.count('class="dashboard-chart"') == 5
    month = month_starts(timezone.localdate())[-1]
    assert f'<th scope="row">{month.month}/{month.year % 100:02d}</th><td>0</td><td>2</td>' in body


def test_consents_older_than_twelve_months_are_not_charted(client, register_admin, otp_login):
    ConsentEventFactory(channel="post", occurred_at=timezone.now() - dt.timedelta(days=400))
    body = _index(client, register_admin, otp_login)
    assert "posti: 1" not in body


def test_the_dashboard_reads_the_big_tables_once_per_cache_period(
    client, register_admin, otp_login
):
    otp_login(client, register_admin)
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("admin:index"))
    sql = " ".join(q["sql"] for q in queries)
    assert "customers_consentevent" not in sql and "customers_marketingban" not in sql
    assert 'COUNT(*) AS "__count" FROM "customers_customer"' not in sql


def test_every_bar_carries_its_number_and_overdue_is_patterned_not_only_coloured():
    svg = bar_chart("Testi", [("myöhässä", 3), ("posti", 0)], key="t", emphasised=[0])
    assert ">3</text>" in svg and ">0</text>" in svg and "myöhässä" in svg
    assert 'role="img"' in svg and "<title>Testi</title>" in svg
    assert 'fill="url(#t-3)"' in svg and '<pattern id="t-3"' in svg


def test_stacked_columns_name_each_series_in_a_legend_with_its_own_pattern():
    svg = stacked_columns(
        "Kanavat",
        ["1/26", "2/26"],
        [Series("sähköposti", [1, 2]), Series("posti", [0, 3])],
        key="k",
    )
    assert "sähköposti" in svg and "posti" in svg
    assert 'fill="url(#k-1)"' in svg and "<title>2/26 posti: 3</title>" in svg
    assert ">5</text>" in svg  # the column total
    assert "style=" not in svg  # CSP: presentation attributes only


def test_the_register_counts_are_exact_when_small_and_estimated_when_big(monkeypatch):
    from customers.models import Customer
    from staff.dashboard import register_counts
    from staff.paginator import EstimatedCountPaginator, table_count
    from tests.factories import CustomerFactory

    CustomerFactory.create_batch(3)
    assert dict(register_counts()["rows"])["asiakkaita"] == 3
    monkeypatch.setattr(EstimatedCountPaginator, "_estimate", staticmethod(lambda qs: 2_000_000))
    assert table_count(Customer) == 2_000_000


def test_the_register_admin_sees_the_last_verified_backup(client, register_admin, otp_login):
    verified = timezone.now() - dt.timedelta(hours=7)
    record_verified_backup(file="/var/backups/rekisteri/r.dump.gpg", size=1, verified_at=verified)
    body = _index(client, register_admin, otp_login)
    shown = timezone.localtime(verified)
    assert f"Viimeisin tarkistettu varmuuskopio: {shown:%-d.%-m.%Y %H:%M}." in body
    assert "yöllinen varmuuskopiointi on epäonnistunut" not in body


def test_a_backup_over_a_day_old_warns_the_register_admin(client, register_admin, otp_login):
    old = timezone.now() - dt.timedelta(hours=30)
    record_verified_backup(file="/var/backups/rekisteri/r.dump.gpg", size=1, verified_at=old)
    body = _index(client, register_admin, otp_login)
    assert "yöllinen varmuuskopiointi on epäonnistunut" in body


def test_no_backup_at_all_warns_the_register_admin_and_no_one_else_sees_backups(
    client, register_admin, customer_service, otp_login
):
    assert "Tarkistettua varmuuskopiota ei ole vielä otettu" in _index(
        client, register_admin, otp_login
    )
    client.logout()
    assert "Varmuuskopiot" not in _index(client, customer_service, otp_login)
