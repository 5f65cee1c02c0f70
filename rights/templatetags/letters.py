"""`{{ case.decision_text|letter_html }}`: a stored letter with its headings (rights.letters)."""

from django import template
from django.utils.safestring import SafeString

from rights.letters import letter_html as render_letter_html

register = template.Library()


@register.filter
def letter_html(text: str) -> SafeString:
    """Return the stored letter's body as HTML, its headings as h3."""
    return render_letter_html(text or "")
