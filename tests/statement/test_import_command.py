"""`manage.py import_statement FILE [--json]`: the report, the draft it fills, and refusals."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from statement.importer import SECTION_KEYS, ImportResult
from statement.models import StatementDraft, StatementPart
from tests.statement import test_import as seeds
from tests.statement.import_expectations import FIXTURES, assert_sections, parse_file

pytestmark = pytest.mark.django_db

SEEDS = {
    "000_e966481798ddf730.txt": seeds.POSTCARDISSIMO,
    "001_db8140427b108a6d.txt": seeds.KOMIAT_HETKET,
    "002_db6dfb59f197885c.txt": seeds.OFFISTORE,
    "003_2462a533b62ed91f.txt": seeds.WEBSTRELLA,
    "004_09d16aaa72ee3a86.txt": seeds.FINANIME,
}


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import_statement", *args, stdout=out)
    return out.getvalue()


def test_the_five_seeds_in_the_repository_are_the_shared_ones():
    base = Path(settings.BASE_DIR)
    shared = next((p for p in (base.parent / "shared", base.parent.parent / "shared")
                   if (p / "seeds").is_dir()), None)  # fmt: skip
    if shared is None:
        pytest.skip("no shared/ folder beside this checkout")
    shared = shared / "seeds"
    for name in SEEDS:
        assert (shared / name).read_bytes() == (FIXTURES / "seeds" / name).read_bytes()


@pytest.mark.parametrize("name", SEEDS, ids=lambda name: name[:3])
def test_json_report_places_every_section_of_each_seed_and_stores_nothing(name):
    report = json.loads(_run(str(FIXTURES / "seeds" / name), "--json"))
    assert set(report) == {"sections", "missing", "outdated", "promises", "setup"}
    assert list(report["sections"]) == [k for k in SECTION_KEYS if k in report["sections"]]
    assert_sections(ImportResult(**report), SEEDS[name])
    assert report == parse_file(FIXTURES / "seeds" / name).as_json_dict()
    assert not StatementDraft.objects.exists()


@pytest.mark.parametrize("name", SEEDS, ids=lambda name: name[:3])
def test_importing_a_seed_keeps_its_wording_in_the_finnish_draft(name):
    seed = FIXTURES / "seeds" / name
    output = _run(str(seed))
    result = parse_file(seed)
    draft = StatementDraft.objects.get()
    assert draft.imported_from == seed.name
    assert draft.imported == result.as_json_dict()
    for key, part in {
        "purposes": StatementPart.PURPOSES,
        "sources": StatementPart.SOURCES,
        "disclosures": StatementPart.DISCLOSURES,
        "rights": StatementPart.RIGHTS,
        "cookies": StatementPart.COOKIES,
    }.items():
        if key in result.sections:
            assert draft.text(part, "fi") == result.sections[key]
    if "security" in result.sections:
        security = draft.text(StatementPart.SECURITY_MANUAL, "fi") + draft.text(
            StatementPart.SECURITY_ELECTRONIC, "fi"
        )
        assert "".join(security.split()) in "".join(result.sections["security"].split())
    assert draft.text(StatementPart.PURPOSES, "sv") == ""
    assert "Puuttuu (tietosuoja-asetuksen 13 ja 14 artikla): " in output
    assert "  - retention: säilytysaika" in output
    assert "Vanhentuneet viittaukset: " in output


def test_importing_again_replaces_the_imported_texts_in_the_one_draft():
    _run(str(FIXTURES / "seeds" / "000_e966481798ddf730.txt"))
    _run(str(FIXTURES / "statements" / "kahvipaahtimo_h2.html"))
    draft = StatementDraft.objects.get()
    assert draft.imported_from == "kahvipaahtimo_h2.html"
    assert "reklamaatioiden hoitamiseen" in draft.text(StatementPart.PURPOSES, "fi")
    assert draft.imported["missing"] == ["data_subjects"]


def test_the_report_names_the_repealed_personal_data_act():
    outdated = [
        item
        for name in SEEDS
        for item in json.loads(_run(str(FIXTURES / "seeds" / name), "--json"))["outdated"]
    ]
    assert any("523/1999" in item for item in outdated)


def test_the_report_explains_a_legal_basis_that_names_no_gdpr_basis():
    output = _run(str(FIXTURES / "seeds" / "001_db8140427b108a6d.txt"))
    assert "Huomautukset: " in output
    assert "ei nimeä tietosuoja-asetuksen 6 artiklan oikeusperustetta" in output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Tiedosto on tyhjä."),
        (b"%PDF-1.7\n\x00\x01binary", "PDF-tiedosto"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binääritiedosto"),
        (
            b"Privacy policy\n\nWe collect your name and e-mail address when you order. "
            b"We keep the data for as long as you are our customer and you may ask us to "
            b"delete it at any time by writing to us.\n",
            "englanninkieliseltä",
        ),
        (
            "Tervetuloa verkkokauppaamme. Meillä on hyviä tuotteita ja nopea toimitus. "
            "Tilaa nyt ja saat ilmaisen toimituksen kaikkiin tilauksiin, jotka ovat yli "
            "viisikymmentä euroa. Kiitos että asioit kanssamme.\n".encode(),
            "otsikko",
        ),
    ],
    ids=["empty", "pdf", "binary", "english", "no-headings"],
)
def test_bad_input_fails_with_a_finnish_message_and_creates_nothing(tmp_path, content, message):
    path = tmp_path / "seloste.txt"
    path.write_bytes(content)
    for args in ((str(path),), (str(path), "--json")):
        with pytest.raises(CommandError, match=message):
            _run(*args)
    assert not StatementDraft.objects.exists()


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Tiedostoa ei voi lukea"):
        _run(str(tmp_path / "ei-ole.txt"))


def test_from_the_shell_bad_input_exits_non_zero_with_the_message_and_no_traceback(tmp_path):
    path = tmp_path / "kuva.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_statement", str(path), "--json"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "rekisteri.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Tiedosto ei ole tekstiä (binääritiedosto?)." in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
