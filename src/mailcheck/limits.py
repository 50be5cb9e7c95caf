"""What one input may cost at most: :class:`Limits` (``[limits]`` in the config file)
and the byte sizes its keys are written in (``"10 MiB"``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mailcheck.config_values import positive_int, toml_table
from mailcheck.errors import message_of
from mailcheck.i18n import t

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$", re.I)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(value: Any) -> int:
    """A byte count: a whole number, or a string with a unit (``"10 MiB"``, ``"4GB"``;
    K, M, G and T are powers of 1,024 whether or not an ``i`` follows)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE.match(value) if isinstance(value, str) else None
    if match is None or float(match.group(1)) <= 0:
        raise TypeError(t("expected a positive size (a number of bytes, or like '10 MiB')"))
    unit = (match.group(2) or "").lower().rstrip("b").rstrip("i")
    size = float(match.group(1)) * _UNITS[unit]
    if not 1 <= size < float("inf"):  # 400 digits are infinite as a float: no crash
        raise TypeError(t("expected a positive size (a number of bytes, or like '10 MiB')"))
    return int(size)


def format_size(size: int) -> str:
    """``10485760`` -> ``"10 MiB"`` (the unit the limits are written in)."""
    for unit, factor in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


@dataclass
class Limits:
    """What one input may cost at most, so that no file can make a run hang or grow past
    about 1 GiB of memory (``[limits]`` in the config file; each key is named in the
    error a file that passes it gets, so the user knows what to raise)."""

    #: A contact list (CSV, TSV, or a member of a ZIP or .gz once uncompressed). Lists
    #: are streamed, so this bounds time, not memory.
    max_list_size: int = 8 << 30
    #: One record of a contact list, or its header line (real exports: under a few KiB, a
    #: notes field rarely past 100 KiB). A record is held whole while it is read: this
    #: bounds the memory a file without line breaks, or a quote that never closes, takes.
    max_record_size: int = 16 << 20
    #: A template, form, message or plain-text body: read whole and parsed as HTML.
    max_document_size: int = 5 << 20
    #: A configuration file, a keyword list, a baseline.
    max_config_size: int = 1 << 20
    max_baseline_size: int = 64 << 20
    #: Entries of one ZIP archive (an export ZIP holds a handful).
    max_zip_members: int = 1000
    #: Uncompressed bytes of one archive (ZIP or gzip) in all, and its ratio to the
    #: archive's size on disk (a text export compresses 5 to 20 times).
    max_uncompressed_size: int = 4 << 30
    max_compression_ratio: int = 200
    #: Depth of nested HTML elements (real pages: under 50; a page of unclosed tags is
    #: refused before analysis that walks from each element to its ancestors).
    max_html_depth: int = 512
    #: Bytes of the header section of a ``.eml`` message.
    max_header_size: int = 256 << 10
    #: MIME parts of one ``.eml`` message (a newsletter has two or three, attachments included).
    max_mime_parts: int = 1000


#: ``[limits]`` key -> (attribute of :class:`Limits`, validator).
LIMIT_KEYS: dict[str, tuple[str, Callable[[Any], int]]] = {
    "max-list-size": ("max_list_size", parse_size),
    "max-record-size": ("max_record_size", parse_size),
    "max-document-size": ("max_document_size", parse_size),
    "max-config-size": ("max_config_size", parse_size),
    "max-baseline-size": ("max_baseline_size", parse_size),
    "max-zip-members": ("max_zip_members", positive_int),
    "max-uncompressed-size": ("max_uncompressed_size", parse_size),
    "max-compression-ratio": ("max_compression_ratio", positive_int),
    "max-html-depth": ("max_html_depth", positive_int),
    "max-header-size": ("max_header_size", parse_size),
    "max-mime-parts": ("max_mime_parts", positive_int),
}


def limit_key(attribute: str) -> str:
    """The ``[limits]`` key of a :class:`Limits` attribute (for error messages)."""
    return "limits." + attribute.replace("_", "-")


def parse_limits(value: Any) -> Limits:
    limits = Limits()
    for key, item in toml_table(value).items():
        if key not in LIMIT_KEYS:
            raise TypeError(
                t(
                    "unknown limit {key} (known: {known})",
                    key=repr(key),
                    known=", ".join(LIMIT_KEYS),
                )
            )
        attribute, validate = LIMIT_KEYS[key]
        try:
            setattr(limits, attribute, validate(item))
        except TypeError as error:
            raise TypeError(t("{key}: {error}", key=key, error=message_of(error))) from None
    return limits
