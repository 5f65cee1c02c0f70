"""A running import's page shows its progress in place, and says when the import has ended."""

import pytest
from playwright.sync_api import expect

from integrations.models import ImportJob
from tests.browser.test_staff_accessibility import staff_login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_running_imports_page_updates_in_place_until_the_import_ends(page, register_admin):
    job = ImportJob.objects.create(
        file_name="asiakkaat.csv", status=ImportJob.Status.WRITING, total_rows=4, processed_rows=1
    )
    staff_login(page, register_admin)
    page.goto(f"/hallinta/integrations/importjob/{job.pk}/change/")
    status = page.get_by_role("status")
    expect(status).to_have_text("Tuonti on käynnissä; tiedot päivittyvät tälle sivulle itsestään.")
    expect(page.get_by_text("1 / 4")).to_be_visible()
    # Marks this page: a reload would lose it.
    page.evaluate("window.sameDocument = true")

    job.processed_rows = 3
    job.save()
    expect(page.get_by_text("3 / 4")).to_be_visible()
    job.processed_rows, job.created_count, job.status = 4, 4, ImportJob.Status.DONE
    job.save()
    expect(status).to_have_text("Tuonti on päättynyt.")
    expect(page.get_by_text("4 / 4")).to_be_visible()
    expect(page.get_by_text("valmis", exact=True)).to_be_visible()
    assert page.evaluate("window.sameDocument") is True
    assert not page.locator('meta[http-equiv="refresh"]').count()
