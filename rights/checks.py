"""Deployment checks of the rights app (`manage.py check --deploy`, run before every start)."""

from django.core import checks

from rights.ledger import ledger_problem


@checks.register("rights", deploy=True)
def ledger_writable_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse to run when an erasure could not be written to the ledger file."""
    problem = ledger_problem()
    if problem is None:
        return []
    return [
        checks.Error(
            problem,
            hint=(
                "Every erasure is appended to this file so that restoring a backup cannot bring "
                "an erased person back; erasures are refused while it cannot be written. Give "
                "the app's user write access (with systemd, the directory must be in the units' "
                "ReadWritePaths) or point ERASURE_LEDGER_FILE to a writable path."
            ),
            id="rights.E001",
        )
    ]
