"""Staff-panel figures for `manage.py bench` (see rekisteri/benchmarks.py for how sections plug in).

The measurements live in `bench.management.commands.bench_staff`, beside a stock ModelAdmin.
"""

from bench.harness import BenchContext, Figure
from bench.management.commands.bench_staff import staff_section


def staff_panel(ctx: BenchContext) -> list[Figure]:
    """Staff customer list, searches and customer page vs stock ModelAdmin"""

    return staff_section(heavy=ctx.heavy, runs=ctx.runs, floor=ctx.floor)


SECTIONS = [staff_panel]
