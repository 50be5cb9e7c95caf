"""``lint --rows-out DIR``: one CSV per rule with line, address and triggering values."""

from __future__ import annotations

import csv


def test_rows_out_writes_one_file_per_rule(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        header=["email", "source", "consent_date"],
        rows=[
            ["a@example.com", "signup form", "2025-01-01"],
            ["contact@acme.fr", "fichier acheté", "2025-01-01"],
            ["b@example.com", "purchased", "2025-01-01"],
        ],
    )
    run = mailchecker.run("liste.csv", "--select", "MC205,MC215", "--rows-out", "rows")
    assert run.exit_code == 1
    written = sorted(p.name for p in (mailchecker.path / "rows").glob("MC*.csv"))
    assert written == ["MC205-invalid-optin-source.csv", "MC215-generic-role-address.csv"]
    with (mailchecker.path / "rows" / written[0]).open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [(r["line"], r["address"], r["consent_source"]) for r in rows] == [
        ("3", "contact@acme.fr", "fichier acheté"),
        ("4", "b@example.com", "purchased"),
    ]
    # The report itself stays masked.
    assert "contact@acme.fr" not in run.output


def _stale_list(mailchecker, name: str = "liste.csv"):
    return mailchecker.make_csv(
        name,
        header=["email", "source", "consent_date"],
        rows=[
            ["a@example.com", "signup form", "2025-01-01"],
            ["b@example.com", "purchased", "2025-01-01"],
        ],
    )


def test_rows_out_files_in_the_linted_folder_are_not_linted_next_time(mailchecker):
    # A marketer writes the rows next to the lists, then lints the folder again: the
    # report CSVs (addresses in clear) must not be read as audiences, and a third run
    # must not refuse to overwrite them as "input files".
    _stale_list(mailchecker)
    first = mailchecker.run(".", "--select", "MC205", "--rows-out", "rows")
    assert first.exit_code == 1 and first.lines("MC205") == [3]
    marker = mailchecker.path / "rows" / ".mailcheck-rows-out"
    assert marker.read_text(encoding="utf-8").split() == ["MC205-invalid-optin-source.csv"]
    for _ in range(2):
        again = mailchecker.run(".", "--rows-out", "rows", "--today", "2026-11-22")
        assert again.exit_code == 1, again.stderr
        assert {f["path"] for f in again.findings} == {"liste.csv"}
        assert "refusing to overwrite" not in again.stderr


def test_rows_out_in_the_project_folder_still_lints_the_lists_beside_it(mailchecker):
    # Only the files the marker lists are skipped, not the folder they were written to.
    _stale_list(mailchecker)
    mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", ".")
    assert (mailchecker.path / "MC205-invalid-optin-source.csv").is_file()
    _stale_list(mailchecker, "autre.csv")
    run = mailchecker.run(".", "--select", "MC205")
    assert run.exit_code == 1
    assert sorted({f["path"] for f in run.findings}) == ["autre.csv", "liste.csv"]


def test_rows_out_folder_that_cannot_be_created_is_a_one_line_error(mailchecker):
    _stale_list(mailchecker)
    run = mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", "liste.csv/rows")
    assert run.exit_code == 2
    assert run.stderr.splitlines()[-1] == (
        "mailcheck: error: --rows-out liste.csv/rows: cannot create the folder: Not a directory"
    )
    assert "internal error" not in run.stderr


def test_rows_out_target_that_is_a_folder_is_a_one_line_error(mailchecker):
    _stale_list(mailchecker)
    (mailchecker.path / "rows" / "MC205-invalid-optin-source.csv").mkdir(parents=True)
    run = mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", "rows")
    assert run.exit_code == 2
    assert run.stderr.splitlines()[-1] == (
        "mailcheck: error: --rows-out: cannot write rows/MC205-invalid-optin-source.csv: "
        "Is a directory"
    )


def test_rows_out_removes_an_earlier_runs_file_of_a_rule_that_flags_nothing_now(mailchecker):
    # A user who fixed the purchased rows must not find last run's list of them in the
    # folder, and act on it again.
    _stale_list(mailchecker)
    first = mailchecker.run("liste.csv", "--select", "MC205,MC215", "--rows-out", "rows")
    assert first.exit_code == 1
    rows = mailchecker.path / "rows"
    assert (rows / "MC205-invalid-optin-source.csv").is_file()
    (rows / "notes.txt").write_text("mine", encoding="utf-8")  # not listed: never touched
    mailchecker.make_csv(
        "liste.csv",
        header=["email", "source", "consent_date"],
        rows=[["a@example.com", "signup form", "2025-01-01"], ["contact@acme.fr", "", ""]],
    )
    second = mailchecker.run("liste.csv", "--select", "MC205,MC215", "--rows-out", "rows")
    assert second.exit_code == 0, second.stderr
    assert sorted(p.name for p in rows.iterdir()) == [
        ".mailcheck-rows-out",
        "MC215-generic-role-address.csv",
        "notes.txt",
    ]
    assert (rows / ".mailcheck-rows-out").read_text(encoding="utf-8").split() == [
        "MC215-generic-role-address.csv"
    ]
    assert (
        "mailcheck: removed 1 row file(s) of an earlier run from rows (no row flagged now): "
        "MC205-invalid-optin-source.csv"
    ) in second.stderr.splitlines()


def test_rows_out_with_nothing_flagged_empties_the_folder_of_row_files(mailchecker):
    _stale_list(mailchecker)
    mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", "rows")
    run = mailchecker.run("liste.csv", "--select", "MC215", "--rows-out", "rows")
    assert run.exit_code == 0, run.stderr
    assert list((mailchecker.path / "rows").iterdir()) == []
    assert "removed 1 row file(s)" in run.stderr
