"""Marketing audiences: each rule with a person it lets in and a counter-example it keeps out."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from customers.audiences import audience_rows
from customers.ban_register import import_ban_register, parse_ban_register
from customers.marketing import (
    KeyedHash,
    NormalisedText,
    address_key,
    basis_for,
    is_marketable,
    keyed_hash,
    normalise_text,
)
from customers.models import BanRegisterEntry, Customer, SuppressionEntry
from privacy.models import AuditEntry
from tests.factories import (
    ConsentEventFactory,
    CustomerFactory,
    MarketingBanFactory,
    OrderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice_since(settings):
    """The shop's checkout has told buyers about email marketing since a year ago."""
    settings.EXISTING_CUSTOMER_NOTICE_SINCE = timezone.localdate() - dt.timedelta(days=365)
    return settings.EXISTING_CUSTOMER_NOTICE_SINCE


def _consented(channel="email", purpose="direct_marketing", **kwargs):
    customer = CustomerFactory(**kwargs)
    ConsentEventFactory(customer=customer, purpose=purpose, channel=channel)
    return customer


def _marketable_ids(channel):
    return set(Customer.objects.marketable(channel).values_list("pk", flat=True))


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("lista.csv", text.encode(), content_type="text/csv")


def _import(service: str, text: str, user=None):
    parsed = parse_ban_register(service=service, upload=_upload(text))
    return import_ban_register(
        parsed=parsed, file_name="lista.csv", list_date=timezone.localdate(), imported_by=user
    )


def test_consent_to_a_channel_lets_a_customer_into_that_channel_only():
    customer = _consented("sms")
    assert is_marketable(customer, "sms")
    assert not is_marketable(customer, "email")
    assert not is_marketable(CustomerFactory(), "sms")


def test_consent_to_the_newsletter_counts_as_consent_to_the_channel():
    assert is_marketable(_consented("email", purpose="newsletter"), "email")
    assert not is_marketable(_consented("email", purpose="research"), "email")


def test_a_withdrawn_consent_wins_over_an_earlier_grant():
    customer = _consented("sms")
    ConsentEventFactory(
        customer=customer,
        purpose="direct_marketing",
        channel="sms",
        is_granted=False,
        occurred_at=timezone.now() + dt.timedelta(minutes=1),
    )
    regranted = _consented("sms")
    ConsentEventFactory(
        customer=regranted,
        purpose="direct_marketing",
        channel="sms",
        is_granted=False,
        occurred_at=timezone.now() - dt.timedelta(days=1),
    )
    assert not is_marketable(customer, "sms")
    assert is_marketable(regranted, "sms")


def test_post_and_phone_reach_a_consumer_until_they_refuse():
    # Post and phone marketing need no consent (GDPR 21(2)); email and SMS to a consumer do.
    buyer = CustomerFactory()
    OrderFactory(customer=buyer)
    assert is_marketable(buyer, "post") and is_marketable(buyer, "phone")
    assert not is_marketable(buyer, "email") and not is_marketable(buyer, "sms")
    assert basis_for(buyer, "post") == "not_refused"
    assert basis_for(_consented("post"), "post") == "consent"
    banned = CustomerFactory()
    MarketingBanFactory(customer=banned, channel="post")
    withdrew = CustomerFactory()
    ConsentEventFactory(customer=withdrew, channel="phone", is_granted=False)
    assert not is_marketable(banned, "post") and is_marketable(banned, "phone")
    assert not is_marketable(withdrew, "phone") and is_marketable(withdrew, "post")


def test_an_existing_customer_informed_at_purchase_gets_email_without_consent(notice_since):
    customer = CustomerFactory()
    OrderFactory(customer=customer, ordered_at=timezone.now() - dt.timedelta(days=10))
    assert is_marketable(customer, "email")
    assert not is_marketable(customer, "sms")
    assert not is_marketable(CustomerFactory(), "email")


def test_a_purchase_before_the_checkout_informed_buyers_is_no_basis(notice_since):
    customer = CustomerFactory()
    OrderFactory(customer=customer, ordered_at=timezone.now() - dt.timedelta(days=400))
    assert not is_marketable(customer, "email")


