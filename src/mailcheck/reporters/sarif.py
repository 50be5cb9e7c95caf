"""SARIF 2.1.0, shaped for GitHub code scanning.

What GitHub requires and we guarantee: ``$schema``, ``version``, a ``results`` array even
when empty, a physical location (with ``startLine``/``startColumn`` >= 1) on every result,
and ``shortDescription``, ``fullDescription`` and ``help`` on every rule -- taken from the
rule's own docstring, the same text ``mailcheck rule CODE`` prints.

What could not be checked (coverage) goes where SARIF puts what a tool could not do:
``invocations[0].toolExecutionNotifications``, one notification per rule and document,
with the rule as ``associatedRule``, the ``not-checked`` notification descriptor (declared
in ``driver.notifications``) and the file as its location. The level is ``warning`` for a
rule that reports errors or warnings, ``note`` for an informational one.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from mailcheck.findings import Finding, NotChecked, Severity
from mailcheck.i18n import gettext, t
from mailcheck.i18n_extract import N_
from mailcheck.pii import mask_text
from mailcheck.readers.spreadsheet.locations import file_of, split_sheet_path
from mailcheck.reporters.base import Reporter
from mailcheck.reporters.json import encode
from mailcheck.reporters.junit import not_checked_text
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
        artifact_uri = artifact_uri_of(file_of(finding.path))
        message = self.message(finding)
        if "!" in finding.path:
            message += " " + self.say(
                N_("(in archive member {member})"), member=finding.path.split("!", 1)[1]
            )
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
            "properties": {
                "mailcheckFingerprint": finding.content_hash(),
                "part": finding.part,
                **_sheet_properties(finding.path),
            },
        }

    def finish(self, result) -> None:
        registry = self.settings.registry
        language = self.settings.language
        rules = [_descriptor(code, registry.get(code), language) for code in self.used]
        driver = {
            "name": "mailcheck",
            "semanticVersion": self.settings.version,
            "rules": rules,
        }
        invocation: dict = {"executionSuccessful": True}
        notifications = [
            _not_checked(coverage.path, item, registry.get(item.code), language)
            for coverage in result.coverage
            for item in coverage.not_checked
        ]
        if notifications:
            driver["notifications"] = [not_checked_descriptor(language)]
            invocation["toolExecutionNotifications"] = notifications
        rest = {"tool": {"driver": driver}, "invocations": [invocation]}
        # The rest of the run object, indented to sit under "runs" (its braces dropped).
        members = json.dumps(rest, indent=2, ensure_ascii=False)[2:-2]
        members = "\n".join("    " + line for line in members.splitlines())
        closing = "\n      ]" if self.separator != "\n        " else "]"
        self.write(f"{closing},\n{members}\n    }}\n  ]\n}}")


#: The notification descriptor of every "could not be checked" notification.
NOT_CHECKED_DESCRIPTOR = {
    "id": "not-checked",
    "name": "rule-not-checked",
    "shortDescription": {
        "text": N_("A rule could not run on a file: the file lacks what it needs.")
    },
    "fullDescription": {
        "text": N_(
            "The rule named by associatedRule could not check this file (a contact "
            "list without the column it needs, for example). Its absence of results there "
            "says nothing: map the column or fix the input, then run again."
        )
    },
}


def not_checked_descriptor(language: str = "en") -> dict:
    """:data:`NOT_CHECKED_DESCRIPTOR` in ``language``."""
    return {
        **NOT_CHECKED_DESCRIPTOR,
        "shortDescription": {
            "text": gettext(NOT_CHECKED_DESCRIPTOR["shortDescription"]["text"], language)
        },
        "fullDescription": {
            "text": gettext(NOT_CHECKED_DESCRIPTOR["fullDescription"]["text"], language)
        },
    }


def _not_checked(path: str, item: NotChecked, rule, language: str = "en") -> dict:
    """A toolExecutionNotification saying that ``item.code`` did not check ``path``."""
    text = not_checked_text(item, language)
    if "!" in path:
        member = path.split("!", 1)[1]
        text += " " + t("(in archive member {member})", member=member).render(language)
    severity = rule.severity if rule is not None else Severity.WARNING
    return {
        "level": "note" if severity is Severity.INFO else "warning",
        "message": {"text": text},
        "descriptor": {"id": NOT_CHECKED_DESCRIPTOR["id"]},
        "associatedRule": {"id": item.code},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": artifact_uri_of(file_of(path))}}}
        ],
        "properties": {"family": item.family, "rule": item.name},
    }


def _documentation(rule, language: str) -> tuple[str, str]:
    """The rule's documentation and summary in ``language`` (a plugin rule that does not
    take a language gives its own)."""
    try:
        return rule.documentation(language), rule.summary(language)
    except TypeError:
        return rule.documentation(), rule.summary()


def _descriptor(code: str, rule, language: str = "en") -> dict:
    if rule is None:
        text = t("{code}: see mailcheck rule {code}", code=code).render(language)
        return {
            "id": code,
            "shortDescription": {"text": text},
            "fullDescription": {"text": text},
            "help": {"text": text},
        }
    # Rule docs quote example rows; SARIF is uploaded where many can read it, so the
    # examples are masked like everything else a report prints.
    documentation, summary = _documentation(rule, language)
    doc = mask_text(documentation)
    what = doc_section(doc, "What it does")
    why = doc_section(doc, "Why it matters")
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": mask_text(summary)[:1024]},
        "fullDescription": {"text": f"{what}\n\n{why}"[:1024]},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["compliance", rule.origin or "mailcheck"]},
    }


def _sheet_properties(path: str) -> dict[str, str]:
    """A workbook sheet's finding: the sheet (the uri is the workbook, the line its row)."""
    sheet = split_sheet_path(path)
    return {"sheet": sheet.sheet} if sheet else {}


def artifact_uri_of(path: str) -> str:
    """A report path as a SARIF ``uri`` (RFC 3986): "Mes exports été/liste clients.csv" is
    no URI; code scanning and SARIF viewers expect "Mes%20exports%20%C3%A9t%C3%A9/...".
    A relative path stays relative (resolved against the checkout); an absolute one
    becomes a ``file://`` URI."""
    encoded = quote(path, safe="/")
    return f"file://{encoded}" if path.startswith("/") else encoded
