"""Staff take every kind of request from receipt to a decision on the case's workspace."""

import datetime as dt
import io
import re
import zipfile
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from customers.marketing import is_marketable
from customers.models import Customer, Disclosure, MarketingBan
from privacy.models import AuditEntry
from rights.cases import receive_request, verify_identity
from rights.models import AccessPackage, CorrectionItem, DataSubjectRequest, RequestEvent
from tests.disks import read_only_directory
from tests.factories import ConsentEventFactory, CustomerFactory, OrderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]

CHANGELIST = "admin:rights_datasubjectrequest_changelist"
Kind = DataSubjectRequest.Kind
Status = DataSubjectRequest.Status


class _FormReader(HTMLParser):
    """Collect what a browser would submit from one form: inputs, selects and textareas."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or not attrs.get("name"):
            if tag == "option" and self._select and "selected" in attrs:
                self.data[self._select] = attrs.get("value", "")
            return
        name = attrs["name"]
        if tag == "input" and attrs.get("type") not in ("submit", "checkbox", "radio"):
            self.data[name] = attrs.get("value", "")
        elif tag == "input" and "checked" in attrs:
            self.data[name] = attrs.get("value", "on")
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n")


def _submit(client, url: str, form_id: str, **changes):
    """GET the page, fill in `changes` over what the form holds, and POST it."""
    page = client.get(url)
    assert page.status_code == 200
    reader = _FormReader(form_id)
    reader.feed(page.content.decode())
    # The empty template rows of inlines are not submitted by a browser either.
    data = {k: v for k, v in reader.data.items() if "__prefix__" not in k}
    data.update(changes)
    return client.post(url, data)


@pytest.fixture
def staff_client(client, customer_service, otp_login):
    return otp_login(client, customer_service)


def _request(kind=Kind.ACCESS, customer=None, received_at=None, **kwargs):
    return receive_request(
        kind=kind,
        channel=DataSubjectRequest.Channel.LETTER,
        customer=customer or CustomerFactory(),
        received_at=received_at,
        **kwargs,
    )


def _page(request, name: str = "case") -> str:
    return reverse(f"admin:rights_datasubjectrequest_{name}", args=[request.pk])


def _step(staff_client, request, name: str, **data):
    """POST one step of the workspace, following its redirect to the page staff see next."""
    return staff_client.post(_page(request, name), data, follow=True)


def _verify(staff_client, request, method: str = "email_on_file", **data):
    return _step(staff_client, request, "case_verify", method=method, **data)


def _fulfil(staff_client, request):
    """Take a verified case through prepare, confirm and sending the decision."""
    request.refresh_from_db()
    _step(staff_client, request, "case_prepare")
    confirm = {"reference": request.reference, "confirmed": "on"}
    response = _step(staff_client, request, "case_confirm", **confirm)
    request.refresh_from_db()
    if request.status == Status.COMPLETED:
        response = _step(staff_client, request, "case_decision")
    return response


def _with_preview(staff_client, request, name: str, **data):
    """Fill a secondary step's form, read its letter preview, then confirm it."""
    preview = _step(staff_client, request, name, preview="1", **data)
    return preview, _step(staff_client, request, name, confirm="1", **data)


def _change_url(request) -> str:
    return reverse("admin:rights_datasubjectrequest_change", args=[request.pk])


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _letter(staff_client, request, letter="ratkaisu") -> str:
    url = reverse("admin:rights_datasubjectrequest_letter", args=[request.pk, letter])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return _pdf_text(response.content)


# The queue.


def test_the_queue_is_sorted_by_deadline_and_marks_overdue_and_soon_due(staff_client):
    today = timezone.localdate()
    helsinki = ZoneInfo("Europe/Helsinki")
    overdue = _request(received_at=dt.datetime(2020, 1, 1, 12, tzinfo=helsinki))
    soon = _request(received_at=timezone.now() - dt.timedelta(days=28))
    fresh = _request()
    response = staff_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(overdue.reference) < html.index(soon.reference) < html.index(fresh.reference)
    assert "myöhässä" in html
    assert f"{(soon.due_date - today).days} päivää" in html
    assert _page(overdue) in html
    late_only = staff_client.get(reverse(CHANGELIST), {"auki": "myohassa"}).content.decode()
    assert overdue.reference in late_only and fresh.reference not in late_only


