"""JUnit XML: one test suite per file, one failing test case per finding (as ruff does);
a clean file is one passing test case."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from mailcheck.findings import Finding
from mailcheck.reporters.base import Reporter


class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML for CI test reports"

    def start(self) -> None:
        self.by_file: dict[str, list[Finding]] = defaultdict(list)

    def add(self, findings: list[Finding]) -> None:
        for finding in findings:
            self.by_file[finding.path].append(finding)

    def finish(self, result) -> None:
        root = ET.Element(
            "testsuites",
            name="mailcheck",
            tests=str(result.total or 1),
            failures=str(result.total),
        )
        for path, findings in sorted(self.by_file.items()):
            suite = ET.SubElement(
                root, "testsuite", name=path, tests=str(len(findings)), failures=str(len(findings))
            )
            for finding in findings:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    name=f"mailcheck.{finding.code}",
                    classname=path,
                    file=path,
                    line=str(finding.line),
                )
                failure = ET.SubElement(
                    case,
                    "failure",
                    type=finding.severity.label,
                    message=f"{finding.code} {finding.message}",
                )
                failure.text = (
                    f"{finding.path}:{finding.line}:{finding.column}: {finding.code} "
                    f"[{finding.severity.label}] {finding.message}"
                )
        if not self.by_file:
            suite = ET.SubElement(root, "testsuite", name="mailcheck", tests="1", failures="0")
            ET.SubElement(suite, "testcase", name="mailcheck", classname="mailcheck")
        ET.indent(root)
        self.write('<?xml version="1.0" encoding="UTF-8"?>')
        self.write(ET.tostring(root, encoding="unicode"))
