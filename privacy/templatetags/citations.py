"""`{% cite 15 style="full" as article %}`: a GDPR reference in a template (privacy.citations)."""

from django import template

from privacy.citations import Style, cite

register = template.Library()


@register.simple_tag(name="cite")
def cite_tag(*references: int | str, style: str = Style.SHORT) -> str:
    """Return the reference in the active language and style, as `privacy.citations.cite` does."""
    return cite(*references, style=Style(style))