def test_marketing_staff_cannot_see_or_act_on_requests(client, marketing, otp_login):
    request = _request()
    otp_login(client, marketing)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(_change_url(request)).status_code == 403
    letter = reverse("admin:rights_datasubjectrequest_letter", args=[request.pk, "ratkaisu"])
    assert client.get(letter).status_code == 403
    assert client.get(_page(request)).status_code == 403
    assert client.post(_page(request, "case_withdraw"), {"confirmed": "on"}).status_code == 403
    request.refresh_from_db()
    assert request.status == Status.RECEIVED


def test_staff_file_a_request_and_its_deadline_is_a_calendar_month(staff_client):
    customer = CustomerFactory()
    response = _submit(
        staff_client,
        reverse("admin:rights_datasubjectrequest_add"),
        "datasubjectrequest_form",
        kind="erasure",
        channel="letter",
        language="sv",
        received_at_0="31.01.2025",
        received_at_1="12:00",
        customer=str(customer.pk),
        requester_name="Aino",
        requester_contact="aino@example.fi",
        description="Poistakaa tietoni",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    request = DataSubjectRequest.objects.get()
    assert (request.due_date, request.language) == (dt.date(2025, 2, 28), "sv")
    assert request.events.filter(kind=RequestEvent.Kind.RECEIVED).exists()


def test_a_request_received_in_the_future_is_refused_with_a_message(staff_client):
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    response = _submit(
        staff_client,
        reverse("admin:rights_datasubjectrequest_add"),
        "datasubjectrequest_form",
        kind="access",
        channel="email",
        received_at_0=tomorrow.strftime("%d.%m.%Y"),
        received_at_1="12:00",
        customer=str(CustomerFactory().pk),
    )
    assert response.status_code == 200
    assert "tulevaisuudessa" in response.content.decode()
    assert not DataSubjectRequest.objects.exists()


# Every kind, receipt to decision.


def test_access_from_receipt_to_decision_with_extension_package_and_letters(staff_client):
    request = _request()
    _verify(staff_client, request, "id_document")
    request.refresh_from_db()
    assert request.status == Status.IDENTITY_VERIFIED
    assert request.verified_by.username == "asiakaspalvelu"
    page = _step(staff_client, request, "case_prepare").content.decode()
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    assert "tietopaketti" in page
    notified = timezone.localdate().strftime("%d.%m.%Y")
    preview, _done = _with_preview(
        staff_client,
        request,
        "case_extend",
        months="1",
        notified_on=notified,
        reason="Pyyntö koskee laajaa aineistoa.",
    )
    assert "käsittelyaikaa on pidennetty" in preview.content.decode()
    assert "Miksi tarvitsemme lisäaikaa" in preview.content.decode()
    request.refresh_from_db()
    assert request.extension_months == 1
    notice = _letter(staff_client, request, "jatkoaika")
    assert "Pyyntö koskee laajaa aineistoa." in notice
    due = request.due_date
    assert f"{due.day}.{due.month}.{due.year}" in notice

    _fulfil(staff_client, request)
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    package = request.access_packages.get()
    page = staff_client.get(_page(request)).content.decode()
    download = reverse("admin:rights_accesspackage_download", args=[package.pk, "pdf"])
    assert download in page
    response = staff_client.get(download)
    assert response.status_code == 200
    assert "Henkilötietosi rekisterissämme" in _pdf_text(b"".join(response.streaming_content))
    assert package.downloads.get().file_kind == "pdf"
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, customer_id=request.customer_id, actor__isnull=False
    ).exists()
    letter = _letter(staff_client, request)
    assert "Olemme toteuttaneet pyyntösi" in letter
    assert "Tietosuojavaltuutetun toimisto" in letter


def test_portability_gives_a_csv_per_table(staff_client):
    customer = CustomerFactory()
    OrderFactory(customer=customer)
    request = _request(Kind.PORTABILITY, customer)
    _verify(staff_client, request)
    _fulfil(staff_client, request)
    package = AccessPackage.objects.get(request=request)
    response = staff_client.get(
        reverse("admin:rights_accesspackage_download", args=[package.pk, "zip"])
    )
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert {"asiakastiedot.csv", "tilaukset.csv"} <= set(archive.namelist())


