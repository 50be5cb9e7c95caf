"""The :class:`Reporter` base class: how findings become output.

The engine hands a reporter one file's findings at a time (:meth:`Reporter.add`), so
streaming formats write as they go; buffered formats (JSON array, SARIF, JUnit) keep them
and write in :meth:`Reporter.finish`. Findings arrive already masked unless
``--show-pii``. A plugin adds a format by returning its subclass from
``mailcheck_reporters``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, TextIO

from mailcheck.findings import Finding, Severity

if TYPE_CHECKING:
    from mailcheck.engine import LintResult
    from mailcheck.registry import RuleRegistry


@dataclass
class ReportSettings:
    """What a reporter may need to know about the run."""

    registry: RuleRegistry
    version: str
    fail_on: Severity = Severity.ERROR
    quiet: bool = False
    #: Row-level findings of one rule in one file beyond this many are summarised in
    #: human formats (``+N more rows``); machine formats always list every one.
    group_after: int = 3
    extra: dict = field(default_factory=dict)


class Reporter:
    """Base class of output formats."""

    name: ClassVar[str]
    description: ClassVar[str] = ""

    def __init__(self, stream: TextIO, settings: ReportSettings) -> None:
        self.stream = stream
        self.settings = settings

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
    counts = {severity: 0 for severity in Severity}
    for finding in result.findings:
        counts[finding.severity] += 1
    total = sum(counts.values())
    files = f"{result.files_linted} file{'s' if result.files_linted != 1 else ''}"
    if total == 0:
        return f"All checks passed ({files} linted)."
    parts = [
        f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[s]
    ]
    plural = "s" if total != 1 else ""
    return f"Found {total} problem{plural} ({', '.join(parts)}) in {files}."


def group_rows(findings: Iterable[Finding], group_after: int) -> list[tuple[Finding, list[int]]]:
    """Collapse row-level findings per (path, code): the first ``group_after`` stay, the
    rest are folded into the last kept one as a list of extra line numbers."""
    kept: list[tuple[Finding, list[int]]] = []
    seen: dict[tuple[str, str], int] = {}
    for finding in findings:
        if not finding.row_level:
            kept.append((finding, []))
            continue
        key = (finding.path, finding.code)
        count = seen.get(key, 0)
        seen[key] = count + 1
        if count < group_after:
            kept.append((finding, []))
        else:
            for index in range(len(kept) - 1, -1, -1):
                previous, extra = kept[index]
                if (previous.path, previous.code) == key:
                    extra.append(finding.line)
                    break
    return kept


def more_rows(extra: list[int], shown: int = 5) -> str:
    """`` (+1,204 more rows: lines 40, 41, 57, 90, 102, ...)``"""
    if not extra:
        return ""
    lines = ", ".join(str(n) for n in extra[:shown])
    ellipsis = ", ..." if len(extra) > shown else ""
    return f" (+{len(extra):,} more row{'s' if len(extra) > 1 else ''}: lines {lines}{ellipsis})"
