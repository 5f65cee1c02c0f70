"""Form rendering the staff panel's templates need beyond Django's admin tags."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def cell_field(field: BoundField, label: str) -> SafeString:
    """Render a field of an inline table named by its column's header (a cell has no label)."""
    return field.as_widget(attrs={"aria-label": str(label)})
