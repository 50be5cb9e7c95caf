"""Text that people read: control characters made visible, streams that never fail.

File names, CSV cells, form labels and ``.eml`` headers are written by whoever made the
input. Printed raw, ``ESC[2J`` clears the user's terminal, ``ESC]8;;`` forges a link and
U+202E turns ``gpj.exe`` into ``exe.jpg``. Every human output (the ``concise``, ``full``
and statistics reports, ``inspect``'s text, every stderr line) goes through
:func:`printable`, which shows such characters as escapes (``\\x1b``, ``\\u202e``).
"""

from __future__ import annotations

import contextlib
import re
from typing import TextIO

#: C0 controls (newline apart, see :func:`printable`), DEL, C1 controls, the bidi
#: embeddings, overrides and isolates, the Unicode line and paragraph separators, and
#: lone surrogates (the undecodable bytes of a file name, which no stream can encode).
_UNSAFE = "\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_LINE = re.compile(f"[{_UNSAFE}\n]")
_UNSAFE_BLOCK = re.compile(f"[{_UNSAFE}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, multiline: bool = False) -> str:
    """``text`` with every control character shown as an escape, never raw.

    A newline is escaped too unless ``multiline`` (a block of several lines, where it is
    the layout); a carriage return always is (it rewinds the terminal's line)."""
    pattern = _UNSAFE_BLOCK if multiline else _UNSAFE_LINE
    if pattern.search(text) is None:  # nearly always: no copy
        return text
    return pattern.sub(_escape, text)


#: What JSON may hold raw but a terminal would obey (C0 controls are always escaped by
#: the encoder already): DEL, C1, the line separators and the bidi controls.
_UNSAFE_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_safe(encoded: str) -> str:
    """JSON text (``ensure_ascii=False``) with the characters a terminal would obey
    written as ``\\uNNNN`` escapes: the same JSON value, harmless when ``cat``-ed."""
    if (encoded.isascii() and "\x7f" not in encoded) or _UNSAFE_JSON.search(encoded) is None:
        return encoded  # the first test, in C, settles most lines of a big report
    return _UNSAFE_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)


def never_fails(stream: TextIO) -> TextIO:
    """``stream``, set to write what its encoding cannot hold as ``\\xNN`` escapes rather
    than raise: a report on ``PYTHONIOENCODING=ascii`` or a Latin-1 terminal must not
    die half-way on ``é``. Any stream with ``reconfigure`` (a ``TextIOWrapper``, or a
    wrapper that passes it on) is set; others are left as they are."""
    reconfigure = getattr(stream, "reconfigure", None)
    if callable(reconfigure) and getattr(stream, "errors", None) == "strict":
        with contextlib.suppress(ValueError, OSError, TypeError):  # closed, or cannot now
            reconfigure(errors="backslashreplace")
    return stream
