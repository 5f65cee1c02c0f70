"""The project's figures for `manage.py bench`: portal and public pages, the statement PDF, load.

See rekisteri/benchmarks.py for how sections plug in.
"""

from django.test import Client

from bench.harness import BenchContext, Figure, LoadTarget, get_ok, portal_client, timed

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
            "portal orders page, typical customer, order list not yet cached",
            timed(_uncached(get_ok(typical, "/oma/tilaukset/")), runs=ctx.runs),
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


def _uncached(fetch):
    """Return fetch, run after emptying the fragment cache (a first visit to the page)."""
    from django.core.cache import caches

    def first_visit() -> None:
        caches["fragments"].clear()
        fetch()

    return first_visit


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


SECTIONS = [portal_and_public_pages]
LOAD_TARGETS = [load_targets]
