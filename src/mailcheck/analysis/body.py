"""One parse of a body, walked once: the text a recipient reads, the elements the rules
look at (links, images, stylesheets, headings), the block around an element and the
spans of HTML comments. Everything is kept in the run's memo for the body
(:class:`~mailcheck.context.Memo`), so twenty rules cost one parse and one walk."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mailcheck.documents import html_comment_spans
from mailcheck.i18n import Text, t
from mailcheck.keywords import fold
from mailcheck.lazy import bs4

if TYPE_CHECKING:
    from bs4 import Tag

    from mailcheck.context import LintContext
    from mailcheck.documents import Body


def body_text(body: Body, ctx: LintContext) -> str:
    """The text a recipient reads (tags, scripts, styles and comments removed)."""
    return ctx.memo.get(
        "body.text",
        lambda: body.soup.get_text(" ") if body.soup is not None else body.text,
        of=body,
    )


def folded_text(body: Body, ctx: LintContext) -> str:
    """:func:`body_text` folded (lower case, no accents) for the keyword lists."""
    return ctx.memo.get("body.folded", lambda: fold(body_text(body, ctx)), of=body)


@dataclass
class TagIndex:
    """The elements the rules look at, collected in one walk of the tree."""

    anchors: list[Tag] = field(default_factory=list)  # a, area, <unsubscribe>, <preferences>
    images: list[Tag] = field(default_factory=list)
    styles: list[Tag] = field(default_factory=list)
    headings: list[Tag] = field(default_factory=list)  # title, then the first h1/h2
    images_in: dict[int, list[Tag]] = field(default_factory=dict)  # id(anchor) -> its images


_ANCHOR_NAMES = frozenset({"a", "area", "unsubscribe", "preferences"})
#: Elements that carry an ``href`` without being links themselves.
_NOT_LINKS = frozenset({"link", "base"})


def is_link(node: Tag) -> bool:
    """``<a>``/``<area>``, Campaign Monitor's ``<unsubscribe>``, or a component of an e-mail
    template language that becomes a link when compiled: Foundation's Inky ``<item href>`` /
    ``<button href>``, MJML's ``<mj-button href>`` / ``<mj-social-element href>``... A
    footer ``<item href="#">Unsubscribe</item>`` is a broken link, not a missing one."""
    return node.name in _ANCHOR_NAMES or (
        node.name not in _NOT_LINKS and node.attrs.get("href") is not None
    )


def tag_index(body: Body, ctx: LintContext) -> TagIndex:
    """One walk of the parsed body (cached): every rule reuses it instead of its own
    ``find_all`` over the whole tree."""
    return ctx.memo.get("body.tag_index", lambda: _walk(body), of=body)


def anchor_texts(body: Body, ctx: LintContext) -> list[str]:
    """The text of each of :func:`tag_index`'s anchors (``get_text(" ")``), in its order
    (cached): the kind of message and the unsubscribe routes both read every link's
    text, a tree walk per link."""
    return ctx.memo.get(
        "body.anchor_texts",
        lambda: [anchor.get_text(" ") for anchor in tag_index(body, ctx).anchors],
        of=body,
    )


def _walk(body: Body) -> TagIndex:
    index = TagIndex()
    if body.soup is not None:
        # A link inside a <textarea> is shown as characters, never as a link; most pages
        # have none (bs4's find_parent per link was a tenth of a template's lint).
        textareas = _TEXTAREA.search(body.text) is not None
        for node in body.soup.descendants:
            if not isinstance(node, bs4.Tag):
                continue
            name = node.name
            if is_link(node) and not (textareas and _inside(node, "textarea")):
                index.anchors.append(node)
            elif name == "img":
                index.images.append(node)
                parent = node.parent
                for _ in range(8):  # images sit a few levels under their link at most
                    if parent is None or not isinstance(parent, bs4.Tag):
                        break
                    if parent.name == "a" or is_link(parent):
                        index.images_in.setdefault(id(parent), []).append(node)
                        break
                    parent = parent.parent
            elif name in ("style", "mj-style"):  # MJML's <mj-style> becomes a <style>
                index.styles.append(node)
            elif name == "title" or (name in ("h1", "h2") and len(index.headings) < 5):
                index.headings.append(node)
    return index


_TEXTAREA = re.compile(r"<textarea\b", re.I)


def _inside(node: Tag, name: str) -> bool:
    """Whether an ancestor of ``node`` is a ``name`` element."""
    parent = node.parent
    while parent is not None:
        if parent.name == name:
            return True
        parent = parent.parent
    return False


#: Elements that make a block of text (a paragraph, a table cell...): the unit a sentence
#: around a link, or a phrase searched for, is taken from.
BLOCK_ELEMENTS = {
    "p",
    "td",
    "th",
    "div",
    "li",
    "tr",
    "table",
    "body",
    "center",
    "section",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "dd",
    "dt",
}


def block_text(element: Tag) -> str:
    """Text of the block (paragraph, cell...) that holds ``element``."""
    return " ".join(block_of(element).get_text(" ").split())


def block_of(element: Tag) -> Tag:
    node = element.parent
    while isinstance(node, bs4.Tag) and node.name not in BLOCK_ELEMENTS:
        node = node.parent
    return node if isinstance(node, bs4.Tag) else element


def comment_spans(body: Body, ctx: LintContext) -> list[tuple[int, int]]:
    """The HTML comments of the body (one never closed runs to the end of the text)."""
    return ctx.memo.get("body.comments", lambda: html_comment_spans(body.text), of=body)


#: Elements whose content a reader is never shown as text of the e-mail: a stylesheet
#: (its CSS comments too), a script (``type="text/template"`` included), the ``<title>``
#: (the window's name, not the message), a ``<template>``, a ``<textarea>`` (its markup is
#: shown as characters, never as a link), and their MJML counterparts.
_UNRENDERED_OPEN = re.compile(
    r"<(script|style|title|template|textarea|mj-style|mj-title|mj-attributes)\b[^>]*>", re.I
)


def _unrendered_elements(text: str) -> list[tuple[int, int]]:
    """The spans of those elements, each from its start tag to its end tag; one never
    closed runs to the end of the text, as a mail app reads it (linear)."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    pos = 0
    while (opening := _UNRENDERED_OPEN.search(text, pos)) is not None:
        name = opening.group(1).lower()
        end = lowered.find(f"</{name}", opening.end())
        if end < 0:
            spans.append((opening.start(), len(text)))  # everything after is inside it
            break
        close = lowered.find(">", end)
        pos = len(text) if close < 0 else close + 1
        spans.append((opening.start(), pos))
    return spans


def unrendered(body: Body, offset: int, ctx: LintContext) -> bool:
    """Is ``offset`` in text the reader never sees as part of the message: an HTML
    comment, or the content of ``<style>``, ``<script>``, ``<title>``, ``<template>``,
    ``<textarea>``? A merge tag written there is not an opt-out the reader can use."""
    if not body.is_html:
        return False
    spans = ctx.memo.get(
        "body.unrendered",
        lambda: sorted([*comment_spans(body, ctx), *_unrendered_elements(body.text)]),
        of=body,
    )
    return any(start <= offset < end for start, end in spans)


_PART_LABEL = re.compile(r"^(\S+) part (\d+)$")


def part_name(label: str) -> str | Text:
    """A body's label as the reader's language says it ("text/html part 1" /
    "partie 1 (text/html)"); a label of another shape as it is."""
    match = _PART_LABEL.match(label)
    if match is None:
        return label
    return t("{type} part {number}", type=match.group(1), number=int(match.group(2)))


def in_part(body: Body) -> str | Text:
    """ " in the text/html part 1" for a part of an ``.eml``, '' for a template's one body."""
    return t(" in the {part}", part=part_name(body.label)) if body.label else ""
