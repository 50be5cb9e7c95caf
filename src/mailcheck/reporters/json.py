"""``json`` (one array) and ``json-lines`` (one object per line, streamed).

The contract, stable across minor versions, is documented in ``docs/output.md``: each
object has ``code``, ``name``, ``severity``, ``message``, ``path``, ``line``, ``column``,
``end_line``, ``end_column``, ``part``, ``fix``, ``reference``, ``fingerprint``.
"""

from __future__ import annotations

import json
from typing import Any

from mailcheck.findings import Finding
from mailcheck.reporters.base import Reporter
from mailcheck.terminal import json_safe

#: One encoder for every finding: ``json.dumps(..., ensure_ascii=False)`` builds a new
#: one per call, a third of the time it takes on a list with many flagged rows.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def encode(value: Any) -> str:
    """``value`` as JSON, UTF-8 kept readable, but bidi overrides and C1 controls (a
    sender name, a file name) escaped: a report ``cat``-ed in a terminal obeys none."""
    return json_safe(_encode(value))


class JsonReporter(Reporter):
    """A JSON array, one object per line, written as findings arrive (bounded memory)."""

    name = "json"
    description = "a JSON array of findings"

    def start(self) -> None:
        self.stream.write("[")
        self.separator = "\n  "

    def add(self, findings: list[Finding]) -> None:
        for finding in findings:
            self.stream.write(self.separator + encode(finding.to_dict()))
            self.separator = ",\n  "

    def finish(self, result) -> None:
        self.write("\n]" if self.separator != "\n  " else "]")


class JsonLinesReporter(Reporter):
    name = "json-lines"
    description = "one JSON object per finding per line, streamed"

    def add(self, findings: list[Finding]) -> None:
        for finding in findings:
            self.write(encode(finding.to_dict()))
        self.stream.flush()
