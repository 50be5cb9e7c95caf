"""MC905 (a quote that never closes) and MC906 (no header row): the tool's own
diagnostics on contact lists, through the real CLI."""

from __future__ import annotations

from click.testing import CliRunner

from mailcheck import cli

HEADER = "Adresse e-mail;Prénom;Nom;Date d'inscription;Statut"


def _rows(first: int, count: int) -> list[str]:
    return [
        f"client{i}@exemple.fr;Prénom{i};Nom{i};05/01/2025;abonné"
        for i in range(first, first + count)
    ]


def _write(mailchecker, name: str, lines: list[str]) -> None:
    mailchecker.make_file(name, "\r\n".join(lines) + "\r\n", encoding="cp1252")


def test_one_mc905_per_file_counting_the_later_runaways(mailchecker):
    lines = [HEADER, *_rows(0, 3), '"marie@exemple.fr;Marie;Dupont;05/01/2025;abonné']  # line 5
    lines += [*_rows(3, 2), 'paul@exemple.fr;"Paul;Durand;05/01/2025;abonné', *_rows(5, 4)]
    _write(mailchecker, "export.csv", lines)
    run = mailchecker.run("export.csv", "--select", "MC905")
    (finding,) = run.findings
    assert finding["line"] == 5 and finding["severity"] == "warning"
    # the first runaway would run up to the next quote, on line 8 (Paul's)
    assert finding["message"] == (
        "a quote opened on line 5 never closes: lines 6 to 8 would be read as one field of "
        "that row, not as 3 contacts; mailcheck read them as rows, the quote taken "
        "literally (1 more such quote later)"
    )


def test_a_runaway_of_one_line_is_said_in_the_singular(mailchecker):
    lines = [HEADER, '"marie@exemple.fr;Marie;Dupont;05/01/2025;abonné', *_rows(0, 1)]
    _write(mailchecker, "export.csv", lines)
    (finding,) = mailchecker.run("export.csv", "--select", "MC905").findings
    assert "line 3 (the end of the file) would be read" in finding["message"]
    assert "not as 1 contact;" in finding["message"]


def test_mc905_and_mc906_fail_the_run_at_warning_level_and_can_be_ignored(mailchecker):
    _write(mailchecker, "sans-entete.csv", _rows(0, 3))
    run = mailchecker.run("sans-entete.csv", "--select", "MC906", "--fail-on", "warning")
    assert run.exit_code == 1 and run.lines("MC906") == [1]
    (finding,) = run.findings
    assert finding["message"] == (
        "no header row: line 1 is a contact, so every line is read as one, columns found "
        "by their values (email in column 1, status in column 5); column 2, column 3, "
        "column 4 not read (their meaning is unknown without a header)"
    )
    assert (
        mailchecker.run("sans-entete.csv", "--select", "MC906", "--ignore", "MC906").findings == []
    )


def test_a_column_of_a_headerless_list_can_be_named_in_config(mailchecker):
    mailchecker.make_config('[columns]\nconsent_at = "column 4"\n')
    _write(mailchecker, "sans-entete.csv", ["jean@exemple.fr;Jean;Martin;01/03/2015;abonné"])
    run = mailchecker.run("sans-entete.csv", "--select", "MC203,MC906", "--today", "2026-01-01")
    assert run.lines("MC203") == [1]  # the opt-in date is read from the column named
    (finding,) = [f for f in run.findings if f["code"] == "MC906"]
    assert "column 2, column 3 not read" in finding["message"]


def test_the_rules_are_documented():
    runner = CliRunner()
    for code in ("MC905", "MC906"):
        result = runner.invoke(cli.main, ["rule", code])
        assert result.exit_code == 0
        for section in ("What it does", "Why it matters", "Example", "Fix"):
            assert section in result.output
