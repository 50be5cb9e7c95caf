"""``json`` (one array) and ``json-lines`` (one object per line, streamed).

The contract, stable across minor versions, is documented in ``docs/output.md``: each
object has ``code``, ``name``, ``severity``, ``message``, ``path``, ``line``, ``column``,
``end_line``, ``end_column``, ``part``, ``fix``, ``reference``, ``fingerprint``.
"""

from __future__ import annotations

import json

from mailcheck.findings import Finding
from mailcheck.reporters.base import Reporter


class JsonReporter(Reporter):
    name = "json"
    description = "a JSON array of findings"

    def start(self) -> None:
        self.items: list[dict] = []

    def add(self, findings: list[Finding]) -> None:
        self.items.extend(finding.to_dict() for finding in findings)

    def finish(self, result) -> None:
        self.write(json.dumps(self.items, indent=2, ensure_ascii=False))


class JsonLinesReporter(Reporter):
    name = "json-lines"
    description = "one JSON object per finding per line, streamed"

    def add(self, findings: list[Finding]) -> None:
        for finding in findings:
            self.write(json.dumps(finding.to_dict(), ensure_ascii=False))
        self.stream.flush()