def test_without_a_notice_date_the_existing_customer_exception_is_not_used(settings):
    settings.EXISTING_CUSTOMER_NOTICE_SINCE = None
    customer = CustomerFactory()
    OrderFactory(customer=customer)
    assert not is_marketable(customer, "email")


def test_an_existing_customer_who_opted_out_gets_no_email_marketing(notice_since):
    customer = CustomerFactory()
    OrderFactory(customer=customer)
    ConsentEventFactory(customer=customer, purpose="newsletter", is_granted=False)
    assert not is_marketable(customer, "email")


def test_the_email_audience_says_on_which_basis_each_person_is_in_it(notice_since):
    consented = _consented("email")
    buyer = CustomerFactory()
    OrderFactory(customer=buyer)
    rows = {row[0]: row[5] for row in audience_rows("email")}
    assert rows == {consented.number: "consent", buyer.number: "existing_customer"}


def test_a_banned_customer_is_not_marketable():
    by_channel = _consented("email")
    MarketingBanFactory(customer=by_channel, channel="email")
    everywhere = _consented("email")
    MarketingBanFactory(customer=everywhere, channel="all")
    distance_selling = _consented("email")
    MarketingBanFactory(customer=distance_selling, channel="all", scope="distance_selling")
    lifted = _consented("email")
    MarketingBanFactory(customer=lifted, channel="all", lifted_at=timezone.now())
    other_scope = _consented("email")
    MarketingBanFactory(customer=other_scope, channel="all", scope="research")
    other_channel = _consented("email")
    MarketingBanFactory(customer=other_channel, channel="post")
    assert _marketable_ids("email") == {lifted.pk, other_scope.pk, other_channel.pk}


def test_a_ban_keeps_an_existing_customer_out_of_email_too(notice_since):
    customer = CustomerFactory()
    OrderFactory(customer=customer)
    MarketingBanFactory(customer=customer, channel="email")
    assert not is_marketable(customer, "email")


def test_a_customer_on_the_suppression_list_is_in_no_audience():
    suppressed = _consented("email")
    SuppressionEntry.objects.create(kind="email", value_hash=keyed_hash("email", suppressed.email))
    by_phone = _consented("email")
    SuppressionEntry.objects.create(kind="phone", value_hash=keyed_hash("phone", by_phone.phone))
    kept = _consented("email")
    assert not is_marketable(suppressed, "email")
    assert not is_marketable(by_phone, "email")
    assert [row[0] for row in audience_rows("email")] == [kept.number]


def test_the_database_computes_the_same_keyed_hashes_as_python():
    customer = CustomerFactory(
        email="åsa.öhman@example.fi", last_name="Öhman-Äijälä", street_address="Hämeentie 5 a-3"
    )
    row = (
        Customer.objects.filter(pk=customer.pk)
        .annotate(h=KeyedHash(F("email"), kind="email"), n=NormalisedText(F("street_address")))
        .values_list("h", "n")
        .get()
    )
    assert row == (keyed_hash("email", customer.email), "HÄMEENTIE5A3")
    assert normalise_text("Öhman-Äijälä") == "ÖHMANÄIJÄLÄ"


def test_a_person_on_the_postal_restriction_list_gets_no_direct_mail(register_admin):
    listed = _consented("post", last_name="Äijälä", street_address="Hämeentie 5 A 3")
    namesake_elsewhere = _consented("post", last_name="Äijälä", street_address="Kauppakatu 1")
    _import(
        "post",
        "sukunimi;katuosoite;postinumero\nÄIJÄLÄ;hämeentie 5a3;00100\n;puuttuu;00100\n",
        register_admin,
    )
    assert not is_marketable(listed, "post")
    assert is_marketable(namesake_elsewhere, "post")
    # The postal list does not stop other channels.
    ConsentEventFactory(customer=listed, purpose="direct_marketing", channel="email")
    assert is_marketable(listed, "email")


