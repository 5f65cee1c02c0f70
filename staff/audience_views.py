"""Staff views for marketing audiences: the channel list and the streamed CSV export."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.audiences import COLUMNS, SCREENED_CHANNELS, export_audience
from customers.models import BanRegisterImport, Channel

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
