"""The statement is written for people (GDPR Art. 12(1)): categories in sentences, one retention
table with each rule once, a summary and a table of contents — checked on the demo shop in every
language it is published in."""

import re
from html import unescape

import pytest
from django.utils import translation

from customers.models import PortalLoginCode
from demo.shop import ensure_demo_statement
from integrations.models import ApiCallLog, IdempotencyRecord
from privacy import declaration
from privacy.models import AuditEntry
from statement.content import build_statement
from statement.models import STATEMENT_LANGUAGES, StatementDraft
from statement.publishing import render_statement_html

pytestmark = pytest.mark.django_db

# Column labels of technical records: the statement describes them as one category, never by
# their columns (which the Art. 30 record and the access package list).
TECHNICAL_COLUMNS = [
    (AuditEntry, "ip_address"),
    (AuditEntry, "actor_label"),
    (PortalLoginCode, "code_hash"),
    (IdempotencyRecord, "path"),
    (IdempotencyRecord, "response_body"),
    (ApiCallLog, "method"),
]


def _text(language: str) -> str:
    html = render_statement_html(build_statement(StatementDraft.current(), language))
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def demo_statement():
    ensure_demo_statement()


@pytest.mark.parametrize("language", STATEMENT_LANGUAGES)
def test_data_content_is_told_in_sentences_not_column_labels(demo_statement, language):
    text = _text(language)
    with translation.override(language):
        for category, _fields in declaration.by_category():
            assert str(category.description) in text, category.key
        for model, name in TECHNICAL_COLUMNS:
            label = str(model._meta.get_field(name).verbose_name)
            assert f" {label}," not in text and f": {label}" not in text, (model, label)


@pytest.mark.parametrize("language", STATEMENT_LANGUAGES)
def test_each_retention_rule_is_stated_once_in_one_table(demo_statement, language):
    # Data → period → counted from → why, each rule once (GDPR 13(2)(a)).
    statement = build_statement(StatementDraft.current(), language)
    text = _text(language)
    retention = next(s for s in statement.sections if s.key == "retention")
    assert not retention.items
    with translation.override(language):
        rules = {field.retention for _d, _n, field in declaration.personal_fields()}
        assert len(retention.table.rows) == len(rules)
        assert all(len(row) == len(retention.table.headers) == 4 for row in retention.table.rows)
        for rule in rules:
            assert text.count(str(rule.reason)) == 1, rule.key
            # A period is always said with the moment it is counted from; a rule an event ends
            # says the event instead.
            assert bool(rule.period()) == bool(str(rule.counted_from)) != bool(str(rule.until))
        starts = [(row[1], row[2], row[3]) for row in retention.table.rows]
        assert len(set(starts)) == len(starts)


@pytest.mark.parametrize(
    ("language", "brief", "contents", "rights"),
    [
        ("fi", "Lyhyesti", "Sisällys", "Voit tarkastaa, korjata ja poistaa tietosi"),
        ("sv", "I korthet", "Innehåll", "Du kan granska, rätta och radera dina uppgifter"),
        ("en", "In brief", "Contents", "You can see, correct and erase your data"),
    ],
)
def test_a_summary_and_a_table_of_contents_open_the_statement(
    demo_statement, language, brief, contents, rights
):
    statement = build_statement(StatementDraft.current(), language)
    html = render_statement_html(statement)
    assert html.index(brief) < html.index(contents) < html.index('<section id="controller">')
    summary = dict(statement.summary)
    assert "Esimerkkikauppa Oy" in summary.values()
    assert any(rights in text for text in summary.values())
    assert any(text == "tietosuoja@esimerkkikauppa.example" for text in summary.values())
    for section in statement.sections:
        assert f'<a href="#{section.key}">{section.heading}</a>' in html
