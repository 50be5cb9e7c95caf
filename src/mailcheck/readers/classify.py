"""The built-in classifier: which kind of input a file is (runs after plugins)."""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from pathlib import Path

from mailcheck import hookimpl
from mailcheck.config import Config
from mailcheck.errors import InputError
from mailcheck.files import open_input, read_head
from mailcheck.readers.text import utf16_without_bom

_FORM = re.compile(rb"<form\b", re.I)
#: A form fragment without ``<form>`` (a widget snippet, a checkout partial): an e-mail
#: input, or an input named like a consent field.
_FORM_FRAGMENT = re.compile(
    rb"<input\b[^>]*\btype\s*=\s*[\"']?email\b"
    rb"|<input\b[^>]*\bname\s*=\s*[\"']?[^\"'>]*(?:optin|opt_in|opt-in|newsletter|consent|gdpr|rgpd)",
    re.I,
)
_BOX = re.compile(rb"<input\b[^>]*\btype\s*=\s*[\"']?(?:checkbox|radio)\b", re.I)
_TABLE = re.compile(rb"<table\b", re.I)
#: Template-language sources (Jinja, Twig, Liquid, Nunjucks): read as HTML.
TEMPLATE_SUFFIXES = (".twig", ".liquid", ".jinja", ".jinja2", ".j2", ".njk")
#: A form opened by the template language: Liquid ``{% form %}``, Symfony ``form_start()``.
_TEMPLATE_FORM = re.compile(rb"\{%-?\s*form\b|form_start\(")
_SNIFF_BYTES = 1 << 20
_LINE_BYTES = 1 << 16
#: A line break as editors and Python's universal newlines count them.
LINE_END = re.compile(r"\r\n|\r|\n")


@hookimpl(trylast=True)
def mailcheck_classify(path: Path, config: Config) -> str | None:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".zip"):
        return "contacts"
    if suffix == ".eml":
        return "message"
    if suffix in (".html", ".htm"):
        head = _head(path)
        return "form" if _FORM.search(head) or _is_fragment(head) else "template"
    if suffix in TEMPLATE_SUFFIXES:
        # Only pages with a form are linted; map e-mail templates written in these
        # languages with [file-types] (e.g. "emails/*.liquid" = "template").
        head = _head(path)
        found = _FORM.search(head) or _is_fragment(head) or _TEMPLATE_FORM.search(head)
        return "form" if found else "skip"
    if suffix == ".txt":
        # A .txt is a plain-text e-mail body unless its first line looks like a CSV header
        # (Excel's "Unicode text" export is a tab-separated .txt in UTF-16).
        return "contacts" if looks_like_contact_header(_head(path)) else "template"
    if suffix == ".gz":
        return _gzip_kind(path, config)
    return None


#: Suffixes of what a ``.gz`` holds that are read as contact lists (``list.csv.gz``).
GZIP_LIST_SUFFIXES = (".csv", ".tsv", ".txt")


def _gzip_kind(path: Path, config: Config) -> str | None:
    """A gzip-compressed export is a contact list by the suffix it had before ``.gz``
    (a ``.txt`` when its first line is a CSV header); anything else in a ``.gz`` is not
    read, and ``None`` makes the engine say it was skipped."""
    inner = Path(path.stem).suffix.lower()
    if inner not in GZIP_LIST_SUFFIXES:
        return None
    if inner != ".txt":
        return "contacts"
    try:
        with (
            open_input(path, config.limits.max_list_size, "limits.max-list-size") as handle,
            gzip.GzipFile(fileobj=handle) as inflated,
        ):
            head = inflated.read(_LINE_BYTES)  # bounded: a bomb inflates no further here
    except (InputError, OSError, EOFError, zlib.error):
        return "contacts"  # the reader says what is wrong with it (MC900)
    return "contacts" if looks_like_contact_header(head) else None


def looks_like_contact_header(head: bytes) -> bool:
    """Whether a text file's first line is a CSV header with an e-mail column (a .txt
    beside the templates, or inside an export ZIP next to its README)."""
    first_line = _first_line(head).lower()
    return "mail" in first_line and any(sep in first_line for sep in (",", ";", "\t"))


def _first_line(head: bytes) -> str:
    """The first line of a text file, decoded enough to look for words (UTF-16 by its
    BOM; any other encoding keeps ASCII letters and separators as they are)."""
    head = head[:_LINE_BYTES]
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom) :].decode(encoding, errors="ignore")
            break
    else:
        utf16 = utf16_without_bom(head) if b"\x00" in head[:4096] else None
        text = head.decode(utf16, errors="ignore") if utf16 else head.decode("latin-1")
    return LINE_END.split(text, maxsplit=1)[0]


def _is_fragment(head: bytes) -> bool:
    """A form snippet without ``<form>``: an e-mail or consent input, or boxes laid out
    without tables (e-mails are table-based; interactive e-mails use radio tricks)."""
    if _FORM_FRAGMENT.search(head):
        return True
    return bool(_BOX.search(head)) and not _TABLE.search(head)


def _head(path: Path) -> bytes:
    """The first bytes of ``path``, to sniff its kind: opened as every input is (a FIFO
    never blocks, a device is refused), never read past :data:`_SNIFF_BYTES`."""
    try:
        return read_head(path, _SNIFF_BYTES)
    except InputError:
        return b""  # the reader will report the problem
