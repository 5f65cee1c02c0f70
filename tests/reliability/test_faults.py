"""A database error at every step of erasure, correction, CSV import and statement publishing.

For each operation an uninterrupted run is recorded first: its statements, the tables it touches
and what it changes. Then, on fresh data each time, the operation is failed at statement N
(`connection.execute_wrapper` raising OperationalError) and every row of the touched tables, the
stored files, the erasure ledger file and the mail sent must be exactly as before; re-running it
without the fault must change the same things as the uninterrupted run. A fault after the
operation committed (an enqueue once the commit is done) must leave the commit whole, and the
recovery the project has for it (`recover_tasks`, the worker) must complete it the same way.

The tests commit for real (transaction=True) and run tasks on the database backend, as production
does: a task enqueued inside a rolled-back transaction must vanish with it.
"""

import itertools
import string
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from customers.models import BanScope, Customer, Disclosure, MarketingBan
from demo.shop import ensure_demo_statement
from integrations.imports import run_import_job
from integrations.models import ImportJob
from rekisteri.operations import recover_tasks
from rights.cases import fulfil_request, receive_request, verify_identity
from rights.corrections import decide_correction, propose_correction
from rights.models import AccessPackage, DataSubjectRequest
from rights.tasks import create_access_package_task
from statement.models import STATEMENT_LANGUAGES, StatementDraft, StatementPart, StatementVersion
from statement.publishing import get_statement_pdf, publish_statement
from tests.factories import (
    ConsentEventFactory,
    CustomerFactory,
    CustomerNoteFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    TrackingEventFactory,
)
from tests.reliability import figures
from tests.reliability.harness import changes as changes_between
from tests.reliability.harness import (
    describe_difference,
    fault_at,
    record,
    sample_steps,
    snapshot,
)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Every statement up to an operation's limit is failed in turn; beyond it, a deterministic
# sample that still fails the first statement of each kind (verb and table) and the last one.
STEP_LIMIT = 20
# Tables always compared, whether or not the operation's statements name them.
ALWAYS = {
    "privacy_auditentry",
    "privacy_erasureledger",
    "notifications_outgoingemail",
    "django_tasks_database_dbtaskresult",
}


def _token(n: int) -> str:
    """Return a string of letters unique to run n (masked when runs are compared)."""
    letters = string.ascii_lowercase
    out = ""
    n += 1
    while n:
        n, digit = divmod(n - 1, 26)
        out = letters[digit] + out
    return f"qz{out}q"


@dataclass
class Operation:
    name: str
    setup: Callable[[str], object]
    run: Callable[[object], object]
    # Masked per table, beside ids, times and random numbers (e.g. a statement's number).
    masked: dict[str, set[str]] | None = None
    # What completes the work when a fault hit after the commit, beside the worker's recovery,
    # and the tables that then differ in how (not what) it was done.
    recover: Callable[[object], None] | None = None
    recovered_differently: frozenset[str] = frozenset()
    limit: int = STEP_LIMIT


def _drain() -> None:
    """Run what the operation enqueued, as the worker would, and recover what a fault left."""
    recover_tasks()
    if DBTaskResult.objects.ready().exists():
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def _table_names() -> set[str]:
    return set(connection.introspection.table_names())


