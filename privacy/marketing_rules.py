"""The marketing rules as the statement tells them, rendered by the app that enforces them.

The statement sits below the register in the layers (docs/architecture.md), so it cannot read
customers.marketing, where the rules live. The register registers here the function that renders
them in the active language (customers.apps), and statement.content prints what it returns: the
statement's sentences about who is marketed to through which channel, and how to refuse, come
from the same facts that decide who is in an audience.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MarketingText:
    """The marketing rules in one language, ready for the statement."""

    # (channel or topic, its rule) for the direct-marketing section.
    items: tuple[tuple[str, str], ...] = ()
    # How a person refuses direct marketing, for the right to object (GDPR 21(2)–(3)).
    how_to_refuse: str = ""


_renderer: Callable[[], MarketingText] | None = None


def register_marketing_text(renderer: Callable[[], MarketingText]) -> None:
    """Register the function that renders the marketing rules (once; the register does it)."""
    global _renderer
    if _renderer is not None and _renderer is not renderer:
        raise ValueError("The marketing rules' text is registered twice.")
    _renderer = renderer


def marketing_text() -> MarketingText:
    """Return the marketing rules in the active language (empty when nothing registered them)."""
    return _renderer() if _renderer is not None else MarketingText()
