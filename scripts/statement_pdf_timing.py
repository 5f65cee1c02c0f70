"""Print the cold render time of the demo shop's statement PDF, per language.

Run in a fresh process (`python scripts/statement_pdf_timing.py`) so fonts and WeasyPrint's
caches start cold; it publishes the demo statement first when none is published, renders
without storing anything, and prints pages and seconds.
"""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rekisteri.settings")

started = time.perf_counter()
import django  # noqa: E402

django.setup()

from pypdf import PdfReader  # noqa: E402

from privacy.demo import ensure_demo_statement  # noqa: E402
from privacy.pdf import render_pdf  # noqa: E402
from privacy.statement import statement_pdf_html  # noqa: E402

version = ensure_demo_statement()
setup = time.perf_counter() - started
print(f"Django set-up and import: {setup:.2f} s")
for language in ("fi", "sv", "en"):
    html = statement_pdf_html(version, language)
    t0 = time.perf_counter()
    data = render_pdf(
        html, title="Tietosuojaseloste", author=version.controller_name, language=language
    )
    elapsed = time.perf_counter() - t0
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(f"{language}: {pages} pages, {len(data) / 1024:.0f} KiB, rendered in {elapsed:.2f} s")
