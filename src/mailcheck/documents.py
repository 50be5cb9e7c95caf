"""Documents: what a reader hands to the rules.

One class per kind of input. Readers (built-in or from a provider plugin, through
``mailcheck_read_document``) build them; rules only read them. Nothing here writes to disk.

* :class:`HtmlDocument` -- an HTML e-mail template (kind ``template``) or a page holding a
  signup/checkout form (kind ``form``).
* :class:`MessageDocument` -- an ``.eml`` message (kind ``message``): headers plus one
  :class:`Body` per text part.
* :class:`ContactListDocument` -- one contact-list CSV (kind ``contacts``), possibly a
  member of a ZIP export; its rows arrive as canonical pandas chunks, and what reading
  them found lands in its :class:`ContactReadReport`.

What the core knows about a document is a typed field of these classes (the contact
list's role, the reader's report ...). ``Document.meta`` is a free dict left to
third-party plugins for their own keys, prefixed with the plugin's name: no core fact or
contract lives there.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from bs4 import BeautifulSoup, Tag

    from mailcheck.providers import ContactFormat
    from mailcheck.readers.csv.exact import RunawayQuotes, WideRows
    from mailcheck.readers.csv.header import Headerless
    from mailcheck.readers.dates import UnreadableDates
    from mailcheck.readers.templates import Composition


class Kind(enum.StrEnum):
    """The kinds of input mailcheck understands; rules declare which ones they check."""

    CONTACTS = "contacts"
    TEMPLATE = "template"
    FORM = "form"
    MESSAGE = "message"


@dataclass(eq=False)
class Document:
    """Base of every document.

    ``path`` is the file on disk (the ZIP for a member of an archive); ``display_path``
    is what reports print: relative to the working directory when possible, in POSIX
    form, ``archive.zip!member.csv`` for a ZIP member.

    ``meta`` belongs to third-party plugins: a reader hook may leave facts there for its
    own rules, under keys prefixed with its name (``"acme.segment"``). The core reads no
    fact from it; what it knows is in typed fields.
    """

    path: Path
    display_path: str
    kind: str
    provider: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: What the reader wants said once on stderr when the file is linted (a sheet of a
    #: workbook left alone because it holds no contact list).
    warnings: list[str] = field(default_factory=list)


def parse_html(text: str) -> BeautifulSoup:
    """Parse with ``html.parser``: it records ``sourceline``/``sourcepos`` on every tag.
    The soup knows how deep its elements nest (``deepest``), measured as it was built.
    What a mail app never shows because it is swallowed to the end of the document (an
    unclosed comment or ``<title>``, :func:`swallowed_from`) is left out."""
    cut = swallowed_from(text)
    if cut is not None:  # blanked, line breaks kept: positions stay those of ``text``
        text = text[:cut] + _NOT_NEWLINE.sub(" ", text[cut:])
    return _soup_class()(text, builder=_linear_tree_builder())


#: An HTML comment, as HTML parses it: ``-->`` or ``--!>`` closes it, ``<!-->`` and
#: ``<!--->`` are empty ones; ``-- >`` does not close it.
_COMMENT_END = re.compile(r"--!?>")
_NOT_NEWLINE = re.compile(r"[^\r\n]")
_TITLE = re.compile(r"<title\b[^>]*>", re.I)


def html_comment_spans(text: str) -> list[tuple[int, int]]:
    """The HTML comments of ``text`` as a browser or a mail app reads them; one that is
    never closed runs to the end of the document (its last span ends at ``len(text)``)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        if text.startswith("<!-->", start) or text.startswith("<!--->", start):
            end = text.index(">", start) + 1
        else:
            close = _COMMENT_END.search(text, start + 4)
            end = close.end() if close is not None else len(text)
        spans.append((start, end))
        pos = end
    return spans


def swallowed_from(text: str) -> int | None:
    """Where the rest of the document is swallowed, if it is: an HTML comment never
    closed (``<!-- ancien pied`` ... end of file, or closed only by ``-- >``), or a
    ``<title>`` never closed (its text runs to the end). A mail app shows nothing from
    there on, whatever ``html.parser`` (which reads it as text) says."""
    cuts = []
    if "<!--" in text:
        spans = html_comment_spans(text)
        if (
            spans
            and spans[-1][1] == len(text)
            and _COMMENT_END.search(text, spans[-1][0] + 4) is None
        ):
            cuts.append(spans[-1][0])
    title = _TITLE.search(text)
    if title is not None and text.lower().find("</title", title.end()) < 0:
        cuts.append(title.end())
    return min(cuts) if cuts else None


def measured_depth(soup: BeautifulSoup) -> int | None:
    """How deep the elements of a soup made by :func:`parse_html` nest; ``None`` for
    another soup (bs4 would read an unknown attribute as a search for that tag)."""
    return soup.deepest if isinstance(soup, _soup_class()) else None


