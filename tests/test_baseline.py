"""Baselines (src/mailcheck/baseline.py): adopt on an old project, see only new problems."""

from __future__ import annotations

import json
import os

import pytest

from tests.hostile import deadline


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


CONTACTS = (
    "email,consent_date,source\n"
    "julie.morel@example.com,2025-01-05,signup form\n"
    "vieux.client@example.com,2015-03-01,signup form\n"
)


def test_contact_baseline_holds_no_address_and_survives_an_edited_row(mailchecker):
    mailchecker.make_csv("liste.csv", CONTACTS)
    run = mailchecker.run(".", "--today", "2026-11-22", "--write-baseline", "b.json")
    assert run.exit_code == 0
    text = (mailchecker.path / "b.json").read_text(encoding="utf-8")
    assert "@" not in text and "vieux" not in text
    # A new stale row above (lines shift) and the old one's source edited: only the new
    # contact is reported, on its own line.
    mailchecker.make_csv(
        "liste.csv",
        "email,consent_date,source\n"
        "nouveau.vieux@example.com,2014-02-01,signup form\n"
        "julie.morel@example.com,2025-01-05,signup form\n"
        "vieux.client@example.com,2015-03-01,salon 2015\n",
    )
    run = mailchecker.run(".", "--today", "2026-11-22", "--baseline", "b.json")
    assert [(f["code"], f["line"]) for f in run.findings] == [("MC203", 2)]


def test_write_baseline_refuses_to_overwrite_a_contact_list(mailchecker):
    # "--write-baseline liste.csv" for "--baseline": the list was replaced by JSON.
    target = mailchecker.make_csv("liste.csv", CONTACTS)
    run = mailchecker.run(".", "--today", "2026-11-22", "--write-baseline", "liste.csv")
    assert run.exit_code == 2
    assert "liste.csv: refusing to overwrite a file that is not a mailcheck baseline" in run.stderr
    assert target.read_text(encoding="utf-8") == CONTACTS


def test_write_baseline_overwrites_an_older_baseline(mailchecker):
    mailchecker.make_csv("liste.csv", CONTACTS)
    mailchecker.make_file("b.json", '{"version": 1, "findings": []}\n')
    run = mailchecker.run(".", "--today", "2026-11-22", "--write-baseline", "b.json")
    assert run.exit_code == 0 and "wrote 1 baseline entries" in run.stderr
    assert len(json.loads((mailchecker.path / "b.json").read_text())["findings"]) == 1


def test_baseline_paths_that_cannot_be_used_are_one_line_errors(mailchecker):
    mailchecker.make_csv("liste.csv", CONTACTS)
    (mailchecker.path / "dossier").mkdir()
    run = mailchecker.run(".", "--baseline", "dossier")
    assert run.exit_code == 2
    expected = (
        "mailcheck: error: dossier: cannot read the baseline: a directory, not a regular file"
    )
    assert run.stderr.strip() == expected
    run = mailchecker.run(".", "--write-baseline", "absent/b.json")
    assert run.exit_code == 2
    assert "absent/b.json: cannot write the baseline: No such file or directory" in run.stderr
    assert "internal error" not in run.stderr
    mailchecker.make_file("b.json", '{"version": 1, "findings": [{"code": "MC203"}]}')
    run = mailchecker.run(".", "--baseline", "b.json")
    assert run.exit_code == 2 and "not a mailcheck baseline (no 'path' key)" in run.stderr


# -- hostile baselines (issue 12): one line naming the file, never a crash, hang or 1 GiB


def _run_with_baseline(mailchecker, text: str | bytes):
    mailchecker.make_csv("liste.csv", CONTACTS)
    mailchecker.make_file("b.json", text)
    with deadline():
        run = mailchecker.run(".", "--today", "2026-11-22", "--baseline", "b.json")
    assert run.exit_code == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    return run.stderr.strip()


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        ("1e999", "inf"),
        ("NaN", "nan"),
        ("-2", "-2"),
        ("0", "0"),
        ("1.5", "1.5"),
        ('"3"', "'3'"),
        ("true", "True"),
    ],
)
def test_a_count_that_is_no_whole_number(mailchecker, count, shown):
    # 1e999 was "internal error: OverflowError"; -2 and 1.5 were taken as they came.
    entry = f'{{"code": "MC203", "path": "liste.csv", "fingerprint": "ab12", "count": {count}}}'
    error = _run_with_baseline(mailchecker, f'{{"version": 1, "findings": [{entry}]}}')
    assert error == (
        f"mailcheck: error: b.json: baseline entry 1: count must be a whole number of 1 or "
        f"more, not {shown}; rewrite the baseline with --write-baseline"
    )


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,  # was "internal error: RecursionError"
        " " * (2 << 20) + '{"findings": ' + "[" * 100_000,  # deep past what is scanned first
    ],
)
def test_json_nested_too_deeply(mailchecker, text):
    error = _run_with_baseline(mailchecker, text)
    assert error == "mailcheck: error: b.json: not a mailcheck baseline (nested too deeply)"


def test_json_of_tiny_values_is_refused_before_it_is_parsed(mailchecker):
    # 64 MiB of "[]," would be some 1.4 GiB of Python lists: the shape gives it away.
    error = _run_with_baseline(mailchecker, '{"findings": [' + "[]," * 300_000 + "[]]}")
    assert error.endswith(
        "not a mailcheck baseline (far more JSON values than a baseline of its size holds)"
    )