def test_a_number_on_the_phone_restriction_list_gets_no_calls(register_admin):
    listed = _consented("phone", phone="+358401234567")
    other = _consented("phone", phone="+358401234568")
    imported = _import("phone", "puhelin\n040 123 4567\nei numero\n", register_admin)
    assert imported.entry_count == 1 and imported.skipped_count == 1
    assert not is_marketable(listed, "phone")
    assert is_marketable(other, "phone")
    ConsentEventFactory(customer=listed, purpose="direct_marketing", channel="sms")
    assert is_marketable(listed, "sms")


def test_a_new_restriction_list_replaces_the_old_one_and_is_audited(register_admin):
    customer = _consented("phone", phone="+358401234567")
    _import("phone", "puhelin\n+358401234567\n", register_admin)
    assert not is_marketable(customer, "phone")
    _import("phone", "puhelin\n+358409999999\n", register_admin)
    assert is_marketable(customer, "phone")
    assert BanRegisterEntry.objects.count() == 1
    entry = AuditEntry.objects.filter(object_label__startswith="customers.banregisterimport")
    assert entry.count() == 2
    assert "358401234567" not in str(list(entry.values_list("details", flat=True)))


def test_a_restriction_list_without_its_columns_is_refused_with_the_reason():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="sukunimi"):
        parse_ban_register(service="post", upload=_upload("nimi;osoite\nA;B\n"))
    with pytest.raises(ValidationError, match="yhtään"):
        parse_ban_register(service="phone", upload=_upload("puhelin\n"))


def test_the_address_key_ignores_case_spaces_and_punctuation():
    assert address_key(
        last_name="Äijälä", street_address="Hämeentie 5 A 3", postal_code="00100"
    ) == address_key(last_name="ÄIJÄLÄ", street_address="hämeentie 5a-3", postal_code=" 00100")


def test_a_restricted_or_erased_customer_is_not_marketable():
    restricted = _consented("email", is_restricted=True)
    erased = _consented("email", erased_at=timezone.now())
    assert not is_marketable(restricted, "email")
    assert not is_marketable(erased, "email")
    assert is_marketable(_consented("email"), "email")


def test_a_gift_card_redeemer_needs_their_own_consent(notice_since):
    redeemer = CustomerFactory(source=Customer.Source.GIFT_CARD)
    OrderFactory(customer=redeemer)
    assert not is_marketable(redeemer, "email")
    ConsentEventFactory(customer=redeemer, purpose="newsletter", channel="email")
    assert is_marketable(redeemer, "email")


def test_a_child_under_13_is_not_marketable():
    today = timezone.localdate()
    child = _consented("email", birth_date=today.replace(year=today.year - 12))
    teen = _consented("email", birth_date=today.replace(year=today.year - 13))
    assert not is_marketable(child, "email")
    assert is_marketable(teen, "email")


def test_a_customer_without_the_channels_contact_detail_is_left_out():
    assert not is_marketable(_consented("sms", phone=""), "sms")
    assert not is_marketable(_consented("post", street_address=""), "post")
    assert is_marketable(_consented("post"), "post")


@pytest.fixture
def marketing_client(client, marketing, otp_login):
    return otp_login(client, marketing)


def test_marketing_exports_a_streamed_audited_csv(marketing_client, marketing):
    kept = _consented("email")
    _consented("sms")
    response = marketing_client.get(reverse("admin:audience_export", args=["email"]))
    assert response.status_code == 200
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "number",
        "first_name",
        "last_name",
        "email",
        "preferred_language",
        "basis",
        "unsubscribe_url",
        "list_unsubscribe",
        "list_unsubscribe_post",
    ]
    assert [r[0] for r in rows[1:]] == [kept.number]
    url = rows[1][6]
    assert url.startswith("http://127.0.0.1:8000/peru/") and kept.email not in url
    assert rows[1][7:] == [f"<{url}>", "List-Unsubscribe=One-Click"]
    started, finished = AuditEntry.objects.filter(action="export").order_by("id")
    assert started.actor == marketing
    assert started.details["criteria"]["channel"] == "email"
    assert started.details["criteria"]["minimum_age"] == 13
    assert finished.details["count"] == 1 and finished.details["completed"] is True
    assert kept.email not in str(started.details) + str(finished.details)


