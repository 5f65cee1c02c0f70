"""Read an old privacy statement into the draft and print what it lacks under GDPR."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from privacy.citations import Style, cite
from statement.importer import KEY_LABELS, StatementImportError, decode_statement, parse_statement
from statement.importing import import_statement


class Command(BaseCommand):
    help = (
        "Read an old rekisteriseloste or tietosuojaseloste (plain text, Markdown or HTML; UTF-8, "
        "UTF-16 or Windows-1252) and print its gap report: the GDPR Art. 13/14 items it lacks, "
        "its outdated references and the promises it makes. Without --json its sections are "
        "stored in the statement draft's Finnish texts for the register admin to revise; with "
        "--json nothing is stored and the report is printed as "
        '{"sections", "missing", "outdated", "promises"}. A file that is not a Finnish '
        "statement is refused with a message and changes nothing. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The statement file (.txt, .md or .html).")
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
            raise CommandError(
                _("Tiedostoa ei voi lukea: %(path)s (%(reason)s).")
                % {"path": path, "reason": exc.strerror}
            ) from exc
        try:
            if as_json:  # a report only: no transaction, no database needed
                result = parse_statement(decode_statement(data))
            else:
                result = import_statement(data=data, filename=path.name)
        except StatementImportError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(json.dumps(result.as_json_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(self.style.SUCCESS(_("Tuotu luonnokseen: %s") % path.name))
        self.stdout.write(_("Tunnistetut osat: %s") % ", ".join(result.sections))
        self._write_list(
            _("Puuttuu (%(article)s)") % {"article": cite(13, 14, style=Style.TEXT)},
            [f"{key}: {_(KEY_LABELS[key])}" for key in result.missing],
        )
        controller = result.setup["controller"]
        self.stdout.write(
            _("Rekisterinpitäjä: %(name)s (Y-tunnus %(business_id)s)")
            % {"name": controller["name"] or "–", "business_id": controller["business_id"] or "–"}
        )
        self._write_list(_("Tunnistetut vastaanottajat"), result.setup["recipients"])
        self._write_list(_("Tunnistetut käsittelyn tarkoitukset"), result.setup["purposes"])
        self._write_list(_("Huomautukset"), result.notes)
        self._write_list(_("Vanhentuneet viittaukset"), result.outdated)
        self._write_list(_("Lupaukset, jotka rekisterin on pidettävä"), result.promises)
        if result.unmapped:
            self._write_list(
                _("Tunnistamattomat osat"),
                [heading or text[:80] for heading, text in result.unmapped],
            )

    def _write_list(self, title: str, items: list[str]) -> None:
        self.stdout.write(f"{title}: {len(items)}")
        for item in items:
            self.stdout.write(f"  - {item}")
