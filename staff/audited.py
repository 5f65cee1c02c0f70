"""Auditing of every model admin on the staff site: reads of customer data and every change.

Reads: a change page, a history page, a delete confirmation, every list page of a model whose
rows belong to a customer (one entry per customer shown, so each customer's trail is complete),
and every autocomplete answer (AuditedAutocompleteView).
Writes: additions, changes and deletions through the admin's own log hooks, and every admin
action, recorded in the action's transaction. Entries carry ids, field names and action names
only, never the values.
"""

import dataclasses
from functools import wraps
from typing import Any

from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from privacy.audit import customer_id_of, object_label, record, record_views
from privacy.declaration import get_declaration
from privacy.models import AuditEntry
from staff.search import classify_term

# Writes on these models are the handling of data-subject requests (GDPR 12–22).
REQUEST_MODELS = frozenset(
    {
        "rights.datasubjectrequest",
        "rights.correctionitem",
        "rights.recipientnotification",
        "rights.requestevent",
        "rights.accesspackage",
    }
)


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


def customer_ids_of(model, rows: list) -> dict[Any, int]:
    """Return {pk: customer id} for loaded rows of a model linked to customers.

    Read from the rows themselves when the customer is one foreign key away, else in one query.
    """
    declaration = get_declaration(model)
    if declaration is None or not declaration.extra["linked"] or not rows:
        return {}
    if not declaration.customer_path:
        return {obj.pk: obj.pk for obj in rows}
    if "__" not in declaration.customer_path:
        attname = model._meta.get_field(declaration.customer_path).attname
        return {obj.pk: getattr(obj, attname) for obj in rows if getattr(obj, attname) is not None}
    pks = [obj.pk for obj in rows]
    # values_list() of a relation gives the related row's id, without joining the customer.
    rows = model._default_manager.filter(pk__in=pks).values_list("pk", declaration.customer_path)
    return {pk: customer_id for pk, customer_id in rows if customer_id is not None}


class AuditedAdminMixin:
    """Record every read of a customer's data and every change made in the staff panel.

    The staff site mixes this into every ModelAdmin it registers, so a model added later is
    audited without anyone remembering to.
    """

    def _write_action(self, action: str = AuditEntry.Action.CHANGE) -> str:
        """Return the audit action of a write: request handling on request models."""
        if self.model._meta.label_lower in REQUEST_MODELS and action != AuditEntry.Action.DELETE:
            return AuditEntry.Action.REQUEST
        return action

    def _audit_view(self, request: HttpRequest, obj, view: str) -> None:
        customer_id = customer_id_of(obj)
        if customer_id is not None:
            record(
                actor=request.user,
                action=AuditEntry.Action.VIEW,
                customer_id=customer_id,
                object_label=object_label(obj),
                details={"view": view},
                request=request,
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            self._audit_view(request, obj, "change")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        obj = (getattr(response, "context_data", None) or {}).get("object")
        if response.status_code == 200 and obj is not None:
            self._audit_view(request, obj, "history")
        return response

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        obj = (getattr(response, "context_data", None) or {}).get("object")
        if request.method == "GET" and response.status_code == 200 and obj is not None:
            self._audit_view(request, obj, "delete_confirmation")
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None and response.status_code == 200:
            self._audit_list(request, changelist)
        return response

    def _audit_list(self, request: HttpRequest, changelist) -> None:
        """Record each customer a list page shows, once, with the ids of their rows on it.

        The rows are read here once and handed to the template, so the page costs no extra read.
        """
        declaration = get_declaration(self.model)
        if declaration is None or not declaration.extra["linked"]:
            return
        rows = list(changelist.result_list)
        # The template iterates the same list, so the page is still read from the database once.
        changelist.result_list = rows
        customers = customer_ids_of(self.model, rows)
        shown: dict[int, list] = {}
        for obj in rows:
            if obj.pk in customers:
                shown.setdefault(customers[obj.pk], []).append(obj.pk)
        details: dict[str, Any] = {"view": "list", "page": changelist.page_num}
        search = None
        if changelist.query:
            # The term itself may be an email address or a name: only its kind is logged.
            details["search"] = classify_term(changelist.query)[0]
            search = {"kind": details["search"]}
        label = f"{self.model._meta.label_lower}:list"
        record_views(
            actor=request.user,
            search=search,
            rows=[
                (customer_id, label, {**details, "objects": pks})
                for customer_id, pks in shown.items()
            ],
            request=request,
        )

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        return {
            name: dataclasses.replace(action, func=self._audited_action(action.func, name))
            for name, action in actions.items()
        }

    def _audited_action(self, func, name: str):
        @wraps(func)
        def run(modeladmin, request, queryset):
            with transaction.atomic():
                objects = list(queryset)
                response = func(modeladmin, request, queryset)
                customers = customer_ids_of(self.model, objects)
                for obj in objects:
                    record(
                        actor=request.user,
                        action=self._write_action(),
                        customer_id=customers.get(obj.pk),
                        object_label=object_label(obj),
                        details={"admin_action": name},
                        request=request,
                    )
            return response

        return run

    def _audit_write(self, request: HttpRequest, action: str, obj, message=None) -> None:
        record(
            actor=request.user,
            action=self._write_action(action),
            customer_id=customer_id_of(obj),
            object_label=object_label(obj),
            details={"verb": action, "changes": _change_summary(message)}
            if message
            else {"verb": action},
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


class AuditedAutocompleteView(AutocompleteJsonView):
    """The admin's autocomplete: only for a field an admin offers it on, every answer audited.

    Django's view answers for any foreign key to a model with search fields, whether or not an
    admin uses autocomplete for it: a customer-service user could look customers up by email,
    phone or number through it, unrecorded. Here a field must be in its model admin's
    `autocomplete_fields` (none is today), and each answer is recorded like a list page: the
    kind of term searched for, and each customer shown.
    """

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        try:
            source_admin = self.admin_site.get_model_admin(source_field.model)
        except NotRegistered as exc:
            raise PermissionDenied from exc
        if source_field.name not in source_admin.get_autocomplete_fields(request):
            raise PermissionDenied
        return term, model_admin, source_field, to_field_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Read once here, kept for the audit and handed back for the answer.
        self.shown = list(context["object_list"])
        context["object_list"] = self.shown
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        model = self.model_admin.model
        customers = customer_ids_of(model, self.shown)
        shown: dict[int, list] = {}
        for obj in self.shown:
            if obj.pk in customers:
                shown.setdefault(customers[obj.pk], []).append(obj.pk)
        kind = classify_term(self.term)[0] if self.term else None
        details = {"view": "autocomplete", "field": str(self.source_field)}
        if kind:
            details["search"] = kind
        label = f"{model._meta.label_lower}:autocomplete"
        record_views(
            actor=request.user,
            search={"kind": kind, "view": "autocomplete"} if kind else None,
            rows=[(cid, label, {**details, "objects": pks}) for cid, pks in shown.items()],
            request=request,
        )
        return response
