"""What an import returns, and the one error it raises."""

from dataclasses import dataclass, field

from statement.importer.keys import SECTION_KEYS


class StatementImportError(ValueError):
    """Raised with a translated (Finnish-first) message when a file is not a readable statement."""


@dataclass(frozen=True)
class ImportResult:
    """Hold the keyed sections of an imported statement and its gap report.

        ``unmapped`` lists (heading, text) of the parts no key fits, for the admin to place by hand;
        ``notes`` explains in words why a present section still counts as missing, and what else
        the admin should know (text left out because it is in another language). ``setup`` holds
    what the text says of the register's set-up (``importer.setup.read_setup``), each field
    empty when the text does not say it.
    """

    sections: dict[str, str]
    missing: list[str]
    outdated: list[str]
    promises: list[str]
    unmapped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    setup: dict = field(default_factory=dict)

    def as_json_dict(self) -> dict:
        """Return the JSON-serialisable summary stored with the import."""
        return {
            "sections": {k: self.sections[k] for k in SECTION_KEYS if k in self.sections},
            "missing": list(self.missing),
            "outdated": list(self.outdated),
            "promises": list(self.promises),
            "setup": self.setup,
        }
