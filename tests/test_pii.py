"""Personal data in outputs (src/mailcheck/pii.py): what the mask catches, and that no
address reaches any output in clear by default -- file and ZIP member names, stderr
warnings, crash messages and logs, ``inspect`` of a list without a header row."""

from __future__ import annotations

import io
import json
import re
import types
import zipfile
from pathlib import Path

import pytest

from mailcheck import cli, hookimpl
from mailcheck.pii import clip, mask_address, mask_text
from mailcheck.reporters.base import Reporter

# -- the pattern -----------------------------------------------------------------------

MASKED = [
    ("jean.dupont@example.com", "j***@example.com"),
    ("Jean.Dupont@Example.COM", "J***@Example.COM"),
    ("jean+newsletter@example.com", "j***@example.com"),
    ("jean.dupont+promo-2024@sub.example.co.uk", "j***@sub.example.co.uk"),
    ("o'neil@example.ie", "o***@example.ie"),
    ("x_y-z@example.org", "x***@example.org"),
    ("1234@example.com", "1***@example.com"),
    ("josé@exemple.fr", "j***@exemple.fr"),
    ("ïnfo@例え.jp", "ï***@例え.jp"),
    ("élodie@société.fr", "é***@société.fr"),
    ("x@localhost", "x***@localhost"),
    ("root@intranet", "r***@intranet"),
    ("x@[192.0.2.1]", "x***@[192.0.2.1]"),
    ("x@[IPv6:2001:db8::1]", "x***@[IPv6:2001:db8::1]"),
    ('"jean dupont"@example.com', "j***@example.com"),
    ('"a@b"@example.com', "a***@example.com"),
    ('"jean\\"dupont"@example.com', "j***@example.com"),
    ("bounce+jean=example.fr@esp.example", "b***@esp.example"),
    ("user%relay@example.com", "u***@example.com"),
    ("a@b.c", "a***@b.c"),
]

IN_CONTEXT = [
    ("Jean Dupont <jean.dupont@example.com>", "Jean Dupont <j***@example.com>"),
    (
        "mailto:jean@example.fr?subject=Désinscription",
        "mailto:j***@example.fr?subject=Désinscription",
    ),
    ("doublon de 'jean@example.fr' (ligne 4)", "doublon de 'j***@example.fr' (ligne 4)"),
    ('écrire à "jean@example.fr".', 'écrire à "j***@example.fr".'),
    ("Fin de phrase : marie@example.fr.", "Fin de phrase : m***@example.fr."),
    ("a@example.fr, b@example.fr;c@example.fr", "a***@example.fr, b***@example.fr;c***@example.fr"),
    # file and ZIP member paths keep their folders and archive name
    ("exports/jean.dupont@example.com.csv", "exports/j***@example.com.csv"),
    ("liste.zip!marie.curie@example.org.csv", "liste.zip!m***@example.org.csv"),
    ('"non terminé jean@example.fr', '"non terminé j***@example.fr'),
    ("\x1b[2Jjean@example.fr", "\x1b[2***@example.fr"),
]

#: The ``@`` as links and template sources write it: each kept as written.
ENCODED = [
    ("?email=claire.martin%40exemple.fr", "?***%40exemple.fr"),
    ("claire.martin%2540exemple.fr", "c***%2540exemple.fr"),
    ("claire.martin%252540exemple.fr", "c***%252540exemple.fr"),
    ("claire%2Emartin%40exemple%2Efr", "c***%40exemple%2Efr"),
    ("claire.martin&#64;exemple.fr", "c***&#64;exemple.fr"),
    ("claire.martin&#064;exemple.fr", "c***&#064;exemple.fr"),
    ("claire.martin&#64exemple.fr", "c***&#64exemple.fr"),
    ("claire.martin&#x40;exemple.fr", "c***&#x40;exemple.fr"),
    ("claire.martin&#X0040;exemple.fr", "c***&#X0040;exemple.fr"),
    ("claire.martin&commat;exemple.fr", "c***&commat;exemple.fr"),
    ("claire.martin\uff20exemple.fr", "c***\uff20exemple.fr"),
    ("claire.martin\ufe6bexemple.fr", "c***\ufe6bexemple.fr"),
    ("claire.martin\\u0040exemple.fr", "c***\\u0040exemple.fr"),
    ("claire.martin\\x40exemple.fr", "c***\\x40exemple.fr"),
]

