"""JUnit test cases of a rule's flagged rows (a :class:`~mailcheck.batches.RowFindings`)
made in bulk, as one Arrow string array.

An old list gives 900,000 test cases. Their text differs from row to row only by the
line, the severity and the message, and the messages repeat (a few thousand distinct
texts per chunk). So each (severity, message) pair is escaped and quoted once, into the
pieces around the row's line, and Arrow's C++ kernels put every row's line between its
pieces: no Python string per row, and the batch's bytes are written to the spool as
they lie in the array's buffer (:func:`~mailcheck.reporters.bulk_text.utf8_bytes`).

The text is the one :func:`mailcheck.reporters.junit._testcase` gives for the row's
finding, character for character (``saxutils.escape`` and ``quoteattr``, whose quote
depends on the whole attribute, are applied here piece by piece: both replace single
characters, and the line, digits only, changes neither).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from mailcheck.batches import RowFindings
from mailcheck.findings import Severity
from mailcheck.i18n import Text
from mailcheck.pii import mask_text
from mailcheck.reporters.base import severity_label
from mailcheck.reporters.junit import failing, xml_text

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


def escape_attribute(text: str) -> str:
    """What ``xml.sax.saxutils.quoteattr`` escapes before it picks a quote."""
    return _attribute_entities(escape(text))


def _attribute_entities(escaped: str) -> str:
    return escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def quoted(before: str, after: str) -> tuple[str, str]:
    """``quoteattr(before + LINE + after)`` as the two pieces around LINE (``before``
    and ``after`` escaped already), its quotes included."""
    if '"' in before or '"' in after:
        if "'" in before or "'" in after:
            return f'"{before.replace(chr(34), "&quot;")}', f'{after.replace(chr(34), "&quot;")}"'
        return f"'{before}", f"{after}'"
    return f'"{before}', f'{after}"'


def row_messages(
    part: RowFindings, language: str, show_pii: bool
) -> tuple[list[str], Sequence[int]]:
    """The distinct messages of a part's rows as ``Reporter.message`` gives them (in
    ``language``, masked unless ``show_pii``) and, per row, the index of its own."""
    if language == "en":
        return part.message_codes()
    texts, codes = part.text_codes()
    shown = []
    for text in texts:
        if isinstance(text, Text):
            rendered = text.render(language)
            shown.append(rendered if show_pii else mask_text(rendered))
        else:
            english = str(text)
            if part.mask is not None and "@" in english:
                english = part.mask(english)
            shown.append(english)
    return shown, codes


#: At most this many sets of pieces are kept between batches.
MADE_KEPT = 100_000


class _Shared:
    """What every row test case of one rule in one file has in common, escaped."""

    __slots__ = ("code", "head", "text_before", "attribute_before", "attribute_middle")

    def __init__(self, path: str, code: str) -> None:
        shown_path = xml_text(path)
        self.code = code
        self.head = f'    <testcase name="mailcheck.{code}" classname={quoteattr(shown_path)}>\n'
        self.text_before = escape(f"{shown_path}:")
        self.attribute_before = escape_attribute(f"{shown_path}:")
        self.attribute_middle = escape_attribute(f":1: {code} ")


class JunitCases:
    """The test cases of one batch, built in bulk: each is up to three pieces (made once
    per rule, severity and message) with its row's line between them; the rows' lines
    and piece numbers are columns until :meth:`build` joins them in the batch's order."""

    def __init__(
        self, fail_on: Severity, language: str, made: dict[tuple, tuple] | None = None
    ) -> None:
        self.fail_on, self.language = fail_on, language
        #: Pieces already made, per path, rule, severity and message: a report's
        #: :class:`JunitCases` share them (a list's chunks repeat the same messages).
        self.made: dict[tuple, tuple] = {} if made is None else made
        self.firsts: list[str] = []
        self.seconds: list[str] = []
        self.lasts: list[str] = []
        #: Per piece set, how many times the line goes in it (0, 1 or 2).
        self.slots: list[int] = []
        #: Per test case (the parts' findings laid end to end): its pieces and line.
        self.pieces: list[np.ndarray] = []
        self.lines: list[np.ndarray] = []
        self._columns: tuple | None = None

    def add_text(self, text: str) -> None:
        """One test case written whole (a finding that is not a row's)."""
        import numpy as np

        self.pieces.append(np.array([len(self.slots)], dtype=np.int64))
        self.lines.append(np.zeros(1, dtype=np.int64))
        self._pieces(text, "", "", 0)

    def add_rows(self, part: RowFindings, messages: list[str], codes: list[int]) -> None:
        """The rows of ``part``; ``messages`` the distinct messages as the report shows
        them, ``codes`` each row's."""
        import numpy as np
        import pandas as pd

        count = max(len(messages), 1)
        key = part.severities().astype(np.int64) * count + np.asarray(codes, dtype=np.int64)
        inverse, keys = pd.factorize(key)  # hashed, not sorted: the order is no matter
        self.pieces.append(inverse.astype(np.int64) + len(self.slots))
        self.lines.append(np.asarray(part.lines, dtype=np.int64))
        made, path, code = self.made, part.path, part.code
        shared = None
        for level, message in (divmod(key, count) for key in keys.tolist()):
            text = messages[message]
            pieces = made.get((path, code, level, text))
            if pieces is None:
                if len(made) >= MADE_KEPT:
                    made.clear()
                shared = shared or _Shared(path, code)
                pieces = made[(path, code, level, text)] = self._made(shared, level, text)
            self._pieces(*pieces)

    def _made(self, shared: _Shared, level: int, message: str) -> tuple[str, str, str, int]:
        """The pieces of a row's test case around its line, and how many lines go in."""
        severity = Severity(level)
        label = severity_label(severity, self.language)
        shown = escape(xml_text(message))
        text_after = escape(f":1: {shared.code} [{label}] ") + shown
        if severity < self.fail_on:
            return (
                f"{shared.head}      <system-out>{shared.text_before}",
                f"{text_after}</system-out>\n    </testcase>\n",
                "",
                1,
            )
        outcome = failing(shared.code)
        before, after = quoted(
            shared.attribute_before, shared.attribute_middle + _attribute_entities(shown)
        )
        return (
            f'{shared.head}      <{outcome} type="{severity.label}" message={before}',
            f"{after}>{shared.text_before}",
            f"{text_after}</{outcome}>\n    </testcase>\n",
            2,
        )

    def _pieces(self, first: str, second: str, last: str, slots: int) -> None:
        self.firsts.append(first)
        self.seconds.append(second)
        self.lasts.append(last)
        self.slots.append(slots)

    def build(self, order: np.ndarray) -> pa.LargeStringArray:
        """The test cases in ``order`` (indices into them as added), as one array."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if self._columns is None:
            # Once per batch, however many slices it is built in.
            self._columns = (
                np.concatenate(self.pieces),
                np.concatenate(self.lines),
                np.asarray(self.slots, dtype=np.int8),
                [
                    pa.array(texts, pa.large_string())
                    for texts in (self.firsts, self.seconds, self.lasts)
                ],
            )
        all_pieces, all_lines, all_slots, texts = self._columns
        pieces = all_pieces[order]
        slots = all_slots[pieces]
        taken = pa.array(pieces)
        lines = pa.array(all_lines[order]).cast(pa.large_string())
        empty = pa.scalar("", pa.large_string())
        first_line = pc.if_else(pa.array(slots >= 1), lines, empty)
        second_line = pc.if_else(pa.array(slots == 2), lines, empty)
        firsts, seconds, lasts = (column.take(taken) for column in texts)
        return pc.binary_join_element_wise(firsts, first_line, seconds, second_line, lasts, empty)
