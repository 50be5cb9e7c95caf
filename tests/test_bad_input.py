"""Bad input, each next to a good contact list in the same folder (fourth acceptance).

The standard: a clear one-line error naming the file and the problem, never a traceback;
the other files are still linted; inputs are never modified. Every case lints the folder
and checks the exit code, the message (one line on stderr, and the MC900 finding of the
JSON report), that the good list beside it gave its findings, and that no byte of any
input changed.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

GOOD = (
    "email,status,consent_date,source,last_click\n"
    "julie.morel@example.com,subscribed,2025-01-05,signup form,2025-04-01\n"
    "vieux.client@example.com,subscribed,2015-03-01,signup form,2016-10-01\n"
)
HEADER = b"email,status,consent_date,source,last_click\n"
ROW = b"nora.faure@example.com,subscribed,2025-01-05,signup form,2025-04-01\n"


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and os.access(p, os.R_OK)
    }


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def lint_beside_good(mailchecker, *extra: str):
    """Lint the folder; the good list's stale row (line 3) must be reported."""
    mailchecker.make_csv("good.csv", GOOD)
    before = _digest(mailchecker.path)
    run = mailchecker.run(".", "--select", "MC203,MC900", "--today", "2026-11-22", *extra)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert run.lines("MC203", "good.csv") == [3], run.stderr
    assert _digest(mailchecker.path) == before
    return run


def assert_unreadable(run, name: str, reason: str) -> None:
    """One MC900 on ``name`` quoting ``reason``, and one stderr line naming the file."""
    (finding,) = [f for f in run.findings if f["code"] == "MC900"]
    assert finding["path"] == name and finding["line"] == 1
    assert reason in finding["message"]
    (line,) = [line for line in run.stderr.splitlines() if name in line]
    assert line == f"mailcheck: warning: {name}: {finding['message']}"
    assert run.exit_code == 1  # MC900 is an error; the good list was still read


def test_a_directory_named_csv_is_walked_not_read(mailchecker):
    (mailchecker.path / "contacts.csv").mkdir()
    run = lint_beside_good(mailchecker)
    assert run.codes.get("MC900", 0) == 0 and run.stderr == ""


def test_file_without_read_permission(mailchecker):
    secret = mailchecker.make_file("secret.csv", HEADER + ROW)
    secret.chmod(0)
    try:
        if os.access(secret, os.R_OK):
            pytest.skip("running as a user who can read a mode-000 file (root)")
        run = lint_beside_good(mailchecker)
        assert_unreadable(run, "secret.csv", "cannot read: permission denied")
    finally:
        secret.chmod(0o644)


def test_binary_file_named_csv(mailchecker):
    mailchecker.make_file("image.csv", bytes(range(256)) * 16)
    assert_unreadable(lint_beside_good(mailchecker), "image.csv", "binary data, not a text file")


def test_empty_file(mailchecker):
    mailchecker.make_file("vide.csv", b"")
    assert_unreadable(lint_beside_good(mailchecker), "vide.csv", "cannot read: empty file")


def test_header_only_file_is_an_empty_list_not_an_error(mailchecker):
    mailchecker.make_file("entete.csv", HEADER)
    run = lint_beside_good(mailchecker)
    assert [f["path"] for f in run.findings] == ["good.csv"] and run.stderr == ""


