"""Turn an uploaded file's bytes into text, refusing what is not text."""

import re
import unicodedata

from django.utils.translation import gettext as _

from statement.importer.result import StatementImportError


def _binary() -> StatementImportError:
    return StatementImportError(_("Tiedosto ei ole tekstiä (binääritiedosto?)."))


def _empty() -> StatementImportError:
    return StatementImportError(_("Tiedosto on tyhjä."))


# A statement is some tens of kilobytes; a saved web page with its images inlined a few MB.
MAX_BYTES = 5 * 1024 * 1024


def _refuse_known_formats(data: bytes) -> None:
    """Refuse file formats people commonly upload instead of text, saying what to do instead."""
    if data.startswith(b"%PDF-"):
        raise StatementImportError(
            _("Tiedosto on PDF-tiedosto; tallenna seloste tekstinä (.txt) tai HTML-sivuna.")
        )
    if data.startswith(b"PK\x03\x04"):
        raise StatementImportError(
            _("Tiedosto on pakattu tiedosto (esim. Word); tallenna seloste tekstinä (.txt).")
        )
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")):
        raise _binary()  # PNG, JPEG, GIF, old Word/Excel


def _utf16_without_bom(data: bytes) -> str | None:
    """Decode UTF-16 that lacks a byte-order mark, seen as a NUL in every other byte."""
    if len(data) < 8 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    codec = "utf-16-le" if odd > 0.4 * half and even < 0.05 * half else None
    codec = codec or ("utf-16-be" if even > 0.4 * half and odd < 0.05 * half else None)
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _decode_8bit(data: bytes) -> str:
    """Decode UTF-8, falling back to Windows-1252 (what Finnish Windows editors save)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Mostly valid UTF-8 with a stray byte is still UTF-8, not Windows-1252 mojibake.
    pairs = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]+", data))
    high = len(re.findall(rb"[\x80-\xff]", data))
    if pairs * 2 >= 0.8 * high:
        return data.decode("utf-8", "replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return data.decode("latin-1")


# "Ã¤" is "ä" that was once read as Windows-1252 and saved again as UTF-8.
_MOJIBAKE = re.compile("Ã[¤¶„–¥…©¼]")


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Windows-1252 and saved again, when all of it undoes."""
    if len(_MOJIBAKE.findall(text)) < 3 or _MOJIBAKE.sub("", text).count("ä") > 3:
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def _is_stray_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v"


def decode_statement(data: bytes) -> str:
    """Decode uploaded bytes as UTF-8, UTF-16 or Windows-1252, refusing binaries."""
    if not data.strip():
        raise _empty()
    if len(data) > MAX_BYTES:
        raise StatementImportError(
            _("Tiedosto on liian suuri tietosuojaselosteeksi (yli %(size)s Mt).")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    _refuse_known_formats(data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Windows Notepad's "Unicode" is UTF-16 with a BOM; its NUL bytes are not binary.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _binary() from exc
    elif b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise _binary()
    else:
        text = _repair_mojibake(_decode_8bit(data))
    # The few stray control characters tolerated are noise, not text, and are dropped:
    # PostgreSQL refuses a NUL in text or JSON.
    kept = "".join(ch for ch in text if not _is_stray_control(ch))
    if len(text) - len(kept) > max(2, len(text) // 200):
        raise _binary()
    text = kept
    if not text.strip():
        raise _empty()
    return text
