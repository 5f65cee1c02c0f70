"""Download my data: the access package at once, recorded as a completed inspection request."""

import io
import json
import re
import shutil

import pytest
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from privacy.vocabulary import ACCESS_PACKAGES
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


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _run_queued_tasks() -> None:
    """Run the queued tasks as `manage.py db_worker` does, in this test's transaction."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="testi",
        excluded_queue_names=[],
    )
    for result in DBTaskResult.objects.ready():
        worker.run_task(result)
    assert not DBTaskResult.objects.ready().exists()


def test_the_package_is_built_by_the_worker_and_the_page_says_so_until_it_is_ready(
    portal_client, settings
):
    # The task worker builds the package, so the click is answered at once for any history.
    customer = OrderLineFactory(product_name="Keittokirja").order.customer
    client = portal_client(customer)
    settings.TASKS = DATABASE_TASKS

    body = client.post(DOWNLOAD, follow=True).content.decode()
    assert "Tietopakettiasi muodostetaan." in body
    assert "Valmisteilla" in body and "Päivitä tilanne" in body
    assert _links(body) == {}
    assert "Tietopakettisi on valmis." not in body
    # A second press while it is being built files nothing new and does not count as another.
    client.post(DOWNLOAD)
    assert DataSubjectRequest.objects.filter(customer=customer).count() == 1
    assert not AccessPackage.objects.exists()

    _run_queued_tasks()

    body = client.get(DOWNLOAD).content.decode()
    assert "Valmisteilla" not in body
    links = _links(body)
    assert set(links) == {"json", "pdf", "zip"}
    data = json.loads(b"".join(client.get(links["json"]).streaming_content))
    assert "Keittokirja" in json.dumps(data, ensure_ascii=False)


def test_the_page_states_the_declared_download_period(portal_client):
    body = portal_client(CustomerFactory()).get(DOWNLOAD).content.decode()
    assert f"ladattavissa {ACCESS_PACKAGES.in_days()} päivän ajan" in body