LEFT_ALONE = [
    "-30 % sur tout, 40 % en magasin",
    "R&D, 100%40",
    "a&#640;b.fr",
    "a&#x40b.fr",
    "a%4b.fr",
    "@mention",
    "user@",
    "merci @ bientôt",
    "rendez-vous @ 10h",
    "a @ b",
    "@",
    "a@@b.fr",
    '""@example.com',
    "Date d'inscription;Prénom",
    "",
]


@pytest.mark.parametrize(("address", "masked"), MASKED)
def test_every_address_shape_is_masked(address, masked):
    assert mask_text(address) == masked
    assert mask_address(address) == masked


@pytest.mark.parametrize(("text", "masked"), IN_CONTEXT)
def test_addresses_in_text_are_masked_and_the_rest_kept(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize(("text", "masked"), ENCODED)
def test_an_encoded_at_sign_is_masked_too(text, masked):
    assert mask_text(text) == masked
    assert mask_text(masked) == masked


@pytest.mark.parametrize("at", ["@", "%40", "&#x40;", "＠"])
@pytest.mark.parametrize("cut", [152, 160, 165, 170])
def test_a_cut_never_splits_an_address(at, cut):
    # The excerpt of a long line, a link quoted in a message: cut inside an address,
    # what is left would not look like one and its local part would stay in clear.
    text = "x" * 150 + f" lucie.bernard{at}exemple.fr suite"
    shown = mask_text(clip(text, cut))
    assert "bernard" not in shown and "l***" in shown
    assert shown.startswith("x" * 150)
    assert clip("y" * 500, 160) == "y" * 160
    assert clip(text, 500) == text


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_non_addresses_are_left_alone(text):
    assert mask_text(text) == text


@pytest.mark.parametrize("text", [a for a, _ in MASKED] + [t for t, _ in IN_CONTEXT])
def test_masking_twice_changes_nothing(text):
    # Baseline entries and fingerprints mask a path that the engine may have masked
    # already: both must give the same text.
    once = mask_text(text)
    assert mask_text(once) == once


def test_text_without_at_sign_is_returned_as_is():
    text = "date d'inscription manquante (ligne 12)"
    assert mask_text(text) is text


@pytest.mark.parametrize("at", ["@", "%40", "&#64;", "%2540"])
def test_a_long_line_of_atext_is_masked_in_linear_time(at):
    # One long "word" with an address at the end: no backtracking blow-up.
    text = "a." * 50_000 + f"b{at}example.com"
    assert mask_text(text).endswith(f"***{at}example.com")


# -- through the real CLI ----------------------------------------------------------------

LIST = (
    "Adresse e-mail;Prénom;Date d'inscription\n"
    "jean.dupont@example.com;Jean;12/03/2015\n"
    "marie.durand@example.fr;Marie;01/02/2016\n"
)
CLEAR = re.compile(r"(jean\.dupont|marie\.durand|paul\.martin|zoe\.moreau|lucie\.bernard)(@|%40)")
FORMATS = ["concise", "full", "json", "json-lines", "sarif", "github", "junit"]


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def named_after_addresses(mailchecker):
    """A list named after an address (Windows-1252, as French Excel saves it), a ZIP
    whose member is, an unreadable file that is, and a list without its header row."""
    mailchecker.make_file("jean.dupont@example.com.csv", LIST, encoding="cp1252")
    mailchecker.make_file("export.zip", _zip({"paul.martin@example.org.csv": LIST}))
    mailchecker.make_file("zoe.moreau@example.com.csv", b"\x00\x01\x02PK\x00binary")
    mailchecker.make_file(
        "sans-entete.csv",
        "lucie.bernard@example.net;Lucie;2019-01-01\nhugo.petit@example.net;Hugo;2020-02-02\n",
    )
    return mailchecker


@pytest.mark.parametrize("fmt", [*FORMATS, "statistics"])
def test_no_address_in_clear_in_any_format_nor_on_stderr(named_after_addresses, fmt):
    args = ["--statistics"] if fmt == "statistics" else ["--output-format", fmt]
    run = named_after_addresses.run(".", "--today", "2026-11-22", *args)
    assert run.exit_code == 1, run.stderr
    shown = {"sarif": "j%2A%2A%2A%40example.com.csv", "statistics": "Found"}
    assert shown.get(fmt, "j***@example.com.csv") in run.output
    assert CLEAR.search(run.output) is None, CLEAR.search(run.output)
    assert CLEAR.search(run.stderr) is None, run.stderr
    if fmt in ("concise", "full"):  # the report on the terminal says it, once (#18)
        assert "z***@example.com.csv:1:1: MC900" in run.output
    else:
        assert "mailcheck: warning: z***@example.com.csv: cannot read" in run.stderr


def test_paths_are_masked_in_findings_and_shown_with_show_pii(named_after_addresses):
    run = named_after_addresses.run(".", "--today", "2026-11-22")
    paths = {f["path"] for f in run.findings}
    assert {"j***@example.com.csv", "export.zip!p***@example.org.csv"} <= paths
    shown = named_after_addresses.run(".", "--today", "2026-11-22", "--show-pii")
    paths = {f["path"] for f in shown.findings}
    assert {"jean.dupont@example.com.csv", "export.zip!paul.martin@example.org.csv"} <= paths
    # the fingerprint does not depend on --show-pii (a baseline matches either way)
    assert sorted(f["fingerprint"] for f in run.findings) == sorted(
        f["fingerprint"] for f in shown.findings
    )


def test_per_file_ignores_match_the_real_name_before_masking(named_after_addresses):
    run = named_after_addresses.run(
        ".", "--today", "2026-11-22", "--per-file-ignores", "jean.dupont@example.com.csv:MC203"
    )
    assert run.lines("MC203", "j***@example.com.csv") == []
    assert run.lines("MC203", "export.zip!p***@example.org.csv") == [2, 3]


def test_baseline_of_files_named_after_addresses_matches_and_holds_no_address(
    named_after_addresses,
):
    checker = named_after_addresses
    written = checker.run(".", "--today", "2026-11-22", "--write-baseline", "base.json")
    assert written.exit_code == 0, written.stderr
    text = (checker.path / "base.json").read_text(encoding="utf-8")
    assert CLEAR.search(text) is None and "j***@example.com.csv" in text
    again = checker.run(".", "--today", "2026-11-22", "--baseline", "base.json")
    assert again.findings == [] and again.exit_code == 0, again.stderr
    # ... also when the baseline was written with --show-pii
    checker.run(".", "--today", "2026-11-22", "--show-pii", "--write-baseline", "b2.json")
    assert CLEAR.search((checker.path / "b2.json").read_text(encoding="utf-8")) is None
    assert checker.run(".", "--today", "2026-11-22", "--baseline", "b2.json").findings == []


def _inspect(mailchecker, *args: str):
    from click.testing import CliRunner

    return CliRunner().invoke(cli.main, ["inspect", *args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_inspect_masks_names_and_the_first_row_of_a_headerless_list(named_after_addresses, fmt):
    result = _inspect(named_after_addresses, ".", "--output-format", fmt)
    assert result.exit_code == 0, result.stderr
    assert CLEAR.search(result.stdout) is None, result.stdout
    assert CLEAR.search(result.stderr) is None
    assert "j***@example.com.csv" in result.stdout
    assert "export.zip!p***@example.org.csv" in result.stdout
    if fmt == "json":
        assert any(item["path"] == "j***@example.com.csv" for item in json.loads(result.stdout))


def test_inspect_show_pii_shows_them(named_after_addresses):
    result = _inspect(named_after_addresses, ".", "--show-pii")
    assert "jean.dupont@example.com.csv" in result.stdout
    assert "export.zip!paul.martin@example.org.csv" in result.stdout


def test_inspect_masks_every_text_of_a_description():
    # A list read with its first row as the header: its "columns" are addresses.
    from mailcheck.inspect import format_text, mask_descriptions

    description = {
        "path": "exports/lucie.bernard@example.net.csv",
        "kind": "contacts",
        "role": "audience",
        "role_reason": "a contact list",
        "provider": None,
        "provider_reason": "no provider plugin recognised the header",
        "encoding": "utf-8",
        "delimiter": ";",
        "rows": 1,
        "columns": [{"canonical": "email", "source": "lucie.bernard@example.net"}],
        "constants": {"status": "marie.durand@example.fr"},
        "unmapped": ["Lucie", "jean.dupont@example.com"],
        "notes": ["header looks like data: jean.dupont@example.com"],
    }
    text = format_text(mask_descriptions([description]))
    assert CLEAR.search(text) is None
    assert "exports/l***@example.net.csv" in text and "email    <- l***@example.net" in text
    assert "not used: Lucie, j***@example.com" in text
    assert CLEAR.search(json.dumps(mask_descriptions([description]))) is None


class _CrashingReporter(Reporter):
    name = "crashes"

    def add(self, findings):
        raise ValueError("cannot format the row of jean.dupont@example.com")


def test_crash_message_and_crash_log_are_masked(mailchecker, monkeypatch, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(logs))
    mailchecker.register(
        types.SimpleNamespace(mailcheck_reporters=hookimpl(lambda: [_CrashingReporter])), "crash"
    )
    mailchecker.make_file("liste.csv", LIST)
    run = mailchecker.run(".", "--output-format", "crashes")
    assert run.exit_code == 2
    (line,) = run.stderr.splitlines()
    assert line.startswith("mailcheck: error: internal error: ValueError: ")
    assert "j***@example.com" in line and CLEAR.search(line) is None
    (log,) = logs.glob("mailcheck-crash-*.md")
    text = log.read_text(encoding="utf-8")
    assert "j***@example.com" in text and CLEAR.search(text) is None


def test_stderr_lines_are_masked_and_escaped(capsys):
    cli._warn("liste-\x1b[2J\u202ejean.dupont@example.com.csv: cannot read\nsecond line")
    err = capsys.readouterr().err
    assert err == (
        "mailcheck: warning: liste-\\x1b[2J\\u202ej***@example.com.csv: cannot read\\nsecond line\n"
    )


def test_python_api_findings_are_masked(named_after_addresses):
    from mailcheck import lint

    findings = lint([Path(".")], {"today": "2026-11-22"})
    assert findings and all(CLEAR.search(f.path) is None for f in findings)
    assert all(CLEAR.search(f.message) is None for f in findings)


@pytest.mark.parametrize("fmt", ["concise", "full", "html"])
def test_an_address_missing_its_at_sign_is_masked_too(mailchecker, fmt):
    """A typo (``jean.dupont.gmail.com``) is still someone's address: the row it leads
    shows its first character only, as a masked address does."""
    mailchecker.make_file(
        "abonnes.csv",
        "Adresse e-mail;Prénom;Date d'inscription\n"
        "jean.dupont.gmail.com;Jean;12/03/2025\n"
        "marie.durand@example.fr;Marie;01/02/2025\n",
    )
    args = ["-o", "rapport.html"] if fmt == "html" else []
    run = mailchecker.run("abonnes.csv", "--today", "2026-11-22", "--output-format", fmt, *args)
    shown = (mailchecker.path / "rapport.html").read_text("utf-8") if args else run.output
    assert "MC217" in shown and "j***" in shown
    assert "dupont" not in shown


ENCODED_TEMPLATE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Soldes -30 %</title></head><body>
<p>Profitez de -30 % sur toutes les paires. Achetez maintenant !</p>
<p><a href="https://192.0.2.10/unsub?email=claire.martin%40exemple.fr&amp;c=paul.martin%2540\
exemple.fr">Se désinscrire</a> zoe.moreau&#64;exemple.fr lucie.bernard&#x40;exemple.fr \
hugo.petit＠exemple.fr lea.roux&commat;exemple.fr</p>
</body></html>
"""
ENCODED_CLEAR = re.compile(
    r"claire\.martin|paul\.martin|zoe\.moreau|lucie\.bernard|hugo\.petit|lea\.roux"
)


@pytest.mark.parametrize("fmt", [*FORMATS, "json-report", "gitlab", "html"])
def test_encoded_addresses_are_masked_in_every_format(mailchecker, fmt):
    """The raw source line of a template (``full``, HTML report, excerpts) holds the
    ``@`` as the link or the markup encodes it."""
    mailchecker.make_file("soldes.html", ENCODED_TEMPLATE)
    args = ["-o", "rapport.out"] if fmt == "html" else []
    run = mailchecker.run("soldes.html", "--output-format", fmt, *args)
    assert run.exit_code == 0, run.stderr  # warnings: MC107 on the link's line
    shown = (mailchecker.path / "rapport.out").read_text("utf-8") if args else run.output
    assert "MC107" in shown
    assert ENCODED_CLEAR.search(shown) is None, ENCODED_CLEAR.search(shown)
    assert ENCODED_CLEAR.search(run.stderr) is None, run.stderr
    if fmt == "full":
        assert "***%40exemple.fr" in shown and "z***&#64;exemple.fr" in shown
        assert "***%2540exemple.fr" in shown
        # the excerpt's cut (160 characters) falls in this address: kept whole, masked
        assert "l***&#x40;exemple.fr" in shown
    clear = mailchecker.run("soldes.html", "--output-format", "full", "--show-pii")
    assert "claire.martin%40exemple.fr" in clear.output
