"""Built-in output formats, registered through ``mailcheck_reporters`` like a plugin's."""

from __future__ import annotations

from mailcheck import hookimpl
from mailcheck.reporters.base import Reporter, ReportSettings


@hookimpl
def mailcheck_reporters() -> list[type[Reporter]]:
    from mailcheck.reporters.concise import ConciseReporter, FullReporter
    from mailcheck.reporters.github import GithubReporter
    from mailcheck.reporters.gitlab import GitlabReporter
    from mailcheck.reporters.html import HtmlReporter
    from mailcheck.reporters.json import JsonLinesReporter, JsonReporter, JsonReportReporter
    from mailcheck.reporters.junit import JunitReporter
    from mailcheck.reporters.sarif import SarifReporter

    return [
        ConciseReporter,
        FullReporter,
        JsonReporter,
        JsonLinesReporter,
        JsonReportReporter,
        SarifReporter,
        GithubReporter,
        GitlabReporter,
        JunitReporter,
        HtmlReporter,
    ]


__all__ = ["Reporter", "ReportSettings"]
