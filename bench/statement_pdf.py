"""The statement-PDF section of `manage.py bench`: a cold download against one from storage.

Cold means no stored PDF for the version and language, so the download renders with WeasyPrint
and stores the file; the baseline is the same download served from storage (ETag and all). A
third figure times the first render in a fresh process, where WeasyPrint's import, its CFFI
bindings and fontconfig are set up too. Everything the cold runs store is rolled back.
"""

import io
import json
import os
import subprocess
import sys
import time

from django.conf import settings
from django.db import transaction
from django.test import Client
from pypdf import PdfReader

from bench import harness as b
from demo.shop import ensure_demo_statement
from statement.models import StatementPdf, StatementVersion

PDF_URL = "/tietosuojaseloste/pdf/"
TARGET = "target < 1500 ms cold"

# Run in a fresh interpreter: set Django up, then time the first render of the current version.
_FRESH_PROCESS = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rekisteri.settings")
import django
django.setup()
from statement.models import StatementVersion
from statement.publishing import pdf_title, statement_pdf_html
version = StatementVersion.latest()
html = statement_pdf_html(version, "fi")
started = time.perf_counter()
from privacy.pdf import render_pdf
render_pdf(html, title=pdf_title(version, "fi"), author=version.controller_name, language="fi")
print(json.dumps({"ms": (time.perf_counter() - started) * 1000}))
"""


class _Rollback(Exception):
    pass


def _pages(data: bytes) -> int:

    return len(PdfReader(io.BytesIO(data)).pages)


def _cold_download(client: Client, version: StatementVersion) -> None:
    """Download the PDF with nothing stored, then undo the stored row and file."""
    stored = None
    try:
        with transaction.atomic():
            StatementPdf.objects.filter(version=version, language="fi").delete()
            b.get_ok(client, PDF_URL)()
            stored = StatementPdf.objects.get(version=version, language="fi").file.name
            raise _Rollback
    except _Rollback:
        pass
    if stored:
        StatementPdf.file.field.storage.delete(stored)


def _timed_cold(client: Client, version: StatementVersion, runs: int) -> tuple[float, float, float]:
    """Return (median, p95, mean CPU) milliseconds of a cold download."""
    started = time.process_time()
    median, p95 = b.timed(lambda: _cold_download(client, version), runs=runs, warmup=1)
    # CPU time beside wall time: on a shared machine the wall clock also counts waiting.
    cpu = (time.process_time() - started) * 1000 / (runs + 1)
    return median, p95, cpu


def _fresh_process_ms(runs: int) -> tuple[float, float]:
    samples = []
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rekisteri.settings"}
    for _ in range(runs):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", _FRESH_PROCESS],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        samples.append(json.loads(result.stdout.strip().splitlines()[-1])["ms"])
    samples.sort()
    return samples[len(samples) // 2], samples[-1]


def statement_pdf_figures(*, heavy=None, runs: int = 30, floor=None) -> list[b.Figure]:
    """Return the statement-PDF figures: cold download, from storage, fresh process."""

    version = StatementVersion.latest() or ensure_demo_statement()
    client = Client()
    first = client.get(PDF_URL)  # stores the PDF if it was not yet, so the baseline is warm
    pages = _pages(b"".join(first.streaming_content))
    cold_runs = max(3, min(runs, 10))  # each cold run renders: keep the section short
    *cold, cold_cpu = _timed_cold(client, version, cold_runs)
    cached = b.timed(b.get_ok(client, PDF_URL), runs=runs)
    fresh = _fresh_process_ms(3)
    note = f"{pages}-page statement (fi), {cold_runs} cold runs, {cold_cpu:.0f} ms CPU each"
    return [
        b.Figure(
            "Statement PDF download, cold (render + store)",
            *cold,
            "same download served from storage",
            *cached,
            target=TARGET,
            note=note,
        ),
        b.Figure(
            "Statement PDF, first render in a fresh process",
            *fresh,
            "cold render in a running process",
            *cold,
            note="includes WeasyPrint import and font set-up; 3 processes",
        ),
    ]
