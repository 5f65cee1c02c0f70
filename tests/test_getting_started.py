"""docs/aloitus.md, the shop owner's getting started: its pictures and links are there, and the
names it tells the owner to look for are the ones the staff panel shows."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from integrations.models import ImportJob
from statement.models import OutsideCategory, StatementDraft

GUIDE = settings.BASE_DIR / "docs" / "aloitus.md"


def _text() -> str:
    return " ".join(GUIDE.read_text(encoding="utf-8").split())


def test_every_picture_and_link_of_the_guide_exists():
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", _text())
    local = [t for t in targets if not t.startswith("http")]
    assert any(t.startswith("screenshots/") for t in local)
    missing = [t for t in local if not (GUIDE.parent / t).exists()]
    assert missing == []


def test_the_readme_links_the_guide():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert "(docs/aloitus.md)" in readme


@pytest.mark.parametrize(
    "label",
    [
        "Käyttöönotto vanhasta selosteesta",
        "Lue seloste",
        "Esikatsele ja julkaise",
        "Vahvista tarkoitukset ja tietolähteet",
        "ei valmista tarkoitusta",
        "Selostetta ei voi vielä julkaista",
        "Kertakäyttökoodi",
    ],
)
def test_the_guide_quotes_the_panels_words(label):
    templates = settings.BASE_DIR / "templates"
    code = [settings.BASE_DIR / app for app in ("staff", "statement")]
    sources = [*templates.rglob("*.html"), *(p for d in code for p in d.rglob("*.py"))]
    assert label in _text()
    assert any(label in path.read_text(encoding="utf-8") for path in sources), label


def test_the_guide_names_the_panels_sections_as_the_panel_does():
    text = _text()
    with translation.override("fi"):
        draft = str(StatementDraft._meta.verbose_name).capitalize()
        outside = str(OutsideCategory._meta.verbose_name_plural).capitalize()
        imports = str(ImportJob._meta.verbose_name_plural).capitalize()
        dry_run = str(ImportJob._meta.get_field("is_dry_run").verbose_name).capitalize()
    for name in (draft, outside, imports, dry_run):
        assert name in text, name
