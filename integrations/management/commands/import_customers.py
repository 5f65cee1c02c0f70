"""Import customers from a CSV file (Excel's Finnish Windows-1252 or UTF-8, `;` or `,`)."""

import getpass
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from integrations.csv_import import ImportFileError, ImportReport, RowAction, import_customers
from integrations.models import ImportMapping


class TqdmProgress:
    """Show the check's progress on stderr, so stdout stays the report."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: tqdm | None = None

    def start(self, total: int) -> None:
        if self.enabled:
            self.bar = tqdm(total=total, unit=" riviä", desc="Tarkistetaan", file=sys.stderr)

    def advance(self, rows: int) -> None:
        if self.bar is not None:
            self.bar.update(rows)

    def writing(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        if self.enabled:
            sys.stderr.write("Tallennetaan…\n")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Command(BaseCommand):
    help = (
        "Tuo asiakkaat tai tilaukset CSV-tiedostosta: Shopifyn ja WooCommercen asiakas- ja "
        "tilausviennit tunnistetaan otsikoistaan, muut tiedostot otsikoiden nimistä tai "
        "tallennetulla sarakemäärityksellä (--mapping). Kaikki rivit tarkistetaan ensin; jos "
        "yksikin hylätään, mitään ei tallenneta. Sama tiedosto uudelleen ei muuta mitään "
        "(rivit yhdistetään tunnisteella, sitten sähköpostilla). --dry-run vain raportoi "
        "rivikohtaisesti."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV-tiedosto")
        parser.add_argument(
            "--dry-run", action="store_true", help="Raportoi, mitä tehtäisiin; älä tallenna."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Älä näytä edistymispalkkia."
        )
        parser.add_argument(
            "--mapping", help="Hallintapaneelissa tallennetun sarakemäärityksen nimi."
        )

    def handle(
        self, *args, file: Path, dry_run: bool, no_progress: bool, mapping: str | None, **options
    ) -> None:
        verbosity = options["verbosity"]
        columns = None
        if mapping:
            saved = ImportMapping.objects.filter(name=mapping).first()
            if saved is None:
                raise CommandError(f"Sarakemääritystä {mapping} ei ole.")
            columns = saved.columns
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Tiedostoa {file} ei voi lukea: {exc.strerror}") from None
        progress = TqdmProgress(enabled=not no_progress and verbosity > 0)
        try:
            report = import_customers(
                data=data,
                dry_run=dry_run,
                progress=progress,
                actor_label=f"manage.py import_customers ({getpass.getuser()})",
                mapping=columns,
                source=f"Tiedosto {file.name}",
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        finally:
            progress.close()
        self.write_report(report, all_rows=dry_run or verbosity > 1, verbosity=verbosity)
        if report.rejected:
            raise CommandError(
                f"{len(report.rejected)} riviä hylättiin; mitään ei tallennettu."
                if not dry_run
                else f"{len(report.rejected)} riviä hylättäisiin."
            )

    def write_report(self, report: ImportReport, *, all_rows: bool, verbosity: int) -> None:
        if verbosity == 0:
            return
        if report.source:
            self.stdout.write(f"Tiedosto: {report.source}")
        columns = ", ".join(f"{header} → {name}" for header, name in report.columns.items())
        self.stdout.write(f"Sarakkeet: {columns}")
        if report.ignored_columns:
            self.stdout.write(f"Tuntemattomat sarakkeet: {', '.join(report.ignored_columns)}")
        if report.skipped_columns:
            self.stdout.write(f"Ei paikkaa rekisterissä: {', '.join(report.skipped_columns)}")
        for row in report.rows:
            if not all_rows and row.action != RowAction.REJECT:
                continue
            label = RowAction(row.action).label
            ident = f" ({row.external_id})" if row.external_id else ""
            reasons = f": {'; '.join(row.reasons)}" if row.reasons else ""
            self.stdout.write(f"Rivi {row.row}{ident}: {label}{reasons}")
        prefix = "Koeajo – " if report.dry_run else ""
        self.stdout.write(prefix + report.summary())
        if report.written:
            self.stdout.write(self.style.SUCCESS("Tallennettu."))
