"""The benchmark harness: sections are found, run in rolled-back transactions, and failures show."""

import pytest

from customers.models import Customer
from rekisteri import benchmarks as b
from rekisteri.management.commands.bench import render_report
from tests.factories import CustomerFactory


def test_every_apps_sections_are_discovered_with_the_projects_first():
    sections, load_targets = b.discover()
    titles = [b.section_title(s) for s in sections]
    assert titles[0] == "Portal and public pages vs the framework floor"
    assert "Staff customer list, searches and customer page vs stock ModelAdmin" in titles
    assert any(title.startswith("Access package and erasure") for title in titles)
    assert load_targets


@pytest.mark.django_db
def test_a_failing_section_is_reported_and_the_others_still_run_and_leave_no_rows():
    def writes_a_customer(ctx):
        """Writes"""
        CustomerFactory()
        return [b.Figure("a figure", 1.0, 2.0, "a baseline", 3.0, 4.0)]

    def breaks(ctx):
        """Breaks"""
        raise ValueError("no such table")

    before = Customer.objects.count()
    ctx = b.BenchContext("S", 10_000, 3, None, None, (1.0, 2.0))
    figures = b.run_sections([breaks, writes_a_customer], ctx, log=lambda _line: None)
    assert Customer.objects.count() == before
    assert [(f.section, f.failed) for f in figures] == [("Breaks", True), ("Writes", False)]
    assert "ValueError: no such table" in figures[0].note

    report = render_report("S", figures, [], None)
    failed_row = "| Breaks | section failed |  |  |  |  |  | FAILED: ValueError: no such table |"
    assert failed_row in report
    assert "| Writes | a figure | 1.0 | 2.0 | a baseline | 3.0 | 4.0 |  |" in report
    assert "PostgreSQL" in report and "WeasyPrint" in report and "cores" in report


def test_memory_counts_as_growing_only_past_the_warm_up():
    assert not b.MemoryResult(3, 10_000, [54.0, 71.0, 80.0, 81.0, 81.0, 82.0, 82.0]).grows
    assert b.MemoryResult(3, 10_000, [54.0, 71.0, 80.0, 88.0, 96.0, 104.0]).grows


def test_the_median_and_p95_are_the_nearest_ranks():
    assert b.summarise([float(n) for n in range(1, 101)]) == (50.5, 95.0)
