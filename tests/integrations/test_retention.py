import datetime as dt

import pytest
from django.utils import timezone

from integrations.models import ApiCallLog, IdempotencyRecord, ImportJob
from rights.retention import retention_sweep

pytestmark = pytest.mark.django_db


def test_retention_sweep_prunes_api_and_import_records_past_their_retention(api):
    now = timezone.now()
    old_call = ApiCallLog.objects.create(
        token=api.token, method="GET", path="/api/v1/customers/x/", status_code=200
    )
    ApiCallLog.objects.filter(pk=old_call.pk).update(occurred_at=now - dt.timedelta(days=3 * 365))
    recent_call = ApiCallLog.objects.create(
        token=api.token, method="GET", path="/api/v1/customers/", status_code=200
    )
    IdempotencyRecord.objects.create(
        token=api.token,
        key="k",
        method="POST",
        path="/api/v1/customers/",
        request_hash="h",
        response_status=201,
        response_body={"email": "aino@example.fi"},
        created_at=now - dt.timedelta(hours=25),
    )
    old_job = ImportJob.objects.create(
        file_name="a.csv",
        status=ImportJob.Status.REJECTED,
        report=[{"row": 2, "action": "reject", "reasons": ["puhelin: 123"], "external_id": ""}],
    )
    ImportJob.objects.filter(pk=old_job.pk).update(created_at=now - dt.timedelta(days=31))

    assert retention_sweep(dry_run=True)["expired_api_and_import_records"] == 3
    assert retention_sweep()["expired_api_and_import_records"] == 3

    assert list(ApiCallLog.objects.all()) == [recent_call]
    assert not IdempotencyRecord.objects.exists()
    old_job.refresh_from_db()
    assert (old_job.report, old_job.file_name) == ([], "a.csv")
