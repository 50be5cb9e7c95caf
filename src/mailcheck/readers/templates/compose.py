"""A template composed of several files, put together as the template engine would.

:func:`compose` follows ``extends`` (the child's blocks replace the layout's blocks of the
same name; ``parent()``/``super()`` keep the layout's), includes and partials (inlined
where they are written), layouts with a slot (the page's content goes there) and
``{% embed %}`` (an include whose blocks are overridden), ten levels deep at most and
never round a cycle. What cannot be followed -- a variable, a file not found, a path out
of the linted folder, a file too big to read -- is left out and said in
:attr:`Composition.notes`.

The work is bounded by what it produces, not by time: at most :data:`MAX_EXPANSIONS`
files put in, and other files' text only up to the size limit (partials that each
include the next ten times, ten levels down, would put in ten billion copies). Past the
bound no other file is put in, but the linted file's own text still is, whole: the
unsubscribe link written right after a runaway include is still seen, and what is
missing is said with :attr:`Composition.cut` (the engine then says it may be in what
was left out, rather than missing for certain).

The composed text is what the rules judge. Each stretch of it remembers where it came
from, so :meth:`Composition.locate` puts a finding back on the linted file: on its own
line and column for its own content, on the tag that brought it in (``{% extends %}``,
``{% include %}``, ``{{> footer}}``) for content from another file, naming that file.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from mailcheck.errors import InputError, message_of
from mailcheck.files import display_path, safe_resolve
from mailcheck.i18n import Text as Message
from mailcheck.i18n import t
from mailcheck.readers.templates.finder import TemplateFinder, Unresolved
from mailcheck.readers.templates.syntax import (
    Block,
    Include,
    Node,
    Parent,
    Parsed,
    Ref,
    Slot,
    Text,
    Wrap,
    jekyll_slot,
    parse,
)

#: How many files deep a composition goes (a layout of a layout of ... counts each).
MAX_DEPTH = 10
#: How many files a composition puts in, counting each time a file is put in (a
#: newsletter of twenty product cards of three partials each puts in about sixty).
MAX_EXPANSIONS = 1000
_MJ_BODY_OPEN = "<mj-body"
_MJ_BODY_CLOSE = "</mj-body>"


@dataclass(frozen=True)
class Location:
    """Where a position of the composed text is in the linted file; ``included``: the
    file the content came from, when it is not the linted file's own."""

    line: int
    column: int
    included: str | None = None


@dataclass(frozen=True)
class _Source:
    path: Path
    name: str  # as reports show it: relative to the linted folder
    text: str
    parsed: Parsed
    #: The part of the file that is content: an included MJML document gives its <mj-body>.
    window: tuple[int, int]


@dataclass(frozen=True)
class _Piece:
    start: int  # in the composed text
    source: _Source
    offset: int  # in the source's text
    #: Offset in the linted file of the tag that brought this content in (None: its own).
    entry: int | None


@dataclass(frozen=True)
class _Definition:
    """One definition of a block, in the file that wrote it."""

    block: Block
    source: _Source
    entry: int | None


@dataclass
class Composition:
    """The composed text of a template and the way back to the linted file."""

    text: str
    source_text: str
    pieces: list[_Piece]
    #: What could not be followed, one sentence each ("the include 'footer.hbs' (line 12)
    #: was not found in the linted folder: composed without it").
    notes: list[str | Message] = field(default_factory=list)
    #: The references that could not be followed, as written.
    unresolved: list[str] = field(default_factory=list)
    #: The other files the composition read.
    used: list[Path] = field(default_factory=list)
    #: Those of them used as a layout (extended, or given content), not included.
    layouts: list[Path] = field(default_factory=list)
    #: Other files' text was left out past the composition's bound (files put in, size):
    #: what seems missing may be in what was left out.
    cut: bool = False

    def locate(self, line: int, column: int) -> Location:
        """The place in the linted file of ``line``:``column`` of the composed text."""
        if line <= 1 and column <= 1 or not self.pieces:
            return Location(1, 1)  # the whole file
        offset = _offset(self.text, line, column)
        index = max(0, bisect.bisect_right(self._starts, offset) - 1)
        piece = self.pieces[index]
        if piece.entry is None:
            return Location(*_line_column(self.source_text, piece.offset + offset - piece.start))
        return Location(*_line_column(self.source_text, piece.entry), piece.source.name)

    @cached_property
    def _starts(self) -> list[int]:
        return [piece.start for piece in self.pieces]


