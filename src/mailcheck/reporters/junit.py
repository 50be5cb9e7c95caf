"""JUnit XML: one test suite per file, one failing test case per finding (as ruff does);
a clean run is one passing test case.

A suite's ``tests`` and ``failures`` attributes come before its test cases, and are only
known once every finding of the file is in: the test cases are written as they arrive to
a spool (in memory, on disk past a few MB), and copied under their suites at the end. A
report on a list with millions of rows is never held in memory as findings.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from mailcheck.findings import Finding
from mailcheck.reporters.base import Reporter

#: Spooled test cases stay in memory up to this size, then move to a temporary file.
SPOOL_IN_MEMORY = 8 << 20


class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML for CI test reports"

    def start(self) -> None:
        # Bytes, so that spans are byte offsets; closed in finish().
        self.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        #: path -> (start, end) spans of its test cases in the spool, and its count
        self.spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, findings: list[Finding]) -> None:
        # Findings come file by file (cross-file ones at the end): one span per run of a
        # file's findings.
        current, start = None, 0
        for finding in findings:
            if finding.path != current:
                if current is not None:
                    self.spans[current].append((start, self.spool.tell()))
                current, start = finding.path, self.spool.tell()
            self.spool.write(_testcase(finding).encode("utf-8"))
            self.counts[finding.path] += 1
        if current is not None:
            self.spans[current].append((start, self.spool.tell()))

    def finish(self, result) -> None:
        self.write('<?xml version="1.0" encoding="UTF-8"?>')
        total = result.total
        self.write(f'<testsuites name="mailcheck" tests="{total or 1}" failures="{total}">')
        for path in sorted(self.spans):
            count = self.counts[path]
            self.write(f'  <testsuite name={quoteattr(path)} tests="{count}" failures="{count}">')
            for start, end in self.spans[path]:
                self.spool.seek(start)
                self.stream.write(self.spool.read(end - start).decode("utf-8"))
            self.write("  </testsuite>")
        if not self.spans:
            self.write('  <testsuite name="mailcheck" tests="1" failures="0">')
            self.write('    <testcase name="mailcheck" classname="mailcheck" />')
            self.write("  </testsuite>")
        self.write("</testsuites>")
        self.spool.close()


def _testcase(finding: Finding) -> str:
    path = quoteattr(finding.path)
    label = finding.severity.label
    message = quoteattr(f"{finding.code} {finding.message}")
    text = escape(
        f"{finding.path}:{finding.line}:{finding.column}: {finding.code} [{label}] "
        f"{finding.message}"
    )
    return (
        f'    <testcase name="mailcheck.{finding.code}" classname={path} file={path} '
        f'line="{finding.line}">\n'
        f'      <failure type="{label}" message={message}>{text}</failure>\n'
        "    </testcase>\n"
    )
