"""The campaign's verdict in every output format: ``concise`` (the terminal's), ``json``
(a ``verdict`` field), ``sarif`` (the run's ``properties.campaign``, the template's
findings as results) and ``html`` (a self-contained page, the verdict as its headline).

Addresses are masked everywhere here (``j***@example.com``): the clear addresses are
only in the ``--send-list`` and ``--removals`` files.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from typing import TextIO

from mailcheck import __version__
from mailcheck.campaign.eligibility import Eligibility, action_of, reasons_of
from mailcheck.campaign.text import counts_line, headline, reason_text
from mailcheck.campaign.verdict import Verdict
from mailcheck.errors import UsageError
from mailcheck.i18n import Text, render, t
from mailcheck.pii import mask_contact, mask_text

FORMATS = ("concise", "json", "sarif", "html")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {3: "error", 2: "warning", 1: "note"}


def excluded_rows(eligibility: Eligibility, mask: bool = True) -> Iterator[dict]:
    """Per contact that may not receive the campaign: list, line, address (masked
    unless ``mask`` is false), reason codes and the action of the clean-up list."""
    for item, row, address, bits in eligibility.excluded():
        reasons = reasons_of(bits)
        yield {
            "list": item.doc.display_path,
            "line": int(item.lines[row]),
            "address": mask_contact(address) if mask else address,
            "reasons": reasons,
            "action": action_of(reasons),
        }


def summary(verdict: Verdict, language: str) -> dict:
    """The verdict as plain data (the JSON field, the SARIF run property)."""
    manifest = verdict.manifest

    def say(text: Text | str) -> str:
        return mask_text(render(text, language))

    return {
        "verdict": verdict.decision,
        "go_with_send_list": verdict.go_with_send_list,
        "headline": say(headline(verdict.decision, verdict.go_with_send_list, verdict.sendable)),
        "purpose": manifest.purpose,
        "send_date": manifest.send_date.isoformat(),
        "contacts": verdict.total,
        "may_receive": verdict.eligible,
        "may_not_receive": verdict.excluded,
        # Those that may receive it at an address the audience has already: the send
        # list keeps each address once (``send_list_contacts``).
        "repeated_addresses": verdict.eligibility.repeated,
        "send_list_contacts": verdict.sendable,
        "excluded_by_reason": verdict.eligibility.counts(),
        "reasons_found": verdict.eligibility.all_counts(),
        "counts": say(
            counts_line(
                verdict.total,
                verdict.eligible,
                verdict.eligibility.counts(),
                verdict.eligibility.repeated,
            )
        ),
        "blocking": [say(text) for text in verdict.blocking],
        "warnings": [say(text) for text in verdict.warnings],
        "lists": [
            {
                "path": item.doc.display_path,
                "provider": getattr(item.doc, "provider", None),
                "contacts": int(len(item.bits)),
                "may_receive": int(item.eligible.sum()),
                "purpose_column": item.purpose_column,
            }
            for item in verdict.eligibility.lists
        ],
    }


def write(verdict: Verdict, stream: TextIO, output_format: str, language: str) -> None:
    """Write the report of ``verdict`` in ``output_format`` to ``stream``."""
    writers = {"concise": _concise, "json": _json, "sarif": _sarif, "html": _html}
    if output_format not in writers:
        raise UsageError(
            t(
                "unknown output format {name} (choose from {choices})",
                name=repr(output_format),
                choices=", ".join(FORMATS),
            )
        )
    writers[output_format](verdict, stream, language)


def _concise(verdict: Verdict, stream: TextIO, language: str) -> None:
    data = summary(verdict, language)
    stream.write(data["headline"] + "\n")
    if data["blocking"]:
        stream.write(render(t("Blocking:"), language) + "\n")
        stream.writelines(f"  - {line}\n" for line in data["blocking"])
    if data["warnings"]:
        stream.write(render(t("Warnings:"), language) + "\n")
        stream.writelines(f"  - {line}\n" for line in data["warnings"])
    stream.write(data["counts"] + "\n")
    if verdict.excluded:
        stream.write(
            render(
                t(
                    "--removals FILE lists each contact with its reason; --send-list FILE "
                    "the others"
                ),
                language,
            )
            + "\n"
        )


def _json(verdict: Verdict, stream: TextIO, language: str) -> None:
    data = summary(verdict, language)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    stream.write(body[:-2] + ',\n  "excluded": [')
    separator = "\n    "
    for row in excluded_rows(verdict.eligibility):
        stream.write(separator + json.dumps(row, ensure_ascii=False))
        separator = ",\n    "
    stream.write("\n  ],\n" if separator != "\n    " else "],\n")
    findings = [_finding(f, language) for f in verdict.findings]
    stream.write('  "findings": ' + json.dumps(findings, ensure_ascii=False) + "\n}\n")


def _finding(finding, language: str) -> dict:
    text = finding.text if finding.text is not None else finding.message
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.label,
        "path": finding.path,
        "line": finding.line,
        "message": mask_text(render(text, language)),
    }


def _sarif(verdict: Verdict, stream: TextIO, language: str) -> None:
    results = [
        {
            "ruleId": finding.code,
            "level": _LEVELS.get(int(finding.severity), "note"),
            "message": {"text": mask_text(render(finding.text or finding.message, language))},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": finding.path},
                        "region": {"startLine": max(1, finding.line), "startColumn": 1},
                    }
                }
            ],
        }
        for finding in verdict.findings
    ]
    rules = sorted({finding.code for finding in verdict.findings})
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mailcheck",
                        "version": __version__,
                        "rules": [{"id": code} for code in rules],
                    }
                },
                "results": results,
                "properties": {"campaign": summary(verdict, language)},
            }
        ],
    }
    stream.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _html(verdict: Verdict, stream: TextIO, language: str) -> None:
    data = summary(verdict, language)
    e = html.escape
    colour = "#1a7f37" if data["verdict"] == "GO" else "#cf222e"
    rows = "".join(
        f"<tr><td>{e(render(reason_text(reason), language))}</td><td>{count}</td></tr>"
        for reason, count in data["excluded_by_reason"].items()
    )

    def items(lines: list[str]) -> str:
        return "<ul>" + "".join(f"<li>{e(line)}</li>" for line in lines) + "</ul>"

    parts = [
        f'<!DOCTYPE html><html lang="{e(language)}"><head><meta charset="utf-8">',
        f"<title>mailcheck: {e(data['verdict'])}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem}h1{color:" + colour + "}td{padding:.2rem .8rem}</style></head><body>",
        f'<h1 id="verdict" data-verdict="{e(data["verdict"])}">{e(data["headline"])}</h1>',
        f"<p>{e(data['counts'])}</p>",
    ]
    if data["blocking"]:
        parts += [f"<h2>{e(render(t('Blocking:'), language))}</h2>", items(data["blocking"])]
    if data["warnings"]:
        parts += [f"<h2>{e(render(t('Warnings:'), language))}</h2>", items(data["warnings"])]
    if rows:
        parts.append(f"<table>{rows}</table>")
    parts.append(f"<footer>mailcheck {e(__version__)}</footer></body></html>\n")
    stream.write("".join(parts))
