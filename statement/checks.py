"""`manage.py check` warns when the published statement no longer matches the register."""

from django.core import checks
from django.db import DatabaseError

from statement.publishing import stale_reason


@checks.register("statement")
def check_statement_is_current(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn (statement.W001) when the statement in force says other things than it would now."""
    try:
        reason = stale_reason()
    except DatabaseError:
        # Before `migrate` has made the tables there is nothing published to compare.
        return []
    if reason is None:
        return []
    return [
        checks.Warning(
            reason,
            hint="Publish a new version in the staff panel (Tietosuojaseloste › luonnos).",
            id="statement.W001",
        )
    ]
