"""Decoding files to text: BOMs, UTF-8, then charset-normalizer for the rest."""

from __future__ import annotations

import codecs
import re

from mailcheck.errors import InputError
from mailcheck.i18n import t

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


#: In cp1252, the bytes cp850 uses for accented letters are symbols: é -> ‚, â -> ƒ,
#: ä -> „, à -> …, ç -> ‡, ê -> ˆ, ë -> ‰, ï -> ‹, ô -> “, ö -> ”, ò -> •, Ö -> ™,
#: á í ó ú ñ -> ¡ ¢ £ ¤, ü and É undefined. One of them between two letters does not
#: happen in real cp1252 text (unlike ’ in "l’adresse" or œ in "cœur", left out).
_CP850_IN_CP1252 = re.compile(
    r"[^\W\d_][\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u2039\u201c\u201d"
    r"\u2022\u02dc\u2122\u00a1-\u00a5\ufffd][^\W\d_]"
)


def detect_encoding(sample: bytes) -> str:
    """Best encoding for ``sample`` (the start of a file).

    UTF-8 (with or without BOM) is checked first because it is what modern exports use
    and a strict decode proves it; otherwise charset-normalizer decides among the
    encodings Excel and older systems write (French Excel gives Windows-1252, or cp850
    for "CSV (MS-DOS)"). UTF-16 without a BOM is told from binary data by where its NUL
    bytes fall (:func:`utf16_without_bom`); binary data raises :class:`InputError`.
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if b"\x00" in sample[:4096]:
        utf16 = utf16_without_bom(sample)
        if utf16 is None:
            raise InputError(t("binary data, not a text file"))
        return utf16
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        # A sample cut inside a multi-byte character is still UTF-8.
        if error.start >= len(sample) - 3 and error.reason == "unexpected end of data":
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["cp1252", "latin_1", "iso8859_15", "utf_16"]).best()
    if best is None:
        encoding = _cp1252_with_controls(sample)
    else:
        # cp1252 is a superset of latin-1 for printable text, and what Excel writes.
        encoding = "cp1252" if best.encoding in ("latin_1", "iso8859_15") else best.encoding
    if encoding == "cp1252" and _CP850_IN_CP1252.search(sample.decode("cp1252", "replace")):
        # charset-normalizer's scores barely tell cp850 from cp1252 on short samples; a
        # letter-symbol-letter run (Pr‚nom, d‚sinscrit, M„rz) is cp850 read as cp1252.
        return "cp850"
    return encoding


#: Control characters that do not occur in text (tab, line feed and carriage return do).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
#: At most this share of a sample's characters may be controls for it to be text.
CONTROLS_IN_TEXT = 0.01


def _cp1252_with_controls(sample: bytes) -> str:
    """``"cp1252"`` for a sample charset-normalizer refused only because cells hold
    control characters (an escape sequence typed into a signup form: one hostile
    contact must not make a whole Excel export unreadable), when it decodes as cp1252
    and controls are rare; else the file is no text mailcheck can read."""
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or len(_CONTROL.findall(text)) > len(text) * CONTROLS_IN_TEXT:
        raise InputError(t("unknown text encoding (save it as UTF-8)"))
    return "cp1252"


def utf16_without_bom(sample: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``sample`` is UTF-16 text without a BOM, else
    ``None``.

    Excel's "Unicode text" and PowerShell's exports may leave the BOM out; their NUL bytes
    would then pass for binary data. Latin text in UTF-16 has a NUL as the high byte of
    nearly every character, so every other byte is NUL and the bytes between are not; the
    sample must then decode to text without control characters, which keeps binary files
    (whose NULs fall anywhere, or decode to controls) refused."""
    head = sample[:4096]
    head = head[: len(head) // 2 * 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        # Characters of U+0100 and up (Œ, €, ’) have a non-NUL high byte, and a few have
        # a NUL low byte (Ā, the second half of some emoji): most, not all.
        if high.count(0) * 10 < len(high) * 6 or low.count(0) * 20 > len(low):
            continue
        text = head.decode(encoding, errors="replace")
        if len(text) > 1 and text[-1] == "\ufffd":
            text = text[:-1]  # the sample may end inside a surrogate pair
        if not _CONTROL.search(text):
            return encoding
    return None


def decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of a whole file's bytes."""
    encoding = detect_encoding(data[:262144])
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as error:
        raise InputError(
            t("not valid {encoding} at byte {offset}", encoding=encoding, offset=str(error.start))
        ) from None
