"""The customer list's rows, rendered without the admin's per-cell machinery.

Django's `result_list` formats every cell through lookup_field/display_for_field/format_html
and reverses a URL per row, which is most of a list page's time; the customer list shows plain
text columns, so it reverses once and lets the template escape the values.
"""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import quote
from django.urls import reverse

register = template.Library()

PK_PLACEHOLDER = "__pk__"


# Not named change_list_results.html: the stock list of a lookup popup would pick that name up.
@register.inclusion_tag("admin/customers/customer/list_rows.html")
def customer_results(cl) -> dict:
    """Return the header and rows of the customer list for its template."""
    opts = cl.opts
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change",
        args=[PK_PLACEHOLDER],
        current_app=cl.model_admin.admin_site.name,
    )
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": opts}, url)
    headers = list(result_headers(cl))
    rows = [
        (
            url.replace(PK_PLACEHOLDER, quote(str(c.pk))),
            c.formatted_number,
            c.last_name,
            c.first_name,
            c.email,
            c.phone,
            c.post_office,
        )
        for c in cl.result_list
    ]
    return {
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "rows": rows,
    }