def compose(
    path: Path,
    text: str,
    finder: TemplateFinder,
    read: Callable[[Path], str],
    max_size: int = 1 << 26,
    name: str | None = None,
) -> Composition | None:
    """``text`` (the file ``path``) with the files it uses put in; ``None`` when it uses
    none. ``read`` gives a file's decoded text (with the run's size limits); the composed
    text stops at ``max_size`` characters (a footer included a million times, or
    includes that double at each level, cannot make a run grow without end). ``name``:
    how notes name the file (standard input's copy is named after ``--stdin-filename``)."""
    parsed = parse(text)
    if not _uses_other_files(parsed):
        return None
    root = _Source(path, name or _name(path, finder.root), text, parsed, (0, len(text)))
    composer = _Composer(finder, read, root, max_size)
    composer.file(root, None, (safe_resolve(path),), [], None)
    return Composition(
        "".join(composer.parts),
        text,
        composer.pieces,
        composer.notes,
        composer.unresolved,
        composer.used,
        composer.layouts,
        cut=composer.cut,
    )


class _Composer:
    """Walks the files of one composition, appending pieces of text in order."""

    def __init__(
        self, finder: TemplateFinder, read: Callable[[Path], str], root: _Source, max_size: int
    ):
        self.finder, self.read, self.root, self.max_size = finder, read, root, max_size
        #: Files read once per composition, however often they are included.
        self.loaded: dict[Path, _Source] = {}
        self.parts: list[str] = []
        self.pieces: list[_Piece] = []
        self.length = 0
        self.notes: list[str | Message] = []
        self.unresolved: list[str] = []
        self.used: list[Path] = []
        self.layouts: list[Path] = []
        #: Files put in so far, and whether the bound was reached (see the module's doc).
        self.expansions = 0
        self.cut = False
        #: Where each reference leads from each file, looked up once (a footer included
        #: in every card is found once).
        self.found: dict[tuple[Ref, Path], Path | Unresolved] = {}

    def over_bound(self) -> bool:
        """Has the composition put in as many files, or as much of their text, as it
        may? Said once in the notes."""
        if self.cut:
            return True
        if self.expansions >= MAX_EXPANSIONS:
            self._cut(
                t(
                    "the composed e-mail puts in more than {count} files (includes of "
                    "includes): no other file is put in past that point, its own text is "
                    "still read",
                    count=MAX_EXPANSIONS,
                )
            )
        elif self.length >= self.max_size:
            self._cut_at_size()
        return self.cut

    def _cut_at_size(self) -> None:
        self._cut(
            t(
                "the composed e-mail is over {size} characters (limits.max-document-size): "
                "no other file is put in past that point, its own text is still read",
                size=self.max_size,
            )
        )

    def _cut(self, note: Message) -> None:
        self.cut = True
        self.notes.append(note)

    def emit(self, source: _Source, start: int, end: int, entry: int | None) -> None:
        low, high = source.window
        start, end = max(start, low), min(end, high)
        if end <= start:
            return
        if source is not self.root and self.length + end - start > self.max_size:
            if not self.cut:
                self._cut_at_size()
            return  # another file's text past the size bound: left out
        self.pieces.append(_Piece(self.length, source, start, entry))
        self.parts.append(source.text[start:end])
        self.length += end - start

    def file(
        self,
        source: _Source,
        entry: int | None,
        chain: tuple[Path, ...],
        overrides: list[dict[str, _Definition]],
        slot: Callable[[], None] | None,
        jekyll: bool = False,
    ) -> None:
        """Put in ``source`` as used from ``entry``: through its layout if it has one."""
        if source is not self.root:
            self.expansions += 1
        parsed = source.parsed
        layout_ref = parsed.extends or parsed.wrap
        layout = self.load(layout_ref, source, chain, layout=True) if layout_ref else None
        if layout is None:
            self.nodes(parsed.nodes, source, entry, chain, overrides, slot, jekyll=jekyll)
            return
        inner_entry = entry if entry is not None else layout_ref.start
        inner_chain = (*chain, safe_resolve(layout.path))
        if parsed.extends is not None:
            own = _definitions(parsed.nodes, source, entry)
            self.file(layout, inner_entry, inner_chain, [*overrides, own], slot)
            return

        def content() -> None:
            self.nodes(parsed.nodes, source, entry, chain, overrides, slot, jekyll=jekyll)

        self.file(
            layout, inner_entry, inner_chain, [], content, jekyll=layout_ref.syntax == "jekyll"
        )

    def nodes(
        self,
        nodes: list[Node],
        source: _Source,
        entry: int | None,
        chain: tuple[Path, ...],
        overrides: list[dict[str, _Definition]],
        slot: Callable[[], None] | None,
        parents: tuple[list[_Definition], int] | None = None,
        *,
        jekyll: bool = False,
    ) -> None:
        for node in nodes:
            if isinstance(node, Text):
                pieces = jekyll_slot(source.text, node.start, node.end) if jekyll else [node]
                for piece in pieces:
                    if isinstance(piece, Slot) and slot is not None:
                        slot()
                    else:
                        self.emit(source, piece.start, piece.end, entry)
            elif isinstance(node, Block):
                chosen = [o[node.name] for o in overrides if node.name in o]
                definitions = [*chosen, _Definition(node, source, entry)]
                self.definition(definitions, 0, chain, overrides, slot)
            elif isinstance(node, Parent):
                if parents is not None and parents[1] + 1 < len(parents[0]):
                    self.definition(parents[0], parents[1] + 1, chain, overrides, slot)
            elif isinstance(node, Slot):
                if slot is not None:
                    slot()
                else:
                    self.emit(source, node.start, node.end, entry)
            elif isinstance(node, Include):
                self.include(node.ref, source, entry, chain)
            elif isinstance(node, Wrap):
                self.wrap(node, source, entry, chain, overrides, slot)

    def definition(
        self,
        definitions: list[_Definition],
        index: int,
        chain: tuple[Path, ...],
        overrides: list[dict[str, _Definition]],
        slot: Callable[[], None] | None,
    ) -> None:
        chosen = definitions[index]
        self.nodes(
            chosen.block.body,
            chosen.source,
            chosen.entry,
            chain,
            overrides,
            slot,
            (definitions, index),
        )

    def include(self, ref: Ref, source: _Source, entry: int | None, chain: tuple[Path, ...]):
        included = self.load(ref, source, chain)
        if included is not None:
            where = entry if entry is not None else ref.start
            self.file(included, where, (*chain, safe_resolve(included.path)), [], None)

    def wrap(
        self,
        wrap: Wrap,
        source: _Source,
        entry: int | None,
        chain: tuple[Path, ...],
        overrides: list[dict[str, _Definition]],
        slot: Callable[[], None] | None,
    ) -> None:
        """A Handlebars partial block (its content goes to the partial's slot) or an
        ``{% embed %}`` (its blocks override the embedded file's)."""
        used = self.load(wrap.ref, source, chain, layout=True)
        if used is None:  # the content is still the page's own
            self.nodes(wrap.body, source, entry, chain, overrides, slot)
            return
        where = entry if entry is not None else wrap.ref.start
        inner_chain = (*chain, safe_resolve(used.path))
        if wrap.embed:
            self.file(used, where, inner_chain, [_definitions(wrap.body, source, entry)], None)
            return

        def content() -> None:
            self.nodes(wrap.body, source, entry, chain, overrides, slot)

        self.file(used, where, inner_chain, [], content)

    def load(
        self, ref: Ref, source: _Source, chain: tuple[Path, ...], *, layout: bool = False
    ) -> _Source | None:
        """The file ``ref`` names, read and parsed; ``None`` (and a note) when it cannot
        be followed. ``layout``: it is used as a layout, not included."""
        if self.over_bound():
            return None
        what = _WHAT.get(ref.syntax) or t("the include")
        line = source.text.count("\n", 0, ref.start) + 1
        where = t(
            "{what} '{written}' (line {line} of {file})",
            what=what,
            written=ref.written,
            line=str(line),  # a line number: no thousands separator
            file=source.name,
        )
        try:
            if len(chain) > MAX_DEPTH:
                raise Unresolved(t("goes deeper than {depth} files: not followed", depth=MAX_DEPTH))
            path = self._find(ref, source.path)
            real = safe_resolve(path)
            if real in chain:
                names = " -> ".join(_name(p, self.finder.real_root) for p in (*chain, real))
                raise Unresolved(t("makes a cycle ({files}): not followed", files=names))
            if real in self.loaded:
                return self.loaded[real]
            text = self.read(path)
        except Unresolved as unresolved:
            reason = _strip_name(unresolved, ref)
            return self._unresolved(ref, t("{include}: {reason}", include=where, reason=reason))
        except InputError as error:
            return self._unresolved(
                ref, t("{where} could not be read ({error})", where=where, error=message_of(error))
            )
        self.used.append(path)
        if layout:
            self.layouts.append(path)
        loaded = _Source(path, _name(path, self.finder.root), text, parse(text), _window(text))
        self.loaded[real] = loaded
        return loaded

    def _find(self, ref: Ref, including: Path) -> Path:
        key = (ref, including)
        if key not in self.found:
            try:
                self.found[key] = self.finder.find(ref, including)
            except Unresolved as unresolved:
                self.found[key] = unresolved
        found = self.found[key]
        if isinstance(found, Unresolved):
            raise found
        return found

    def _unresolved(self, ref: Ref, note: Message) -> None:
        self.notes.append(t("{note}; composed without it", note=note))
        self.unresolved.append(ref.written)
        return None