def test_truncated_zip(mailchecker):
    whole = _zip([("members.csv", HEADER + ROW * 200)])
    mailchecker.make_file("audience.zip", whole[: len(whole) // 2])
    assert_unreadable(lint_beside_good(mailchecker), "audience.zip", "not a valid ZIP archive")


def _encrypted(members: list[tuple[str, bytes]]) -> bytes:
    """A ZIP whose members are flagged encrypted, as ``zip -P`` writes them."""
    data = bytearray(_zip(members, zipfile.ZIP_STORED))
    data[6] |= 0x01  # local header flag bit 0 (one member: it is at offset 0)
    central = data.rindex(b"PK\x01\x02")
    data[central + 8] |= 0x01
    return bytes(data)


def test_password_protected_zip_member(mailchecker):
    # Was "reader failed (RuntimeError: ...); please report this mailcheck bug".
    mailchecker.make_file("audience.zip", _encrypted([("members.csv", HEADER + ROW)]))
    run = lint_beside_good(mailchecker)
    assert_unreadable(
        run, "audience.zip", "archive member 'members.csv' is encrypted (password-protected)"
    )
    assert "please report this mailcheck bug" not in run.stderr


def test_zip_whose_member_is_not_a_csv(mailchecker):
    mailchecker.make_file("audience.zip", _zip([("photo.png", b"\x89PNG\r\n\x1a\n" * 200)]))
    assert_unreadable(lint_beside_good(mailchecker), "audience.zip", "archive holds no CSV file")


def test_zip_bomb_like_member(mailchecker):
    # 64 MiB of one byte deflates to ~64 KiB: a ratio of ~1000, over the 200 allowed.
    mailchecker.make_file("audience.zip", _zip([("members.csv", HEADER + b"a" * (64 << 20))]))
    assert_unreadable(lint_beside_good(mailchecker), "audience.zip", "looks like a ZIP bomb")


def test_zip_member_path_escaping_the_archive(mailchecker):
    mailchecker.make_file("audience.zip", _zip([("../../evil.csv", HEADER + ROW)]))
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "audience.zip", "archive member '../../evil.csv' escapes the archive")
    assert not (mailchecker.path.parent.parent / "evil.csv").exists()


def test_five_megabyte_single_field(mailchecker):
    notes = b'"' + b"x" * (5 << 20) + b'"'
    mailchecker.make_file(
        "gros.csv",
        HEADER + b"a@example.com,subscribed,2015-01-05," + notes + b",2015-04-01\n" + ROW,
    )
    run = lint_beside_good(mailchecker)
    assert run.codes.get("MC900", 0) == 0, run.stderr
    assert run.lines("MC203", "gros.csv") == [2]


def test_three_thousand_columns(mailchecker):
    extra = b"".join(b",c%d" % i for i in range(2995))
    stale = b"a@example.com,subscribed,2015-01-05,signup form,2015-04-01" + b"," * 2995
    mailchecker.make_file("large.csv", HEADER.rstrip(b"\n") + extra + b"\n" + stale + b"\n")
    run = lint_beside_good(mailchecker)
    assert run.codes.get("MC900", 0) == 0 and run.lines("MC203", "large.csv") == [2]


def test_a_line_with_ten_thousand_fields(mailchecker):
    stale = b"a@example.com,subscribed,2015-01-05,signup form,2015-04-01\n"
    mailchecker.make_file("ligne.csv", HEADER + ROW + b",".join([b"x"] * 10_000) + b"\n" + stale)
    run = lint_beside_good(mailchecker)
    assert run.codes.get("MC900", 0) == 0 and run.lines("MC203", "ligne.csv") == [4]


def _late_invalid_utf8() -> bytes:
    """Line 2 has an accent (UTF-8), then 3,000 rows (~200 KB), then a bad byte on 3003."""
    rows = b"".join(
        b"user%d@example.com,subscribed,2025-01-05,signup form,2025-04-01\n" % i
        for i in range(3000)
    )
    accented = "élodie@example.com,subscribed,2025-01-05,formulaire été,2025-04-01\n"
    bad = b"bad\xff\xfe@example.com,subscribed,2025-01-05,signup form,2025-04-01\n"
    return HEADER + accented.encode() + rows + bad + ROW


def test_invalid_utf8_far_after_the_first_64_kb_names_its_line(mailchecker):
    # Was "near line 2997" for the bad byte on line 3003.
    mailchecker.make_file("utf8.csv", _late_invalid_utf8())
    assert_unreadable(lint_beside_good(mailchecker), "utf8.csv", "not valid utf-8 near line 3003")


def test_csv_with_nul_bytes(mailchecker):
    nul_row = b"nora\x00faure@example.com,subscribed,2025-01-05,signup\x00form,2025-04-01\n"
    mailchecker.make_file("nul.csv", HEADER + ROW + nul_row + ROW)
    assert_unreadable(lint_beside_good(mailchecker), "nul.csv", "binary data, not a text file")


def test_path_with_spaces_and_accents(mailchecker):
    mailchecker.make_csv(
        "Mes exports été/Liste clients é à.csv",
        "email,consent_date\nvieux@example.com,2015-01-01\n",
    )
    run = lint_beside_good(mailchecker)
    assert run.lines("MC203", "Mes exports été/Liste clients é à.csv") == [2]


def test_symlink_loop_in_a_folder(mailchecker):
    (mailchecker.path / "a").mkdir()
    (mailchecker.path / "a" / "loop").symlink_to("../a")
    (mailchecker.path / "self").symlink_to("self")
    run = lint_beside_good(mailchecker)
    assert {f["path"] for f in run.findings} == {"good.csv"} and run.exit_code == 1


def test_very_long_file_name(mailchecker):
    name = "x" * 240 + ".csv"
    mailchecker.make_csv(name, "email,consent_date\nvieux@example.com,2015-01-01\n")
    run = lint_beside_good(mailchecker)
    assert run.lines("MC203", name) == [2]


def test_rows_with_more_fields_than_the_header_are_reported_once(mailchecker):
    """A delimiter in an unquoted value (French Excel, ';'): the row's fields shift. One
    MC903 names how many rows and the first lines; the list is still linted."""
    header = "email;prenom;nom;statut;date_optin\n"
    rows = [f"client{i}@exemple.fr;Prénom;Nom{i};abonné;2025-01-02\n" for i in range(8)]
    rows[1] = "jean@exemple.fr;Jean;Dupont; fils;abonné;2025-01-02\n"  # line 3
    rows[5] = "ana@exemple.fr;Ana;Lopez; Garcia; y Ruiz;abonné;2025-01-02\n"  # line 7
    mailchecker.make_file("liste.csv", (header + "".join(rows)).encode("utf-8"))
    run = lint_beside_good(mailchecker, "--extend-select", "MC903")
    (finding,) = [f for f in run.findings if f["code"] == "MC903"]
    assert finding["path"] == "liste.csv" and finding["line"] == 3
    assert finding["severity"] == "warning"
    assert (
        "2 rows with more fields than the header (7 instead of 5; lines 3, 7)"
        in (finding["message"])
    )
    assert run.codes.get("MC900", 0) == 0


def test_rows_with_fewer_fields_than_the_header_are_no_problem(mailchecker):
    """Excel drops the empty fields at the end of a row: nothing is lost, nothing said."""
    mailchecker.make_file("liste.csv", HEADER + ROW + b"paul@example.com,subscribed\n")
    run = lint_beside_good(mailchecker, "--extend-select", "MC903")
    assert run.codes.get("MC903", 0) == 0 and run.codes.get("MC900", 0) == 0


def test_date_cells_no_format_reads_are_reported_once_per_column(mailchecker):
    """A French export with month names (read) and cells that are no date (reported by
    MC904: the rules judge them as empty, so MC204 says "no opt-in date" there)."""
    content = (
        "Email;Date d'inscription;Source\n"
        "lea.un@example.fr;14 mars 2016;Formulaire\n"  # line 2: read, stale (MC203)
        "lea.deux@example.fr;le 14/03;Formulaire\n"  # line 3: no year
        "lea.trois@example.fr;2 juin 2025 à 10h30;Formulaire\n"  # line 4: read, recent
        "lea.quatre@example.fr;hier;Formulaire\n"  # line 5
    )
    mailchecker.make_file("export-fr.csv", content.encode("cp1252"))
    run = lint_beside_good(mailchecker, "--extend-select", "MC204,MC904")
    assert run.lines("MC203", "export-fr.csv") == [2]
    assert run.lines("MC204", "export-fr.csv") == [3, 5]
    (finding,) = [f for f in run.findings if f["code"] == "MC904"]
    assert finding["path"] == "export-fr.csv" and finding["line"] == 3
    assert finding["severity"] == "warning"
    assert finding["message"] == (
        '2 cells of column "Date d\'inscription" (consent_at) not read as a date '
        "(line 3: 'le 14/03', line 5: 'hier'): judged as empty"
    )


def test_dates_every_format_reads_give_no_unreadable_date(mailchecker):
    mailchecker.make_file("liste.csv", HEADER + ROW + b"paul@example.com,subscribed,,,\n")
    run = lint_beside_good(mailchecker, "--extend-select", "MC904")
    assert run.codes.get("MC904", 0) == 0
