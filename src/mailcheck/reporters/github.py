"""GitHub Actions workflow commands: ``::error file=...,line=...::message``.

Grouped like the human report: a rule's row-level findings in one contact list are one
annotation (the first row's message, how many rows, their first lines), never one per
row. GitHub shows at most 10 annotations of each type (error, warning, notice) per step
and 50 per job, so annotations are written at the end, errors first, then warnings, then
notices, at most :data:`PER_TYPE` of each; when some are left out, a last notice says how
many and where the rest is. Every finding is still in the log: one ``::group::`` per file
lists them as plain lines (``path:line:col: CODE [severity] message``).

Contact data is untrusted: a CSV cell could hold ``::`` sequences a runner would obey.
Messages escape ``%``, CR and LF, properties also ``:`` and ``,`` (as actions/toolkit
does). Other control characters (an ``ESC[...`` sequence the log viewer would render) are
shown escaped, as in human formats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mailcheck.batches import FindingBatch, parts_of
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np
from mailcheck.readers.spreadsheet.locations import file_of
from mailcheck.reporters.base import (
    Reporter,
    counted,
    describe_group,
    line_list,
    severity_label,
    summary_line,
)
from mailcheck.reporters.placed import Placed, has_rows, key_of, runs
from mailcheck.terminal import printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
#: GitHub shows this many annotations of each type per step.
PER_TYPE = 10
#: Row lines quoted in a grouped annotation.
LINES_SHOWN = 5


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Annotation:
    """One annotation: a finding, or a rule's rows in one file (``rows`` > 1)."""

    severity: Severity
    path: str
    line: int
    column: int
    code: str
    message: str
    rows: int = 1
    lines: list[int] = field(default_factory=list)
    #: The finding's keyed content hash (:func:`group_findings` with ``hashed``).
    hash: str = ""

    @classmethod
    def at(cls, finding: Finding, message: str, **counts: object) -> Annotation:
        """An annotation at ``finding``'s place, saying ``message``."""
        return cls(
            finding.severity,
            finding.path,
            finding.line,
            finding.column,
            finding.code,
            message,
            **counts,
        )


def group_findings(
    findings: Sequence[Finding], message: Callable[[Finding], str], hashed: bool = False
) -> list[Annotation]:
    """``findings`` of one file as annotations: each finding that is not about a contact
    row, and one per rule and severity for the row-level ones (at the first row, with
    the count and the first lines). ``message(finding)`` renders a finding's message;
    it is asked once per annotation (a huge list's row messages are never built).
    ``hashed``: keep each finding's content hash (a row group has none)."""
    if has_rows(findings):
        return _group_batch(findings, message, hashed)
    annotations: list[Annotation] = []
    rows: dict[tuple[str, Severity], Annotation] = {}
    for finding in findings:
        if not finding.row_level:
            annotations.append(
                Annotation.at(
                    finding, message(finding), hash=finding.content_hash() if hashed else ""
                )
            )
            continue
        key = (finding.code, finding.severity)
        group = rows.get(key)
        if group is None:
            group = rows[key] = Annotation.at(finding, message(finding), rows=0)
            annotations.append(group)
        group.rows += 1
        if len(group.lines) < LINES_SHOWN:
            group.lines.append(finding.line)
    return annotations


def _group_batch(
    batch: FindingBatch, message: Callable[[Finding], str], hashed: bool
) -> list[Annotation]:
    """:func:`group_findings` of a batch holding row findings as columns: the groups are
    found on the columns, and only each annotation's first finding is built."""
    placed = Placed(batch)
    codes: dict[str, int] = {}
    code = placed.per_part(lambda part: codes.setdefault(part.code, len(codes)), np.int64)
    key = np.where(placed.row_level(), key_of(code, placed.levels()), -1)
    lines = placed.lines()
    annotations: list[Annotation] = []
    for place, places in runs(key):
        finding = placed.finding(place)
        annotation = Annotation.at(finding, message(finding))
        if places is None:
            annotation.hash = finding.content_hash() if hashed else ""
        else:
            annotation.rows = len(places)
            annotation.lines = lines[places[:LINES_SHOWN]].tolist()
        annotations.append(annotation)
    return annotations