@cache
def _soup_class() -> type:
    """``BeautifulSoup`` that notes the deepest element while it builds the tree: the
    reader refuses a page nested too deep, and a walk of 100,000 elements afterwards to
    find it out costs a tenth of the parse."""
    from bs4 import BeautifulSoup

    class MeasuredSoup(BeautifulSoup):
        #: Elements from the root to the deepest one (``<html><body><p>`` is 3).
        deepest = 0

        def pushTag(self, tag: Tag) -> None:  # noqa: N802 - bs4's name
            super().pushTag(tag)
            depth = len(self.tagStack) - 1  # a new tag's parent is the top of the stack
            if depth > self.deepest:
                self.deepest = depth

    return MeasuredSoup


@cache
def _linear_tree_builder_class() -> type:
    """bs4's ``html.parser`` tree builder, with one quadratic step made linear.

    bs4 remembers every void element (``<input>``, ``<br>``, ``<img>``) in a *list* so
    that a later ``</input>`` can be ignored, and looks each end tag up in that list: a
    signup page of 13,000 inputs in nested tables took a minute to parse. A multiset gives
    the same answers in constant time.
    """
    from collections import Counter

    from bs4.builder import HTMLParserTreeBuilder
    from bs4.builder._htmlparser import BeautifulSoupHTMLParser

    class ClosedVoidTags(Counter):
        """The list operations bs4 uses (``append``, ``in``, ``remove``) on a Counter."""

        def append(self, tag: str) -> None:
            self[tag] += 1

        def remove(self, tag: str) -> None:
            self[tag] -= 1
            if self[tag] <= 0:
                del self[tag]

    class LinearParser(BeautifulSoupHTMLParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.already_closed_empty_element = ClosedVoidTags()

    class LinearTreeBuilder(HTMLParserTreeBuilder):
        def feed(self, markup: Any, _parser_class: type = LinearParser) -> None:
            super().feed(markup, _parser_class=_parser_class)

    return LinearTreeBuilder


def _linear_tree_builder() -> Any:
    # Attribute values kept as written: bs4's split of ``class`` (and ``rel`` ...) into
    # lists, on every start tag, was a tenth of a template's lint; the few readers of a
    # class ask :func:`class_names`.
    return _linear_tree_builder_class()(multi_valued_attributes=None)


def class_names(tag: Tag) -> list[str]:
    """The classes of ``tag`` (its ``class`` attribute split on white space)."""
    value = tag.get("class")
    if not value:
        return []
    return value.split() if isinstance(value, str) else [str(name) for name in value]


@dataclass(eq=False)
class Body:
    """Text a recipient reads: a whole HTML template, or one text part of a message.

    ``line_offset`` is added to a line inside ``text`` to get the line in the file (the
    part of an ``.eml`` starts after its headers); it is 0 for a template. ``label``
    names the part in messages (``"text/html part"``), ``None`` for a template.
    """

    text: str
    content_type: str = "text/html"
    label: str | None = None
    line_offset: int = 0
    #: False for a transfer-encoded part (base64, quoted-printable): its lines are not the
    #: file's, so every position collapses to the part's first body line.
    exact_lines: bool = True

    @property
    def is_html(self) -> bool:
        return self.content_type == "text/html"

    @cached_property
    def soup(self) -> BeautifulSoup | None:
        return parse_html(self.text) if self.is_html else None

    def position(self, tag: Tag) -> tuple[int, int]:
        """1-based (line, column) of ``tag`` in the file."""
        if not self.exact_lines:
            return self.line_offset + 1, 1
        line = (tag.sourceline or 1) + self.line_offset
        column = (tag.sourcepos or 0) + 1
        return line, column

    def offset_position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the file of character ``offset`` of ``text``."""
        if not self.exact_lines:
            return self.line_offset + 1, 1
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line + self.line_offset, column


@dataclass(eq=False)
class HtmlDocument(Document):
    """An HTML template or form page -- or a plain-text template (``content_type``
    ``text/plain``, from a ``.txt`` file). ``text`` is the decoded source, never modified
    (for a template composed of several files: the composed e-mail, see ``composition``)."""

    text: str = ""
    encoding: str = "utf-8"
    content_type: str = "text/html"
    #: A template put together from several files (layout, includes): ``text`` is then
    #: the composed e-mail, and this maps its positions back to the file.
    composition: Composition | None = None

    @cached_property
    def body(self) -> Body:
        """The text the rules read: a template language's comments (``{# #}``,
        ``{{!-- --}}``, ``{% comment %}``) blanked out, as the engine drops them before
        sending; offsets, lines and columns stay those of ``text``."""
        from mailcheck.readers.templates.comments import blank_comments

        return Body(blank_comments(self.text), self.content_type)

    @property
    def soup(self) -> BeautifulSoup:
        return self.body.soup  # type: ignore[return-value]

    @property
    def bodies(self) -> list[Body]:
        """Uniform with :class:`MessageDocument`: template rules iterate ``doc.bodies``."""
        return [self.body]


@dataclass(eq=False)
class MessageDocument(Document):
    """An ``.eml`` message parsed by the standard library's :mod:`email` package.

    ``header_lines`` maps a lower-cased header name to the 1-based line of its first
    occurrence, so header findings point at the header.
    """

    message: Any = None  # email.message.EmailMessage
    bodies: list[Body] = field(default_factory=list)
    header_lines: dict[str, int] = field(default_factory=dict)
    #: The decoded file, for the source excerpts of findings (``None``: no excerpts).
    source_text: str | None = None

    def header(self, name: str) -> str | None:
        value = self.message.get(name) if self.message is not None else None
        return None if value is None else str(value)

    def header_line(self, name: str) -> int:
        return self.header_lines.get(name.lower(), 1)


@dataclass
class ContactReadReport:
    """What reading a contact list's rows found, for the tool rules (MC903-MC906).

    The reader fills it *while* the rules iterate the chunks, so it is complete only in
    ``finish_file``. Each field stays ``None`` when there was nothing to report.
    """

    #: Whether the rows were read by the Arrow block parser to the end (``None``: rows
    #: not read yet; ``False``: the exact line-by-line reader took over).
    fast_path: bool | None = None
    #: Filled date cells no format read, per canonical column (MC904); counted afresh on
    #: each read of the rows.
    unreadable_dates: UnreadableDates | None = None
    #: Rows with more fields than the header (MC903).
    wide_rows: WideRows | None = None
    #: Quoted fields that never close (MC905).
    runaway_quotes: RunawayQuotes | None = None


@dataclass(eq=False)
class ContactListDocument(Document):
    """One contact list, read lazily in canonical chunks.

    ``columns`` maps each canonical column (``email``, ``status``, ``consent_at`` ...,
    see :mod:`mailcheck.contacts`) to the source header it came from; ``header`` is the
    file's own header row. ``chunks()`` yields pandas frames holding the canonical
    columns that were found plus ``line`` (the physical line where each record starts).
    It may be called once per lint; the engine feeds every chunk to every contact rule.

    ``role`` says what the file is (``audience``, ``send-list``, ``suppression``,
    ``send-log``) and ``role_reason`` why; ``provider_reason`` says why ``provider``
    was chosen. ``read_report`` holds what reading the rows found.
    """

    encoding: str = "utf-8"
    delimiter: str = ","
    header: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    #: The reader's chunks; called with ``raw_headers`` by :meth:`chunks` when asked.
    read_chunks: Callable[..., Iterator[pd.DataFrame]] | None = None
    row_count: int | None = None
    notes: list[str] = field(default_factory=list)
    provider_reason: str | None = None
    #: The provider's export layout the columns were mapped with, if any.
    contact_format: ContactFormat | None = None
    #: ``None`` when the reader did not decide: rules treat the list as an audience.
    role: str | None = None
    role_reason: str | None = None
    #: Physical lines before the header (an Excel ``sep=;`` line).
    preamble_lines: int = 0
    #: The status every row has, as the file name says (``unsubscribed.csv``).
    file_status: str | None = None
    #: Set when the first row is a contact, not a header (MC906, ``inspect``).
    headerless: Headerless | None = None
    #: ``[limits] max-record-size`` of the config the list was opened with (``None``:
    #: the default).
    max_record_size: int | None = None
    #: The reader's own column plan, private to it (tests look at it).
    reader_plan: Any = None
    #: Counts the data records without parsing them (``mailcheck inspect``).
    count_records: Callable[[], int] | None = None
    read_report: ContactReadReport = field(default_factory=ContactReadReport)

    def chunks(self, raw_headers: Sequence[str] = ()) -> Iterator[pd.DataFrame]:
        """The canonical chunks. ``raw_headers``: headers no canonical column took, added
        to each chunk as their cells' text under ``raw:<header>``: a second read, for a
        rule that must see such a column (a phone or a city kept past retention) in a
        list the built-in reader did not read; with the built-in reader, a rule asks for
        them before the rows are read instead
        (:func:`mailcheck.readers.csv.plan.read_filled_too`), in the one shared read."""
        if self.read_chunks is None:
            return iter(())
        if raw_headers:
            return self.read_chunks(tuple(raw_headers))
        return self.read_chunks()

    def count_rows(self) -> int | None:
        """Data records in the list, ``None`` when its reader cannot count them."""
        return self.count_records() if self.count_records is not None else None

    def has(self, canonical: str) -> bool:
        return canonical in self.columns
