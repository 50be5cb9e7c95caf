"""The :class:`Reporter` base class: how findings become output.

The engine hands a reporter one file's findings at a time (:meth:`Reporter.add`), so
streaming formats (JSON, JSON lines, SARIF, the human ones) write as they go, and a format
that needs totals first (JUnit) spools its output until :meth:`Reporter.finish`. Findings
arrive already masked unless ``--show-pii``. A plugin adds a format by returning its subclass from
``mailcheck_reporters``.

Human formats show every text that comes from an input (a path, a message quoting a
cell, an excerpt) through :func:`~mailcheck.terminal.printable`: a file name or a form
label holding ``ESC[2J`` or a bidi override is shown escaped, never obeyed. The stream is
set to escape what its encoding cannot hold (``PYTHONIOENCODING=ascii``, a Latin-1
terminal) instead of failing half-way through a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, TextIO

from mailcheck.findings import Finding, LintResult, Severity
from mailcheck.i18n import gettext, t
from mailcheck.pii import mask_text
from mailcheck.terminal import never_fails, printable

if TYPE_CHECKING:
    from mailcheck.registry import RuleRegistry


@dataclass
class ReportSettings:
    """What a reporter may need to know about the run."""

    registry: RuleRegistry
    version: str
    fail_on: Severity = Severity.ERROR
    quiet: bool = False
    #: Row-level findings of one rule in one file beyond this many are counted in human
    #: formats (``+N more rows``); machine formats always list every one.
    group_after: int = 3
    extra: dict = field(default_factory=dict)
    #: The language of the report (``en``, ``fr``): see :mod:`mailcheck.i18n`.
    language: str = "en"
    #: ``--show-pii``: addresses in clear in translated messages too.
    show_pii: bool = False


class Reporter:
    """Base class of output formats."""

    name: ClassVar[str]
    description: ClassVar[str] = ""

    def __init__(self, stream: TextIO, settings: ReportSettings) -> None:
        self.stream = never_fails(stream)
        self.settings = settings

    def message(self, finding: Finding) -> str:
        """The finding's message in the report's language, addresses masked (unless
        ``--show-pii``) as in the English one the engine masked already."""
        language = self.settings.language
        text = finding.text if language != "en" else None
        if text is None:
            return finding.message
        rendered = text.render(language)
        return rendered if self.settings.show_pii else mask_text(rendered)

    def say(self, msgid: str, **params: object) -> str:
        """A fixed text of the report (a heading, a label) in the report's language."""
        return t(msgid, **params).render(self.settings.language)

    def fix(self, finding: Finding) -> str | None:
        """The finding's fix hint in the report's language."""
        if not finding.fix:
            return finding.fix
        return gettext(finding.fix, self.settings.language)

    def start(self) -> None:
        """Called before the first file."""

    def add(self, findings: list[Finding]) -> None:
        """Called with each file's findings (possibly empty), sorted by position."""

    def finish(self, result: LintResult) -> None:
        """Called once at the end with the run's totals."""

    def write(self, text: str = "") -> None:
        self.stream.write(text + "\n")


def summary_line(result: LintResult) -> str:
    """``Found 3 problems (2 errors, 1 warning) in 4 files.`` -- human formats only."""
    counts = result.counts
    total = result.total
    seen = result.files_linted + result.files_unreadable
    files = f"{seen} file{'s' if seen != 1 else ''}"
    if result.files_unreadable:
        # "Found 1 problem (1 error) in 0 files." said nothing of the file it is about.
        files += f" ({result.files_unreadable:,} could not be read)"
    # An unreadable folder, a FIFO named like a list: never "All checks passed".
    skipped = result.skipped
    unchecked = ""
    if skipped:
        unchecked = f"; {skipped:,} path{'s' if skipped != 1 else ''} not checked (see warnings)"
    # Rules that could not run for lack of a column: never "All checks passed" either.
    unchecked += not_run_clause(result)
    # Files left out by their kind or name: said, and a run that linted none never passes.
    left_out = left_out_clause(result)
    if result.files_linted == 0 and total == 0:
        unreadable = result.files_unreadable
        said = f"; {unreadable:,} could not be read" if unreadable else ""
        said += left_out + unchecked
        return f"Nothing linted{said or '; no input found'}."
    if total == 0:
        if skipped or result.not_checked:
            return f"No problems found in {files}{unchecked}{left_out}."
        return f"All checks passed ({files} linted{left_out})."
    parts = [
        f"{counts[s]:,} {s.label}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[s]
    ]
    plural = "s" if total != 1 else ""
    return f"Found {total:,} problem{plural} ({', '.join(parts)}) in {files}{unchecked}{left_out}."


def left_out_clause(result: LintResult) -> str:
    """``; 2 files skipped (see warnings), 14 other files ignored, 3 paths in .gitignore``
    (``""`` when nothing was left out)."""
    named, ignored, gitignored = len(result.not_linted), result.ignored, result.gitignored
    parts = []
    if named:
        parts.append(f"{named:,} file{'s' if named != 1 else ''} skipped (see warnings)")
    if ignored:
        parts.append(f"{ignored:,} other file{'s' if ignored != 1 else ''} ignored")
    if gitignored:
        parts.append(f"{gitignored:,} path{'s' if gitignored != 1 else ''} in .gitignore")
    return f"; {', '.join(parts)}" if parts else ""


def not_run_clause(result: LintResult) -> str:
    """``; 3 checks could not run on 2 files`` (``""`` when every rule could run)."""
    checks, files = result.not_checked, result.files_not_fully_checked
    if not checks:
        return ""
    return (
        f"; {checks:,} check{'s' if checks != 1 else ''} could not run "
        f"on {files:,} file{'s' if files != 1 else ''}"
    )


def coverage_lines(result: LintResult) -> list[str]:
    """What could not be checked, for people: per file, one line per reason
    (``liste.csv: not checked: retention (MC203): no ... column found; map one with
    [columns] consent_at = "<header>"``). Files where every rule ran say nothing."""
    return [
        f"{printable(coverage.path)}: not checked: {printable(group.describe())}"
        for coverage in result.coverage
        for group in coverage.groups()
    ]


@dataclass
class RowGroup:
    """Row-level findings of one rule in one file beyond the first few: counted, with the
    first few line numbers kept, so the human formats stay short on huge lists."""

    path: str
    code: str
    severity: Severity
    shown: int = 0
    more: int = 0
    lines: list[int] = field(default_factory=list)

    def line(self, keep: int = 5) -> str:
        """``list.csv: MC203 [warning] +299,997 more rows: lines 40, 41, 57, 90, 102, ...``"""
        listed = ", ".join(str(n) for n in self.lines[:keep])
        ellipsis = ", ..." if self.more > keep else ""
        rows = "row" if self.more == 1 else "rows"
        return (
            f"{printable(self.path)}: {self.code} [{self.severity.label}] "
            f"+{self.more:,} more {rows}: "
            f"lines {listed}{ellipsis}"
        )
