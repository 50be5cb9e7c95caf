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

from mailcheck.findings import Finding, LintResult, NotCheckedGroup, Severity
from mailcheck.i18n import gettext, joined, t
from mailcheck.i18n_extract import N_
from mailcheck.pii import mask_text
from mailcheck.terminal import never_fails, printable

if TYPE_CHECKING:
    from mailcheck.documents import Document
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
    #: The report may start a worker process for its own work (``jobs`` allows it, see
    #: :func:`mailcheck.parallel.may_start_workers`): the JSON formats make fingerprints
    #: there.
    workers: bool = False


class Reporter:
    """Base class of output formats."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    #: A format people read: the CLI may show a progress bar on stderr while it runs
    #: (a terminal only). Machine formats (the default) never get one.
    human: ClassVar[bool] = False
    #: ``add`` takes a :class:`~mailcheck.batches.FindingBatch` (a sequence that keeps
    #: row findings as columns) rather than a list: mailcheck's own formats. A plugin's
    #: format gets a list of findings, as it always did, unless it sets this.
    takes_batches: ClassVar[bool] = False

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

    def document(self, doc: Document, rows: int | None) -> None:
        """Called with each document once linted (``rows``: a contact list's data rows,
        else ``None``), before or with its findings: what the file is and how it was
        understood (the HTML report describes it)."""

    def add(self, findings: list[Finding]) -> None:
        """Called with each file's findings (possibly empty), sorted by position."""

    def finish(self, result: LintResult) -> None:
        """Called once at the end with the run's totals."""

    def close(self) -> None:
        """Called last, whether the run ended (after :meth:`finish`) or stopped (an
        error, Ctrl-C): release what the report holds, such as a worker process."""

    def write(self, text: str = "") -> None:
        self.stream.write(text + "\n")


#: Severity labels as people read them (``[warning]`` / ``[avertissement]``).
SEVERITY_LABELS = {
    Severity.ERROR: N_("error"),
    Severity.WARNING: N_("warning"),
    Severity.INFO: N_("info"),
}


def severity_label(severity: Severity, language: str = "en") -> str:
    """``warning`` in English, ``avertissement`` in French."""
    return gettext(SEVERITY_LABELS[severity], language)


def counted(one: str, many: str, count: int, language: str = "en", **params: object) -> str:
    """``one`` or ``many`` (two message ids, ``{count}`` in each) as ``count`` asks, in
    ``language``: French takes the singular for 0 and 1, English for 1 only."""
    singular = count <= 1 if language == "fr" else count == 1
    return t(one if singular else many, count=count, **params).render(language)


_SEVERITY_COUNTS = {
    Severity.ERROR: (N_("{count} error"), N_("{count} errors")),
    Severity.WARNING: (N_("{count} warning"), N_("{count} warnings")),
    Severity.INFO: (N_("{count} info"), N_("{count} info")),
}


def summary_line(result: LintResult, language: str = "en", problem_files: int | None = None) -> str:
    """``Found 3 problems (2 errors, 1 warning) in 2 of 4 files.`` -- human formats only.

    ``problem_files``: how many files had a problem (the reporter counts them), said
    beside how many were linted; ``None`` says the files linted only."""
    counts = result.counts
    total = result.total
    seen = result.files_linted + result.files_unreadable
    if problem_files is not None and total and seen > 1:
        files = t("{problems} of {count} files", problems=min(problem_files, seen), count=seen)
        files = files.render(language)
    else:
        files = counted(N_("{count} file"), N_("{count} files"), seen, language)
    if result.files_unreadable:
        # "Found 1 problem (1 error) in 0 files." said nothing of the file it is about.
        files = t(
            "{files} ({count} could not be read)", files=files, count=result.files_unreadable
        ).render(language)
    clauses: list[str] = []
    # An unreadable folder, a FIFO named like a list: never "All checks passed".
    skipped = result.skipped
    if skipped:
        clauses.append(
            counted(
                N_("{count} path not checked (see warnings)"),
                N_("{count} paths not checked (see warnings)"),
                skipped,
                language,
            )
        )
    # Rules that could not run for lack of a column: never "All checks passed" either.
    not_run = not_run_clause(result, language)
    if not_run:
        clauses.append(not_run)
    # Files left out by their kind or name: said, and a run that linted none never passes.
    left_out = left_out_clause(result, language)
    if left_out:
        clauses.append(left_out)
    if result.files_linted == 0 and total == 0:
        # As it always read: what could not be read, what was left out, what was not run.
        unreadable = result.files_unreadable
        clauses = ([left_out] if left_out else []) + [c for c in clauses if c != left_out]
        if unreadable:
            clauses.insert(0, t("{count} could not be read", count=unreadable).render(language))
        if not clauses:
            return t("Nothing linted; no input found.").render(language)
        separator = joined("", "", language)  # "; ", or " ; " in French
        return t("Nothing linted; {details}.", details=separator.join(clauses)).render(language)
    more = "".join(joined("", clause, language) for clause in clauses)
    if total == 0:
        if skipped or result.not_checked:
            return t("No problems found in {files}{more}.", files=files, more=more).render(language)
        linted = counted(N_("{count} file linted"), N_("{count} files linted"), seen, language)
        if result.files_unreadable:
            linted = t(
                "{files} ({count} could not be read)",
                files=linted,
                count=result.files_unreadable,
            ).render(language)
        return t("All checks passed ({linted}{more}).", linted=linted, more=more).render(language)
    parts = [
        counted(*_SEVERITY_COUNTS[severity], counts[severity], language)
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[severity]
    ]
    return t(
        N_("Found {count} problems ({counts}) in {files}{more}.")
        if total != 1
        else N_("Found {count} problem ({counts}) in {files}{more}."),
        count=total,
        counts=", ".join(parts),
        files=files,
        more=more,
    ).render(language)