def exercise(op: Operation) -> dict[str, int]:
    """Fail `op` at each (sampled) statement; return the figures."""
    # The reference run: every table is compared, the touched ones found from its statements.
    ctx = op.setup(_token(0))
    _drain()
    everything = _table_names() - {"django_migrations", "django_session"}
    before = snapshot(everything)
    recorder = record(lambda: op.run(ctx))
    worker = record(_drain)
    after = snapshot(everything)
    tables = (recorder.tables() | worker.tables() | ALWAYS) & everything
    masked = {**(op.masked or {}), "django_tasks_database_dbtaskresult": {"return_value"}}
    reference = changes_between(before, after, (_token(0),), masked)
    assert {k for k in reference if not k.startswith("<")} <= tables
    statements = recorder.statements
    steps = sample_steps(statements, op.limit)
    kinds = {s.kind for s in statements}
    assert {statements[n - 1].kind for n in steps} == kinds
    rows_compared = survived = after_commit = 0
    for n in steps:
        token = _token(n)
        ctx = op.setup(token)
        _drain()
        before = snapshot(tables)
        with fault_at(n) as fault:
            try:
                op.run(ctx)
            except Exception as exc:  # the injected error, or what the operation made of it
                error = exc
            else:
                error = None
        assert fault.fired is not None, f"{op.name}: statement {n} never ran"
        failed = snapshot(tables)
        rows_compared += failed.row_count
        if fault.fired.in_transaction or failed.same_as(before):
            assert error is not None, f"{op.name}: a fault at {n} was swallowed"
            assert failed.same_as(before), (
                f"{op.name}: a fault at statement {n} ({fault.fired.kind}) left "
                + describe_difference(before, failed)
            )
            op.run(ctx)
        else:
            # Past the commit: the commit stands, and the recovery finishes the rest.
            after_commit += 1
            if op.recover is not None:
                op.recover(ctx)
        _drain()
        final = snapshot(tables)
        rows_compared += final.row_count
        got = changes_between(before, final, (token,), masked)
        expected = reference
        if not fault.fired.in_transaction and op.recovered_differently:
            got, expected = (
                {k: v for k, v in d.items() if k not in op.recovered_differently}
                for d in (got, reference)
            )
        assert got == expected, (
            f"{op.name}: after a fault at statement {n} ({fault.fired.kind}) and a re-run, "
            f"the outcome differs from an uninterrupted run: {_differing(got, expected)}"
        )
        survived += 1
    counts = {
        "statements": len(statements),
        "step_kinds": len(kinds),
        "faults_injected": len(steps),
        "faults_survived": survived,
        "after_commit": after_commit,
        "rows_compared": rows_compared,
    }
    figures.add("faults", op.name, **counts)
    return counts


def _differing(got: dict, reference: dict) -> str:
    keys = sorted(k for k in set(got) | set(reference) if got.get(k) != reference.get(k))
    return "; ".join(f"{k}: got {got.get(k)!r}, expected {reference.get(k)!r}" for k in keys)


# The operations, each on fresh data made from a token.


_PHONES = itertools.count(5_000_000)


def _customer(token: str) -> Customer:
    customer = CustomerFactory(
        first_name="Máret",
        last_name=f"Čalmmet-{token}",
        email=f"maret.{token}@example.fi",
        # Unique per run (masked as a long number), so its suppression entry is new each time.
        phone=f"+35840{next(_PHONES):07d}",
        street_address="Áilunpolku 3",
    )
    order = OrderFactory(customer=customer, number=f"T-{token}")
    OrderLineFactory(order=order, unit_price_net=Decimal("10.00"))
    TrackingEventFactory(shipment=ShipmentFactory(order=order, tracking_code=f"JJ{token}"))
    ConsentEventFactory(customer=customer)
    MarketingBan.objects.create(customer=customer, channel="email", scope=BanScope.DIRECT_MARKETING)
    Disclosure.objects.create(
        customer=customer,
        order=order,
        recipient="Posti Oy",
        recipient_kind=Disclosure.RecipientKind.CARRIER,
        fields=["first_name", "last_name", "street_address", "email"],
        reason="Toimitus",
    )
    CustomerNoteFactory(customer=customer, body=f"Soitti {token}")
    package = AccessPackage.objects.create(
        customer=customer, expires_at=timezone.now() + timezone.timedelta(days=7)
    )
    package.json_file.save(f"{token}.json", ContentFile(b"{}"))
    return customer


def _verified_request(customer: Customer, kind: str) -> DataSubjectRequest:
    request = receive_request(
        kind=kind, channel=DataSubjectRequest.Channel.EMAIL, customer=customer
    )
    verify_identity(case=request, method="email_on_file")
    return request


def _erasure_setup(token: str) -> DataSubjectRequest:
    return _verified_request(_customer(token), DataSubjectRequest.Kind.ERASURE)


