"""Baselines (src/mailcheck/baseline.py): adopt on an old project, see only new problems."""

from __future__ import annotations

import json


def test_baseline_hides_known_findings_and_survives_line_shifts(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("old.html", newsletter_no_unsub)
    run = mailchecker.run(".", "--write-baseline", "mailcheck-baseline.json")
    assert run.exit_code == 0 and "wrote 1 baseline entries" in run.stderr
    data = json.loads((mailchecker.path / "mailcheck-baseline.json").read_text())
    assert data["findings"][0]["code"] == "MC101" and "line" not in data["findings"][0]

    # Edits above the problem move it down: still known.
    mailchecker.make_html("old.html", "\n\n\n" + newsletter_no_unsub)
    mailchecker.make_html("new.html", newsletter_no_unsub)
    run = mailchecker.run(".", "--baseline", "mailcheck-baseline.json")
    assert [f["path"] for f in run.findings] == ["new.html"]
    assert run.exit_code == 1


def test_baseline_from_config_and_bad_file(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("old.html", newsletter_no_unsub)
    mailchecker.run(".", "--write-baseline", "b.json")
    mailchecker.make_config('baseline = "b.json"\n')
    assert mailchecker.run(".").findings == []
    mailchecker.make_file("b.json", "{not json")
    run = mailchecker.run(".")
    assert run.exit_code == 2 and "not a mailcheck baseline" in run.stderr


def test_baseline_holds_no_address(mailchecker):
    mailchecker.make_html(
        "p.html", "<html><body><p>Promo, écrire à jeanne.martin@example.com</p></body></html>"
    )
    mailchecker.run(".", "--write-baseline", "b.json")
    assert "jeanne" not in (mailchecker.path / "b.json").read_text()
