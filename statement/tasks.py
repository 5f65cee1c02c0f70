"""Statement tasks: rendering a published version's PDFs ahead of their first download."""

from django.tasks import task

# The module, not its functions: publishing enqueues this task, so the two import each other.
from statement import publishing
from statement.models import StatementVersion


@task
def render_statement_pdfs_task(version_id: int) -> list[int]:
    """Render and store a published statement's PDF in each of its languages (once each)."""
    version = StatementVersion.objects.get(pk=version_id)
    return [
        publishing.get_statement_pdf(version=version, language=lang).pk
        for lang in version.languages
    ]
