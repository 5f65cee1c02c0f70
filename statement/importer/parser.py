"""Put the steps together: text → sections by key → gap report.

Decisions worth knowing:

* A combined heading ("Tietojen luovutus ja asiakkaan omien tietojen hallinta") names several
  keys. Its paragraphs are shared out by what each one talks about when that gives every key
  some text; otherwise every key gets the whole text, as the author wrote it under one heading.
* When a key collects several sections, each keeps its old heading as its first line, so that
  e.g. "Tietojen poistaminen" stays recognisable inside ``rights``.
* Some required keys are filled from sentences elsewhere when no heading names them
  (``report.FALLBACKS``): a sentence about transfers outside the EU, a stated retention period,
  a complaint to the supervisory authority, automated decisions, a direct-marketing ban.
* A section counts as present only with the substance its article asks for: ``retention`` a
  period or its criteria (Art 13(2)(a)), ``legal_basis`` a GDPR Art 6 basis — the old
  "Rekisterin pitämisen peruste: Asiakassuhde" is not one — and ``complaint`` the general right
  (Art 13(2)(d)), not only taking a refusal to the Ombudsman. ``notes`` says why.
* The preamble (text before the first heading) gives the date, and the register's name when a
  line names it ("Webstrella verkkopalveluiden asiakasrekisteri.") and no heading does.
* A section written in Swedish or English (a bilingual statement) is not put into the Finnish
  draft; it is listed as unmapped with a note.
"""

import re

from django.utils.translation import gettext as _

from statement.importer import prose, report, setup
from statement.importer.headings import names, normalise, score
from statement.importer.keys import EXPECTED_KEYS, REQUIRED_KEYS, SECTION_KEYS
from statement.importer.result import ImportResult, StatementImportError
from statement.importer.sections import DATE, DOC_TITLE, LONE_DATE, Block, is_clause, split
from statement.importer.text import clean, detect_language

_REGISTER_NAME = re.compile(r"(rekisteri|tietokanta|kortisto)\.?$", re.IGNORECASE)


def _body(lines: list[str]) -> str:
    """Join body lines, keeping single blank lines between paragraphs."""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _share_out(block: Block, body: str) -> list[tuple[str, str]]:
    """Return (key, text) for a block; a combined heading's paragraphs go where they belong."""
    if len(block.keys) == 1:
        return [(block.keys[0], body)]
    given: dict[str, list[str]] = {k: [] for k in block.keys}
    previous = block.keys
    for para in re.split(r"\n\s*\n", body):
        scores = score(normalise(para))
        top = max(scores[k] for k in block.keys)
        keys = [k for k in block.keys if scores[k] == top] if top else previous
        for key in keys:
            given[key].append(para)
        previous = keys
    if all(given.values()):
        return [(key, "\n\n".join(paras)) for key, paras in given.items()]
    return [(key, body) for key in block.keys]


def _merge(parts: list[tuple[str, str]]) -> str:
    """Join the texts a key collected, each under its old heading when there are several."""
    parts = [(h, t) for h, t in parts if t]
    if len(parts) == 1:
        return parts[0][1]
    texts, previous = [], None
    for heading, text in parts:
        texts.append(f"{heading}\n{text}" if heading and heading != previous else text)
        previous = heading
    return "\n\n".join(texts)


