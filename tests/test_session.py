"""One lint run and its outputs (src/mailcheck/session.py), driven through the Python
API: ``mailcheck.lint`` writes a report, a baseline and row files as the CLI does."""

from __future__ import annotations

import io
import json

import pytest

import mailcheck
from mailcheck.errors import ConfigError, UsageError

SELECT = {"select": ["MC205", "MC215"]}


def _list(mailchecker):
    return mailchecker.make_csv(
        "liste.csv",
        header=["email", "source", "consent_date"],
        rows=[
            ["a@example.com", "signup form", "2025-01-01"],
            ["contact@acme.fr", "fichier acheté", "2025-01-01"],
            ["b@example.com", "purchased", "2025-01-01"],
        ],
    )


def test_the_api_writes_a_report_file(mailchecker):
    listing = _list(mailchecker)
    report = mailchecker.path / "rapport.json"
    findings = mailcheck.lint(listing, SELECT, report=report, output_format="json")
    written = json.loads(report.read_text(encoding="utf-8"))
    assert [(f["code"], f["line"]) for f in written] == [(f.code, f.line) for f in findings]
    assert "contact@acme.fr" not in report.read_text(encoding="utf-8")  # masked, as the CLI's


def test_the_api_writes_a_report_to_a_stream(mailchecker):
    stream = io.StringIO()
    findings = mailcheck.lint(_list(mailchecker), SELECT, report=stream, output_format="json")
    assert len(json.loads(stream.getvalue())) == len(findings) == 3


def test_the_api_writes_a_baseline_that_hides_the_findings_next_time(mailchecker):
    listing = _list(mailchecker)
    baseline = mailchecker.path / "baseline.json"
    assert len(mailcheck.lint(listing, SELECT, write_baseline=baseline)) == 3
    assert json.loads(baseline.read_text(encoding="utf-8"))["version"] == 1
    run = mailchecker.run(str(listing), "--select", "MC205,MC215", "--baseline", str(baseline))
    assert (run.exit_code, run.findings) == (0, [])


def test_the_api_writes_rows_out(mailchecker):
    folder = mailchecker.path / "lignes"
    mailcheck.lint(_list(mailchecker), SELECT, rows_out=folder)
    assert sorted(p.name for p in folder.glob("MC*.csv")) == [
        "MC205-invalid-optin-source.csv",
        "MC215-generic-role-address.csv",
    ]


def test_the_api_refuses_to_write_over_an_input(mailchecker):
    listing = _list(mailchecker)
    before = listing.read_bytes()
    with pytest.raises(UsageError, match="refusing to write the report over an input"):
        mailcheck.lint(listing, SELECT, report=listing)
    with pytest.raises(UsageError, match="not a mailcheck baseline"):
        mailcheck.lint(listing, SELECT, write_baseline=listing)
    assert listing.read_bytes() == before


def test_the_api_refuses_an_unknown_output_format(mailchecker):
    with pytest.raises(ConfigError, match="unknown output format 'xml'"):
        mailcheck.lint(_list(mailchecker), SELECT, report=io.StringIO(), output_format="xml")


def test_lint_result_is_importable_from_the_engine_for_plugins():
    from mailcheck.engine import LintResult as from_engine
    from mailcheck.findings import LintResult

    assert from_engine is LintResult


def test_the_api_masks_like_the_cli_unless_show_pii(mailchecker):
    listing = _list(mailchecker)
    stream = io.StringIO()
    findings = mailcheck.lint(listing, SELECT, report=stream, output_format="json")
    written = json.loads(stream.getvalue())
    role = next(f for f in findings if f.code == "MC215")
    assert role.data["address"] == "c***@acme.fr"
    # The fingerprint is the keyed hash the JSON report carries, never the address.
    assert [f.fingerprint for f in findings] == [r["fingerprint"] for r in written]
    assert [f.to_dict() for f in findings] == written
    assert not any("contact@acme.fr" in repr(f) for f in findings)
    clear = mailcheck.lint(listing, SELECT, show_pii=True)
    role = next(f for f in clear if f.code == "MC215")
    assert role.data["address"] == "contact@acme.fr"
    # The config's show-pii does the same; the argument wins over it.
    assert mailcheck.lint(listing, {**SELECT, "show-pii": True})[1].data["address"] == (
        "contact@acme.fr"
    )
    masked = mailcheck.lint(listing, {**SELECT, "show-pii": True}, show_pii=False)
    assert all("contact@acme.fr" not in repr(f) for f in masked)
