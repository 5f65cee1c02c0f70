"""The staff panel's own pages outside the model admins: audiences and TOTP enrolment.

The staff site (staff.site) routes to these; model admins (staff.admin) register on that site,
so this module never imports them.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login

from customers.audiences import COLUMNS, SCREENED_CHANNELS, export_audience
from customers.models import BanRegisterImport, Channel
from staff.accounts import (
    confirm_totp_enrolment,
    enrolment_deadline,
    pending_enrolment,
    qr_svg,
    secret_for_manual_entry,
)

PERMISSION = "privacy.export_audience"


def _require_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def audience_index(request: HttpRequest) -> HttpResponse:
    """List the channels whose audiences the marketing role may export."""
    _require_permission(request)
    lists = {
        service: BanRegisterImport.objects.filter(service=service).order_by("-imported_at").first()
        for service in SCREENED_CHANNELS.values()
    }
    context = {
        **admin.site.each_context(request),
        "title": _("Markkinointiyleisöt"),
        "channels": [
            (c.value, c.label, COLUMNS[c.value], lists.get(SCREENED_CHANNELS.get(c.value)))
            for c in Channel
        ],
        "screened": SCREENED_CHANNELS,
        "notice_since": settings.EXISTING_CUSTOMER_NOTICE_SINCE,
        "can_import": request.user.has_perm("customers.add_banregisterimport"),
    }
    return TemplateResponse(request, "admin/audiences.html", context)


def audience_export(request: HttpRequest, channel: str) -> StreamingHttpResponse:
    """Stream one channel's audience as CSV; the export is audited with criteria and count."""
    _require_permission(request)
    if channel not in COLUMNS:
        raise Http404
    filename = f"yleiso-{channel}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(
        export_audience(actor=request.user, channel=channel, request=request),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EnrolmentForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Sovelluksen näyttämä koodi"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@never_cache
@csrf_protect
def totp_enrolment(request: HttpRequest) -> HttpResponse:
    """Let a staff member with an open enrolment confirm their authenticator app, then log in."""
    device = pending_enrolment(request.user)
    if device is None:
        return HttpResponseRedirect(reverse("admin:index"))
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = confirm_totp_enrolment(
                user=request.user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            # The session is now fully verified: a new key, as a login gives.
            request.session.cycle_key()
            otp_login(request, device)
            messages.success(
                request,
                gettext("Kaksivaiheinen tunnistautuminen on käytössä. Tervetuloa."),
            )
            return HttpResponseRedirect(reverse("admin:index"))
    context = {
        **admin.site.each_context(request),
        "title": gettext("Kaksivaiheisen tunnistautumisen käyttöönotto"),
        "form": form,
        "qr_code": qr_svg(device.config_url),
        "secret": secret_for_manual_entry(device),
        "deadline": enrolment_deadline(device),
        "is_nav_sidebar_enabled": False,
    }
    return TemplateResponse(request, "admin/totp_enrolment.html", context)
