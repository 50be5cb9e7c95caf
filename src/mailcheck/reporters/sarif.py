"""SARIF 2.1.0, shaped for GitHub code scanning.

What GitHub requires and we guarantee: ``$schema``, ``version``, a ``results`` array even
when empty, a physical location (with ``startLine``/``startColumn`` >= 1) on every result,
and ``shortDescription``, ``fullDescription`` and ``help`` on every rule -- taken from the
rule's own docstring, the same text ``mailcheck rule CODE`` prints.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from mailcheck.findings import Finding, Severity
from mailcheck.pii import mask_text
from mailcheck.reporters.base import Reporter
from mailcheck.reporters.json import encode
from mailcheck.rule import doc_section

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


class SarifReporter(Reporter):
    """Written as findings arrive, like ``json``: the run's ``results`` first, then the
    ``tool`` with the descriptors of the rules that were used (JSON members have no order,
    and only then are the rules known), so a report on a list with millions of rows never
    holds its results in memory."""

    name = "sarif"
    description = "SARIF 2.1.0 for GitHub code scanning"

    def start(self) -> None:
        self.used: dict[str, int] = {}
        header = json.dumps({"$schema": SCHEMA, "version": "2.1.0"}, indent=2)
        self.stream.write(header[:-2] + ',\n  "runs": [\n    {\n      "results": [')
        self.separator = "\n        "

    def add(self, findings: list[Finding]) -> None:
        for finding in findings:
            self.used.setdefault(finding.code, len(self.used))
            result = encode(self._result(finding))
            self.stream.write(self.separator + result)
            self.separator = ",\n        "

    def _result(self, finding: Finding) -> dict:
        region = {"startLine": max(1, finding.line), "startColumn": max(1, finding.column)}
        if finding.end_line:
            region["endLine"] = max(finding.end_line, region["startLine"])
        if finding.end_column and finding.end_column >= 1:
            region["endColumn"] = finding.end_column
        artifact_uri = artifact_uri_of(finding.path.split("!", 1)[0])
        message = finding.message
        if "!" in finding.path:
            message += f" (in archive member {finding.path.split('!', 1)[1]})"
        return {
            "ruleId": finding.code,
            "ruleIndex": self.used[finding.code],
            "level": LEVELS[finding.severity],
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri},
                        "region": region,
                    }
                }
            ],
            "properties": {"mailcheckFingerprint": finding.content_hash(), "part": finding.part},
        }

    def finish(self, result) -> None:
        registry = self.settings.registry
        rules = [_descriptor(code, registry.get(code)) for code in self.used]
        rest = {
            "tool": {
                "driver": {
                    "name": "mailcheck",
                    "semanticVersion": self.settings.version,
                    "rules": rules,
                }
            },
            "invocations": [{"executionSuccessful": True}],
        }
        # The rest of the run object, indented to sit under "runs" (its braces dropped).
        members = json.dumps(rest, indent=2, ensure_ascii=False)[2:-2]
        members = "\n".join("    " + line for line in members.splitlines())
        closing = "\n      ]" if self.separator != "\n        " else "]"
        self.write(f"{closing},\n{members}\n    }}\n  ]\n}}")


def _descriptor(code: str, rule) -> dict:
    if rule is None:
        text = f"{code}: see mailcheck rule {code}"
        return {
            "id": code,
            "shortDescription": {"text": text},
            "fullDescription": {"text": text},
            "help": {"text": text},
        }
    # Rule docs quote example rows; SARIF is uploaded where many can read it, so the
    # examples are masked like everything else a report prints.
    doc = mask_text(rule.documentation())
    what = doc_section(doc, "What it does")
    why = doc_section(doc, "Why it matters")
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": mask_text(rule.summary())[:1024]},
        "fullDescription": {"text": f"{what}\n\n{why}"[:1024]},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["compliance", rule.origin or "mailcheck"]},
    }


def artifact_uri_of(path: str) -> str:
    """A report path as a SARIF ``uri`` (RFC 3986): "Mes exports été/liste clients.csv" is
    no URI; code scanning and SARIF viewers expect "Mes%20exports%20%C3%A9t%C3%A9/...".
    A relative path stays relative (resolved against the checkout); an absolute one
    becomes a ``file://`` URI."""
    encoded = quote(path, safe="/")
    return f"file://{encoded}" if path.startswith("/") else encoded
