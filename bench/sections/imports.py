"""The CSV import figure for `manage.py bench` (see rekisteri/benchmarks.py)."""

from bench.harness import BenchContext, Figure
from bench.imports import import_section


def csv_import(ctx: BenchContext) -> list[Figure]:
    """CSV import of 100,000 customers vs psql \\copy of the same rows"""

    return import_section(heavy=ctx.heavy, runs=ctx.runs, floor=ctx.floor)


SECTIONS = [csv_import]
