"""The built-in HTML (and plain-text template) reader.

The page is parsed here, before any rule runs, so that a page nested deeper than
``[limits] max-html-depth`` is refused as a whole (one MC900 line) instead of making
the rules that walk from each element to its ancestors, or through each element's
descendants, take time that grows with the square of the depth.

A template that uses other files (a layout it extends, a footer it includes) is judged
composed: :func:`compose_document`, called by the engine, which knows the linted folder
the included files must sit in.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from mailcheck import hookimpl
from mailcheck.config import Config
from mailcheck.documents import Body, HtmlDocument, measured_depth
from mailcheck.errors import InputError
from mailcheck.files import display_path, read_document
from mailcheck.i18n import t
from mailcheck.readers.templates import TemplateFinder, compose, uses_other_files
from mailcheck.readers.text import decode

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

_MARKUP = re.compile(r"<\s*[a-zA-Z!/]")


@hookimpl(trylast=True)
def mailcheck_read_document(path: Path, kind: str, config: Config) -> list[HtmlDocument] | None:
    if kind not in ("template", "form"):
        return None
    text, encoding = decode(read_document(path, config))
    plain = is_plain_text(path)
    if (
        not plain
        and not _MARKUP.search(text)
        and not (kind == "template" and uses_other_files(text))
    ):
        # A file made of includes has its markup in them: checked once composed.
        raise InputError(t("no HTML markup found"))
    doc = HtmlDocument(
        path=path,
        display_path=display_path(path),
        kind=kind,
        text=text,
        encoding=encoding,
        content_type="text/plain" if plain else "text/html",
    )
    check_body(doc.body, config)
    return [doc]


#: What a template language's plain-text part is named: ``rechnung.txt.j2``,
#: ``welcome.text.erb``, ``order.txt.twig``, ``digest.text.hbs``.
_PLAIN_STEMS = (".txt", ".text")


def is_plain_text(path: Path) -> bool:
    """A plain-text body: a ``.txt``, or a template source whose name says it renders
    text (``rechnung.txt.j2``) rather than HTML."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    return suffixes[-1:] == [".txt"] or (len(suffixes) >= 2 and suffixes[-2] in _PLAIN_STEMS)


def compose_document(doc: HtmlDocument, root: Path, config: Config) -> HtmlDocument:
    """``doc`` with the layout it extends and the files it includes put in (every file
    looked for under ``root`` and read with the run's limits), its notes on what could
    not be followed among its warnings; ``doc`` itself when it uses no other file."""
    if doc.kind != "template" or doc.content_type != "text/html":
        return doc

    def read(path: Path) -> str:
        return decode(read_document(path, config))[0]

    limit = config.limits.max_document_size
    composition = compose(
        doc.path, doc.text, TemplateFinder(root), read, limit, name=doc.display_path
    )
    if composition is None:
        return doc
    if not _MARKUP.search(composition.text):
        raise InputError(t("no HTML markup found, not even in the files it includes"))
    composed = replace(
        doc,
        text=composition.text,
        composition=composition,
        warnings=[*doc.warnings, *composition.notes],
    )
    check_body(composed.body, config)
    return composed


def check_body(body: Body, config: Config) -> None:
    """Parse an HTML body now (the rules reuse the tree) and refuse it when it is nested
    deeper than ``[limits] max-html-depth``."""
    if not body.is_html:
        return
    try:
        soup = body.soup
    except Exception as error:  # noqa: BLE001 - bs4 refuses some markup outright
        raise InputError(t("not parseable as HTML ({error})", error=type(error).__name__)) from None
    limit = config.limits.max_html_depth
    depth = measured_depth(soup)  # measured while parsing
    if depth is None:
        depth = nesting_depth(soup)
    if depth > limit:
        raise InputError(
            t(
                "HTML nested {depth} levels deep, over the {limit} limit "
                "(limits.max-html-depth raises it)",
                depth=depth,
                limit=limit,
            )
        )


def nesting_depth(soup: BeautifulSoup) -> int:
    """How many elements deep the tree goes (``<html><body><p>`` is 3), walked with a
    stack: a recursive walk would hit Python's recursion limit on the pages it refuses."""
    from bs4 import Tag

    deepest = 0
    stack = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.contents if isinstance(child, Tag))
    return deepest
