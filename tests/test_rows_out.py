"""``lint --rows-out DIR``: one CSV per rule with line, address and triggering values.

And what it may touch: only row files it wrote (the marker's names are checked, never
trusted), only in a folder that is its own, never an input, never a formula cell.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mailcheck.row_files import ROWS_OUT_HEADER, is_rows_out_file, rows_out_files
from mailcheck.rows_out import neutralise

MARKER = ".mailcheck-rows-out"
LOCK = ".mailcheck-rows-out.lock"
#: A French export as a CRM gives it: ``;``, accents, day-first dates.
EXPORT = (
    "Adresse e-mail;Prénom;Date d'inscription;Source\n"
    "julie.morel@exemple.fr;Julie;05/01/2025;formulaire du site\n"
    "paul.martin@exemple.fr;Paul;12/03/2024;fichier acheté\n"
    "contact@boulangerie-exemple.fr;Boulangerie;12/03/2024;salon 2024\n"
)


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


@pytest.mark.parametrize("kernel_copy", [True, False], ids=["sendfile", "copied"])
def test_row_files_are_the_same_whether_the_kernel_copies_the_rows(
    mailchecker, monkeypatch, kernel_copy
):
    """The rows go from their spool to the row file by ``os.sendfile`` where the system
    has it, else through Python: the same bytes, header first, in both."""
    rows = [[f"contact{n}@exemple.fr", "fichier acheté", "2016-01-01"] for n in range(500)]
    mailchecker.make_csv("liste.csv", header=["email", "source", "consent_date"], rows=rows)
    sent: list[int] = []
    if not kernel_copy:
        monkeypatch.delattr(os, "sendfile", raising=False)
    elif hasattr(os, "sendfile"):
        send = os.sendfile
        monkeypatch.setattr(os, "sendfile", lambda *a: sent.append(send(*a)) or sent[-1])
    mailchecker.run("liste.csv", "--today", "2026-11-22", "--rows-out", "rows")
    assert bool(sent) == (kernel_copy and sys.platform == "linux")
    written = mailchecker.path / "rows" / "MC205-invalid-optin-source.csv"
    with written.open(encoding="utf-8-sig", newline="") as handle:
        found = list(csv.reader(handle, delimiter=";"))
    assert found[0][:5] == ["file", "line", "address", "severity", "message"]
    assert [row[1] for row in found[1:]] == [str(n) for n in range(2, 502)]
    assert found[-1][2] == "contact499@exemple.fr"


def _stale_list(mailchecker, name: str = "liste.csv"):
    return mailchecker.make_csv(
        name,
        header=["email", "source", "consent_date"],
        rows=[
            ["a@example.com", "signup form", "2025-01-01"],
            ["b@example.com", "purchased", "2025-01-01"],
        ],
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


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
        assert "refusing" not in again.stderr


def test_rows_out_in_a_folder_of_lists_still_lints_the_lists_beside_it(mailchecker):
    # Only the files the marker lists are skipped, not the folder they were written to:
    # rows written to an empty folder that the user then puts a list in.
    _stale_list(mailchecker)
    (mailchecker.path / "travail").mkdir()
    mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", "travail")
    assert (mailchecker.path / "travail" / "MC205-invalid-optin-source.csv").is_file()
    _stale_list(mailchecker, "travail/autre.csv")
    run = mailchecker.run(".", "--select", "MC205")
    assert run.exit_code == 1
    assert sorted({f["path"] for f in run.findings}) == ["liste.csv", "travail/autre.csv"]


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
    mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", "rows")
    target = mailchecker.path / "rows" / "MC205-invalid-optin-source.csv"
    target.unlink()
    target.mkdir()
    run = mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", "rows")
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "mailcheck: error: --rows-out: refusing to replace rows/MC205-invalid-optin-source.csv: "
        "a directory; move it away or choose another folder"
    ]
    assert target.is_dir()


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
        MARKER,
        LOCK,
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
    # The folder stays mailcheck's (an empty marker), so a later run may write there.
    _stale_list(mailchecker)
    mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", "rows")
    run = mailchecker.run("liste.csv", "--select", "MC215", "--rows-out", "rows")
    assert run.exit_code == 0, run.stderr
    rows = mailchecker.path / "rows"
    assert sorted(p.name for p in rows.iterdir()) == [MARKER, LOCK]
    assert (rows / MARKER).read_text(encoding="utf-8") == ""
    assert "removed 1 row file(s)" in run.stderr
    again = mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", "rows")
    assert again.exit_code == 1 and (rows / "MC205-invalid-optin-source.csv").is_file()


# -- a hostile marker ------------------------------------------------------------------


def test_the_issues_marker_pointing_outside_the_folder_removes_nothing(mailchecker):
    # The reproduction of the issue: the marker named ../victim.txt and it was deleted.
    d = mailchecker.path / "d"
    (d / "rows").mkdir(parents=True)
    (d / "victim.txt").write_text("keep\n", encoding="utf-8")
    outside = mailchecker.path / "abs-victim.csv"
    outside.write_bytes(ROWS_OUT_HEADER + b"\r\n")  # even shaped like a row file
    (d / "rows" / MARKER).write_text(
        f"../victim.txt\n{outside}\n..\\victim.txt\n../l.csv\n", encoding="utf-8"
    )
    (d / "l.csv").write_text("email\na@b.net\n", encoding="utf-8")
    before = _snapshot(mailchecker.path)
    run = mailchecker.run("d/l.csv", "--rows-out", "d/rows")
    assert run.exit_code in (0, 1), run.stderr
    assert (d / "victim.txt").read_text(encoding="utf-8") == "keep\n"
    assert outside.read_bytes() == ROWS_OUT_HEADER + b"\r\n"
    assert (d / "l.csv").read_text(encoding="utf-8") == "email\na@b.net\n"
    after = _snapshot(mailchecker.path)
    assert {k: v for k, v in after.items() if k in before and not k.endswith(MARKER)} == {
        k: v for k, v in before.items() if not k.endswith(MARKER)
    }
    assert rows_out_files(d / "rows") == frozenset()


def test_a_marker_naming_the_users_lists_does_not_hide_them(mailchecker):
    # A marker in the project folder names the lists themselves, and one list even has
    # the name of a row file: they are not row files (no row-file header), so they are
    # still linted.
    mailchecker.make_file("clients.csv", EXPORT)
    mailchecker.make_file("MC205-invalid-optin-source.csv", EXPORT)
    mailchecker.make_file(MARKER, "clients.csv\nMC205-invalid-optin-source.csv\n./clients.csv\n")
    run = mailchecker.run(".", "--select", "MC205")
    assert run.exit_code == 1
    assert sorted({f["path"] for f in run.findings}) == [
        "MC205-invalid-optin-source.csv",
        "clients.csv",
    ]


def test_a_marker_naming_a_link_to_a_row_file_neither_hides_nor_removes_it(mailchecker):
    # The link has a row file's name and leads to a real row file elsewhere: neither the
    # link nor what it leads to is mailcheck's to remove.
    mailchecker.make_file("liste.csv", EXPORT)
    mailchecker.run("liste.csv", "--select", "MC215", "--rows-out", "rows")  # an own folder
    elsewhere = mailchecker.path / "archives"
    elsewhere.mkdir()
    precious = elsewhere / "MC205-invalid-optin-source.csv"
    precious.write_bytes(ROWS_OUT_HEADER + b"\r\nliste.csv;3;b@example.com;error;x\r\n")
    link = mailchecker.path / "rows" / "MC205-invalid-optin-source.csv"
    try:
        link.symlink_to(precious)
    except OSError:
        pytest.skip("symbolic links are not available")
    (mailchecker.path / "rows" / MARKER).write_text(f"{link.name}\n", encoding="utf-8")
    assert not is_rows_out_file(link.parent, link.name)
    run = mailchecker.run("liste.csv", "--select", "MC215", "--rows-out", "rows")
    assert run.exit_code == 0, run.stderr
    assert run.findings and all(f["path"] == "liste.csv" for f in run.findings)
    assert link.is_symlink() and precious.read_bytes().startswith(ROWS_OUT_HEADER)
    assert "removed" not in run.stderr


def test_rows_out_refuses_a_users_folder_of_lists(mailchecker):
    # ``--rows-out exports/``: the row files (addresses in clear) would land among the
    # user's lists and be linted as audiences next time.
    mailchecker.make_file("exports/clients.csv", EXPORT)
    before = _snapshot(mailchecker.path)
    run = mailchecker.run("exports/clients.csv", "--select", "MC205", "--rows-out", "exports")
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "mailcheck: error: --rows-out exports: the folder holds other files and no "
        ".mailcheck-rows-out (mailcheck writes rows only into a new or empty folder, or one "
        "it wrote before): choose another folder"
    ]
    assert _snapshot(mailchecker.path) == before
    assert sorted(p.name for p in (mailchecker.path / "exports").iterdir()) == ["clients.csv"]


def test_rows_out_writes_into_an_empty_folder(mailchecker):
    mailchecker.make_file("clients.csv", EXPORT)
    (mailchecker.path / "lignes").mkdir()
    run = mailchecker.run("clients.csv", "--select", "MC205", "--rows-out", "lignes")
    assert run.exit_code == 1
    assert rows_out_files(mailchecker.path / "lignes") == {"MC205-invalid-optin-source.csv"}


def test_rows_out_never_replaces_a_users_file_that_has_a_row_files_name(mailchecker):
    # The user saved their own list over a row file (Excel drops the header's BOM).
    _stale_list(mailchecker)
    mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", "rows")
    own = mailchecker.make_file("rows/MC205-invalid-optin-source.csv", EXPORT)
    run = mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", "rows")
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "mailcheck: error: --rows-out: refusing to replace rows/MC205-invalid-optin-source.csv: "
        "a file mailcheck did not write (no row-file header); move it away or choose another "
        "folder"
    ]
    assert own.read_text(encoding="utf-8") == EXPORT


def test_rows_out_refuses_a_row_file_that_is_a_hard_link_to_the_list(mailchecker):
    # ``ln liste.csv rows/MC205-...csv``: writing the rows there would replace the list's
    # name in that folder; the list itself is compared by device and inode.
    liste = mailchecker.make_file("liste.csv", EXPORT)
    mailchecker.run("liste.csv", "--select", "MC215", "--rows-out", "rows")
    target = mailchecker.path / "rows" / "MC205-invalid-optin-source.csv"
    try:
        os.link(liste, target)
    except OSError:
        pytest.skip("hard links are not available")
    run = mailchecker.run("liste.csv", "--select", "MC205", "--rows-out", "rows")
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "mailcheck: error: rows/MC205-invalid-optin-source.csv: refusing to write rows over "
        "an input file (the same file, maybe through a link): choose another name"
    ]
    assert liste.read_text(encoding="utf-8") == EXPORT
    assert os.path.samefile(liste, target)


def test_marker_entries_must_be_bare_row_file_names(tmp_path):
    good = "MC205-invalid-optin-source.csv"
    (tmp_path / good).write_bytes(ROWS_OUT_HEADER + b";consent_source\r\n")
    (tmp_path / "MCH101-plugin-rule.csv").write_bytes(ROWS_OUT_HEADER + b"\r\n")
    (tmp_path / "MC206-no-header.csv").write_bytes(b"file;line\r\n")
    (tmp_path / "MC207-other-header.csv").write_bytes(ROWS_OUT_HEADER + b"x\r\n")
    names = [good, "MCH101-plugin-rule.csv", "MC206-no-header.csv", "MC207-other-header.csv"]
    names += ["../" + good, "sub/" + good, "/tmp/" + good, "MC205-Invalid.csv", "mc205-x.csv"]
    (tmp_path / MARKER).write_text("\n".join(names) + "\n", encoding="utf-8")
    assert rows_out_files(tmp_path) == {good, "MCH101-plugin-rule.csv"}
    # A marker that is not a regular file, or far too big to be one, lists nothing.
    (tmp_path / MARKER).write_bytes(b"\n".join([good.encode()] * 5000))
    assert rows_out_files(tmp_path) == frozenset()


# -- spreadsheet formulas ----------------------------------------------------------------


def test_formula_cells_are_neutralised_and_other_addresses_kept_byte_for_byte(mailchecker):
    # An attacker types the address and the "source" in a signup form; the marketer opens
    # the row file in Excel. Ordinary addresses (a +tag, an apostrophe) must be re-imported
    # exactly as they are in the list.
    mailchecker.make_file(
        "inscriptions.csv",
        "Adresse e-mail;Prénom;Date d'inscription;Source\n"
        "jean+news@exemple.fr;Jean;12/03/2024;fichier acheté\n"
        "o'brien@exemple.ie;Seán;12/03/2024;"
        '"=HYPERLINK(""http://evil.example/?x"";""fichier acheté"")"\n'
        "=cmd|'/Ccalc'!A0@exemple.com;Eve;12/03/2024;fichier acheté\n"
        "-x@exemple.fr;Luc;12/03/2024;+fichier acheté\n"
        "+33@exemple.fr;Zoé;12/03/2024;@fichier acheté\n",
    )
    run = mailchecker.run("inscriptions.csv", "--select", "MC205", "--rows-out", "lignes")
    assert run.exit_code == 1
    path = mailchecker.path / "lignes" / "MC205-invalid-optin-source.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [r["address"] for r in rows] == [
        "jean+news@exemple.fr",
        "o'brien@exemple.ie",
        "'=cmd|'/Ccalc'!A0@exemple.com",
        "'-x@exemple.fr",
        "'+33@exemple.fr",
    ]
    assert [r["consent_source"] for r in rows] == [
        "fichier acheté",
        '\'=HYPERLINK("http://evil.example/?x";"fichier acheté")',
        "fichier acheté",
        "'+fichier acheté",
        "'@fichier acheté",
    ]
    for row in rows:  # no cell of any column starts like a formula
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-5", "'-5"),
        (-5, "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("jean+news@exemple.fr", "jean+news@exemple.fr"),
        ("o'brien@exemple.ie", "o'brien@exemple.ie"),
        (" =1", " =1"),
        (None, ""),
        (12, "12"),
    ],
)
def test_neutralise(value, cell):
    assert neutralise(value) == cell


# -- two runs at once ----------------------------------------------------------------------


def _mailcheck(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mailcheck.cli", "lint", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MAILCHECK_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )


def test_a_run_waits_for_another_writing_the_same_folder(mailchecker):
    # While one run holds the folder's lock (between reading the marker and writing it),
    # another must not write, or the marker would list one run's files.
    from filelock import FileLock

    filelock_dir = mailchecker.path / "rows"
    mailchecker.make_file("clients.csv", EXPORT)
    mailchecker.run("clients.csv", "--select", "MC215", "--rows-out", "rows")
    with FileLock(str(filelock_dir / LOCK)):
        process = _mailcheck(
            "clients.csv", "--select", "MC205", "--rows-out", "rows", cwd=mailchecker.path
        )
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line == "mailcheck: waiting for another mailcheck run writing rows\n"
        time.sleep(0.2)
        assert rows_out_files(filelock_dir) == {"MC215-generic-role-address.csv"}
        assert not (filelock_dir / "MC205-invalid-optin-source.csv").exists()
    _, rest = process.communicate(timeout=30)
    assert process.returncode == 1, rest
    assert sorted(p.name for p in filelock_dir.iterdir()) == [
        MARKER,
        LOCK,
        "MC205-invalid-optin-source.csv",
    ]
    assert rows_out_files(filelock_dir) == {"MC205-invalid-optin-source.csv"}


def test_two_runs_writing_one_folder_leave_a_marker_listing_exactly_its_files(mailchecker):
    mailchecker.make_file("clients.csv", EXPORT)
    mailchecker.run("clients.csv", "--select", "MC205", "--rows-out", "rows")
    runs = [
        _mailcheck("clients.csv", "--select", select, "--rows-out", "rows", cwd=mailchecker.path)
        for select in ("MC215", "MC205,MC215")
    ]
    for process in runs:
        _, stderr = process.communicate(timeout=60)
        assert process.returncode in (0, 1) and "error" not in stderr, stderr
    rows = mailchecker.path / "rows"
    present = {p.name for p in rows.iterdir()} - {MARKER, LOCK}
    assert rows_out_files(rows) == present
    # the folder is the last run's: either run's files, not a mix of the two
    role, both = (
        {"MC215-generic-role-address.csv"},
        {
            "MC205-invalid-optin-source.csv",
            "MC215-generic-role-address.csv",
        },
    )
    assert present in (role, both)
    assert (rows / MARKER).read_text(encoding="utf-8").split() == sorted(present)