def _read_preamble(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Return the date sentences, register names and other paragraphs before the first heading."""
    dates: list[str] = []
    register_names: list[str] = []
    other: list[str] = []
    for run in report.runs("\n".join(lines)):
        rest = []
        for sentence in report.sentences(run):
            if LONE_DATE.match(sentence) or (re.search(DATE, sentence) and names(sentence, "date")):
                dates.append(sentence.rstrip("."))
            else:
                rest.append(sentence)
        text = " ".join(rest)
        words = len(text.split())
        if 2 <= words <= 8 and _REGISTER_NAME.search(text) and not DOC_TITLE.search(text):
            register_names.append(text.rstrip("."))
        elif words >= 8 and not (DOC_TITLE.search(text) and not is_clause(text)):
            other.append(text)  # a title line is "Henkilötietolain … mukainen rekisteriseloste."
    return dates, register_names, other


def _refuse_other_language(text: str) -> None:
    language = detect_language(text)
    if language == "fi":
        return
    if language == "sv":
        message = _(
            "Teksti ei näytä suomenkieliseltä tietosuojaselosteelta vaan ruotsinkieliseltä. "
            "Tuo selosteen suomenkielinen versio."
        )
    elif language == "en":
        message = _(
            "Teksti ei näytä suomenkieliseltä tietosuojaselosteelta vaan englanninkieliseltä. "
            "Tuo selosteen suomenkielinen versio."
        )
    else:
        message = _("Teksti ei näytä suomenkieliseltä tietosuojaselosteelta.")
    raise StatementImportError(message)


def _read_blocks(
    preamble: list[str], blocks: list[Block], recognised: set[str]
) -> tuple[dict[str, list[tuple[str, str]]], list[tuple[str, str]], list[str], list[str]]:
    """Return the chunks by key, unmapped parts, imported texts and notes of a headed text."""
    if not recognised:
        raise StatementImportError(
            _("Tekstistä ei tunnistettu yhtään tietosuojaselosteen otsikkoa.")
        )
    if len(recognised) < 2:
        raise StatementImportError(
            _(
                "Tekstistä tunnistettiin vain yksi tietosuojaselosteen otsikko; "
                "tiedosto ei näytä kokonaiselta selosteelta."
            )
        )
    dates, register_names, intro = _read_preamble(preamble)
    chunks: dict[str, list[tuple[str, str]]] = {"date": [("", d) for d in dates]}
    unmapped = [("", text) for text in intro]
    imported: list[str] = []  # the Finnish section texts, for fallbacks and promises
    notes: list[str] = []
    for block in blocks:
        body = _body(block.lines)
        if not block.keys:
            if body:  # an empty one only grouped the headings under it
                unmapped.append((block.heading, body))
        elif block.language != "fi" or (
            len(body.split()) >= 8 and detect_language(body) in ("sv", "en")
        ):
            unmapped.append((block.heading, body))
            notes.append(
                _("Osio ”%(heading)s” on kirjoitettu muulla kielellä kuin suomeksi; sitä ei tuotu.")
                % {"heading": block.heading}
            )
        else:
            imported.append(body)
            for key, part in _share_out(block, body):
                chunks.setdefault(key, []).append((block.heading, part))
    if "register_name" not in chunks and register_names:
        chunks["register_name"] = [("", register_names[0])]
    return chunks, unmapped, imported, notes


def parse_statement(text: str) -> ImportResult:
    """Split a Finnish privacy statement into keyed sections and report its gaps."""
    if not text or not text.strip():
        raise StatementImportError(_("Tiedosto on tyhjä."))
    lines = clean(text)
    plain = "\n".join(lines)
    if not any(ch.isalpha() for ch in plain):
        raise StatementImportError(_("Tiedostossa ei ole tekstiä."))
    _refuse_other_language(plain)
    preamble, blocks = split(lines)
    recognised = {k for block in blocks for k in block.keys} - {"date"}
    in_prose = prose.place(lines) if len(recognised) < 2 else None
    if in_prose is not None:
        placed, dates, unplaced_paragraphs = in_prose
        chunks = {"date": [("", d) for d in dates]}
        chunks |= {key: [("", "\n\n".join(paras))] for key, paras in placed.items()}
        unmapped = [("", text) for text in unplaced_paragraphs]
        imported = [text for paras in placed.values() for text in paras]
        notes = [
            _(
                "Selosteessa ei ole otsikoita: sen kappaleet sijoitettiin osiin sen mukaan, "
                "mitä niissä kerrotaan. Tarkista osat luonnoksessa."
            )
        ]
        preamble, blocks = lines, []
    else:
        chunks, unmapped, imported, notes = _read_blocks(preamble, blocks, recognised)
    found = {key: text for key, parts in chunks.items() if (text := _merge(parts))}

    body_sentences = [s for body in imported for s in report.sentences(body)]
    for key, matches in report.FALLBACKS.items():
        if key not in found and (hits := report.dedupe([s for s in body_sentences if matches(s)])):
            found[key] = "\n".join(hits)
    sections = {k: found[k] for k in SECTION_KEYS if k in found}

    missing = [k for k in REQUIRED_KEYS + EXPECTED_KEYS if not _has_substance(k, sections)]
    in_order = list(preamble)  # document order: preamble, then each heading and its text
    for block in blocks:
        in_order += [block.heading, _body(block.lines)]
    notes = report.describe_gaps(sections, "\n".join(in_order)) + notes
    return ImportResult(
        sections=sections,
        setup=setup.read_setup(sections, plain),
        missing=missing,
        outdated=report.find_outdated(in_order),
        promises=report.find_promises(imported),
        unmapped=unmapped,
        notes=notes,
    )


def _has_substance(key: str, sections: dict[str, str]) -> bool:
    """Tell whether a section gives what its article requires, not just a heading."""
    text = sections.get(key, "")
    if not text.strip():
        return False
    if key == "retention":
        return report.states_period(text)
    if key == "legal_basis":
        return report.names_gdpr_basis(text)
    return True
