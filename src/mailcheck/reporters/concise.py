"""``concise`` (default) and ``full``: one line per finding, for people."""

from __future__ import annotations

from collections import Counter

from mailcheck.findings import Finding, Severity
from mailcheck.readers.spreadsheet.locations import human_location
from mailcheck.reporters.base import Reporter, RowGroup, coverage_lines, summary_line
from mailcheck.terminal import printable


class ConciseReporter(Reporter):
    """``path:line:col: CODE [severity] message``, then a summary line.

    Row-level findings (contact rows) print the first ``group_after`` of each rule in each
    file; the rest are counted and shown as one ``+N more rows`` line when the file ends.
    What could not be checked comes after the findings, one line per file and reason
    (``--quiet`` prints findings only).
    """

    name = "concise"
    description = "one line per finding and a summary (default)"

    def start(self) -> None:
        self.groups: dict[tuple[str, str], RowGroup] = {}
        self.current_path: str | None = None

    def add(self, findings: list[Finding]) -> None:
        for finding in findings:
            if finding.path != self.current_path:
                self.flush_groups()
                self.current_path = finding.path
            if not finding.row_level:
                self.write_finding(finding)
                continue
            key = (finding.path, finding.code)
            group = self.groups.get(key)
            if group is None:
                group = self.groups[key] = RowGroup(finding.path, finding.code, finding.severity)
            if group.shown < self.settings.group_after:
                group.shown += 1
                self.write_finding(finding)
            else:
                group.more += 1
                if len(group.lines) < 6:
                    group.lines.append(finding.line)

    def flush_groups(self) -> None:
        for group in self.groups.values():
            if group.more:
                self.write(group.line())
        self.groups.clear()

    def write_finding(self, finding: Finding) -> None:
        part = f" [{printable(finding.part)}]" if finding.part else ""
        where = human_location(finding.path, finding.line, finding.column)
        self.write(
            f"{printable(where)}: {finding.code} "
            f"[{finding.severity.label}] {printable(finding.message)}{part}"
        )

    def finish(self, result) -> None:
        self.flush_groups()
        if not self.settings.quiet:
            for line in coverage_lines(result):
                self.write(line)
        if not self.settings.quiet or result.total:
            self.write(summary_line(result))


class FullReporter(ConciseReporter):
    """Concise lines plus the source excerpt (masked), the fix and the legal reference."""

    name = "full"
    description = "each finding with its source excerpt, fix and legal reference"

    def write_finding(self, finding: Finding) -> None:
        super().write_finding(finding)
        if finding.excerpt:
            self.write(f"    | {printable(finding.excerpt)}")
        if finding.fix:
            self.write(f"    fix: {printable(finding.fix)}")
        if finding.reference:
            self.write(f"    law: {printable(finding.reference)}")
        self.write()


class StatisticsReporter(Reporter):
    """``--statistics``: a count per rule instead of the findings."""

    name = "statistics"
    description = "count of findings per rule"

    def start(self) -> None:
        self.counts: Counter[str] = Counter()
        #: code -> the severities its findings were reported at (after profile, overrides
        #: and per-row escalation such as MC203's grace period), not the rule's default.
        self.severities: dict[str, set[Severity]] = {}

    def add(self, findings: list[Finding]) -> None:
        self.counts.update(finding.code for finding in findings)
        for finding in findings:
            self.severities.setdefault(finding.code, set()).add(finding.severity)

    def finish(self, result) -> None:
        for code, count in sorted(self.counts.items(), key=lambda item: (-item[1], item[0])):
            rule = self.settings.registry.get(code)
            seen = sorted(self.severities.get(code, ()), reverse=True)
            label = "/".join(severity.label for severity in seen)
            name = printable(rule.name) if rule else ""
            self.write(f"{count:>8}  {code:<8} {name:<32} {label}")
        # What could not run, counted in files per reason (the per-file lines are the
        # concise format's).
        not_run: Counter[str] = Counter()
        for coverage in result.coverage:
            not_run.update(group.describe() for group in coverage.groups())
        for text, files in sorted(not_run.items(), key=lambda item: (-item[1], item[0])):
            noun = "file" if files == 1 else "files"
            self.write(f"{files:>8}  {noun:<5}    not checked: {printable(text)}")
        self.write(summary_line(result))
