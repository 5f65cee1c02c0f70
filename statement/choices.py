"""The shop's retention choices: what the statement states and the retention sweep enforces.

A declared rule with `choice_months` (privacy.declaration.Retention) takes the period the shop
chose on the statement draft (`RetentionChoice`), within the rule's bounds. Everywhere but while a
statement is being built from the draft, the period is the one the statement in force published
(its `snapshot`), so the sweep never enforces a period the customer has not been told of; while
the draft is built (`drafting`), it is the draft's, so a new choice shows in the preview and makes
the statement stale until published.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from privacy.declaration import Retention
from statement.models import StatementDraft, StatementVersion
from statement.purposes import drafting_purposes

_drafting: ContextVar[dict[str, int] | None] = ContextVar("drafting_choices", default=None)


def draft_choices(draft: StatementDraft) -> dict[str, int]:
    """Return the draft's chosen periods, {rule key: months}."""
    return {choice.rule: choice.months for choice in draft.retention_choices.all()}


def published_choices() -> dict[str, int]:
    """Return the periods the statement in force chose ({} before the first or without any).

    Reads only that key of the version's snapshot, not its HTML in every language.
    """
    chosen = (
        StatementVersion.objects.order_by("-number")
        .values_list("snapshot__retention", flat=True)
        .first()
    )
    return dict(chosen or {})


@contextmanager
def drafting(draft: StatementDraft) -> Iterator[None]:
    """Within the block, rules and purposes read the draft's choices (building its statement)."""
    token = _drafting.set(draft_choices(draft) if draft.pk else {})
    try:
        with drafting_purposes(draft):
            yield
    finally:
        _drafting.reset(token)


def chosen_months(rule: Retention) -> int | None:
    """Return the months chosen for a rule: the draft's while drafting, else the version's."""
    choices = _drafting.get()
    if choices is None:
        choices = published_choices()
    return choices.get(rule.key)
