"""Background tasks of the portal's login."""

from django.tasks import task

# The module, not its functions: portal.auth enqueues this task, so the two import each other.
from portal import auth


@task
def send_login_code_task(sealed_email: str, language: str, request_id: str) -> bool:
    """Answer one code request: mail a code if the address is a customer's (idempotent)."""
    return auth.send_login_code(sealed_email=sealed_email, language=language, request_id=request_id)