def _correction_setup(token: str) -> DataSubjectRequest:
    request = _verified_request(_customer(token), DataSubjectRequest.Kind.CORRECTION)
    item = propose_correction(case=request, field_name="last_name", new_value=f"Ŋŧʒ-{token}")
    decide_correction(item=item, approve=True)
    return request


def _fulfil(case: DataSubjectRequest) -> None:
    fulfil_request(case=DataSubjectRequest.objects.get(pk=case.pk))


def _import_setup(token: str) -> ImportJob:
    CustomerFactory(external_id=f"ext-{token}-1", first_name="Ánde", email=f"ande.{token}@e.fi")
    data = (
        "External ID;First name;Last name;Email\r\n"
        f"ext-{token}-1;Áilu;O'Brien;ande.{token}@e.fi\r\n"
        f"ext-{token}-2;Anna-Liisa;Đuđđa;anna.{token}@e.fi\r\n"
        f"ext-{token}-3;Máret;Čalmmet;maret.{token}@e.fi\r\n"
    ).encode()
    return ImportJob.objects.create(file_name=f"{token}.csv", data=data)


def _publish_setup(token: str) -> StatementDraft:
    ensure_demo_statement()
    draft = StatementDraft.current()
    # A version that says nothing new is refused: each run changes the text.
    draft.set_text(StatementPart.COOKIES, "fi", f"Evästeet {token}.")
    draft.confirm_translations(StatementPart.COOKIES)  # still say the same
    draft.save()
    return draft


def _unprinted_version(token: str) -> StatementVersion:
    """Return a new published version whose PDFs are not printed yet (a copy of the latest)."""
    ensure_demo_statement()
    latest = StatementVersion.objects.order_by("-number").first()
    return StatementVersion.objects.create(
        number=latest.number + 1,
        content_hash=latest.content_hash,
        controller_name=latest.controller_name,
        rendered_html=latest.rendered_html,
    )


def _download_statement_pdfs(draft: StatementDraft) -> None:
    """Download the current statement's PDF in each language, as a visitor would."""
    client = Client()
    for language in STATEMENT_LANGUAGES:
        with translation.override(language):
            url = reverse("statement:pdf")
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def _access_request(token: str) -> DataSubjectRequest:
    customer = CustomerFactory(first_name="Ánde", last_name=f"O'Brien-{token}", email="")
    return _verified_request(customer, DataSubjectRequest.Kind.ACCESS)


OPERATIONS = {
    "access_package": Operation(
        "access_package",
        _access_request,
        # What the worker runs for an access request (idempotent per request).
        lambda request: create_access_package_task.call(request.customer_id, request.pk),
        masked={"privacy_accesspackage": {"token", "json_file", "archive_file", "pdf_file"}},
        # Each run renders a PDF; the reads come first, then the writes.
        limit=8,
    ),
    "statement_pdf": Operation(
        "statement_pdf",
        _unprinted_version,
        lambda version: get_statement_pdf(version=version, language="fi"),
        masked={"privacy_statementpdf": {"file", "size"}},
    ),
    "erasure": Operation("erasure", _erasure_setup, _fulfil),
    "correction": Operation("correction", _correction_setup, _fulfil),
    "csv_import": Operation("csv_import", _import_setup, lambda job: run_import_job(job_id=job.pk)),
    "statement_publish": Operation(
        "statement_publish",
        _publish_setup,
        lambda draft: publish_statement(draft=draft),
        recover=_download_statement_pdfs,
        recovered_differently=frozenset({"django_tasks_database_dbtaskresult"}),
        # Each run renders three PDFs: the six kinds of statement, the last, and one more.
        limit=8,
        masked={
            "privacy_statementversion": {
                "number",
                "content_hash",
                "rendered_html",
                "inputs_digest",
            },
            "privacy_statementpdf": {"file", "size"},
        },
    ),
}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_a_database_error_at_any_step_leaves_nothing_half_done(name, database_tasks):
    counts = exercise(OPERATIONS[name])
    assert counts["faults_survived"] == counts["faults_injected"] > 0
