"""The built-in contact-list reader: CSV files and ZIP archives of CSV files, fast.

It turns any export into the canonical contact frame (see :mod:`mailcheck.documents`):

* encoding: UTF-8 with or without BOM, else charset-normalizer (Windows-1252 from Excel);
* dialect: delimiter sniffed among ``,`` ``;`` tab ``|``; an Excel ``sep=;`` first line is
  honoured; quoted fields may hold newlines;
* ``line``: the exact *physical* line where each record starts, quoted newlines included;
* columns: ``[columns]`` from config first, then the provider's
  :class:`~mailcheck.providers.ContactFormat`, then the multilingual synonyms of
  ``data/columns.toml``;
* dates: explicit formats only (provider's, then config ``date-formats``, then ISO and the
  day-first EU formats), vectorized; values that match none stay empty (NaT);
* ZIP: members are streamed, never extracted; absolute or ``..`` member names and archives
  whose uncompressed size or compression ratio is absurd are refused.

How it is fast and exact at once (one read of the file, memory bounded by a block):

1. :class:`~mailcheck.readers.csv.blocks.RecordScanner` walks each block of raw bytes
   with numpy: a newline ends a record when the number of ``"`` before it is even (``""``
   escapes keep the parity). It gives each record's first physical line and the last
   record end of the block.
2. pyarrow's ``read_csv`` parses the bytes up to that end (the rest waits for the next
   block), only the mapped columns, as strings or ISO dates; each segment becomes one
   canonical pandas chunk with its line numbers. A background thread reads ahead while
   the rules check the previous chunk (:func:`~mailcheck.readers.csv.frames.prefetch`).

Files the fast path cannot prove it reads exactly (UTF-16, a ``"`` inside an unquoted
field, ragged rows, whitespace-only lines) fall back, from the first record not yet
delivered, to Python's :mod:`csv` module, which counts physical lines itself.

A record is held whole until it ends, on both paths and for the header: one longer than
``limits.max-record-size`` (16 MiB) is refused, naming the line where it starts (a file
without line breaks, or a quote that never closes, would otherwise grow without bound).

Canonical string columns are never null (empty string = missing). ``email_key`` holds the
normalised address (trimmed, lower-cased, NFC, domain in Unicode form: one key per
mailbox, :mod:`~mailcheck.readers.csv.mailboxes`; Gmail dots and ``+tags`` are kept on
purpose).
``status`` is one of :data:`~mailcheck.providers.STATUSES`, ``legal_basis`` one of
:data:`~mailcheck.providers.LEGAL_BASES`; when no column gives them, yes/no columns do
(``opted_out``, ``is_customer``, ``is_b2b``, a shop's ``accepts_marketing``: "no" is a
customer who never opted in, ``nonsubscribed``). ``doc.role`` says what the file
is: ``audience``, ``send-list``, ``suppression`` (a do-not-contact list, possibly hashed)
or ``send-log`` (from the columns, the file name, the provider plugin or the config).

One module per job:

* :mod:`~mailcheck.readers.csv.hook`: what the ``mailcheck_read_document`` hook runs;
* :mod:`~mailcheck.readers.csv.archives`: ZIP and gzip inputs, bomb-proof;
* :mod:`~mailcheck.readers.csv.header`: encoding, dialect, header, headerless lists;
* :mod:`~mailcheck.readers.csv.columns`: column mapping, provider, role, shared words;
* :mod:`~mailcheck.readers.csv.plan`: raw columns to the canonical frame;
* :mod:`~mailcheck.readers.csv.mailboxes`: addresses to mailbox keys (NFC, IDNA);
* :mod:`~mailcheck.readers.csv.strings` and :mod:`~mailcheck.readers.csv.hashing`: the
  Arrow string kernels and the address-key hash;
* :mod:`~mailcheck.readers.csv.frames`: the reading pipeline (fast, then exact, read ahead);
* :mod:`~mailcheck.readers.csv.blocks`: block reading, physical lines, record scanning;
* :mod:`~mailcheck.readers.csv.arrow`: the fast path (pyarrow);
* :mod:`~mailcheck.readers.csv.exact`: the exact slow path (Python's csv module);
* :mod:`~mailcheck.readers.csv.source`: opening the bytes, OS errors in words.

This package is registered as a built-in plugin (:mod:`mailcheck.manager`): it exposes
the hook implementation once, and re-exports the reader's public entry points.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mailcheck import hookimpl

if TYPE_CHECKING:
    from pathlib import Path

    from mailcheck.config import Config
    from mailcheck.documents import ContactListDocument

#: The reader's public entry points, by the module that defines them: imported on first
#: use (PEP 562), so that registering this plugin, as every run does, imports none of the
#: reader (pyarrow, numpy, about 30 modules) until a contact list is read.
_EXPORTS = {
    "count_rows": "frames",
    "domain_of": "strings",
    "hash_strings": "hashing",
    "open_contact_list": "header",
    "scan_records": "blocks",
    "trim_whitespace": "strings",
}


@hookimpl(trylast=True)
def mailcheck_read_document(
    path: Path, kind: str, config: Config
) -> list[ContactListDocument] | None:
    """The reader (:mod:`~mailcheck.readers.csv.hook`), imported with the first list."""
    if kind != "contacts":
        return None
    from mailcheck.readers.csv.hook import mailcheck_read_document as read

    return read(path=path, kind=kind, config=config)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f"mailcheck.readers.csv.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "count_rows",
    "domain_of",
    "hash_strings",
    "mailcheck_read_document",
    "open_contact_list",
    "scan_records",
    "trim_whitespace",
]
