"""JUnit XML: one test suite per file, one test case per finding (as ruff does); a clean
run is one passing test case. A rule that could not run on a file (coverage) is a skipped
test case of that file's suite, its message saying why.

The report is valid against Jenkins' ``junit-10.xsd`` (xUnit plugin), which GitLab and
most CI servers also read: every suite has ``tests``, ``failures``, ``errors`` and
``skipped``; the file is the suite's ``file`` attribute, and a test case carries no
``file`` nor ``line`` attribute (the schema refuses them): ``path:line:column`` starts its
failure's text. A finding at or above ``--fail-on`` is a ``<failure>`` (an ``<error>`` for
the tool's own diagnostics, ``MC9xx``: a file that could not be read is not a test that
failed); one below it is a passing test case whose ``<system-out>`` says what was found,
so a job that exits 0 shows no failure.

A suite's counts come before its test cases, and are only known once every finding of
the file is in. A rule's flagged rows are kept as they arrive in the compact form they
are built from (per row a line and the number of its pieces, see
:mod:`mailcheck.reporters.junit_rows`: 16 bytes a row, never their text), and built
under their suite at the end, a slice at a time, straight into the report. Other
findings' test cases are written as they arrive to a spool (in memory, on disk past a
few MB) and copied under their suites. A report on a list with millions of rows is never
held in memory as findings nor as text.

XML 1.0 forbids most control characters even escaped (``&#27;`` is not well-formed): a
path or a message holding one (a file name with ESC, a CSV cell with a NUL) would make
the whole report unreadable to CI. Such characters are written as visible ``\\x1b``
escapes (:func:`xml_text`).
"""

from __future__ import annotations

import codecs
import re
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from mailcheck.batches import FindingBatch, RowFindings
from mailcheck.findings import Finding, NotChecked, Severity
from mailcheck.i18n import gettext, render, t
from mailcheck.reporters.base import Reporter, severity_label
from mailcheck.reporters.placed import Placed, has_rows

if TYPE_CHECKING:
    import numpy as np

    from mailcheck.reporters.junit_rows import JunitCases, RowMessages

