"""The CSV import figures for `manage.py bench` (see rekisteri/benchmarks.py)."""

from bench.harness import BenchContext, Figure
from bench.imports import import_section
from bench.platform_imports import platform_section


def csv_import(ctx: BenchContext) -> list[Figure]:
    """CSV import of 100,000 customers vs psql \\copy of the same rows"""

    return import_section(heavy=ctx.heavy, runs=ctx.runs, floor=ctx.floor)


def platform_exports(ctx: BenchContext) -> list[Figure]:
    """Platform exports: Shopify customers and orders vs psql \\copy of the same rows"""

    return platform_section(runs=ctx.runs)


SECTIONS = [csv_import, platform_exports]
