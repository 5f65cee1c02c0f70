"""The audit log: who read or changed what, when, and about which customer.

Entries name the customer by id only and never copy personal data into `details` (only ids,
counts and criteria), so an erased customer's trail holds nothing about them. The log is
append-only: the model refuses updates and deletes, and on PostgreSQL a trigger (migration
`privacy.0004_audit`) refuses UPDATE and DELETE of entries still within their retention. The
retention rule is declared with the model in `privacy/personal_data.py`; the retention sweep
prunes older entries with `AuditEntry.objects.prune()`.
"""

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import connections, models, router
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from privacy.declaration import get_declaration
from privacy.models import AuditEntry
from privacy.network import client_ip


def record(
    *,
    actor: Any,
    action: str,
    customer_id: int | None = None,
    object_label: str = "",
    details: dict | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one entry to the audit log, in the caller's transaction (one INSERT).

    Call it inside the transaction of the change it records, so both commit or neither does.
    `actor` is a user (anonymous or None for the system); `details` must hold only ids, counts
    and criteria. `actor_label` names a caller that is not a user (e.g. an API token).
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=user.get_username() if user is not None else actor_label[:150],
        action=action,
        customer_id=customer_id,
        object_label=object_label[:200],
        details=details or {},
        ip_address=client_ip(request),
    )


