"""Notices to recipients of a customer's own change of details (GDPR Art. 19).

A change the customer makes in the portal is no request, so its notices have no case page: staff
find the ones still to send here and mark them sent. A request's notices stay on its case page.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from customers.services import describe_fields
from rights import corrections
from rights.models import RecipientNotification


class NoticeActionForm(ActionForm):
    method = forms.CharField(label=_("Ilmoitustapa"), required=False)


class PendingFilter(admin.SimpleListFilter):
    title = _("tila")
    parameter_name = "tila"

    def lookups(self, request, model_admin):
        return [("odottaa", _("ilmoittamatta")), ("kaikki", _("kaikki"))]

    def choices(self, changelist):
        # Unfiltered, the list shows the notices still to send: no "all" choice of its own.
        yield from list(super().choices(changelist))[1:]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "kaikki":
            return queryset
        return queryset.filter(notified_at__isnull=True)


@admin.register(RecipientNotification)
class OwnChangeNoticeAdmin(admin.ModelAdmin):
    list_display = ["listed_at", "customer", "recipient", "changed_fields", "notified_at"]
    list_select_related = ["customer"]
    list_filter = [PendingFilter]
    ordering = ["listed_at"]
    search_fields = ["=customer__number"]
    search_help_text = _("Hae asiakasnumerolla.")
    action_form = NoticeActionForm
    actions = ["mark_sent"]
    fields = ["listed_at", "customer", "recipient", "changed_fields", "notified_at", "method"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(request__isnull=True)

    @admin.display(description=_("muuttuneet tiedot"))
    def changed_fields(self, obj: RecipientNotification) -> str:
        return describe_fields(obj.fields or [])

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(
        description=_("Merkitse vastaanottajille ilmoitetuksi (19 art.)"), permissions=["change"]
    )
    def mark_sent(self, request, queryset: QuerySet) -> None:
        form = NoticeActionForm(request.POST)
        form.is_valid()
        try:
            count = corrections.mark_notices_sent(
                notices=queryset, method=form.cleaned_data.get("method", ""), user=request.user
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(request, _("Ilmoitettu: %(count)s") % {"count": count})
