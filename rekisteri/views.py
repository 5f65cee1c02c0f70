"""Operational endpoints."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rekisteri.backups import backup_status
from rights.ledger import ledger_problem
from staff.roles import REGISTER_ADMIN, has_role


def _is_register_admin(request: HttpRequest) -> bool:
    """Return whether the request comes from a register admin past the staff panel's TOTP."""
    user = request.user
    return has_role(user, REGISTER_ADMIN) and user.is_verified()


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the app can serve safely, 503 otherwise (for load balancers).

    Safely means the database answers and the erasure ledger file can be written (without it
    erasures are refused). The backup's state ("ok", "stale", "none") is reported for monitors
    but never fails the check; a logged-in register admin also sees the last verified backup.
    """
    body = {"status": "ok", "database": "ok", "ledger": "ok", "backup": "unknown"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        backup = backup_status()
    except Exception:  # any database failure means "not healthy"
        body.update(status="error", database="unreachable")
    else:
        body["backup"] = backup.state
        if backup.latest is not None and _is_register_admin(request):
            body["last_backup"] = {
                "verified_at": backup.latest.verified_at.isoformat(),
                "file": backup.latest.file_name,
                "size": backup.latest.size,
            }
    if ledger_problem() is not None:
        body.update(status="error", ledger="unwritable")
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
