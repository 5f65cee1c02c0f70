"""Download my data: the access package at once, recorded as a completed inspection request."""

import io
import json
import re
import shutil

import pytest
from django.urls import reverse
from pypdf import PdfReader

from rights.models import AccessPackage, AccessPackageDownload, DataSubjectRequest
from tests.factories import CustomerFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("portal:download")


def _links(body: str) -> dict[str, str]:
    return {kind: url for url, kind in re.findall(r'href="(/tietopaketti/[^/]+/(\w+)/)"', body)}


def test_downloading_files_a_completed_access_request_verified_by_the_login(portal_client):
    customer = OrderLineFactory(product_name="Keittokirja").order.customer
    client = portal_client(customer)
    response = client.post(DOWNLOAD, follow=True)
    body = response.content.decode()
    assert "Tietopakettisi on valmis." in body
    request = DataSubjectRequest.objects.get(customer=customer)
    assert request.kind == DataSubjectRequest.Kind.ACCESS
    assert request.channel == DataSubjectRequest.Channel.PORTAL
    assert request.status == DataSubjectRequest.Status.COMPLETED
    assert request.verification_method == DataSubjectRequest.Verification.PORTAL_LOGIN
    assert request.verified_at is not None
    assert "Tietosi ovat ladattavissa omat tiedot -palvelussa" in request.decision_text
    package = AccessPackage.objects.get(customer=customer, request=request)

    links = _links(body)
    assert set(links) == {"json", "pdf", "zip"}
    copy = client.get(links["json"])
    assert copy["Content-Disposition"].startswith("attachment")
    data = json.loads(b"".join(copy.streaming_content))
    assert data["customer_number"] == customer.number
    assert customer.email in json.dumps(data, ensure_ascii=False)
    assert "Keittokirja" in json.dumps(data, ensure_ascii=False)

    pdf = PdfReader(io.BytesIO(b"".join(client.get(links["pdf"]).streaming_content)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert customer.formatted_number in text
    assert set(
        AccessPackageDownload.objects.filter(package=package).values_list("file_kind", flat=True)
    ) == {"json", "pdf"}


def test_a_few_packages_an_hour_are_allowed(portal_client):
    customer = CustomerFactory()
    client = portal_client(customer)
    for _ in range(3):
        assert client.post(DOWNLOAD).status_code == 302
    response = client.post(DOWNLOAD)
    assert response.status_code == 429
    assert "useita tietopaketteja" in response.content.decode()
    assert AccessPackage.objects.filter(customer=customer).count() == 3


def test_another_customers_package_is_not_found(portal_client):
    owner, other = CustomerFactory(), CustomerFactory()
    portal_client(owner).post(DOWNLOAD)
    token = AccessPackage.objects.get(customer=owner).token
    client = portal_client(other)
    for kind in ("json", "pdf", "zip"):
        assert client.get(reverse("portal:access_download", args=[token, kind])).status_code == 404
    assert not AccessPackageDownload.objects.exists()
    assert token not in client.get(DOWNLOAD).content.decode()


def test_a_package_whose_files_are_gone_counts_as_expired_and_a_new_one_can_be_made(
    portal_client, settings
):
    customer = CustomerFactory()
    client = portal_client(customer)
    client.post(DOWNLOAD)
    old_links = _links(client.get(DOWNLOAD).content.decode())
    assert set(old_links) == {"json", "pdf", "zip"}
    # A restore on a new server: the package's row is back, its files are not.
    shutil.rmtree(settings.MEDIA_ROOT)

    page = client.get(DOWNLOAD)
    assert page.status_code == 200
    assert _links(page.content.decode()) == {}
    for url in old_links.values():
        assert client.get(url).status_code == 404
    assert not AccessPackageDownload.objects.exists()

    response = client.post(DOWNLOAD, follow=True)
    assert response.status_code == 200
    new_links = _links(response.content.decode())
    assert set(new_links) == {"json", "pdf", "zip"} and new_links != old_links
    data = json.loads(b"".join(client.get(new_links["json"]).streaming_content))
    assert data["customer_number"] == customer.number
