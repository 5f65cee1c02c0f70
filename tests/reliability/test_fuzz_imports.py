"""Whatever bytes are uploaded, the CSV and statement importers import or refuse them clearly.

No input crashes them; a refused file (or one with a single bad row) writes nothing; names with
Finnish and Sámi letters, apostrophes, hyphens and markup are stored exactly as written.
"""

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.models import Customer
from integrations.csv_import import ImportFileError, import_customers
from privacy.models import AuditEntry
from statement.importer import StatementImportError
from statement.importing import import_statement
from statement.models import StatementDraft
from tests.reliability import figures
from tests.reliability.counts import row_counts

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NAMES = ["Áilu", "Ánde", "Máret", "Čalmmet", "O'Brien", "Anna-Liisa", "Äijö", "Šiŋŋá", "Đuđđa"]
NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\x00",
    "\x07\x1b[31m",
    "\u202e",
    "=cmd|' /C calc'!A0",
    "x" * 5000,
    ";",
    '"',
    "\r\n",
    "ŋŧʒ",
]
HEADERS = [
    "External ID",
    "Etunimi",
    "Sukunimi",
    "Sähköposti",
    "Puhelin",
    "Postinumero",
    "Maa",
    "Syntymäaika",
    "Tuntematon sarake",
    "",
]
CELL = st.one_of(st.sampled_from(NAMES + NASTY), st.text(max_size=30))
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "mac_roman"])


@st.composite
def csv_files(draw) -> bytes:
    if draw(st.booleans()) and draw(st.booleans()):
        return draw(st.binary(max_size=400))
    if draw(st.booleans()):
        # A well-formed file whose names are anything.
        out = io.StringIO()
        rows = [["Etunimi", "Sukunimi", "Sähköposti"]]
        for n in range(draw(st.integers(min_value=1, max_value=4))):
            rows.append([draw(CELL), draw(CELL), f"fuzz{draw(st.integers(0, 10**6))}.{n}@e.fi"])
        csv.writer(out, delimiter=draw(st.sampled_from([";", ","]))).writerows(rows)
        return out.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=7))
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    rows = draw(
        st.lists(
            # Missing and extra cells as well as the right number.
            st.lists(CELL, min_size=0, max_size=len(header) + 2),
            max_size=5,
        )
    )
    text = "\r\n".join(delimiter.join(cells) for cells in [header, *rows])
    return text.encode(draw(ENCODINGS), errors="replace")


@FUZZ
@given(data=csv_files())
def test_the_csv_importer_imports_or_refuses_any_file_and_refusing_writes_nothing(data):
    before = row_counts()
    audit_before = AuditEntry.objects.count()
    try:
        report = import_customers(data=data, dry_run=False)
    except ImportFileError as exc:
        assert str(exc).strip()
        written = False
    else:
        written = report.written
        for row in report.rejected:
            assert row.reasons and all(reason.strip() for reason in row.reasons)
        assert not (written and report.rejected)
    if not written:
        assert row_counts() == before and AuditEntry.objects.count() == audit_before
    figures.add("fuzz", "CSV importer", inputs=1, refused=int(not written))


@FUZZ
@given(first=st.sampled_from(NAMES + NASTY[:2]), last=st.sampled_from(NAMES + NASTY[:2]))
def test_a_name_the_csv_importer_accepts_is_stored_exactly(first, last):
    email = f"{abs(hash((first, last))) % 10**9}@example.fi"
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(
        [["Etunimi", "Sukunimi", "Sähköposti"], [first, last, email]]
    )
    data = out.getvalue().encode()
    report = import_customers(data=data, dry_run=False)
    assert report.written, report.rejected
    customer = Customer.objects.get(email=email)
    assert (customer.first_name, customer.last_name) == (first, last)
    figures.add("fuzz", "CSV importer names", inputs=1)


STATEMENT_PIECES = st.sampled_from(
    [
        "Rekisterinpitäjä\n",
        "REKISTERIN NIMI\n",
        "Tietojen säilytys:\n",
        "Rekisterin tietosisältö\n",
        "<h2>",
        "</h2>",
        "<script>alert(1)</script>",
        "Tiedot säilytetään kuusi vuotta. ",
        "henkilötietolain 26 § ",
        "\x00",
        "\ufeff",
        "Máret Čalmmet ",
        "\n\n",
        "x" * 2000,
    ]
)


SEEDS = sorted((Path(__file__).parents[1] / "fixtures" / "seeds").glob("*.txt"))


@st.composite
def statement_files(draw) -> bytes:
    if draw(st.booleans()):
        # A real old statement, cut, with pieces spliced in and in another encoding.
        text = draw(st.sampled_from(SEEDS)).read_text(encoding="utf-8")
        cut = draw(st.integers(min_value=0, max_value=len(text)))
        for _ in range(draw(st.integers(min_value=0, max_value=4))):
            at = draw(st.integers(min_value=0, max_value=len(text)))
            text = text[:at] + draw(STATEMENT_PIECES) + text[at:]
        return text[: max(cut, len(text) // 2)].encode(draw(ENCODINGS), errors="replace")
    if draw(st.booleans()):
        return draw(st.binary(max_size=400))
    parts = draw(st.lists(st.one_of(STATEMENT_PIECES, st.text(max_size=40)), max_size=30))
    return "".join(parts).encode(draw(ENCODINGS), errors="replace")


def _draft_state() -> list[tuple]:
    return list(StatementDraft.objects.order_by("pk").values_list())


@FUZZ
@given(data=statement_files())
def test_the_statement_importer_imports_or_refuses_any_file_and_refusing_writes_nothing(data):
    before, draft_before = row_counts(), _draft_state()
    try:
        result = import_statement(data=data, filename="vanha.txt")
    except StatementImportError as exc:
        assert str(exc).strip()
        assert row_counts() == before and _draft_state() == draft_before
        refused = 1
    else:
        assert isinstance(result.sections, dict)
        refused = 0
    figures.add("fuzz", "statement importer", inputs=1, refused=refused)


def test_a_nul_character_in_a_name_rejects_the_row_instead_of_crashing():
    before = row_counts()
    report = import_customers(
        data=b"Etunimi;S\xc3\xa4hk\xc3\xb6posti\r\nA\x00ilu;a@e.fi\r\n", dry_run=False
    )
    assert not report.written
    assert report.rejected[0].reasons == [
        "etunimi: Arvossa on NUL-merkki (0x00), jota ei voi tallentaa."
    ]
    assert row_counts() == before
