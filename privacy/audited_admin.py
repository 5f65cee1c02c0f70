"""Auditing of every model admin on the staff site: views of customer data and every change."""

from typing import Any

from django.http import HttpRequest

from privacy.audit import AuditEntry, customer_id_of, object_label, record


def _change_summary(message: Any) -> list[dict]:
    """Return the admin's change message reduced to verbs, model names and field names.

    The admin's own message also names inline objects by their `__str__`, which may be a
    person's name; the audit log keeps only what carries no personal data.
    """
    if not isinstance(message, list):
        return []
    summary = []
    for item in message:
        for verb, data in item.items():
            entry: dict[str, Any] = {"verb": verb}
            if isinstance(data, dict):
                if "name" in data:
                    entry["model"] = str(data["name"])
                if "fields" in data:
                    entry["fields"] = [str(f) for f in data["fields"]]
            summary.append(entry)
    return summary


class AuditedAdminMixin:
    """Record every view of a customer's data and every change made in the staff panel.

    The staff site mixes this into every ModelAdmin it registers, so a model added later is
    audited without anyone remembering to.
    """

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            customer_id = customer_id_of(obj)
            if customer_id is not None:
                record(
                    actor=request.user,
                    action=AuditEntry.Action.VIEW,
                    customer_id=customer_id,
                    object_label=object_label(obj),
                    request=request,
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _audit_write(self, request: HttpRequest, action: str, obj, message=None) -> None:
        record(
            actor=request.user,
            action=action,
            customer_id=customer_id_of(obj),
            object_label=object_label(obj),
            details={"changes": _change_summary(message)} if message else {},
            request=request,
        )

    def log_addition(self, request, obj, message):
        result = super().log_addition(request, obj, message)
        self._audit_write(request, AuditEntry.Action.ADD, obj, message)
        return result

    def log_change(self, request, obj, message):
        result = super().log_change(request, obj, message)
        self._audit_write(request, AuditEntry.Action.CHANGE, obj, message)
        return result

    def log_deletions(self, request, queryset):
        result = super().log_deletions(request, queryset)
        # Called before the rows go, so each still leads to its customer.
        for obj in queryset:
            self._audit_write(request, AuditEntry.Action.DELETE, obj)
        return result
