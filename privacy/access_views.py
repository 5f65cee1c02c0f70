"""The customer's download of their access package."""

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from customers.portal_auth import portal_customer_id
from rights.access import PACKAGE_FILES, record_package_download
from rights.models import AccessPackage


@require_GET
def download_access_package(request: HttpRequest, token: str, kind: str) -> FileResponse:
    """Send one file of a live package to the logged-in customer it belongs to."""
    customer_id = portal_customer_id(request)
    package = AccessPackage.objects.filter(token=token).first()
    # The same answer for a wrong token, someone else's package and an expired one.
    if customer_id is None or package is None or package.customer_id != customer_id:
        raise Http404
    if kind not in PACKAGE_FILES:
        raise Http404
    try:
        stored = record_package_download(package=package, file_kind=kind)
    except AccessPackage.DoesNotExist:
        raise Http404 from None
    return FileResponse(stored.open("rb"), as_attachment=True, filename=f"tiedot.{kind}")
