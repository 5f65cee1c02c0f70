"""Reads of non-critical pages from a PostgreSQL read replica (DATABASE_REPLICA_URL).

A replica lags the primary by a moment, so only pages where a slightly old answer is harmless
read from it: the public privacy statement and its version list. Everything else — the portal,
the staff panel, every write and every read inside a transaction — uses the primary.
"""

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# URL names (namespace:name) of the pages that read from the replica.
REPLICA_VIEWS = frozenset({"statement:current", "statement:version", "statement:versions"})

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("use_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let reads in this block go to the replica (when one is configured)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    """Route reads to the replica inside replica_reads(); all else to the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        if (
            _use_replica.get()
            and REPLICA in connections
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == "default"


class ReplicaReadsMiddleware:
    """Run the views named in REPLICA_VIEWS with their reads on the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in REPLICA_VIEWS or request.method != "GET":
            return None
        with replica_reads():
            response = view_func(request, *view_args, **view_kwargs)
            # Templates render lazily; render here so their queries run on the replica too.
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        return response