def record_views(
    *,
    actor: Any,
    rows: list[tuple[int, str, dict]],
    search: dict | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Append a VIEW entry per (customer id, object label, details), in one INSERT; for lists.

    Each customer shown gets their own entry, so their trail (filtered by customer id) says who
    saw them in a list as well as on their own page. `search` (the kind of term, never the term)
    adds a SEARCH entry to the same INSERT, so a search that finds no one is on record too.
    """
    entries = [(AuditEntry.Action.SEARCH, None, "", search)] if search is not None else []
    entries += [(AuditEntry.Action.VIEW, *row) for row in rows]
    record_many(actor=actor, entries=entries, request=request)


def record_many(
    *,
    actor: Any,
    entries: list[tuple[str, int | None, str, dict | None]],
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> None:
    """Append entries given as (action, customer id, object label, details), in plain INSERTs.

    The same as calling record() for each, without an ORM instance per entry: staff list pages
    and the CSV import's changed customers write theirs so.
    """
    if not entries:
        return
    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    actor_id = user.pk if user is not None else None
    label = user.get_username() if user is not None else actor_label[:150]
    ip_address = client_ip(request)
    rows = [
        (now, actor_id, label, action, customer_id, target[:200], details or {}, ip_address)
        for action, customer_id, target, details in entries
    ]
    for start in range(0, len(rows), INSERT_BATCH):
        _insert(rows[start : start + INSERT_BATCH])


# Rows per INSERT: 8 parameters a row stays far below PostgreSQL's 65,535 per statement.
INSERT_BATCH = 1000

# The columns of `_insert`'s rows, in order.
_INSERT_COLUMNS = (
    "occurred_at",
    "actor",
    "actor_label",
    "action",
    "customer_id",
    "object_label",
    "details",
    "ip_address",
)


def _insert(rows: list[tuple]) -> None:
    """Insert audit entries (tuples in the order of _INSERT_COLUMNS) in one plain INSERT.

    Every staff list page writes its entries so; `bulk_create` cost three times the CPU of this
    statement for the two entries of a search. The values go through each field's own
    preparation for the database, as the ORM would send them.
    """
    connection = connections[router.db_for_write(AuditEntry)]
    fields = [AuditEntry._meta.get_field(name) for name in _INSERT_COLUMNS]
    values = [
        field.get_db_prep_save(value, connection)
        for row in rows
        for field, value in zip(fields, row, strict=True)
    ]
    quote = connection.ops.quote_name
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Names from the model, values as parameters.
    sql = "INSERT INTO {} ({}) VALUES {}".format(  # noqa: S608
        quote(AuditEntry._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join([placeholders] * len(rows)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def record_for_each(
    *,
    actor: Any,
    action: str,
    rows: models.QuerySet,
    details: dict | None = None,
    actor_label: str = "",
    customer_field: str | None = None,
) -> None:
    """Append one entry per row of `rows` (a queryset of customers), alike but for the customer.

    `customer_field` names the customer of rows of another model (an order's `customer_id`).

    One INSERT … SELECT in the database, whatever the number of rows: the CSV import records each
    of 100,000 new customers so, where as many AuditEntry instances would cost seconds. The
    same as calling record(customer_id=row.pk, object_label=object_label(row)) for each row.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    connection = connections[router.db_for_write(AuditEntry)]
    names = ("occurred_at", "actor", "actor_label", "action", "details")
    values = (
        timezone.now(),
        user.pk if user is not None else None,
        user.get_username() if user is not None else actor_label[:150],
        action,
        details or {},
    )
    fields = [AuditEntry._meta.get_field(name) for name in names]
    params = [
        f.get_db_prep_save(value, connection) for f, value in zip(fields, values, strict=True)
    ]
    pk_name = rows.model._meta.pk.name
    # Selected as their own names (`"id" AS "id"`), unordered: only the ids are needed.
    selected = (pk_name,) if customer_field is None else (pk_name, customer_field)
    select, select_params = rows.order_by().values_list(*selected).query.sql_with_params()
    quote = connection.ops.quote_name
    pk = quote(pk_name)
    # Names from the models, values as parameters; `rows` compiles to its own parameters.
    sql = (  # noqa: S608
        "INSERT INTO {table} ({columns}, {customer}, {label}) "
        "SELECT {placeholders}, selected.{owner}, %s || selected.{pk} FROM ({select}) selected"
    ).format(
        table=quote(AuditEntry._meta.db_table),
        columns=", ".join(quote(f.column) for f in fields),
        customer=quote("customer_id"),
        label=quote("object_label"),
        placeholders=", ".join(["%s"] * len(fields)),
        pk=pk,
        owner=quote(customer_field or pk_name),
        select=select,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, f"{rows.model._meta.label_lower}:", *select_params])


def object_label(obj: models.Model) -> str:
    """Return "app_label.model:pk": names a row without copying anything personal from it."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def customer_id_of(obj: models.Model) -> int | None:
    """Return the id of the customer a row belongs to, following its declared customer path.

    May query once per relation hop above the last one (e.g. a shipment's order).
    """

    declaration = get_declaration(type(obj))
    if declaration is None or not declaration.extra["linked"]:
        return None
    if not declaration.customer_path:
        return obj.pk
    *hops, last = declaration.customer_path.split("__")
    target: Any = obj
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return getattr(target, target._meta.get_field(last).attname, None)


# Logins are recorded from Django's and django-axes' signals: the admin's login view is not ours
# to change, and the signals fire for every way a staff member can log in.
@receiver(user_logged_in, dispatch_uid="privacy.audit.login")
def _record_login(sender, request, user, **kwargs) -> None:
    # django-otp's login form sets otp_device when the code was right; without it the staff
    # member logged in with a password only to confirm a new authenticator (staff_accounts).
    factor = "totp" if getattr(user, "otp_device", None) is not None else "password"
    record(actor=user, action=AuditEntry.Action.LOGIN, details={"factor": factor}, request=request)


def _account(username: Any) -> Any:
    """Return the staff account a login attempt named, or None (the name itself is not kept)."""
    user_model = get_user_model()
    username = str(username or "")[:150]
    return user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()


@receiver(user_login_failed, dispatch_uid="privacy.audit.login_failed")
def _record_login_failure(sender, credentials, request=None, **kwargs) -> None:
    # The attempted username is kept only when it names a real account: a mistyped password in
    # the username field must not end up in the log. The staff login form sends this signal
    # with factor "totp" for a wrong code, so django-axes counts those towards a lockout too.
    details = {"factor": credentials.get("factor", "password")}
    if getattr(request, "axes_locked_out", False):
        details["locked_out"] = True
    record(
        actor=_account(credentials.get(get_user_model().USERNAME_FIELD)),
        action=AuditEntry.Action.LOGIN_FAILED,
        details=details,
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="privacy.audit.lockout")
def _record_lockout(sender, request, username, ip_address, **kwargs) -> None:
    record(
        actor=_account(username),
        action=AuditEntry.Action.LOCKOUT,
        details={"failure_limit": settings.AXES_FAILURE_LIMIT},
        request=request,
    )
