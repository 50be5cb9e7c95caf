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


# -- colour and progress on a terminal ---------------------------------------------------

#: How each severity looks on a terminal.
SEVERITY_STYLES = {3: "bold red", 2: "yellow", 1: "cyan"}


def is_terminal(stream: object, environ: dict[str, str] | None = None) -> bool:
    """Whether ``stream`` is a terminal that takes colour: a TTY, without ``NO_COLOR``
    (any value, https://no-color.org) and not ``TERM=dumb``. Piped output, a file, CI
    logs: plain text that tools parse."""
    import os

    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(callable(isatty) and isatty())
    except (OSError, ValueError):  # closed
        return False


def styled_console(stream: TextIO, environ: dict[str, str] | None = None):  # noqa: ANN201
    """A :class:`rich.console.Console` writing to ``stream`` when it is a terminal that
    takes colour (long lines wrapped at its width), else ``None``: write plain lines."""
    if not is_terminal(stream, environ):
        return None
    from rich.console import Console

    return Console(file=stream, force_terminal=True, highlight=False, emoji=False, markup=False)


class Styled:
    """Styles of the report's lines on a terminal."""

    @staticmethod
    def summary(text: str, result) -> object:  # noqa: ANN001
        """The summary line in bold: red with errors, yellow with warnings or what could
        not be checked, green when everything passed."""
        from rich.text import Text

        counts = result.counts
        if any(counts[severity] for severity in counts if int(severity) >= 3):
            style = "bold red"
        elif result.total or result.not_checked or result.skipped or not result.files_linted:
            style = "bold yellow"
        else:
            style = "bold green"
        return Text(text, style=style)


class Progress:
    """A progress bar on stderr while a run lints (files done, rows read, the file being
    read), shown only after about a second, and only when stderr is a terminal: never in
    piped output nor in CI logs. Removed when the run ends, before the report prints."""

    DELAY = 1.0

    def __init__(self, total_files: int, status, language: str = "en") -> None:  # noqa: ANN001
        #: ``status()`` -> (files done, rows read, current file): read by the refresh
        #: thread, so the bar moves while one big list is read.
        self.status = status
        self.total = total_files
        self.language = language
        self.progress = None
        self.task = None
        self.timer = None

    def __enter__(self) -> Progress:
        import threading

        self.timer = threading.Timer(self.DELAY, self._show)
        self.timer.daemon = True
        self.timer.start()
        return self

    def _show(self) -> None:
        import sys
        from pathlib import PurePath

        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar
        from rich.table import Column

        from mailcheck.i18n import t

        language = self.language

        class _Rows(TextColumn):
            def render(column, task):  # noqa: N805, ANN001, ANN202
                from rich.text import Text

                done, rows, current = self.status()
                task.completed = done
                parts = []
                if rows:
                    parts.append(t("{count} rows", count=rows).render(language))
                if current:
                    parts.append(printable(PurePath(current).name))
                return Text(" · ".join(parts), style="dim", overflow="ellipsis", no_wrap=True)

        self.progress = Bar(
            TextColumn(t("Linting").render(language)),
            BarColumn(bar_width=20),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            _Rows("", table_column=Column(ratio=1, no_wrap=True, overflow="ellipsis")),
            console=Console(file=sys.stderr, highlight=False),
            transient=True,
        )
        self.task = self.progress.add_task("", total=self.total)
        self.progress.start()

    def __exit__(self, *exc: object) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer.join()
        if self.progress is not None:
            self.progress.stop()