def test_entries_of_the_wrong_shape(mailchecker):
    assert _run_with_baseline(mailchecker, "[1, 2]").endswith("(no 'findings' list)")
    assert _run_with_baseline(mailchecker, '{"findings": [7]}').endswith("(entry 1 is no object)")
    entry = '{"code": ["MC203"], "path": "liste.csv", "fingerprint": "ab12", "count": 1}'
    error = _run_with_baseline(mailchecker, f'{{"findings": [{entry}]}}')
    assert "baseline entry 1: code, path and fingerprint must be strings" in error


@pytest.mark.parametrize(
    ("special", "reason"),
    [
        ("/dev/zero", "a device, not a regular file"),
        ("fifo", "a FIFO (named pipe), not a regular file"),
    ],
)
def test_baseline_in_the_config_that_is_no_regular_file(mailchecker, special, reason):
    # baseline = "/dev/zero" was read without a size cap, past 3-6 GiB; a FIFO hung.
    mailchecker.make_csv("liste.csv", CONTACTS)
    if special == "fifo":
        os.mkfifo(mailchecker.path / "fifo")
    mailchecker.make_config(f'baseline = "{special}"\n')
    with deadline():
        run = mailchecker.run(".")
    assert run.exit_code == 2
    assert run.stderr == f"mailcheck: error: {special}: cannot read the baseline: {reason}\n"


def test_baseline_past_its_limit_names_the_key(mailchecker):
    mailchecker.make_csv("liste.csv", CONTACTS)
    mailchecker.run(".", "--today", "2026-11-22", "--write-baseline", "b.json")
    mailchecker.make_config('[limits]\nmax-baseline-size = "100 B"\n')
    run = mailchecker.run(".", "--today", "2026-11-22", "--baseline", "b.json")
    assert run.exit_code == 2
    assert run.stderr.strip().endswith(
        "b.json: cannot read the baseline: "
        f"{(mailchecker.path / 'b.json').stat().st_size} bytes: larger than the 100 bytes limit "
        "(limits.max-baseline-size raises it)"
    )


NOREPLY_EML = (
    "From: Shop <noreply@shop.example.com>\nReply-To: help@shop.example.com\n"
    "To: a@example.net\nSubject: Your receipt\nContent-Type: text/plain\n\nOrder shipped.\n"
)


@pytest.mark.parametrize("show_pii", [[], ["--show-pii"]])
def test_baseline_hides_findings_whose_message_quotes_an_address(mailchecker, show_pii):
    # Issue #18: MC320 quotes the sender's address; the writer saw the masked message and
    # the filter the clear one, so the same tree still reported it.
    mailchecker.make_eml("recu.eml", NOREPLY_EML)
    before = mailchecker.run(".", "--select", "MC320")
    assert [f["code"] for f in before.findings] == ["MC320"]
    assert "n***@shop.example.com" in before.findings[0]["message"]
    mailchecker.run(".", "--select", "MC320", "--write-baseline", "b.json", *show_pii)
    assert "noreply" not in (mailchecker.path / "b.json").read_text()
    for pii in ([], ["--show-pii"]):
        run = mailchecker.run(".", "--select", "MC320", "--baseline", "b.json", *pii)
        assert run.findings == []


def test_python_api_applies_the_config_baseline(mailchecker, monkeypatch):
    import mailcheck

    mailchecker.make_eml("recu.eml", NOREPLY_EML)
    monkeypatch.chdir(mailchecker.path)
    found = mailcheck.lint(".", {"select": ["MC320"]}, write_baseline="b.json")
    assert [f.code for f in found] == ["MC320"]
    assert mailcheck.lint(".", {"select": ["MC320"], "baseline": "b.json"}) == []
    # A new problem is still reported.
    mailchecker.make_eml("autre.eml", NOREPLY_EML.replace("Shop", "Autre"))
    again = mailcheck.lint(".", {"select": ["MC320"], "baseline": "b.json"})
    assert [f.path for f in again] == ["autre.eml"]


@pytest.mark.parametrize(
    ("version", "shown"),
    [("99", "99"), ('"2"', '"2"'), ('"1"', '"1"'), ("0", "0"), ("1.5", "1.5"), ("true", "true")]
    + [("null", "null"), ('{"major": 2}', '{"major": 2}')],
)
def test_a_baseline_of_another_version_is_refused(mailchecker, version, shown):
    # Read as this version, its entries would hide findings (or miss them) silently.
    error = _run_with_baseline(mailchecker, f'{{"version": {version}, "findings": []}}')
    assert error == (
        f"mailcheck: error: b.json: baseline version {shown} is not one this mailcheck "
        "reads (known: 1); rewrite it with --write-baseline"
    )


def test_a_baseline_of_another_version_can_be_rewritten(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("old.html", newsletter_no_unsub)
    mailchecker.make_file("b.json", '{"version": 99, "findings": []}\n')
    assert mailchecker.run(".", "--baseline", "b.json").exit_code == 2
    written = mailchecker.run(".", "--write-baseline", "b.json")
    assert written.exit_code == 0, written.stderr
    again = mailchecker.run(".", "--baseline", "b.json")
    assert again.exit_code == 0 and again.findings == [], again.stderr
