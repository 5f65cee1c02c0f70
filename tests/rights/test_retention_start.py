"""The statement's retention table says what each period is counted from; the sweep counts from
there. Each test reads the starting point the rule declares (what the statement prints) and puts
a record on either side of the period counted from it, with the other plausible starting point on
the wrong side, so a sweep counting from anything else fails."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from privacy.deadlines import add_months
from privacy.vocabulary import CASE_RECORDS, DELIVERY_TRACKING, DISCLOSURE_LOG
from rights.cases import receive_request
from rights.models import AuthorityRequest, DataSubjectRequest
from rights.retention import retention_sweep
from statement.content import retention_table
from tests.factories import CustomerFactory, OrderFactory, ShipmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]


def _months_ago(months: int) -> dt.datetime:
    day = add_months(timezone.localdate(), -months)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _stated_start(rule) -> str:
    """Return what the statement's retention table prints as the rule's starting point."""
    with translation.override("fi"):
        starts = {row[2] for row in retention_table().rows}
        assert str(rule.counted_from) in starts, rule.key
        return str(rule.counted_from)


def test_delivery_tracking_is_counted_from_the_delivery_not_the_dispatch():
    assert _stated_start(DELIVERY_TRACKING).startswith("toimituksesta")
    months = DELIVERY_TRACKING.in_months()
    # Sent long ago but delivered within the period: kept.
    kept = ShipmentFactory(
        order=OrderFactory(),
        shipped_at=_months_ago(months + 2),
        delivered_at=_months_ago(months - 1),
    )
    gone = ShipmentFactory(
        order=OrderFactory(),
        shipped_at=_months_ago(months + 2),
        delivered_at=_months_ago(months + 1),
    )
    # Never delivered: counted from the dispatch, as the statement says.
    lost = ShipmentFactory(order=OrderFactory(), shipped_at=_months_ago(months + 1))
    assert retention_sweep()["delivery_tracking_past_retention"] == 2
    shipments = type(kept).objects
    assert shipments.filter(pk=kept.pk).exists()
    assert not shipments.filter(pk__in=[gone.pk, lost.pk]).exists()


def test_an_authority_hand_over_is_counted_from_the_disclosure_not_the_request():
    assert _stated_start(DISCLOSURE_LOG) == "luovutuksesta"
    months = DISCLOSURE_LOG.in_months()
    customer = CustomerFactory()

    def request(received: int, handed_over: int | None) -> AuthorityRequest:
        return AuthorityRequest.objects.create(
            customer=customer,
            authority="Verohallinto",
            legal_basis="verotusmenettelylaki 1558/1995, 19 §",
            requested="Tilaukset",
            received_at=_months_ago(received),
            handed_over_at=_months_ago(handed_over) if handed_over is not None else None,
        )

    kept = request(months + 2, months - 1)
    gone = request(months + 2, months + 1)
    never_handed_over = request(months + 1, None)
    retention_sweep()
    assert set(AuthorityRequest.objects.values_list("pk", flat=True)) == {kept.pk}
    assert gone.pk != never_handed_over.pk


def test_a_request_is_counted_from_its_decision_not_its_receipt():
    assert _stated_start(CASE_RECORDS) == "pyynnön ratkaisemisesta"
    months = CASE_RECORDS.in_months()

    def decided(months_ago: int) -> DataSubjectRequest:
        case = receive_request(
            kind=DataSubjectRequest.Kind.ACCESS,
            channel=DataSubjectRequest.Channel.EMAIL,
            requester_name="Aino Asiakas",
            requester_contact="aino@example.fi",
            received_at=_months_ago(months + 3),
        )
        DataSubjectRequest.objects.filter(pk=case.pk).update(
            status=DataSubjectRequest.Status.WITHDRAWN, decided_at=_months_ago(months_ago)
        )
        return case

    kept, gone = decided(months - 1), decided(months + 1)
    retention_sweep()
    remaining = set(DataSubjectRequest.objects.values_list("pk", flat=True))
    assert kept.pk in remaining and gone.pk not in remaining
