"""GitHub Actions workflow commands: ``::error file=...,line=...::message``.

Contact data is untrusted: a CSV cell could hold ``::`` sequences a runner would obey.
Messages escape ``%``, CR and LF, properties also ``:`` and ``,`` (as actions/toolkit
does), and one ``::group::`` per file keeps logs readable. Other control characters (an
``ESC[...`` sequence the log viewer would render) are shown escaped, as in human formats.
"""

from __future__ import annotations

from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.i18n_extract import N_
from mailcheck.readers.spreadsheet.locations import file_of
from mailcheck.reporters.base import Reporter, describe_group, summary_line
from mailcheck.terminal import printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    name = "github"
    description = "GitHub Actions annotations"

    def start(self) -> None:
        self.problem_files: set[str] = set()

    def add(self, findings: list[Finding]) -> None:
        if not findings:
            return
        self.problem_files.update(file_of(path) for path in {f.path for f in findings})
        path = findings[0].path
        self.write(f"::group::{escape_data(path)}")
        for finding in findings:
            properties = ",".join(
                [
                    f"file={escape_property(file_of(finding.path))}",
                    f"line={finding.line}",
                    f"col={finding.column}",
                    f"title={escape_property(f'mailcheck ({finding.code})')}",
                ]
            )
            message = escape_data(f"{finding.code} {self.message(finding)}")
            self.write(f"::{COMMANDS[finding.severity]} {properties}::{message}")
        self.write("::endgroup::")

    def finish(self, result) -> None:
        # What could not be checked: one notice per file and reason, on the file.
        language = self.settings.language
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
                self.write(f"::notice file={file},title={title}::{message}")
        problem_files = len(getattr(self, "problem_files", ()))
        self.write(summary_line(result, language, problem_files=problem_files))
