"""Finding the files to lint (Linter.discover) and opening them, through the real CLI.

Each hostile thing sits in a folder beside a good French export whose stale row (line 3)
must still be reported: a symlink loop, a link to a parent folder, a FIFO or a link to
``/dev/zero`` named like an input, an unreadable sub-folder. The standard is that of
test_bad_input: one warning line naming the path, no traceback, no "internal error", no
input changed, and never a hang (every run has a deadline).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailcheck import cli
from tests.hostile import deadline

GOOD = (
    "Adresse e-mail;Prénom;Date d'inscription;Statut\r\n"
    "julie.morel@example.fr;Julie;05/01/2025;abonné\r\n"
    "vieux.client@example.fr;Paul;01/03/2015;abonné\r\n"
).encode("cp1252")
FIFO_REASON = "a FIFO (named pipe), not a regular file"


def _digest(folder: Path) -> dict[str, str]:
    """Every regular file reachable without following links, by content."""
    digests = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode) and os.access(path, os.R_OK):
            digests[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def run_beside_good(mailchecker, *args: str, output_format: str = "json"):
    """Lint (default ``.``) with the good list in the folder; its line 3 must be reported."""
    mailchecker.make_file("bonne-liste.csv", GOOD)
    before = _digest(mailchecker.path)
    with deadline():
        run = mailchecker.run(
            *(args or (".",)),
            "--select",
            "MC203,MC900",
            "--today",
            "2026-11-22",
            "--output-format",
            output_format,
        )
    if output_format == "json":
        run.findings = json.loads(run.output)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    if output_format == "json":
        assert run.lines("MC203", "bonne-liste.csv") == [3], run.stderr
    assert _digest(mailchecker.path) == before
    return run


def warnings(run) -> list[str]:
    return [line.removeprefix("mailcheck: warning: ") for line in run.stderr.splitlines()]


def test_a_loop_of_links_in_a_folder_is_one_warning_each(mailchecker):
    # Was "internal error: RuntimeError: Symlink loop from '.../c.csv'", nothing linted.
    for name, target in (("a", "b"), ("b", "a"), ("c.csv", "d.csv"), ("d.csv", "c.csv")):
        (mailchecker.path / name).symlink_to(target)
    run = run_beside_good(mailchecker)
    assert warnings(run) == [
        f"{name}: skipped: a symbolic link loop" for name in ["a", "b", "c.csv", "d.csv"]
    ]
    assert {f["path"] for f in run.findings} == {"bonne-liste.csv"} and run.exit_code == 1


def test_a_link_to_a_parent_folder_is_not_walked_again(mailchecker):
    mailchecker.make_file("exports/2024/mars.csv", GOOD)
    (mailchecker.path / "exports" / "2024" / "retour").symlink_to("../..")
    run = run_beside_good(mailchecker)
    assert warnings(run) == ["exports/2024/retour: skipped: a link back to . (a symlink loop)"]
    assert run.lines("MC203") == [3, 3]  # each list once


def test_a_linked_folder_is_followed(mailchecker):
    # A shared export folder linked into the project: os.walk did not follow it.
    mailchecker.make_file("partage/exports/avril.csv", GOOD)
    (mailchecker.path / "projet").mkdir()
    (mailchecker.path / "projet" / "exports").symlink_to("../partage/exports")
    mailchecker.make_file("projet/bonne-liste.csv", GOOD)
    with deadline():
        run = mailchecker.run("projet", "--select", "MC203", "--today", "2026-11-22")
    assert run.lines("MC203", "projet/exports/avril.csv") == [3]
    assert run.lines("MC203", "projet/bonne-liste.csv") == [3] and run.stderr == ""


@pytest.mark.parametrize("name", ["liste.csv", "modele.html", "message.eml", "export.zip"])
def test_a_fifo_in_a_folder_is_skipped_not_waited_for(mailchecker, name):
    # Was a hang: open() of a FIFO waits for a writer, forever.
    os.mkfifo(mailchecker.path / name)
    run = run_beside_good(mailchecker)
    assert warnings(run) == [f"{name}: skipped: {FIFO_REASON}"]
    assert run.codes.get("MC900", 0) == 0 and run.exit_code == 1


def test_a_fifo_named_on_the_command_line_is_mc900(mailchecker):
    os.mkfifo(mailchecker.path / "liste.csv")
    run = run_beside_good(mailchecker, "liste.csv", "bonne-liste.csv")
    (finding,) = [f for f in run.findings if f["code"] == "MC900"]
    assert (finding["path"], finding["message"]) == ("liste.csv", f"cannot read: {FIFO_REASON}")
    assert warnings(run) == [f"liste.csv: cannot read: {FIFO_REASON}"]


def test_a_link_to_dev_zero_is_never_read(mailchecker):
    # Was read without a size cap (past 3-6 GiB), and shown as "/dev/zero".
    (mailchecker.path / "zero.csv").symlink_to("/dev/zero")
    (mailchecker.path / "zero.html").symlink_to("/dev/zero")
    run = run_beside_good(mailchecker)
    assert warnings(run) == [
        "zero.csv: skipped: a device, not a regular file",
        "zero.html: skipped: a device, not a regular file",
    ]
    run = run_beside_good(mailchecker, "zero.csv", "zero.html", "bonne-liste.csv")
    assert sorted((f["path"], f["message"]) for f in run.findings if f["code"] == "MC900") == [
        ("zero.csv", "cannot read: a device, not a regular file"),
        ("zero.html", "cannot read: a device, not a regular file"),
    ]
    assert run.exit_code == 1


def test_a_broken_link_named_like_a_list_is_one_warning(mailchecker):
    (mailchecker.path / "ancienne-liste.csv").symlink_to("../disque-demonte/liste.csv")
    run = run_beside_good(mailchecker)
    assert warnings(run) == [
        "ancienne-liste.csv: skipped: a broken symbolic link (what it points to does not exist)"
    ]


def test_broken_and_looping_links_named_on_the_command_line_are_mc900(mailchecker):
    # Was "a.csv: no such file or directory" (exit 2, the good list not linted).
    (mailchecker.path / "a.csv").symlink_to("b.csv")
    (mailchecker.path / "b.csv").symlink_to("a.csv")
    (mailchecker.path / "ancienne.csv").symlink_to("../disque-demonte/liste.csv")
    run = run_beside_good(mailchecker, "a.csv", "ancienne.csv", "bonne-liste.csv")
    unreadable = {f["path"]: f["message"] for f in run.findings if f["code"] == "MC900"}
    assert unreadable == {
        "a.csv": "cannot read: a symbolic link loop",
        "ancienne.csv": "cannot read: a broken symbolic link (what it points to does not exist)",
    }
    assert run.exit_code == 1


def test_the_summary_counts_what_was_not_checked(mailchecker):
    os.mkfifo(mailchecker.path / "liste.csv")
    run = run_beside_good(mailchecker, output_format="concise")
    summary = run.output.splitlines()[-1]
    assert summary.endswith("in 1 file; 1 path not checked (see warnings).")
    mailchecker.make_file("bonne-liste.csv", GOOD.replace(b"2015", b"2025"))
    with deadline():
        run = mailchecker.run(
            ".", "--select", "MC203", "--today", "2026-11-22", "--output-format", "concise"
        )
    # Not "All checks passed": the FIFO named like a list was not checked.
    assert (
        run.output.splitlines()[-1]
        == "No problems found in 1 file; 1 path not checked (see warnings)."
    )
    assert run.exit_code == 0


def test_nothing_but_skipped_paths_is_exit_2(mailchecker):
    os.mkfifo(mailchecker.path / "liste.csv")
    with deadline():
        run = mailchecker.run(".", "--select", "MC203")
    assert run.exit_code == 2 and warnings(run)[0] == f"liste.csv: skipped: {FIFO_REASON}"


def test_an_unreadable_sub_folder_is_named_and_counted(mailchecker):
    # Was skipped without a word, and the summary said every file was checked.
    locked = mailchecker.path / "prive"
    mailchecker.make_file("prive/clients.csv", GOOD)
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read a mode-000 folder (root)")
        run = run_beside_good(mailchecker, output_format="concise")
        assert warnings(run) == [
            "prive: skipped: cannot read this folder (permission denied); "
            "its files were not checked"
        ]
        assert run.output.splitlines()[-1].endswith("1 path not checked (see warnings).")
        assert run.exit_code == 1
    finally:
        locked.chmod(0o755)


def test_everything_at_once(mailchecker):
    (mailchecker.path / "a").symlink_to("b")
    (mailchecker.path / "b").symlink_to("a")
    (mailchecker.path / "sous-dossier").mkdir()
    (mailchecker.path / "sous-dossier" / "parent").symlink_to("..")
    os.mkfifo(mailchecker.path / "liste.csv")
    (mailchecker.path / "zero.csv").symlink_to("/dev/zero")
    run = run_beside_good(mailchecker)
    assert warnings(run) == [
        "a: skipped: a symbolic link loop",
        "b: skipped: a symbolic link loop",
        f"liste.csv: skipped: {FIFO_REASON}",
        "zero.csv: skipped: a device, not a regular file",
        "sous-dossier/parent: skipped: a link back to . (a symlink loop)",
    ]
    assert {f["path"] for f in run.findings} == {"bonne-liste.csv"} and run.exit_code == 1


@pytest.mark.parametrize("output_format", ["concise", "json-report"])
def test_the_summary_counts_every_path_it_warned_about(mailchecker, output_format):
    # Was "2 paths not checked" after 5 warnings: loops and a link back to the parent
    # were said but not counted (a loop's name is no input's, and was counted "ignored").
    (mailchecker.path / "boucle1").symlink_to("boucle2")
    (mailchecker.path / "boucle2").symlink_to("boucle1")
    (mailchecker.path / "ancienne.html").symlink_to("/nonexistent/ancienne.html")
    os.mkfifo(mailchecker.path / "liste.csv")
    mailchecker.make_file("sous/b.csv", GOOD)
    (mailchecker.path / "sous" / "haut").symlink_to("..")
    (mailchecker.path / "copie").symlink_to("sous")
    run = run_beside_good(mailchecker, output_format=output_format)
    said = warnings(run)
    assert len(said) == 6, said
    if output_format == "concise":
        assert run.output.splitlines()[-1].endswith(
            "in 2 of 2 files; 6 paths not checked (see warnings)."
        ), run.output
    else:
        summary = json.loads(run.output)["summary"]
        assert summary["paths_skipped"] == 6 and summary["files_ignored"] == 0


def _inspect(*args: str):
    with deadline():
        return CliRunner().invoke(cli.main, ["inspect", *args, "--output-format", "json"])


def test_inspect_walks_and_opens_as_lint_does(mailchecker):
    mailchecker.make_file("bonne-liste.csv", GOOD)
    (mailchecker.path / "boucle").symlink_to("boucle")
    (mailchecker.path / "retour").symlink_to(".")
    os.mkfifo(mailchecker.path / "liste.csv")
    (mailchecker.path / "zero.csv").symlink_to("/dev/zero")
    result = _inspect(".")
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)
    assert (item["path"], item["rows"], item["encoding"]) == ("bonne-liste.csv", 2, "cp1252")
    assert warnings(result) == [
        "boucle: skipped: a symbolic link loop",
        f"liste.csv: skipped: {FIFO_REASON}",
        "zero.csv: skipped: a device, not a regular file",
        "retour: skipped: a link back to . (a symlink loop)",  # folders after files
    ]
    result = _inspect("liste.csv", "zero.csv")
    assert json.loads(result.stdout) == [
        {"path": "liste.csv", "kind": "unknown", "error": FIFO_REASON},
        {"path": "zero.csv", "kind": "unknown", "error": "a device, not a regular file"},
    ]


# -- what a walk lints, names, counts (#14) --------------------------------------------

NEWSLETTER_HBS = (
    "<table><tr><td>{{#if prenom}}<p>Bonjour {{prenom}},</p>{{/if}}\n"
    "<p>Soldes d'hiver : -30 % avec le code HIVER.</p>\n"
    "</td></tr></table>\n"
)


def _concise(mailchecker, *args: str):
    with deadline():
        return mailchecker.run(
            *args, "--select", "MC101,MC203", "--today", "2026-11-22", "--output-format", "concise"
        )


def test_exclude_keeps_the_builtin_excludes(mailchecker):
    # The README's exclude = ["archive/**"] made the walk lint .venv and node_modules.
    mailchecker.make_file("archive/2019.csv", GOOD)
    mailchecker.make_file(".venv/lib/site-packages/pkg/data.csv", GOOD)
    mailchecker.make_file("node_modules/pkg/list.csv", GOOD)
    mailchecker.make_config('exclude = ["archive/**"]\n')
    run = run_beside_good(mailchecker)
    assert {f["path"] for f in run.findings} == {"bonne-liste.csv"}
    run = run_beside_good(mailchecker, ".", "--no-default-excludes")
    assert {f["path"] for f in run.findings} == {
        "bonne-liste.csv",
        ".venv/lib/site-packages/pkg/data.csv",
        "node_modules/pkg/list.csv",
    }


def test_gitignore_is_honoured_nested_and_negated(mailchecker):
    (mailchecker.path / ".git").mkdir()
    mailchecker.make_file(".gitignore", "exports/\n*.bak.csv\n")
    mailchecker.make_file("exports/clients.csv", GOOD)
    mailchecker.make_file("listes/ancienne.bak.csv", GOOD)
    mailchecker.make_file("listes/.gitignore", "*.csv\n!garder.csv\n")
    mailchecker.make_file("listes/brouillon.csv", GOOD)
    mailchecker.make_file("listes/garder.csv", GOOD)
    run = run_beside_good(mailchecker)
    assert {f["path"] for f in run.findings} == {"bonne-liste.csv", "listes/garder.csv"}
    run = run_beside_good(mailchecker, output_format="concise")  # counted, not silent
    assert run.output.splitlines()[-1].endswith("; 3 paths in .gitignore.")
    run = run_beside_good(mailchecker, ".", "--no-respect-gitignore")
    assert len({f["path"] for f in run.findings}) == 5
    # Named on the command line, an ignored file is linted (as ruff does)...
    run = run_beside_good(mailchecker, "exports/clients.csv", "bonne-liste.csv")
    assert run.lines("MC203", "exports/clients.csv") == [3]
    # So is a folder named on the command line that git ignores as a whole.
    run = run_beside_good(mailchecker, "exports", "bonne-liste.csv")
    assert run.lines("MC203", "exports/clients.csv") == [3]
    # ...unless --force-exclude (pre-commit names every staged file).
    run = run_beside_good(mailchecker, "exports/clients.csv", "bonne-liste.csv", "--force-exclude")
    assert {f["path"] for f in run.findings} == {"bonne-liste.csv"}


def test_file_types_apply_before_the_extension_filter(mailchecker):
    mailchecker.make_file("modeles/hiver.email", NEWSLETTER_HBS)  # an extension nobody knows
    mailchecker.make_config('[file-types]\n"modeles/*.email" = "template"\n')
    run = _concise(mailchecker, ".")
    assert "modeles/hiver.email:1:1: MC101" in run.output and run.exit_code == 1


def test_template_sources_are_linted_in_a_walk_and_partials_named(mailchecker):
    mailchecker.make_file("emails/hiver.hbs", NEWSLETTER_HBS)
    mailchecker.make_file("emails/partials/_pied.hbs", '<a href="{{{unsubscribe}}}">Quitter</a>')
    run = _concise(mailchecker, ".")
    assert "emails/hiver.hbs:1:1: MC101" in run.output
    assert warnings(run) == [
        "emails/partials/_pied.hbs: skipped: a partial (its name starts with '_'), not judged "
        'as a whole e-mail ([file-types] "template" lints it whole)'
    ]


def test_unrelated_files_are_counted_and_readable_ones_named(mailchecker):
    mailchecker.make_file("bonne-liste.csv", GOOD)
    mailchecker.make_file("requirements.txt", "pandas>=2.1\nclick\n")
    mailchecker.make_file("contacts.vcf", "BEGIN:VCARD\nEND:VCARD\n")
    mailchecker.make_file("logo.png", b"\x89PNG\r\n")
    mailchecker.make_file("script.py", "print('x')\n")
    run = _concise(mailchecker, ".")
    assert [w.split(": skipped: ")[0] for w in warnings(run)] == [
        "contacts.vcf",
        "requirements.txt",
    ]
    assert run.output.splitlines()[-1].endswith(
        " in 1 file; 2 files skipped (see warnings), 2 other files ignored."
    )


@pytest.mark.parametrize("fail_on", ["error", "info"])
def test_a_run_that_lints_nothing_exits_2_and_says_why(mailchecker, fail_on):
    # Was "All checks passed (0 files linted)", exit 0, even with --fail-on info.
    mailchecker.make_file("A-LIRE.txt", "Ce dossier contient les exports.\n")
    mailchecker.make_file("liste.xyz", "email\na@example.fr\n")
    mailchecker.make_file("photo.jpg", b"\xff\xd8\xff")
    with deadline():
        run = mailchecker.run(
            ".", "A-LIRE.txt", "liste.xyz", "--fail-on", fail_on, "--output-format", "concise"
        )
    assert run.exit_code == 2
    assert "All checks passed" not in run.output
    assert run.output.splitlines()[-1].startswith("Nothing linted; 2 files skipped")
    error = run.stderr.splitlines()[-1]
    assert error.startswith("mailcheck: error: nothing linted under ., A-LIRE.txt, liste.xyz: ")
    assert "A-LIRE.txt (a text file that does not read like an e-mail" in error  # even named
    assert "liste.xyz (not a contact list, template, form or message)" in error
    assert "other files ignored" in error  # the photo (and liste.xyz, met in the walk too)


def test_child_templates_are_linted_composed_and_used_pieces_named(mailchecker):
    # A Nunjucks project (Eleventy / Express): a layout, an included footer, a child.
    mailchecker.make_file(
        "emails/layouts/base.njk",
        "<html><body>{% block contenu %}{% endblock %}\n{% include 'pied.njk' %}</body></html>\n",
    )
    mailchecker.make_file(
        "emails/pied.njk",
        '<p>Atelier Lumière SARL, Lyon. <a href="{{ desinscription }}">Se désabonner</a></p>\n',
    )
    mailchecker.make_file(
        "emails/bienvenue.njk",
        "{% extends 'layouts/base.njk' %}\n"
        "{% block contenu %}<p>Bonjour {{ prenom }}, -10 % sur votre première commande."
        "</p>{% endblock %}\n",
    )
    run = _concise(mailchecker, ".")
    assert "MC101" not in run.output and run.exit_code == 0
    assert sorted(warnings(run)) == [
        "emails/layouts/base.njk: skipped: a template piece used by emails/bienvenue.njk, "
        "judged as part of it",
        "emails/pied.njk: skipped: a template piece used by emails/bienvenue.njk, judged as "
        "part of it",
    ]
    assert "1 file" in run.output  # the child, its layout and footer judged inside it