#: Spooled test cases stay in memory up to this size, then move to a temporary file.
SPOOL_IN_MEMORY = 8 << 20
#: The spool is copied to the report this many bytes at a time (memory stays flat).
COPY_BLOCK = 1 << 20
#: Row test cases are built and spooled this many at a time.
BUILD_ROWS = 16_384
#: What XML 1.0 does not allow in a document (its ``Char`` production), lone surrogates
#: included; also C1 controls and bidi overrides, which it allows but a CI page would
#: show raw.
NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def xml_text(text: str) -> str:
    """``text`` with the characters XML cannot hold shown as ``\\xNN`` / ``\\uNNNN``."""
    if NOT_XML.search(text) is None:
        return text
    return NOT_XML.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class JunitReporter(Reporter):
    name = "junit"
    takes_batches = True
    description = "JUnit XML for CI test reports"

    def start(self) -> None:
        #: Row messages in the report's language, rendered once per text across batches
        #: (made with the first batch of rows).
        self.row_messages: RowMessages | None = None
        # Bytes, so that spans are byte offsets; closed in finish().
        self.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        #: path -> its test cases in arrival order: (start, end) spans of the spool, and
        #: row test cases still to build (:class:`_RowCases`); and its count
        self.spans: dict[str, list[tuple[int, int] | _RowCases]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        #: path -> how many of its test cases are failures, errors
        self.failures: dict[str, int] = defaultdict(int)
        self.errors: dict[str, int] = defaultdict(int)

    def add(self, findings: Sequence[Finding]) -> None:
        if has_rows(findings):
            self._add_batch(findings)
            return
        # Findings come file by file (cross-file ones at the end): one span per run of a
        # file's findings.
        current, start = None, 0
        for finding in findings:
            if finding.path != current:
                if current is not None:
                    self.spans[current].append((start, self.spool.tell()))
                current, start = finding.path, self.spool.tell()
            outcome = _outcome(finding, self.settings.fail_on)
            testcase = _testcase(finding, self.message(finding), self.settings.language, outcome)
            self.spool.write(testcase.encode("utf-8"))
            self.counts[finding.path] += 1
            if outcome == "failure":
                self.failures[finding.path] += 1
            elif outcome == "error":
                self.errors[finding.path] += 1
        if current is not None:
            self.spans[current].append((start, self.spool.tell()))

    def _add_batch(self, batch: FindingBatch) -> None:
        """:meth:`add` for a batch holding row findings as columns: a rule's rows are
        written in bulk (:mod:`mailcheck.reporters.junit_rows`) and counted on the
        columns; no finding is built for them."""
        import numpy as np

        from mailcheck.reporters.junit_rows import JunitCases, RowMessages

        fail_on, language = self.settings.fail_on, self.settings.language
        if self.row_messages is None:
            self.row_messages = RowMessages(language, self.settings.show_pii)
        cases = JunitCases(fail_on, language)
        for part in batch.parts:
            if isinstance(part, RowFindings):
                messages, codes = self.row_messages(part)
                cases.add_rows(part, messages, codes)
                failed = int(np.count_nonzero(part.severities() >= int(fail_on)))
                counts = self.errors if part.code.startswith("MC9") else self.failures
                self.counts[part.path] += len(part)
            else:
                outcome = _outcome(part, fail_on)
                testcase = _testcase(part, self.message(part), language, outcome)
                cases.add_text(testcase)
                failed = int(outcome != "passed")
                counts = self.errors if outcome == "error" else self.failures
                self.counts[part.path] += 1
            if failed:
                counts[part.path] += failed
        placed = Placed(batch)
        # The batch is sorted by path: one span per path, as one finding at a time gives.
        paths: dict[str, int] = {}
        path_of = placed.per_part(lambda part: paths.setdefault(part.path, len(paths)), np.int64)
        cuts = [0, *(np.flatnonzero(np.diff(path_of)) + 1).tolist(), len(placed)]
        for begin, end in zip(cuts, cuts[1:], strict=False):
            path = batch.parts[int(placed.part_of[begin])].path
            self.spans[path].append(_RowCases(cases, placed.flat[begin:end]))

    def finish(self, result) -> None:
        from xml.sax.saxutils import quoteattr

        self.write('<?xml version="1.0" encoding="UTF-8"?>')
        total = result.total
        skipped: dict[str, list[NotChecked]] = defaultdict(list)
        for coverage in result.coverage:
            skipped[coverage.path].extend(coverage.not_checked)
        skipped_total = sum(len(items) for items in skipped.values())
        tests = total + skipped_total
        failures, errors = sum(self.failures.values()), sum(self.errors.values())
        self.write(
            f'<testsuites name="mailcheck" tests="{tests or 1}" failures="{failures}" '
            f'errors="{errors}">'
        )
        for path in sorted(set(self.spans) | {p for p, items in skipped.items() if items}):
            count, not_run = self.counts[path], skipped.get(path, [])
            name = quoteattr(xml_text(path))
            self.write(
                f'  <testsuite name={name} file={name} tests="{count + len(not_run)}" '
                f'failures="{self.failures[path]}" errors="{self.errors[path]}" '
                f'skipped="{len(not_run)}">'
            )
            for span in self.spans.get(path, ()):
                if isinstance(span, _RowCases):
                    span.write_to(self.stream)
                else:
                    self._copy(*span)
            for item in not_run:
                self.stream.write(_skipped_testcase(path, item, self.settings.language))
            self.write("  </testsuite>")
        if not tests:
            self.write(
                '  <testsuite name="mailcheck" tests="1" failures="0" errors="0" skipped="0">'
            )
            self.write('    <testcase name="mailcheck" classname="mailcheck" />')
            self.write("  </testsuite>")
        self.write("</testsuites>")
        self.spool.close()

    def _copy(self, start: int, end: int) -> None:
        """Bytes ``start:end`` of the spool to the report, a block at a time."""
        self.spool.seek(start)
        decoder = codecs.getincrementaldecoder("utf-8")()
        left = end - start
        while left > 0:
            block = self.spool.read(min(COPY_BLOCK, left))
            left -= len(block)
            self.stream.write(decoder.decode(block, final=left <= 0))


class _RowCases:
    """Row test cases of one batch and path, kept compact until the report is written:
    then built :data:`BUILD_ROWS` at a time and written as the UTF-8 bytes they are
    built in (the text of a whole list's rows is never held at once)."""

    __slots__ = ("cases", "order")

    def __init__(self, cases: JunitCases, order: np.ndarray) -> None:
        self.cases, self.order = cases, order

    def write_to(self, stream: TextIO) -> None:
        from mailcheck.reporters.bulk_text import utf8_bytes, write_utf8

        for first in range(0, len(self.order), BUILD_ROWS):
            built = self.cases.build(self.order[first : first + BUILD_ROWS])
            write_utf8(stream, utf8_bytes(built))


def not_checked_text(item: NotChecked, language: str = "en") -> str:
    """``retention (MC203) not checked: no date column found; map one with ...``"""
    text = t(
        "{family} ({code}) not checked: {reason}",
        family=_in(item.family, language),
        code=item.code,
        reason=_in(item.reason, language),
    ).render(language)
    return f"{text}; {_in(item.fix, language)}" if item.fix else text


def _in(text: object, language: str) -> str:
    """A family, reason or fix (a message id or a :class:`~mailcheck.i18n.Text`)."""
    return render(text, language) if not isinstance(text, str) else gettext(text, language)


def _skipped_testcase(path: str, item: NotChecked, language: str = "en") -> str:
    from xml.sax.saxutils import quoteattr

    shown = quoteattr(xml_text(path))
    text = not_checked_text(item, language)
    return (
        f'    <testcase name="mailcheck.{item.code}" classname={shown}>\n'
        f"      <skipped message={quoteattr(xml_text(text))} />\n"
        "    </testcase>\n"
    )


def _outcome(finding: Finding, fail_on: Severity) -> str:
    """``failure`` (a rule's finding at or above ``--fail-on``), ``error`` (the tool's own
    diagnostic, MC9xx, at or above it) or ``passed`` (below it: reported, not failing)."""
    if finding.severity < fail_on:
        return "passed"
    return failing(finding.code)


def failing(code: str) -> str:
    """What a finding at or above ``--fail-on`` is: the tool's own diagnostic (MC9xx)
    an ``error``, a rule's finding a ``failure``."""
    return "error" if code.startswith("MC9") else "failure"


def _testcase(
    finding: Finding, message: str | None = None, language: str = "en", outcome: str = "failure"
) -> str:
    """One finding's test case; its place (``path:line:column``) starts the text, as the
    schema has no ``file`` nor ``line`` attribute on a test case."""
    # Imported here: xml.sax.saxutils loads urllib.request, 8 ms that a template run
    # (which imports every format to list them) does not pay.
    from xml.sax.saxutils import escape, quoteattr

    shown_path = xml_text(finding.path)
    shown_message = xml_text(finding.message if message is None else message)
    path = quoteattr(shown_path)
    label = finding.severity.label
    shown_label = severity_label(finding.severity, language)
    where = f"{shown_path}:{finding.line}:{finding.column}"
    text = escape(f"{where}: {finding.code} [{shown_label}] {shown_message}")
    head = f'    <testcase name="mailcheck.{finding.code}" classname={path}>\n'
    if outcome == "passed":
        return f"{head}      <system-out>{text}</system-out>\n    </testcase>\n"
    message = quoteattr(f"{where}: {finding.code} {shown_message}")
    return (
        f'{head}      <{outcome} type="{label}" message={message}>{text}</{outcome}>\n'
        "    </testcase>\n"
    )
