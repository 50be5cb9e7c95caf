"""Decoding files to text: BOMs, UTF-8, then charset-normalizer for the rest."""

from __future__ import annotations

import codecs
import re

from mailcheck.errors import InputError

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
    for "CSV (MS-DOS)"). Binary data raises :class:`InputError`.
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if b"\x00" in sample[:4096]:
        raise InputError("binary data, not a text file")
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
        raise InputError("unknown text encoding (save it as UTF-8)")
    # cp1252 is a superset of latin-1 for printable text, and what Excel writes.
    encoding = "cp1252" if best.encoding in ("latin_1", "iso8859_15") else best.encoding
    if encoding == "cp1252" and _CP850_IN_CP1252.search(sample.decode("cp1252", "replace")):
        # charset-normalizer's scores barely tell cp850 from cp1252 on short samples; a
        # letter-symbol-letter run (Pr‚nom, d‚sinscrit, M„rz) is cp850 read as cp1252.
        return "cp850"
    return encoding


def decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of a whole file's bytes."""
    encoding = detect_encoding(data[:262144])
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as error:
        raise InputError(f"not valid {encoding} at byte {error.start}") from None
