"""Read an old privacy statement into the draft and print what it lacks under GDPR."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from privacy.statement import import_statement
from privacy.statement_import import StatementImportError


class Command(BaseCommand):
    help = (
        "Read an old rekisteriseloste or tietosuojaseloste (plain text or HTML) and print its gap "
        "report: the GDPR Art. 13/14 items it lacks, its outdated references and the promises it "
        "makes. Without --json its sections are stored in the statement draft's Finnish texts for "
        "the register admin to revise; with --json nothing is stored and the report is printed "
        'as {"sections", "missing", "outdated", "promises"}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The statement file (.txt or .html).")
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print the report as JSON and store nothing.",
        )

    def handle(self, *args, file: str, as_json: bool, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Tiedostoa ei voi lukea: {path} ({exc.strerror}).") from exc
        try:
            result = import_statement(data=data, filename=path.name, store=not as_json)
        except StatementImportError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(json.dumps(result.as_json_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(self.style.SUCCESS(f"Tuotu luonnokseen: {path.name}"))
        self.stdout.write("Tunnistetut osat: " + ", ".join(result.sections))
        self._write_list("Puuttuu (GDPR 13 ja 14 art.)", result.missing)
        self._write_list("Vanhentuneet viittaukset", result.outdated)
        self._write_list("Lupaukset, jotka rekisterin on pidettävä", result.promises)
        if result.unmapped:
            self._write_list(
                "Tunnistamattomat osat",
                [heading or text[:80] for heading, text in result.unmapped],
            )

    def _write_list(self, title: str, items: list[str]) -> None:
        self.stdout.write(f"{title}: {len(items)}")
        for item in items:
            self.stdout.write(f"  - {item}")
