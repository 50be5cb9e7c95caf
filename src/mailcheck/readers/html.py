"""The built-in HTML (and plain-text template) reader."""

from __future__ import annotations

import re
from pathlib import Path

from mailcheck import hookimpl
from mailcheck.config import Config
from mailcheck.documents import HtmlDocument
from mailcheck.errors import InputError
from mailcheck.files import display_path, read_document
from mailcheck.readers.text import decode

_MARKUP = re.compile(r"<\s*[a-zA-Z!/]")


@hookimpl(trylast=True)
def mailcheck_read_document(path: Path, kind: str, config: Config) -> list[HtmlDocument] | None:
    if kind not in ("template", "form"):
        return None
    text, encoding = decode(read_document(path, config))
    plain = path.suffix.lower() == ".txt"
    if not plain and not _MARKUP.search(text):
        raise InputError("no HTML markup found")
    return [
        HtmlDocument(
            path=path,
            display_path=display_path(path),
            kind=kind,
            text=text,
            encoding=encoding,
            content_type="text/plain" if plain else "text/html",
        )
    ]
