"""`manage.py import_statement` and the staff panel's upload of an old statement."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from privacy.models import StatementDraft
from privacy.statement_import import SECTION_KEYS, decode_statement, parse_statement
from privacy.statement_models import StatementPart

pytestmark = pytest.mark.django_db

SEEDS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "seeds").glob("*.txt"))


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import_statement", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_json_report_of_each_seed_matches_the_importer_and_stores_nothing(seed):
    report = json.loads(_run(str(seed), "--json"))
    expected = parse_statement(decode_statement(seed.read_bytes())).as_json_dict()
    assert report == expected
    assert set(report) == {"sections", "missing", "outdated", "promises"}
    assert set(report["sections"]) <= set(SECTION_KEYS)
    assert list(report["sections"]) == [k for k in SECTION_KEYS if k in report["sections"]]
    assert not StatementDraft.objects.exists()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_importing_a_seed_keeps_its_wording_in_the_finnish_draft(seed):
    output = _run(str(seed))
    result = parse_statement(decode_statement(seed.read_bytes()))
    draft = StatementDraft.objects.get()
    assert draft.imported_from == seed.name
    assert draft.imported["missing"] == result.missing
    for key, part in {
        "purposes": StatementPart.PURPOSES,
        "data_subjects": StatementPart.DATA_SUBJECTS,
        "rights": StatementPart.RIGHTS,
        "cookies": StatementPart.COOKIES,
    }.items():
        if key in result.sections:
            assert draft.text(part, "fi") == result.sections[key].strip()
    if "security" in result.sections:
        security = draft.text(StatementPart.SECURITY_MANUAL, "fi") + draft.text(
            StatementPart.SECURITY_ELECTRONIC, "fi"
        )
        assert security.replace("\n", "").replace(" ", "") in result.sections["security"].replace(
            "\n", ""
        ).replace(" ", "")
    assert "Puuttuu (GDPR 13 ja 14 art.)" in output
    assert draft.text(StatementPart.PURPOSES, "sv") == ""


def test_the_report_names_the_repealed_personal_data_act():
    outdated = [
        item for seed in SEEDS for item in json.loads(_run(str(seed), "--json"))["outdated"]
    ]
    assert any("523/1999" in item for item in outdated)


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
            "suomenkieliseltä",
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
    with pytest.raises(CommandError, match=message):
        _run(str(path))
    assert not StatementDraft.objects.exists()


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Tiedostoa ei voi lukea"):
        _run(str(tmp_path / "ei-ole.txt"))