def annotation_text(annotation: Annotation, language: str = "en") -> str:
    """``<first row's message>`` and, for rows, `` (1,204 rows: lines 4, 9, ...)``."""
    text = annotation.message
    if annotation.rows <= 1:
        return text
    listed = line_list(annotation.lines, annotation.rows)
    rows = counted(
        N_("{count} row: line {lines}"),
        N_("{count} rows: lines {lines}"),
        annotation.rows,
        language,
        lines=listed,
    )
    return f"{text} ({rows})"


class GithubReporter(Reporter):
    name = "github"
    takes_batches = True
    description = "GitHub Actions annotations"

    def start(self) -> None:
        self.problem_files: set[str] = set()
        #: Annotations kept per type (at most PER_TYPE each), and how many were left out.
        self.kept: dict[Severity, list[str]] = {s: [] for s in COMMANDS}
        self.left_out: dict[Severity, int] = dict.fromkeys(COMMANDS, 0)

    def add(self, findings: list[Finding]) -> None:
        if not findings:
            return
        language = self.settings.language
        paths = {part.path for part in parts_of(findings)}
        self.problem_files.update(file_of(path) for path in paths)
        self.write(f"::group::{escape_data(findings[0].path)}")
        for annotation in group_findings(findings, self.message):
            text = annotation_text(annotation, language)
            label = severity_label(annotation.severity, language)
            where = f"{annotation.path}:{annotation.line}:{annotation.column}"
            # The log line starts with the code: a path starting with "::" is no command.
            self.write(escape_data(f"{annotation.code} [{label}] {where}: {text}"))
            properties = ",".join(
                [
                    f"file={escape_property(file_of(annotation.path))}",
                    f"line={annotation.line}",
                    f"col={annotation.column}",
                    f"title={escape_property(f'mailcheck ({annotation.code})')}",
                ]
            )
            self._keep(
                annotation.severity,
                f"::{COMMANDS[annotation.severity]} {properties}::"
                f"{escape_data(f'{annotation.code} {text}')}",
            )
        self.write("::endgroup::")

    def _keep(self, severity: Severity, command: str) -> None:
        if len(self.kept[severity]) < PER_TYPE:
            self.kept[severity].append(command)
        else:
            self.left_out[severity] += 1

    def finish(self, result) -> None:
        language = self.settings.language
        # What could not be checked: one notice per file and reason, on the file.
        title = escape_property(self.say(N_("mailcheck: not checked")))
        for coverage in result.coverage:
            file = escape_property(file_of(coverage.path))
            for group in coverage.groups():
                text = t(
                    "{path}: not checked: {reason}",
                    path=coverage.path,
                    reason=describe_group(group, language),
                )
                message = escape_data(text.render(language))
                self._keep(Severity.INFO, f"::notice file={file},title={title}::{message}")
        if any(self.left_out.values()):
            # The last notice says what was left out: it takes the tenth notice's place.
            notices = self.kept[Severity.INFO]
            if len(notices) == PER_TYPE:
                notices.pop()
                self.left_out[Severity.INFO] += 1
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
            for command in self.kept[severity]:
                self.write(command)
        if any(self.left_out.values()):
            self.write(self._more_notice())
        problem_files = len(getattr(self, "problem_files", ()))
        self.write(summary_line(result, language, problem_files=problem_files))

    def _more_notice(self) -> str:
        language = self.settings.language
        parts = [
            counted(one, many, self.left_out[severity], language)
            for severity, (one, many) in _MORE.items()
            if self.left_out[severity]
        ]
        text = t(
            "{count} more annotations not shown ({details}): GitHub shows {limit} of each "
            "type per step; every finding is in this step's log, grouped per file",
            count=sum(self.left_out.values()),
            details=", ".join(parts),
            limit=PER_TYPE,
        ).render(language)
        title = escape_property(self.say(N_("mailcheck: more findings")))
        return f"::notice title={title}::{escape_data(text)}"


_MORE = {
    Severity.ERROR: (N_("{count} error"), N_("{count} errors")),
    Severity.WARNING: (N_("{count} warning"), N_("{count} warnings")),
    Severity.INFO: (N_("{count} notice"), N_("{count} notices")),
}
