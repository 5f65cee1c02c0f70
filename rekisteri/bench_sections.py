"""The project's figures for `manage.py bench`: portal and public pages, the statement PDF, load.

See rekisteri/benchmarks.py for how sections plug in.
"""

from django.test import Client

from rekisteri.benchmarks import BenchContext, Figure, LoadTarget, get_ok, portal_client, timed

PORTAL_TARGET = "p95 < 100 ms, ≥ 300 req/s at 16 clients (L)"


def portal_and_public_pages(ctx: BenchContext) -> list[Figure]:
    """Portal and public pages vs the framework floor"""
    typical = ctx.portal_client(ctx.typical)
    heavy = ctx.portal_client(ctx.heavy)
    anonymous = Client()
    return [
        ctx.vs_floor(
            "portal orders page, typical customer",
            timed(get_ok(typical, "/oma/tilaukset/"), runs=ctx.runs),
        ),
        ctx.vs_floor(
            "portal orders page, 500 orders and 5,000 tracking events",
            timed(get_ok(heavy, "/oma/tilaukset/"), runs=ctx.runs),
        ),
        ctx.vs_floor("portal details page", timed(get_ok(typical, "/oma/tiedot/"), runs=ctx.runs)),
        ctx.vs_floor(
            "public privacy statement page",
            timed(get_ok(anonymous, "/tietosuojaseloste/"), runs=ctx.runs),
        ),
    ]


def statement_pdf(ctx: BenchContext) -> list[Figure]:
    """Statement PDF, cold and cached"""
    from privacy.models import StatementVersion
    from privacy.pdf import render_pdf
    from privacy.statement import get_statement_pdf, statement_pdf_html

    version = StatementVersion.latest()
    runs = max(3, min(ctx.runs, 10))
    html = statement_pdf_html(version, "fi")
    tiny = timed(lambda: render_pdf("<p>.</p>", title="", author="", language="fi"), runs=runs)
    cold = timed(
        lambda: render_pdf(html, title="", author=version.controller_name, language="fi"),
        runs=runs,
        warmup=1,
    )
    get_statement_pdf(version=version, language="fi")  # stored once, as the first download does
    cached = timed(get_ok(Client(), "/tietosuojaseloste/pdf/"), runs=ctx.runs)
    return [
        Figure(
            "statement PDF rendered cold (fi)",
            *cold,
            "WeasyPrint, one-line document",
            *tiny,
        ),
        Figure("statement PDF download, stored (fi)", *cached, "rendered cold", *cold),
    ]


def load_targets(ctx: BenchContext) -> list[LoadTarget]:
    """Return the pages of the load run: the portal, the public statement and the floor."""
    client = portal_client(ctx.typical)
    from django.conf import settings

    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [
        LoadTarget(
            "portal orders page, typical customer",
            "/oma/tilaukset/",
            {"Cookie": cookie},
            target=PORTAL_TARGET,
        ),
        LoadTarget("public privacy statement page", "/tietosuojaseloste/"),
        LoadTarget("framework floor (minimal view, one query)", "/bench/floor/"),
    ]


SECTIONS = [portal_and_public_pages, statement_pdf]
LOAD_TARGETS = [load_targets]