def left_out_clause(result: LintResult, language: str = "en") -> str:
    """``2 files skipped (see warnings), 14 other files ignored, 3 paths in .gitignore``
    (``""`` when nothing was left out)."""
    named, ignored, gitignored = len(result.not_linted), result.ignored, result.gitignored
    parts = []
    if named:
        parts.append(
            counted(
                N_("{count} file skipped (see warnings)"),
                N_("{count} files skipped (see warnings)"),
                named,
                language,
            )
        )
    if ignored:
        parts.append(
            counted(
                N_("{count} other file ignored"),
                N_("{count} other files ignored"),
                ignored,
                language,
            )
        )
    if gitignored:
        parts.append(
            counted(
                N_("{count} path in .gitignore"),
                N_("{count} paths in .gitignore"),
                gitignored,
                language,
            )
        )
    return ", ".join(parts)


def not_run_clause(result: LintResult, language: str = "en") -> str:
    """``3 checks could not run on 2 files`` (``""`` when every rule could run)."""
    checks, files = result.not_checked, result.files_not_fully_checked
    if not checks:
        return ""
    on = counted(N_("{count} file"), N_("{count} files"), files, language)
    return counted(
        N_("{count} check could not run on {files}"),
        N_("{count} checks could not run on {files}"),
        checks,
        language,
        files=on,
    )


def describe_group(group: NotCheckedGroup, language: str = "en") -> str:
    """``retention (MC203): no date column found; map one with [columns] ...``, in the
    report's language (see :meth:`NotCheckedGroup.describe`)."""
    return group.describe(language)


def coverage_lines(result: LintResult, language: str = "en") -> list[str]:
    """What could not be checked, for people: per file, one line per reason
    (``liste.csv: not checked: retention (MC203): no ... column found; map one with
    [columns] consent_at = "<header>"``). Files where every rule ran say nothing."""
    return [
        t(
            "{path}: not checked: {reason}",
            path=printable(coverage.path),
            reason=printable(describe_group(group, language)),
        ).render(language)
        for coverage in result.coverage
        for group in coverage.groups()
    ]


#: How to see every row of a rule that the human formats count (``+N more rows``).
SEE_ALL_ROWS = N_(
    "all of them: --rows-out DIR, or the HTML report: --output-format html -o rapport.html"
)


def line_list(lines: list[int], count: int) -> str:
    """``40, 41, 57`` -- and ``, ...`` when ``count`` rows have more lines than these."""
    listed = ", ".join(str(line) for line in lines)
    return listed + ", ..." if count > len(lines) else listed


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

    def line(self, keep: int = 5, language: str = "en") -> str:
        """``list.csv: MC203 [warning] +299,997 more rows: lines 40, 41, 57, 90, 102, ...
        (all of them: --rows-out DIR, or the HTML report: ...)``"""
        label = severity_label(self.severity, language)
        return f"{printable(self.path)}: {self.code} [{label}] {self.text(keep, language)}"

    def text(self, keep: int = 5, language: str = "en") -> str:
        """``+299,997 more rows: lines 40, 41, 57, 90, 102, ... (all of them: ...)``"""
        listed = line_list(self.lines[:keep], self.more)
        more = counted(
            N_("+{count} more row: line {lines}"),
            N_("+{count} more rows: lines {lines}"),
            self.more,
            language,
            lines=listed,
        )
        return f"{more} ({gettext(SEE_ALL_ROWS, language)})"
