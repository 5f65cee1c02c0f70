"""Staff panel: the connected web shops and newsletter tool, webhooks and outbox (register admin).

The keys and the webhook secret are typed in, stored encrypted and never shown again: the page
says only whether each is set, and an empty field keeps the stored one.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from platforms import outbox
from platforms.models import Connection, OutboxMessage, WebhookEvent
from platforms.services import SECRET_FIELDS, save_connection, secret_state
from staff.admin.integrations import RegisterAdminOnly
from statement import registry

_SECRET_LABELS = {
    "api_key": _("API-avain tai käyttöoikeustunnus"),
    "api_secret": _("API-salaisuus"),
    "webhook_secret": _("Webhookien allekirjoitusavain"),
}
_SECRET_HELP = {
    "api_key": _(
        "Shopify: sovelluksen Admin API -käyttöoikeustunnus (shpat_…). WooCommerce: REST API "
        "-avaimen Consumer key (ck_…). Uutiskirjepalvelu: API-avain."
    ),
    "api_secret": _("Vain WooCommerce: REST API -avaimen Consumer secret (cs_…)."),
    "webhook_secret": _(
        "Shopify: sovelluksen Client secret (API secret key). WooCommerce: webhookin "
        "Secret-kenttään kirjoittamasi arvo."
    ),
}


class ConnectionForm(forms.ModelForm):
    api_key = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False))
    api_secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False))
    webhook_secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False))

    class Meta:
        model = Connection
        fields = ["name", "kind", "base_url", "list_id", "recipient", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = registry.registry()
        self.fields["recipient"].required = False
        self.fields["recipient"].help_text = _(
            "Tyhjä: järjestelmä lisätään tietosuojaselosteen vastaanottajiin käsittelijänä; "
            "julkaise seloste sen jälkeen."
        )
        for name in SECRET_FIELDS:
            field = self.fields[name]
            field.label = _SECRET_LABELS[name]
            state = secret_state(self.instance, name) if self.instance.pk else _("ei asetettu")
            now = _("Nyt: %(state)s. Tyhjä kenttä säilyttää arvon.") % {"state": state}
            field.help_text = format_html("{} {}", _SECRET_HELP[name], now)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == Connection.Kind.NEWSLETTER and not data.get("list_id"):
            self.add_error("list_id", _("Anna uutiskirjepalvelun postituslistan tunniste."))
        return data


@admin.register(Connection)
class ConnectionAdmin(RegisterAdminOnly, admin.ModelAdmin):
    form = ConnectionForm
    list_display = ["name", "kind", "base_url", "is_active", "waiting_messages"]
    readonly_fields = ["webhook_address", "created_at", "updated_at"]

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fields = ["name", "kind", "base_url", "list_id", *SECRET_FIELDS, "recipient", "is_active"]
        return [*fields, "webhook_address"] if obj is None else [*fields, *self.readonly_fields]

    @admin.display(description=_("webhookien osoite"))
    def webhook_address(self, obj: Connection) -> str:
        base = settings.SITE_URL.rstrip("/")
        return format_html_join(
            "",
            "<div>{}: <code>{}</code></div>",
            (
                (label, base + reverse(name))
                for label, name in (
                    (Connection.Kind.SHOPIFY.label, "hooks:shopify"),
                    (Connection.Kind.WOOCOMMERCE.label, "hooks:woocommerce"),
                )
            ),
        )

    @admin.display(description=_("lähettämättä"))
    def waiting_messages(self, obj: Connection) -> int:
        return obj.outbox.filter(outbox.waiting()).count()

    def save_model(self, request: HttpRequest, obj: Connection, form, change: bool) -> None:
        save_connection(
            connection=obj,
            secrets={name: form.cleaned_data.get(name, "") for name in SECRET_FIELDS},
            user=request.user,
            request=request,
        )


class ReadOnly:
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnly, RegisterAdminOnly, admin.ModelAdmin):
    list_display = ["received_at", "connection", "topic", "status", "message"]
    list_filter = ["status", "connection"]
    list_select_related = ["connection"]
    fields = ["connection", "event_id", "topic", "status", "message", "received_at", "processed_at"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnly, RegisterAdminOnly, admin.ModelAdmin):
    list_display = ["created_at", "connection", "action", "state", "request"]
    list_filter = ["status", "connection", "action"]
    list_select_related = ["connection", "request"]
    fields = ["connection", "action", "request", "state", "attempts", "created_at"]
    readonly_fields = ["state"]

    @admin.display(description=_("tila"))
    def state(self, obj: OutboxMessage) -> str:
        return outbox.status_text(obj)