def test_a_postal_export_records_which_restriction_list_screened_it(
    marketing_client, register_admin
):
    imported = _import("post", "sukunimi,katuosoite,postinumero\nX,Y 1,00100\n", register_admin)
    response = marketing_client.get(reverse("admin:audience_export", args=["post"]))
    b"".join(response.streaming_content)
    started = AuditEntry.objects.filter(action="export").order_by("id").first()
    assert started.details["criteria"]["ban_register"]["import"] == imported.pk


def test_customer_service_cannot_export_audiences(client, customer_service, otp_login):
    otp_login(client, customer_service)
    assert client.get(reverse("admin:audience_export", args=["email"])).status_code == 403
    assert client.get(reverse("admin:audiences")).status_code == 403


def test_the_audience_page_lists_every_channel(marketing_client):
    response = marketing_client.get(reverse("admin:audiences"))
    assert response.status_code == 200
    for channel in ("email", "sms", "post", "phone"):
        assert reverse("admin:audience_export", args=[channel]) in response.content.decode()


def test_marketing_imports_a_restriction_list_through_the_panel(marketing_client):
    customer = _consented("phone", phone="+358401234567")
    response = marketing_client.post(
        reverse("admin:customers_banregisterimport_add"),
        {
            "service": "phone",
            "list_date": timezone.localdate().strftime("%d.%m.%Y"),
            "upload": _upload("puhelin\n0401234567\n"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not is_marketable(customer, "phone")


def test_a_bad_restriction_list_file_is_refused_in_the_panel_and_nothing_changes(
    marketing_client,
):
    response = marketing_client.post(
        reverse("admin:customers_banregisterimport_add"),
        {
            "service": "post",
            "list_date": timezone.localdate().strftime("%d.%m.%Y"),
            "upload": _upload("nimi\nX\n"),
        },
    )
    assert response.status_code == 200
    assert "Tiedostosta puuttuu sarake" in response.content.decode()
    assert not BanRegisterEntry.objects.exists()


def test_the_audience_page_says_which_restriction_list_screens_post_and_phone(
    marketing_client, register_admin
):
    page = marketing_client.get(reverse("admin:audiences")).content.decode()
    assert page.count("ei tuotu") == 2
    _import("phone", "puhelin\n0401234567\n", register_admin)
    page = marketing_client.get(reverse("admin:audiences")).content.decode()
    assert "1 merkintä" in page and page.count("ei tuotu") == 1


def test_the_import_command_replaces_a_list_and_refuses_a_bad_file(tmp_path):
    from django.core.management import CommandError, call_command

    customer = _consented("phone", phone="+358401234567")
    good = tmp_path / "puhelin.csv"
    good.write_text("puhelin\n+358 40 123 4567\n", encoding="utf-8")
    call_command("import_ban_register", str(good), service="phone", list_date="2026-11-30")
    assert not is_marketable(customer, "phone")
    bad = tmp_path / "huono.csv"
    bad.write_text("nimi\nx\n", encoding="utf-8")
    with pytest.raises(CommandError, match="puhelin"):
        call_command("import_ban_register", str(bad), service="phone")
    assert not is_marketable(customer, "phone")


def test_marketing_exports_a_research_audience_and_the_business_directory_audited(
    marketing_client,
):
    research = _consented("email", purpose="research")
    _consented("email")  # marketing consent only: not in the research audience
    business = CustomerFactory(company="Virtanen Oy", business_id="1572860-0")
    response = marketing_client.get(
        reverse("admin:audience_use_export", args=["research", "email"])
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(r[0] for r in rows[1:]) == sorted([research.number, business.number])
    assert "yleiso-research-email" in response["Content-Disposition"]
    response = marketing_client.get(reverse("admin:publication_list_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ["number", "company", "business_id", "post_office"],
        [business.number, "Virtanen Oy", "1572860-0", "Helsinki"],
    ]
    labels = list(
        AuditEntry.objects.filter(action="export", details__stage="started")
        .order_by("id")
        .values_list("object_label", "details__criteria__blocking_ban_scopes")
    )
    assert labels == [
        ("audience:research:email", ["research"]),
        ("audience:publication", ["publication"]),
    ]
    unknown = reverse("admin:audience_use_export", args=["sales", "email"])
    assert marketing_client.get(unknown).status_code == 404
