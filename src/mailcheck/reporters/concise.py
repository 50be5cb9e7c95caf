"""``concise`` (default) and ``full``: one line per finding, for people."""

from __future__ import annotations

from mailcheck.findings import Finding
from mailcheck.reporters.base import Reporter, group_rows, more_rows, summary_line


class ConciseReporter(Reporter):
    """``path:line:col: CODE [severity] message``, then a summary line."""

    name = "concise"
    description = "one line per finding and a summary (default)"

    def add(self, findings: list[Finding]) -> None:
        for finding, extra in group_rows(findings, self.settings.group_after):
            self.write_finding(finding, extra)

    def write_finding(self, finding: Finding, extra: list[int]) -> None:
        part = f" [{finding.part}]" if finding.part else ""
        self.write(
            f"{finding.path}:{finding.line}:{finding.column}: {finding.code} "
            f"[{finding.severity.label}] {finding.message}{part}{more_rows(extra)}"
        )

    def finish(self, result) -> None:
        if not self.settings.quiet or result.findings:
            self.write(summary_line(result))


class FullReporter(ConciseReporter):
    """Concise lines plus the source excerpt (masked), the fix and the legal reference."""

    name = "full"
    description = "each finding with its source excerpt, fix and legal reference"

    def write_finding(self, finding: Finding, extra: list[int]) -> None:
        super().write_finding(finding, extra)
        if finding.excerpt:
            self.write(f"    | {finding.excerpt}")
        if finding.fix:
            self.write(f"    fix: {finding.fix}")
        if finding.reference:
            self.write(f"    law: {finding.reference}")
        self.write()


class StatisticsReporter(Reporter):
    """``--statistics``: a count per rule instead of the findings."""

    name = "statistics"
    description = "count of findings per rule"

    def finish(self, result) -> None:
        counts: dict[str, int] = {}
        for finding in result.findings:
            counts[finding.code] = counts.get(finding.code, 0) + 1
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            rule = self.settings.registry.get(code)
            label = rule.severity.label if rule else ""
            name = rule.name if rule else ""
            self.write(f"{count:>8}  {code:<8} {name:<32} {label}")
        self.write(summary_line(result))
