"""The built-in classifier: which kind of input a file is (runs after plugins)."""

from __future__ import annotations

import re
from pathlib import Path

from mailcheck import hookimpl
from mailcheck.config import Config

_FORM = re.compile(rb"<form\b", re.I)
_SNIFF_BYTES = 1 << 20


@hookimpl(trylast=True)
def mailcheck_classify(path: Path, config: Config) -> str | None:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".zip"):
        return "contacts"
    if suffix == ".eml":
        return "message"
    if suffix in (".html", ".htm"):
        return "form" if _FORM.search(_head(path)) else "template"
    if suffix == ".txt":
        # A .txt is a plain-text e-mail body unless its first line looks like a CSV header.
        first_line = _head(path).split(b"\n", 1)[0].lower()
        looks_tabular = any(sep in first_line for sep in (b",", b";", b"\t"))
        return "contacts" if looks_tabular and b"mail" in first_line else "template"
    return None


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF_BYTES)
    except OSError:
        return b""  # the reader will report the problem
