"""Staff-panel figures for `manage.py bench`, measured by `bench_staff` beside a stock ModelAdmin.

See rekisteri/benchmarks.py for how sections plug in.
"""

from rekisteri.benchmarks import BenchContext, Figure


def staff_panel(ctx: BenchContext) -> list[Figure]:
    """Staff customer list and searches vs stock ModelAdmin"""
    from customers.management.commands.bench_staff import TARGETS, Command
    from customers.models import Customer

    sample = Customer.objects.exclude(email="").exclude(phone="").order_by("pk").first()
    command = Command()
    rows = command._measure(sample, max(5, min(ctx.runs, 20)), 2, 500, False)
    figures = []
    for row in rows:
        ours, stock = row["ours"], row.get("stock")
        figures.append(
            Figure(
                row["label"],
                ours[0],
                ours[1],
                "stock ModelAdmin" if stock else "",
                stock[0] if stock else None,
                stock[1] if stock else None,
                target=TARGETS[row["key"]],
                note=f"{ours[2]} queries (stock {stock[2]})" if stock else f"{ours[2]} queries",
            )
        )
    return figures


SECTIONS = [staff_panel]
