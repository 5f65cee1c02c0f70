"""Privacy figures for `manage.py bench` (see rekisteri/benchmarks.py for how sections plug in).

The measurements themselves live beside the code they measure: the access package and erasure in
`bench.management.commands.bench_privacy`, the statement PDF in `bench.statement_pdf`.
"""

from bench.harness import BenchContext, Figure
from bench.management.commands.bench_privacy import privacy_figures
from bench.statement_pdf import statement_pdf_figures


def access_and_erasure(ctx: BenchContext) -> list[Figure]:
    """Access package and erasure of a heavy customer vs the database floor"""

    return privacy_figures(heavy=ctx.heavy, runs=ctx.runs, floor=ctx.floor)


def statement_pdf(ctx: BenchContext) -> list[Figure]:
    """Statement PDF, cold vs served from storage"""

    return statement_pdf_figures(runs=ctx.runs)


SECTIONS = [access_and_erasure, statement_pdf]
