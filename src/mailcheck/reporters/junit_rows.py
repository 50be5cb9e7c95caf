"""JUnit test cases of a rule's flagged rows (a :class:`~mailcheck.batches.RowFindings`)
made in bulk, as one Arrow string array.

An old list gives 900,000 test cases. Their text differs from row to row only by the
line, the severity and the message, and the messages repeat (a few thousand distinct
texts per chunk). So each (severity, message) pair of a part becomes a list of pieces
-- two, or three for a failure, whose line is also in its ``message`` attribute -- and
Arrow's ``binary_join`` puts each row's line between its pair's pieces: no Python
string per row, and the bytes are written to the report as they lie in the array's
buffer (:func:`~mailcheck.reporters.bulk_text.utf8_bytes`).

The pieces are made by Arrow too, for every distinct pair of a batch at once (an old
list has 150,000 of them, in Python a step each): the messages are escaped with
``replace_substring`` (only for the characters some message holds), the quote of each
failure's ``message`` attribute is picked from whether it holds ``"`` and ``'``, and
what the pairs of a part, severity and quote share is written once in Python and joined
around them.

The text is the one :func:`mailcheck.reporters.junit._testcase` gives for the row's
finding, character for character (``saxutils.escape`` and ``quoteattr``, whose quote
depends on the whole attribute, are applied here piece by piece: both replace single
characters, and the line, digits only, changes neither). A message holding what XML
cannot hold (:func:`~mailcheck.reporters.junit.xml_text`, rare) is shown in Python first:
Arrow cannot hold a lone surrogate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from mailcheck.batches import RowFindings
from mailcheck.findings import Severity
from mailcheck.i18n import Text
from mailcheck.lazy import np, pa, pc, pd
from mailcheck.pii import mask_text, may_hold_address
from mailcheck.reporters.base import severity_label
from mailcheck.reporters.junit import NOT_XML, failing, xml_text

if TYPE_CHECKING:
    import numpy
    import pyarrow

#: What ``saxutils.escape`` replaces, ``&`` first; then what ``quoteattr`` adds.
_ESCAPES = (("&", "&amp;"), (">", "&gt;"), ("<", "&lt;"))
_ATTRIBUTE_ESCAPES = (("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))
#: The quote of a ``message`` attribute: ``"``; ``'`` when the text holds ``"`` only;
#: ``"`` with ``&quot;`` when it holds both (as ``quoteattr`` picks).
DOUBLE, SINGLE, ENTITY = 0, 1, 2


def escape_attribute(text: str) -> str:
    """What ``xml.sax.saxutils.quoteattr`` escapes before it picks a quote."""
    escaped = escape(text)
    for old, new in _ATTRIBUTE_ESCAPES:
        escaped = escaped.replace(old, new)
    return escaped


class RowMessages:
    """The distinct messages of a part's rows as ``Reporter.message`` gives them (in the
    report's language, masked unless ``show_pii``) and, per row, the index of its own.

    English is rendered once per shared text by the rule (:meth:`RowFindings.message_codes`).
    Another language is rendered here, and kept per text object: a rule's rows share one
    text per distinct value and its chunks meet the same values again, so an old list's
    150,000 distinct messages are about 12,000 texts (rendered in French one at a time,
    with Babel's dates and numbers, they were more than the whole English run)."""

    #: At most this many rendered texts are kept (memory stays bounded).
    LIMIT = 100_000

    def __init__(self, language: str, show_pii: bool) -> None:
        self.language, self.show_pii = language, show_pii
        #: ``id`` of a text -> the text (kept alive, so its ``id`` stays its own) and what
        #: the report shows of it.
        self._shown: dict[int, tuple[Text, str]] = {}

    def __call__(self, part: RowFindings) -> tuple[list[str], Sequence[int]]:
        if self.language == "en":
            return part.message_codes()
        texts, codes = part.text_codes()
        shown = []
        for text in texts:
            if isinstance(text, Text):
                shown.append(self._rendered(text))
            else:
                english = str(text)
                if part.mask is not None and may_hold_address(english):
                    english = part.mask(english)
                shown.append(english)
        return shown, codes

    def _rendered(self, text: Text) -> str:
        kept = self._shown.get(id(text))
        if kept is not None and kept[0] is text:
            return kept[1]
        rendered = text.render(self.language)
        if not self.show_pii:
            rendered = mask_text(rendered)
        if len(self._shown) >= self.LIMIT:
            self._shown.clear()
        self._shown[id(text)] = (text, rendered)
        return rendered


#: The characters escaping or quoting cares about: a message without any is kept as is.
SPECIAL = "&<>\n\r\t\"'"


def shown_messages(messages: list[str]) -> tuple[pyarrow.Array, frozenset[str]]:
    """``messages`` as XML can hold them (:func:`~mailcheck.reporters.junit.xml_text`),
    as an Arrow array, and which :data:`SPECIAL` characters they hold: one search over
    them all, each shown in Python only if needed."""
    joined = " ".join(messages)  # a separator that is not SPECIAL
    if NOT_XML.search(joined) is not None:
        messages = [xml_text(message) for message in messages]
        joined = " ".join(messages)
    holds = frozenset(character for character in SPECIAL if character in joined)
    return pa.array(messages, pa.string()), holds


class _Rows(NamedTuple):
    """The distinct (severity, message) pairs of one part, in the order their piece
    sets are numbered, and which :data:`SPECIAL` characters the messages hold."""

    path: str
    code: str
    levels: numpy.ndarray
    messages: pyarrow.Array
    holds: frozenset[str]


class JunitCases:
    """The test cases of one batch, built in bulk: each is a set of pieces (one per
    part, severity and message) joined with its row's line between them; the rows'
    lines and piece numbers are columns until :meth:`build` joins them in the batch's
    order."""

    def __init__(self, fail_on: Severity, language: str) -> None:
        self.fail_on, self.language = fail_on, language
        #: The parts' (severity, message) pairs, numbered from 0 in this order.
        self.rows: list[_Rows] = []
        self.size = 0
        #: Test cases written whole (findings that are not a row's), numbered -1, -2, ...
        #: until the pairs are counted: then they come after them.
        self.texts: list[str] = []
        #: Per test case (the parts' findings laid end to end): its pieces and line.
        self.pieces: list[numpy.ndarray] = []
        self.lines: list[numpy.ndarray] = []
        self._columns: tuple | None = None

    def add_text(self, text: str) -> None:
        """One test case written whole (a finding that is not a row's)."""
        self.texts.append(text)
        self.pieces.append(np.array([-len(self.texts)], dtype=np.int64))
        self.lines.append(np.zeros(1, dtype=np.int64))

    def add_rows(self, part: RowFindings, messages: list[str], codes: Sequence[int]) -> None:
        """The rows of ``part``; ``messages`` the distinct messages as the report shows
        them, ``codes`` each row's."""
        count = max(len(messages), 1)
        key = part.severities().astype(np.int64) * count + np.asarray(codes, dtype=np.int64)
        inverse, keys = pd.factorize(key)  # hashed, not sorted: the order is no matter
        self.pieces.append(inverse.astype(np.int64) + self.size)
        self.lines.append(np.asarray(part.lines, dtype=np.int64))
        levels, which = np.divmod(keys, count)
        shown, holds = shown_messages(messages)
        self.rows.append(_Rows(part.path, part.code, levels, shown.take(pa.array(which)), holds))
        self.size += len(keys)

    def build(self, order: numpy.ndarray) -> pyarrow.LargeStringArray:
        """The test cases in ``order`` (indices into them as added), as one array."""
        if self._columns is None:
            # Once per batch, however many slices it is built in.
            sets = row_pieces(self.rows, self.fail_on, self.language)
            all_pieces = np.concatenate(self.pieces)
            if self.texts:
                whole = all_pieces < 0
                all_pieces[whole] = self.size - all_pieces[whole] - 1
                texts = pa.array([[text] for text in self.texts], sets.type)
                sets = pa.concat_arrays([sets, texts])
            self._columns = (all_pieces, np.concatenate(self.lines), sets)
        all_pieces, all_lines, sets = self._columns
        lines = pa.array(all_lines[order]).cast(pa.large_string())
        return pc.binary_join(sets.take(pa.array(all_pieces[order])), lines)


def row_pieces(rows: list[_Rows], fail_on: Severity, language: str) -> pyarrow.ListArray:
    """Per (severity, message) pair of ``rows`` laid end to end, the pieces its row's
    line goes between (``list<large_string>``): two for a passing test case, three for
    a failure, whose line is also in its ``message`` attribute.

    A passing test case is ``HEAD <system-out>PATH:`` LINE ``:1: CODE [label] MESSAGE
    </system-out>...``; a failure ``HEAD <failure type=... message="PATH:`` LINE ``:1:
    CODE MESSAGE">PATH:`` LINE ``:1: CODE [label] MESSAGE</failure>...``. What is not
    the message depends only on the part, the severity and the attribute's quote: a few
    groups, made in Python."""
    if not rows:
        return pa.array([], pa.list_(pa.large_string()))
    shared = [_Shared(part.path, part.code) for part in rows]
    part_of = np.repeat(np.arange(len(rows)), [len(part.levels) for part in rows])
    levels = np.concatenate([part.levels for part in rows]).astype(np.int64)
    holds = frozenset().union(*(part.holds for part in rows))
    text, attribute, quote = _escaped(
        pa.concat_arrays([part.messages for part in rows]),
        holds,
        np.array([piece.double for piece in shared])[part_of],
        np.array([piece.single for piece in shared])[part_of],
    )
    # The groups of pairs that share all but the message: part, severity and quote.
    keys, group_of = np.unique((part_of * 4 + levels) * 3 + quote, return_inverse=True)
    made = [
        _group(shared[key // 12], Severity(key // 3 % 4), key % 3, fail_on, language)
        for key in keys.tolist()
    ]
    taken = pa.array(group_of.reshape(-1))
    first, second_before, second_after, last_before, last_after = (
        pa.array(column, pa.large_string()).take(taken) for column in zip(*made, strict=True)
    )
    failed = levels >= int(fail_on)
    mask = pa.array(failed)
    second = pc.if_else(mask, attribute, text).cast(pa.large_string())
    empty = pa.scalar("", pa.large_string())
    pieces = [
        first,
        pc.binary_join_element_wise(second_before, second, second_after, empty),
        pc.binary_join_element_wise(last_before, text.cast(pa.large_string()), last_after, empty),
    ]
    # Each pair's pieces in a row: first, second, and the last for a failure.
    size = len(levels)
    counts = np.where(failed, 3, 2)
    starts = np.cumsum(counts) - counts
    at = np.empty(int(counts.sum()), dtype=np.int64)
    at[starts] = np.arange(size)
    at[starts + 1] = size + np.arange(size)
    at[starts[failed] + 2] = 2 * size + np.flatnonzero(failed)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.concat_arrays(pieces).take(pa.array(at)))


def _escaped(
    messages: pyarrow.Array, holds: frozenset[str], double: numpy.ndarray, single: numpy.ndarray
) -> tuple[pyarrow.Array, pyarrow.Array, numpy.ndarray]:
    """The messages escaped as text (``saxutils.escape``) and as the end of an attribute
    (``quoteattr`` does more), and the attribute's quote (:data:`DOUBLE`, :data:`SINGLE`
    or :data:`ENTITY`), given which :data:`SPECIAL` characters they hold and whether
    what else the attribute holds has ``"`` and ``'``: a kernel runs only where a
    character is there to replace."""
    text = messages
    for old, new in _ESCAPES:
        if old in holds:
            text = pc.replace_substring(text, old, new)
    attribute = text
    for old, new in _ATTRIBUTE_ESCAPES:
        if old in holds:
            attribute = pc.replace_substring(attribute, old, new)
    if '"' in holds:
        double = double | _holds(attribute, '"')
    if not double.any():  # no attribute needs another quote than ``"``
        return text, attribute, np.full(len(double), DOUBLE)
    if "'" in holds:
        single = single | _holds(attribute, "'")
    quote = np.where(double, np.where(single, ENTITY, SINGLE), DOUBLE)
    if (quote == ENTITY).any():
        entities = pc.replace_substring(attribute, '"', "&quot;")
        attribute = pc.if_else(pa.array(quote == ENTITY), entities, attribute)
    return text, attribute, quote


def _holds(texts: pyarrow.Array, character: str) -> numpy.ndarray:
    return pc.match_substring(texts, character).to_numpy(zero_copy_only=False)


class _Shared:
    """What every row test case of one rule in one file has in common, escaped."""

    __slots__ = (
        "code",
        "head",
        "text_before",
        "attribute_before",
        "attribute_middle",
        "double",
        "single",
    )

    def __init__(self, path: str, code: str) -> None:
        shown_path = xml_text(path)
        self.code = code
        self.head = f'    <testcase name="mailcheck.{code}" classname={quoteattr(shown_path)}>\n'
        self.text_before = escape(f"{shown_path}:")
        self.attribute_before = escape_attribute(f"{shown_path}:")
        self.attribute_middle = escape_attribute(f":1: {code} ")
        around = self.attribute_before + self.attribute_middle
        self.double, self.single = '"' in around, "'" in around


def _group(
    shared: _Shared, severity: Severity, quote: int, fail_on: Severity, language: str
) -> tuple[str, str, str, str, str]:
    """The pieces of a group's test cases around the message and the line: the first
    piece, then what goes before and after the message in the second and in the last."""
    label = severity_label(severity, language)
    text_after = escape(f":1: {shared.code} [{label}] ")
    if severity < fail_on:
        return (
            f"{shared.head}      <system-out>{shared.text_before}",
            text_after,
            "</system-out>\n    </testcase>\n",
            "",
            "",
        )
    outcome = failing(shared.code)
    before, middle = shared.attribute_before, shared.attribute_middle
    mark = "'" if quote == SINGLE else '"'
    if quote == ENTITY:
        before, middle = before.replace('"', "&quot;"), middle.replace('"', "&quot;")
    return (
        f'{shared.head}      <{outcome} type="{severity.label}" message={mark}{before}',
        middle,
        f"{mark}>{shared.text_before}",
        text_after,
        f"</{outcome}>\n    </testcase>\n",
    )