_WHAT = {
    "handlebars": t("the partial"),
    "mjml": t("the mj-include"),
    "jekyll": t("the layout"),
}


def _definitions(nodes: list[Node], source: _Source, entry: int | None) -> dict[str, _Definition]:
    """Every block a file defines (nested ones too), by name; the first one wins."""
    found: dict[str, _Definition] = {}
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, Block):
            found.setdefault(node.name, _Definition(node, source, entry))
            stack.extend(reversed(node.body))
    return found


def _uses_other_files(parsed: Parsed) -> bool:
    if parsed.extends or parsed.wrap:
        return True
    stack: list[Node] = list(parsed.nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, (Include, Wrap)):
            return True
        if isinstance(node, Block):
            stack.extend(node.body)
    return False


def uses_other_files(text: str) -> bool:
    """Whether a template extends, includes or hands its content to another file."""
    return _uses_other_files(parse(text))


def _window(text: str) -> tuple[int, int]:
    """An MJML file included whole gives the content of its ``<mj-body>``."""
    start = text.find(_MJ_BODY_OPEN)
    if start < 0:
        return 0, len(text)
    opened = text.find(">", start)
    end = text.rfind(_MJ_BODY_CLOSE)
    if opened < 0 or end < opened:
        return 0, len(text)
    return opened + 1, end


def _strip_name(unresolved: Unresolved, ref: Ref) -> str | Message:
    """The note names the reference once: "'x.hbs' was not found" -> "was not found"."""
    if unresolved.name is None or unresolved.name == ref.written:
        return unresolved.reason
    return t("'{name}' {reason}", name=unresolved.name, reason=unresolved.reason)


def _name(path: Path, root: Path) -> str:
    """A file as reports name it (relative to the working folder when inside it)."""
    return display_path(path)


def _offset(text: str, line: int, column: int) -> int:
    position = 0
    for _ in range(line - 1):
        found = text.find("\n", position)
        if found < 0:
            return len(text)
        position = found + 1
    return min(position + max(column, 1) - 1, len(text))


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
