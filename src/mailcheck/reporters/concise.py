"""``concise`` (default) and ``full``: one line per finding, for people.

Piped or written to a file, each finding is one line that tools parse
(``path:line:col: CODE [severity] message``). On a terminal (a TTY, without ``NO_COLOR``
nor ``TERM=dumb``) the same findings are shown grouped under their file, in colour,
long messages wrapped at the terminal's width (:mod:`mailcheck.terminal`).
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field

from mailcheck.batches import FindingBatch, RowFindings, parts_of
from mailcheck.findings import Finding, LintResult, Severity
from mailcheck.i18n import gettext, t
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np
from mailcheck.pii import mask_contact
from mailcheck.readers.spreadsheet.locations import file_of, human_location
from mailcheck.reporters.base import (
    Reporter,
    RowGroup,
    coverage_lines,
    describe_group,
    severity_label,
    summary_line,
)
from mailcheck.reporters.placed import Placed, has_rows, runs
from mailcheck.terminal import SEVERITY_STYLES, Styled, printable, styled_console


@dataclass
class _Entry:
    """One finding (or ``+N more rows`` line) held until the report is written."""

    line: int
    column: int
    location: str
    code: str
    severity: Severity
    #: The message as (text, style) pieces: the masked address of a row in bold.
    message: list[tuple[str, str]]
    details: list[str] = field(default_factory=list)
    #: A ``+N more rows`` line: shown after the file's findings, as it is.
    more: bool = False


class ConciseReporter(Reporter):
    """``path:line:col: CODE [severity] message``, then a summary line.

    Row-level findings (contact rows) print the first ``group_after`` of each rule in each
    file, led by the contact's masked address; the rest are counted and shown as one
    ``+N more rows`` line saying how to see them all. Findings are held per file and
    written at the end, so a finding about several files (a suppressed address still
    subscribed elsewhere) is shown among its own file's. What could not be checked comes
    after the findings, one line per file and reason (``--quiet`` prints findings only).
    """

    name = "concise"
    description = "one line per finding and a summary (default)"
    takes_batches = True
    human = True
    #: A blank line after each finding (``full``, whose findings take several lines).
    blank_after = False

    def start(self) -> None:
        self.groups: dict[tuple[str, str], RowGroup] = {}
        #: path -> its findings to show, in the order files came (bounded: row findings
        #: past ``group_after`` per rule and file are counted, not kept).
        self.files: dict[str, list[_Entry]] = {}
        self.problem_files: set[str] = set()
        self.console = styled_console(self.stream)

    def add(self, findings: list[Finding]) -> None:
        if has_rows(findings):
            self._add_batch(findings)
            return
        group_after = self.settings.group_after
        last = None
        for finding in findings:
            if finding.path != last:
                last = finding.path
                self.problem_files.add(file_of(finding.path))
            if not finding.row_level:
                self.keep(finding)
                continue
            key = (finding.path, finding.code)
            group = self.groups.get(key)
            if group is None:
                group = self.groups[key] = RowGroup(finding.path, finding.code, finding.severity)
            if group.shown < group_after:
                group.shown += 1
                self.keep(finding)
            else:
                group.more += 1
                if len(group.lines) < 6:
                    group.lines.append(finding.line)

    def _add_batch(self, batch: FindingBatch) -> None:
        """:meth:`add` for a batch with row findings kept as columns: only the rows shown
        are built as findings; the others are counted, the first few lines kept."""
        group_after = self.settings.group_after
        placed = Placed(batch)
        self.problem_files.update(file_of(path) for path in {part.path for part in batch.parts})
        # Each part's group (path, rule); -1 for a finding always shown (not about a row).
        groups: dict[tuple[str, str], int] = {}
        key = placed.per_part(
            lambda part: (
                groups.setdefault((part.path, part.code), len(groups)) if part.row_level else -1
            ),
            np.int64,
        )
        shown: list[int] = []
        lines = None
        # In the order each group is first met, as one finding at a time would (the
        # "+N more rows" lines come in that order).
        for first, places in runs(key):
            if places is None:
                shown.append(first)
                continue
            finding = placed.finding(first)
            group = self.groups.get((finding.path, finding.code))
            if group is None:
                group = RowGroup(finding.path, finding.code, finding.severity)
                self.groups[(finding.path, finding.code)] = group
            now = min(max(group_after - group.shown, 0), len(places))
            group.shown += now
            shown.extend(places[:now].tolist())
            group.more += len(places) - now
            listed = places[now : now + max(6 - len(group.lines), 0)]
            if len(listed):
                lines = placed.lines() if lines is None else lines
                group.lines.extend(lines[listed].tolist())
        for place in sorted(shown):
            self.keep(placed.finding(place))

    def keep(self, finding: Finding) -> None:
        where = human_location(finding.path, finding.line, finding.column)
        entry = _Entry(
            finding.line,
            finding.column,
            printable(where[len(finding.path) :].lstrip(":!")),
            finding.code,
            finding.severity,
            self.message_pieces(finding),
            self.details(finding),
        )
        self.files.setdefault(finding.path, []).append(entry)

    def message_pieces(self, finding: Finding) -> list[tuple[str, str]]:
        """The message, led for a contact row by its (masked) address: ``j***@gmail.com
        -- dernier clic 03/05/2019``."""
        message = printable(self.message(finding))
        part = f" [{printable(finding.part)}]" if finding.part else ""
        address = finding.data.get("address") if finding.row_level else None
        if isinstance(address, str) and address:
            shown = address if self.settings.show_pii else mask_contact(address)
            shown = printable(shown)
            if shown not in message:
                return [(shown, "bold"), (" — ", ""), (message + part, "")]
        return [(message + part, "")]

    def details(self, finding: Finding) -> list[str]:
        """Lines shown under the finding (``full``: excerpt, fix, law)."""
        return []

    def finish(self, result: LintResult) -> None:
        language = self.settings.language
        for group in self.groups.values():
            if group.more:
                self.files.setdefault(group.path, []).append(
                    _Entry(
                        sys.maxsize,
                        0,
                        "",
                        group.code,
                        group.severity,
                        [(group.text(language=language), "dim")],
                        more=True,
                    )
                )
        summary = summary_line(result, language, problem_files=len(self.problem_files))
        if self.console is not None:
            self.write_styled(result, summary)
            return
        for path, entries in self.files.items():
            entries.sort(key=lambda entry: (entry.line, entry.column))
            for entry in entries:
                text = "".join(piece for piece, _ in entry.message)
                where = printable(
                    path if entry.more else human_location(path, entry.line, entry.column)
                )
                label = severity_label(entry.severity, language)
                self.write(f"{where}: {entry.code} [{label}] {text}")
                for detail in entry.details:
                    self.write(detail)
                if self.blank_after and not entry.more:
                    self.write()
        if not self.settings.quiet:
            for line in coverage_lines(result, language):
                self.write(line)
        if not self.settings.quiet or result.total:
            self.write(summary)

    def write_styled(self, result: LintResult, summary: str) -> None:
        """The terminal's layout: a heading per file, its findings aligned and wrapped,
        what could not be checked on it, then the summary in colour."""
        from rich.padding import Padding
        from rich.table import Table
        from rich.text import Text

        language = self.settings.language
        console = self.console
        not_checked: dict[str, list[str]] = {}
        if not self.settings.quiet:
            for coverage in result.coverage:
                for group in coverage.groups():
                    not_checked.setdefault(coverage.path, []).append(
                        t(
                            "not checked: {reason}",
                            reason=printable(describe_group(group, language)),
                        ).render(language)
                    )
        paths = list(self.files) + [p for p in not_checked if p not in self.files]
        for path in paths:
            console.print(Text(printable(path), style="bold underline"))
            entries = sorted(self.files.get(path, ()), key=lambda e: (e.line, e.column))
            if entries:
                table = Table.grid(padding=(0, 1))
                table.add_column(no_wrap=True, style="dim", justify="right")
                table.add_column(no_wrap=True, style="bold")
                table.add_column(no_wrap=True)
                table.add_column(overflow="fold")
                for entry in entries:
                    label = severity_label(entry.severity, language)
                    message = Text()
                    for piece, style in entry.message:
                        message.append(piece, style=style or None)
                    for detail in entry.details:
                        message.append("\n" + detail.strip(), style="dim")
                    table.add_row(
                        entry.location,
                        entry.code,
                        Text(label, style=SEVERITY_STYLES[entry.severity]),
                        message,
                    )
                console.print(Padding(table, (0, 0, 0, 2)))
            for line in not_checked.get(path, ()):
                console.print(Padding(Text(line, style="yellow"), (0, 0, 0, 2)))
            console.print()
        if not self.settings.quiet or result.total:
            console.print(Styled.summary(summary, result))


class FullReporter(ConciseReporter):
    """Concise lines plus the source excerpt (masked), the fix and the legal reference."""

    name = "full"
    description = "each finding with its source excerpt, fix and legal reference"
    takes_batches = True
    blank_after = True

    def details(self, finding: Finding) -> list[str]:
        lines = []
        if finding.excerpt:
            lines.append(f"    | {printable(finding.excerpt)}")
        fix = self.fix(finding)
        if fix:
            lines.append("    " + self.say(N_("fix: {text}"), text=printable(fix)))
        if finding.reference:
            law = gettext(finding.reference, self.settings.language)
            lines.append("    " + self.say(N_("law: {text}"), text=printable(law)))
        return lines


class StatisticsReporter(Reporter):
    """``--statistics``: a count per rule instead of the findings."""

    name = "statistics"
    description = "count of findings per rule"
    takes_batches = True
    human = True

    def start(self) -> None:
        self.counts: Counter[str] = Counter()
        #: code -> the severities its findings were reported at (after profile, overrides
        #: and per-row escalation such as MC203's grace period), not the rule's default.
        self.severities: dict[str, set[Severity]] = {}
        self.problem_files: set[str] = set()

    def add(self, findings: list[Finding]) -> None:
        for part in parts_of(findings):
            if isinstance(part, RowFindings):
                counts = part.severity_counts()
                self.counts[part.code] += len(part)
                self.severities.setdefault(part.code, set()).update(counts)
            else:
                self.counts[part.code] += 1
                self.severities.setdefault(part.code, set()).add(part.severity)
            self.problem_files.add(file_of(part.path))

    def finish(self, result: LintResult) -> None:
        language = self.settings.language
        for code, count in sorted(self.counts.items(), key=lambda item: (-item[1], item[0])):
            rule = self.settings.registry.get(code)
            seen = sorted(self.severities.get(code, ()), reverse=True)
            label = "/".join(severity_label(severity, language) for severity in seen)
            name = printable(rule.name) if rule else ""
            self.write(f"{count:>8}  {code:<8} {name:<32} {label}")
        # What could not run, counted in files per reason (the per-file lines are the
        # concise format's).
        not_run: Counter[str] = Counter()
        for coverage in result.coverage:
            not_run.update(describe_group(group, language) for group in coverage.groups())
        for text, files in sorted(not_run.items(), key=lambda item: (-item[1], item[0])):
            noun = self.say(N_("file")) if files == 1 else self.say(N_("files"))
            reason = self.say(N_("not checked: {reason}"), reason=printable(text))
            self.write(f"{files:>8}  {noun:<8} {reason}")
        self.write(summary_line(result, language, problem_files=len(self.problem_files)))