def test_correction_from_proposal_to_decision_and_notified_recipients(staff_client):
    customer = CustomerFactory(first_name="Aino", phone="+358401111111")
    Disclosure.objects.create(
        customer=customer,
        recipient="Posti Oy",
        recipient_kind=Disclosure.RecipientKind.CARRIER,
        fields=["first_name", "phone"],
        reason="Toimitus",
    )
    request = _request(Kind.CORRECTION, customer)
    _verify(staff_client, request)
    url = _change_url(request)
    response = _submit(
        staff_client,
        url,
        "datasubjectrequest_form",
        **{
            "corrections-TOTAL_FORMS": "2",
            "corrections-0-field_name": "phone",
            "corrections-0-new_value": "040 765 4321",
            "corrections-0-reason": "Uusi liittymä",
            "corrections-1-field_name": "first_name",
            "corrections-1-new_value": "Aina",
            "corrections-1-reason": "Kirjoitusvirhe",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    phone, name = request.corrections.order_by("pk")
    assert (phone.old_value, phone.new_value) == ("+358401111111", "+358407654321")
    assert (name.old_value, name.new_value) == ("Aino", "Aina")

    # A rejection without its reasons is sent back with a message and nothing decided.
    response = _submit(
        staff_client, url, "datasubjectrequest_form", **{"corrections-2-1-decision": "reject"}
    )
    assert response.status_code == 200
    assert "Kirjoita hylkäyksen perustelu" in response.content.decode()
    assert not request.corrections.exclude(state=CorrectionItem.State.PROPOSED).exists()
    response = _submit(
        staff_client,
        url,
        "datasubjectrequest_form",
        **{
            "corrections-2-0-decision": "approve",
            "corrections-2-1-decision": "reject",
            "corrections-2-1-decision_note": "Nimi on oikein väestötietojärjestelmässä.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    prepared = _step(staff_client, request, "case_prepare").content.decode()
    assert "+358407654321" in prepared and "Posti Oy" in prepared
    _fulfil(staff_client, request)
    request.refresh_from_db()
    customer.refresh_from_db()
    assert request.status == Status.COMPLETED
    assert (customer.phone, customer.first_name) == ("+358407654321", "Aino")
    notification = request.notifications.get()
    assert (notification.recipient, notification.fields) == ("Posti Oy", ["phone"])
    _step(staff_client, request, "case_notified", method="sähköposti")
    notification.refresh_from_db()
    assert notification.notified_at is not None and notification.method == "sähköposti"
    letter = _letter(staff_client, request)
    assert "Nimi on oikein väestötietojärjestelmässä." in letter
    assert "Posti Oy" in letter


def test_erasure_shows_its_plan_then_erases_and_lists_what_is_kept(staff_client):
    customer = CustomerFactory(first_name="Sulevi")
    order = OrderFactory(customer=customer)
    request = _request(Kind.ERASURE, customer)
    _verify(staff_client, request, "strong_auth")
    page = _step(staff_client, request, "case_prepare").content.decode()
    assert "Säilytetään" in page
    assert "Kirjanpitolain" in page
    kept_until = f"31.12.{timezone.localdate(order.ordered_at).year + 6}"
    assert kept_until in page
    # A wrong reference erases nothing.
    response = _step(staff_client, request, "case_confirm", reference="TS-1")
    assert "Tunnus ei täsmää" in response.content.decode()
    assert Customer.objects.get(pk=customer.pk).erased_at is None
    _fulfil(staff_client, request)
    request.refresh_from_db()
    customer.refresh_from_db()
    assert request.status == Status.COMPLETED
    assert customer.erased_at is not None and customer.first_name == ""
    assert kept_until in request.decision_text
    assert "Sulevi" not in request.decision_text


def test_an_erasure_the_ledger_cannot_record_is_refused_with_a_message_and_nothing_erased(
    staff_client, settings, tmp_path
):
    customer = CustomerFactory(last_name="Säilyväinen")
    request = _request(Kind.ERASURE, customer)
    verify_identity(case=request, method=DataSubjectRequest.Verification.EMAIL_ON_FILE)
    _step(staff_client, request, "case_prepare")
    with read_only_directory(tmp_path / "ledger") as ledger_dir:
        settings.ERASURE_LEDGER_FILE = ledger_dir / "erasure-ledger.jsonl"
        response = _step(staff_client, request, "case_confirm", reference=request.reference)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Poistoa ei tehty, koska sitä ei voitu kirjata poistojen lokitiedostoon." in body
    assert "ERASURE_LEDGER_FILE" not in body
    customer.refresh_from_db()
    assert (customer.last_name, customer.erased_at) == ("Säilyväinen", None)
    request.refresh_from_db()
    assert request.status != Status.COMPLETED


def test_restriction_is_applied_and_lifted_only_with_the_date_the_customer_was_told(staff_client):
    customer = CustomerFactory()
    ConsentEventFactory(customer=customer, purpose="direct_marketing", channel="email")
    request = _request(Kind.RESTRICTION, customer)
    _verify(staff_client, request)
    _fulfil(staff_client, request)
    customer.refresh_from_db()
    assert customer.is_restricted
    assert not is_marketable(customer, "email")
    response = _step(staff_client, request, "case_lift")
    assert "Tämä kenttä vaaditaan" in response.content.decode()
    customer.refresh_from_db()
    assert customer.is_restricted
    _step(staff_client, request, "case_lift", notified_on=timezone.localdate().strftime("%d.%m.%Y"))
    customer.refresh_from_db()
    assert not customer.is_restricted
    assert is_marketable(customer, "email")
    assert request.events.filter(kind=RequestEvent.Kind.RESTRICTION_LIFTED).exists()


def test_an_objection_bans_marketing_at_receipt_and_is_completed(staff_client):
    customer = CustomerFactory()
    an_hour_ago = timezone.localtime() - dt.timedelta(hours=1)
    response = _submit(
        staff_client,
        reverse("admin:rights_datasubjectrequest_add"),
        "datasubjectrequest_form",
        kind="objection",
        channel="email",
        # An hour ago in Helsinki time, so the test passes at any time of day.
        received_at_0=an_hour_ago.strftime("%d.%m.%Y"),
        received_at_1=an_hour_ago.strftime("%H:%M"),
        customer=str(customer.pk),
        ban_channel="sms",
        ban_scope="direct_marketing",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ban = MarketingBan.objects.get(customer=customer)
    assert (ban.channel, ban.scope, ban.lifted_at) == ("sms", "direct_marketing", None)
    request = DataSubjectRequest.objects.get()
    _verify(staff_client, request)
    _fulfil(staff_client, request)
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    assert MarketingBan.objects.filter(customer=customer).count() == 1


def test_staff_refuse_with_a_reason_and_the_letter_is_in_the_requesters_language(staff_client):
    request = _request(customer=CustomerFactory(preferred_language="sv"))
    response = _step(staff_client, request, "case_refuse", reason="other", preview="1")
    assert "Kirjoita hylkäyksen perustelut" in response.content.decode()
    preview, _done = _with_preview(
        staff_client, request, "case_refuse", reason="excessive", details="Femte begäran"
    )
    # The preview is the letter in the requester's language; nothing was refused by it.
    assert "Femte begäran" in preview.content.decode()
    assert "Dataombudsmannens byrå" in preview.content.decode()
    request.refresh_from_db()
    assert request.status == Status.REFUSED
    letter = _letter(staff_client, request)
    assert "Dataombudsmannens byrå" in letter
    assert "Femte begäran" in letter
    assert "domstol" in letter


def test_a_withdrawn_request_is_closed_and_further_actions_are_refused(staff_client):
    request = _request()
    _step(staff_client, request, "case_withdraw", confirmed="on")
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    response = _verify(staff_client, request, "id_document")
    assert "Pyyntö on jo ratkaistu" in response.content.decode()


def test_an_invalid_correction_is_shown_as_a_form_error(staff_client):
    request = _request(Kind.CORRECTION)
    verify_identity(case=request, method="email_on_file")
    response = _submit(
        staff_client,
        _change_url(request),
        "datasubjectrequest_form",
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-field_name": "phone",
            "corrections-0-new_value": "123",
        },
    )
    assert response.status_code == 200
    assert "ei ole kelvollinen" in response.content.decode()
    assert not request.corrections.exists()


def test_viewing_a_request_is_in_the_audit_log_and_changes_nothing(staff_client):
    request = _request(Kind.ERASURE)
    staff_client.get(_change_url(request))
    staff_client.get(_page(request))
    assert Customer.objects.get(pk=request.customer_id).erased_at is None
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, customer_id=request.customer_id
    ).exists()


# The queue and the dashboard.


def test_the_queue_opens_on_the_work_still_to_do_and_filters_the_decided(staff_client):
    helsinki = ZoneInfo("Europe/Helsinki")
    late = _request(received_at=dt.datetime(2020, 3, 1, 12, tzinfo=helsinki))
    later_but_sooner_due = _request(received_at=dt.datetime(2020, 2, 1, 12, tzinfo=helsinki))
    fresh = _request()
    done = _request()
    _verify(staff_client, done)
    _fulfil(staff_client, done)
    unsent = _request(Kind.RESTRICTION)
    _verify(staff_client, unsent)
    _step(staff_client, unsent, "case_prepare")
    _step(staff_client, unsent, "case_confirm", confirmed="on")

    html = staff_client.get(reverse(CHANGELIST)).content.decode()
    # Overdue first (the longest overdue at the top), then by deadline; a decision still to
    # send is work too; a decided and sent case is not.
    order = [later_but_sooner_due, late, fresh, unsent]
    positions = [html.index(r.reference) for r in order]
    assert positions == sorted(positions)
    assert done.reference not in html
    assert "ratkaisu lähettämättä" in html
    assert html.count("case-badge-overdue") == 2

    decided = staff_client.get(reverse(CHANGELIST), {"auki": "ratkaistut"}).content.decode()
    assert done.reference in decided and fresh.reference not in decided
    unsent_only = staff_client.get(reverse(CHANGELIST), {"auki": "lahettamatta"}).content.decode()
    assert unsent.reference in unsent_only and fresh.reference not in unsent_only
    restrictions = staff_client.get(reverse(CHANGELIST), {"kind__exact": "restriction"})
    assert unsent.reference in restrictions.content.decode()
    assert fresh.reference not in restrictions.content.decode()
    every = staff_client.get(reverse(CHANGELIST), {"auki": "kaikki"}).content.decode()
    assert all(r.reference in every for r in (*order, done))
    by_channel = staff_client.get(reverse(CHANGELIST), {"channel__exact": "email"}).content.decode()
    assert fresh.reference not in by_channel
    by_status = staff_client.get(reverse(CHANGELIST), {"status__exact": "received"})
    assert fresh.reference in by_status.content.decode()


def test_the_dashboard_counts_overdue_requests_and_links_to_them(staff_client):
    helsinki = ZoneInfo("Europe/Helsinki")
    _request(received_at=dt.datetime(2020, 1, 1, 12, tzinfo=helsinki))
    _request(received_at=dt.datetime(2020, 2, 1, 12, tzinfo=helsinki))
    _request()
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "2 pyyntöä on myöhässä." in html
    assert f'href="{reverse(CHANGELIST)}?auki=myohassa"' in html


def test_no_action_of_the_request_queue_erases_refuses_completes_or_extends(staff_client):
    from django.contrib import admin

    request = _request(Kind.ERASURE)
    verify_identity(case=request, method="email_on_file")
    model_admin = admin.site._registry[DataSubjectRequest]
    http = staff_client.get(reverse(CHANGELIST)).wsgi_request
    assert model_admin.get_actions(http) == {}
    html = staff_client.get(reverse(CHANGELIST)).content.decode()
    assert 'name="action"' not in html
    for action in ("fulfil", "refuse", "extend_deadline", "withdraw", "delete_selected"):
        staff_client.post(
            reverse(CHANGELIST),
            {"action": action, "_selected_action": [request.pk], "months": "1"},
        )
    request.refresh_from_db()
    assert (request.status, request.extension_months) == (Status.IDENTITY_VERIFIED, 0)
    assert Customer.objects.get(pk=request.customer_id).erased_at is None


WORKSPACE_PAGES = (
    "case_verify",
    "case_prepare",
    "case_confirm",
    "case_decision",
    "case_extend",
    "case_refuse",
    "case_withdraw",
    "case_notified",
    "case_lift",
)


@pytest.mark.parametrize("name", WORKSPACE_PAGES)
def test_staff_who_may_only_view_requests_cannot_take_a_step(client, otp_login, name):
    from django.contrib.auth.models import Permission, User

    viewer = User.objects.create_user("katselija", password="salasana-testi-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_datasubjectrequest"))
    request = _request(Kind.ERASURE)
    verify_identity(case=request, method="email_on_file")
    otp_login(client, viewer)
    page = client.get(_page(request)).content.decode()
    assert "Seuraava vaihe" in page and "case-primary" not in page
    assert client.get(_page(request, name)).status_code == 403
    data = {"reference": request.reference, "confirmed": "on", "method": "id_document"}
    assert client.post(_page(request, name), data).status_code == 403
    request.refresh_from_db()
    assert request.status == Status.IDENTITY_VERIFIED
    assert Customer.objects.get(pk=request.customer_id).erased_at is None


def test_the_case_page_shows_the_history_in_helsinki_time(staff_client):
    helsinki = ZoneInfo("Europe/Helsinki")
    received = dt.datetime(2026, 1, 15, 6, 24, tzinfo=dt.UTC)
    request = _request(received_at=received)
    html = staff_client.get(_page(request)).content.decode()
    assert received.astimezone(helsinki).strftime("%-d.%-m.%Y %-H.%M") in html
    assert "06:24" not in html and "<th></th>" not in html


def test_filing_a_request_asks_only_for_the_request_and_opens_its_workspace(staff_client):
    customer = CustomerFactory()
    add = reverse("admin:rights_datasubjectrequest_add")
    page = staff_client.get(add).content.decode()
    # Nothing to list yet: no empty correction, notification or history tables.
    assert "Oikaisut" not in page and "Pyynnön tapahtumat" not in page
    assert "Vain vastustamispyynnössä (21 artikla). Tyhjä: kaikki kanavat." in page
    assert "Kielto tulee voimaan heti, kun pyyntö on tallennettu ja yhdistetty" in page
    assert "Valitse asiakas suurennuslasista" in page
    response = _submit(
        staff_client,
        add,
        "datasubjectrequest_form",
        kind="access",
        channel="email",
        received_at_0=(timezone.localdate() - dt.timedelta(days=1)).strftime("%d.%m.%Y"),
        received_at_1="08:00",
        customer=str(customer.pk),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == _page(DataSubjectRequest.objects.get())


def test_a_decided_correction_shows_its_corrections_without_english_or_field_names(staff_client):
    customer = CustomerFactory(first_name="Aino")
    request = _request(Kind.CORRECTION, customer)
    _verify(staff_client, request)
    corrections_propose = {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-field_name": "first_name",
        "corrections-0-new_value": "Aina",
        "corrections-0-reason": "Kirjoitusvirhe",
    }
    _submit(staff_client, _change_url(request), "datasubjectrequest_form", **corrections_propose)
    _submit(
        staff_client,
        _change_url(request),
        "datasubjectrequest_form",
        **{"corrections-2-0-decision": "approve"},
    )
    _fulfil(staff_client, request)
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    text = re.sub(r"<[^>]+>", " ", staff_client.get(_change_url(request)).content.decode())
    assert "etunimi: korjattu" in text
    assert "first_name" not in text
    assert "Decision" not in text
    # The history says which field was decided and how, on both pages.
    assert "Etunimi: hyväksytty" in text
    workspace = staff_client.get(_page(request)).content.decode()
    assert "Etunimi: hyväksytty" in workspace and "approved" not in workspace


def test_the_stock_form_of_an_access_request_lists_events_in_helsinki_time_only(staff_client):
    request = _request()
    recorded = request.events.get().occurred_at
    html = staff_client.get(_change_url(request)).content.decode()
    local = recorded.astimezone(ZoneInfo("Europe/Helsinki")).strftime("%-d.%-m.%Y %-H.%M")
    assert f"{local} vastaanotettu" in html
    assert f"{recorded:%Y-%m-%d %H:%M}" not in html
    # An access request has no corrections to propose or decide.
    assert "Uudet oikaisut" not in html and "corrections-TOTAL_FORMS" not in html


def test_the_request_form_names_staff_without_links_to_accounts_they_cannot_open(staff_client):
    request = _request()
    _verify(staff_client, request)
    html = staff_client.get(_change_url(request)).content.decode()
    assert "/hallinta/auth/user/" not in html
    assert "asiakaspalvelu" in html
