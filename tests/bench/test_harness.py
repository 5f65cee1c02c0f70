"""The benchmark harness: sections are found, run in rolled-back transactions, and failures show."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from bench import harness as b
from bench.management.commands.bench import render_report
from customers.models import Customer
from tests.factories import CustomerFactory
from tests.manage_subprocess import run_manage


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


@pytest.mark.django_db
def test_a_load_figure_is_the_median_round_after_the_warm_up_with_every_rate_beside_it():
    def rounds(*rates):
        return [b.LoadResult("portal", 100, rate, 10.0, float(rate)) for rate in rates]

    # The warm-up round (first) is never chosen; of the rest, the middle (or lower middle) one.
    chosen = b._median_round(rounds(50, 300, 120, 400))
    assert (chosen.rps, chosen.p95_ms, chosen.rounds_rps) == (300, 300.0, [50, 300, 120, 400])
    assert b._median_round(rounds(50, 300, 120, 400, 500)).rps == 300
    assert b._median_round(rounds(70)).rps == 70
    memory = b.MemoryResult(3, 400, [100.0, 101.0])
    report = render_report("S", [], [chosen], memory)
    assert "| portal | 100 | 300 | 10.0 | 300.0 |  | 50, 300, 120, 400 |" in report


def test_a_worker_that_exited_but_is_not_yet_reaped_reads_as_no_memory():
    import subprocess
    import time

    child = subprocess.Popen(["true"])
    status = Path(f"/proc/{child.pid}/status")
    # Not waited for: it stays a zombie, whose status has no VmRSS line.
    for _ in range(100):
        if "State:\tZ" in status.read_text():
            break
        time.sleep(0.02)
    assert "VmRSS" not in status.read_text()
    assert b._rss_mb(child.pid) == 0.0
    child.wait()
    assert b._rss_mb(child.pid) == 0.0
    assert b._rss_mb(os.getpid()) > 10


def test_the_load_run_can_turn_worker_recycling_off(monkeypatch):
    import runpy

    conf = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "0")
    assert runpy.run_path(str(conf))["max_requests"] == 0
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS")
    assert runpy.run_path(str(conf))["max_requests"] == 5000


def test_the_bench_starts_the_project_with_debug_off():
    # The load run and collectstatic start the project with production settings: they must
    # satisfy every setting production requires (a missing SUPPRESSION_KEY once stopped the bench).
    result = run_manage("check", "--fail-level", "ERROR", env=b.production_env())
    assert result.returncode == 0, result.stderr
    assert b.production_env()["SUPPRESSION_KEY"] == settings.SUPPRESSION_KEY
