"""What mailcheck writes: a temporary file renamed when complete, never over an input, a
full disk in one line.

Each case checks the file written (or the earlier one kept), that no temporary file is
left, and that the inputs beside it did not change by one byte.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mailcheck import outputs
from mailcheck.errors import UsageError
from mailcheck.outputs import OutputError, atomic_output, identities, refuse_input
from mailcheck.row_files import rows_out_files

EXPORT = (
    "Adresse e-mail;Prénom;Date d'inscription;Source\n"
    "julie.morel@exemple.fr;Julie;05/01/2025;formulaire du site\n"
    "paul.martin@exemple.fr;Paul;12/03/2024;fichier acheté\n"
    "contact@boulangerie-exemple.fr;Boulangerie;12/03/2024;salon 2024\n"
)
EARLIER_REPORT = '{"earlier": "complete report"}\n'


def _temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def _clean(run) -> None:
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert "crash" not in run.stderr


# -- the helper ----------------------------------------------------------------------------


def test_atomic_output_replaces_the_target_only_when_complete(tmp_path):
    target = tmp_path / "rapport.json"
    target.write_text(EARLIER_REPORT, encoding="utf-8")
    with atomic_output(target, "the report") as handle:
        handle.write('{"new": ')
        assert target.read_text(encoding="utf-8") == EARLIER_REPORT  # not yet
        assert len(_temporaries(tmp_path)) == 1
        handle.write("true}\n")
    assert target.read_text(encoding="utf-8") == '{"new": true}\n'
    assert _temporaries(tmp_path) == []


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, RuntimeError, SystemExit])
def test_atomic_output_keeps_the_earlier_file_on_any_exception(tmp_path, interruption):
    target = tmp_path / "rapport.json"
    target.write_text(EARLIER_REPORT, encoding="utf-8")
    with pytest.raises(interruption), atomic_output(target, "the report") as handle:
        handle.write("x" * 100_000)  # past the buffer: on disk in the temporary file
        raise interruption()
    assert target.read_text(encoding="utf-8") == EARLIER_REPORT
    assert _temporaries(tmp_path) == []


def test_atomic_output_interrupted_leaves_no_file_when_there_was_none(tmp_path):
    with pytest.raises(KeyboardInterrupt), atomic_output(tmp_path / "r.txt", "the report"):
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="no POSIX permissions")
def test_atomic_output_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "lignes.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    with atomic_output(target, "the rows") as handle:
        handle.write("new")
    assert target.stat().st_mode & 0o777 == 0o600


def test_atomic_output_replaces_a_planted_link_not_what_it_points_to(tmp_path):
    victim = tmp_path / "bashrc"
    victim.write_text("export PATH=/usr/bin\n", encoding="utf-8")
    link = tmp_path / "rapport.txt"
    try:
        link.symlink_to(victim)
    except OSError:
        pytest.skip("symbolic links are not available")
    with atomic_output(link, "the report") as handle:
        handle.write("report\n")
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "report\n"
    assert victim.read_text(encoding="utf-8") == "export PATH=/usr/bin\n"


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_atomic_output_writes_a_device_directly_or_refuses_it(tmp_path):
    with atomic_output(Path("/dev/null"), "the report", streams=True) as handle:
        handle.write("nothing\n")
    assert Path("/dev/null").is_char_device()  # not replaced by a file, even as root
    refused = pytest.raises(OutputError, match="/dev/null: cannot write the rows: not a regular")
    with refused, atomic_output(Path("/dev/null"), "the rows"):
        pass


def test_atomic_output_error_names_the_file(tmp_path):
    target = tmp_path / "absent" / "r.json"
    with pytest.raises(OutputError) as caught, atomic_output(target, "the report"):
        pass
    assert str(caught.value).endswith("r.json: cannot write the report: No such file or directory")


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.ENOSPC, "No space left on device"), (errno.EIO, "Input/output error")],
)
def test_atomic_output_failing_on_disk_is_one_error_and_no_file(
    tmp_path, monkeypatch, code, reason
):
    # A full disk often shows only when the data is flushed to it (delayed allocation,
    # NFS): fsync fails, the earlier file stays, the temporary one goes.
    target = tmp_path / "rapport.json"
    target.write_text(EARLIER_REPORT, encoding="utf-8")

    def full(descriptor):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(outputs.os, "fsync", full)
    with pytest.raises(OutputError) as caught, atomic_output(target, "the report") as handle:
        handle.write("{}")
    assert str(caught.value).endswith(f"rapport.json: cannot write the report: {reason}")
    assert target.read_text(encoding="utf-8") == EARLIER_REPORT
    assert _temporaries(tmp_path) == []


def test_refuse_input_compares_device_and_inode(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    liste = tmp_path / "liste.csv"
    liste.write_text(EXPORT, encoding="utf-8")
    inputs = identities([liste])
    for same in (Path("liste.csv"), Path("./liste.csv"), tmp_path / "x" / ".." / "liste.csv"):
        (tmp_path / "x").mkdir(exist_ok=True)
        with pytest.raises(UsageError, match="refusing to write the report over an input"):
            refuse_input(same, inputs, "the report")
    refuse_input(tmp_path / "rapport.txt", inputs, "the report")  # absent: fine


# -- through the command line ----------------------------------------------------------------


def test_the_issues_hard_link_is_refused_and_the_list_unchanged(mailchecker):
    # ``ln list.csv r.txt; mailcheck lint list.csv -o r.txt`` replaced the list.
    liste = mailchecker.make_file("list.csv", EXPORT)
    try:
        os.link(liste, mailchecker.path / "r.txt")
    except OSError:
        pytest.skip("hard links are not available")
    run = mailchecker.run("list.csv", "-o", "r.txt")
    _clean(run)
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "mailcheck: error: r.txt: refusing to write the report over an input file "
        "(the same file, maybe through a link): choose another name"
    ]
    assert liste.read_text(encoding="utf-8") == EXPORT
    assert os.path.samefile(liste, mailchecker.path / "r.txt")


@pytest.mark.parametrize("name", ["./list.csv", "lien.txt", "sub/../list.csv"])
def test_report_over_the_list_by_another_name_is_refused(mailchecker, name):
    liste = mailchecker.make_file("list.csv", EXPORT)
    (mailchecker.path / "sub").mkdir()
    try:
        (mailchecker.path / "lien.txt").symlink_to(liste)
    except OSError:
        pytest.skip("symbolic links are not available")
    run = mailchecker.run("list.csv", "-o", name)
    _clean(run)
    assert run.exit_code == 2 and "refusing to write the report over an input file" in run.stderr
    assert liste.read_text(encoding="utf-8") == EXPORT


def test_report_over_the_config_file_is_refused(mailchecker):
    config = mailchecker.make_config('profile = "eu-fr"\n')
    mailchecker.make_file("list.csv", EXPORT)
    run = mailchecker.run("list.csv", "-o", "mailcheck.toml")
    assert run.exit_code == 2 and "refusing to write the report over an input" in run.stderr
    assert config.read_text(encoding="utf-8") == 'profile = "eu-fr"\n'


def test_baseline_over_a_hard_link_to_the_list_is_refused(mailchecker):
    liste = mailchecker.make_file("list.csv", EXPORT)
    try:
        os.link(liste, mailchecker.path / "baseline.json")
    except OSError:
        pytest.skip("hard links are not available")
    run = mailchecker.run("list.csv", "--write-baseline", "baseline.json")
    _clean(run)
    assert run.exit_code == 2 and "refusing to overwrite" in run.stderr
    assert liste.read_text(encoding="utf-8") == EXPORT


def test_report_to_a_planted_link_leaves_its_target_alone(mailchecker):
    victim = mailchecker.make_file("autre/notes.txt", "mes notes\n")
    mailchecker.make_file("list.csv", EXPORT)
    try:
        (mailchecker.path / "rapport.json").symlink_to(victim)
    except OSError:
        pytest.skip("symbolic links are not available")
    run = mailchecker.run("list.csv", "-o", "rapport.json", "--output-format", "json")
    _clean(run)
    assert run.exit_code == 1
    assert victim.read_text(encoding="utf-8") == "mes notes\n"
    report = mailchecker.path / "rapport.json"
    assert not report.is_symlink() and json.loads(report.read_text(encoding="utf-8"))


def test_report_is_complete_and_no_temporary_file_remains(mailchecker):
    mailchecker.make_file("list.csv", EXPORT)
    (mailchecker.path / "rapport.json").write_text(EARLIER_REPORT, encoding="utf-8")
    run = mailchecker.run("list.csv", "-o", "rapport.json", "--output-format", "json")
    assert run.exit_code == 1
    findings = json.loads((mailchecker.path / "rapport.json").read_text(encoding="utf-8"))
    assert {f["code"] for f in findings} >= {"MC205"}
    assert _temporaries(mailchecker.path) == []


def test_full_disk_on_the_report_file(mailchecker, monkeypatch):
    mailchecker.make_file("list.csv", EXPORT)
    (mailchecker.path / "rapport.json").write_text(EARLIER_REPORT, encoding="utf-8")
    monkeypatch.setattr(outputs.os, "fsync", _fails(errno.ENOSPC))
    run = mailchecker.run("list.csv", "-o", "rapport.json")
    _clean(run)
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "mailcheck: error: rapport.json: cannot write the report: No space left on device"
    ]
    assert (mailchecker.path / "rapport.json").read_text(encoding="utf-8") == EARLIER_REPORT
    assert _temporaries(mailchecker.path) == []


def test_full_disk_on_the_rows(mailchecker, monkeypatch):
    mailchecker.make_file("list.csv", EXPORT)
    mailchecker.run("list.csv", "--select", "MC215", "--rows-out", "lignes")
    earlier = (mailchecker.path / "lignes" / "MC215-generic-role-address.csv").read_bytes()
    monkeypatch.setattr(outputs.os, "fsync", _fails(errno.EDQUOT))
    run = mailchecker.run("list.csv", "--select", "MC205,MC215", "--rows-out", "lignes")
    _clean(run)
    assert run.exit_code == 2
    assert run.stderr.splitlines()[-1] == (
        "mailcheck: error: lignes/MC205-invalid-optin-source.csv: cannot write the rows: "
        + os.strerror(errno.EDQUOT)
    )
    rows = mailchecker.path / "lignes"
    assert (rows / "MC215-generic-role-address.csv").read_bytes() == earlier
    assert not (rows / "MC205-invalid-optin-source.csv").exists()
    assert rows_out_files(rows) == {"MC215-generic-role-address.csv"}
    assert _temporaries(mailchecker.path) == []


def test_full_disk_on_the_baseline(mailchecker, monkeypatch):
    mailchecker.make_file("list.csv", EXPORT)
    earlier = '{"version": 1, "findings": []}\n'
    mailchecker.make_file("baseline.json", earlier)
    monkeypatch.setattr(outputs.os, "fsync", _fails(errno.ENOSPC))
    run = mailchecker.run("list.csv", "--write-baseline", "baseline.json")
    _clean(run)
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "mailcheck: error: baseline.json: cannot write the baseline: No space left on device"
    ]
    assert (mailchecker.path / "baseline.json").read_text(encoding="utf-8") == earlier
    assert _temporaries(mailchecker.path) == []


def _fails(code: int):
    """An ``os.fsync`` that fails as on a full disk or quota (delayed allocation, NFS)."""

    def failing(descriptor):
        raise OSError(code, os.strerror(code))

    return failing


# -- real write errors, in a real process ------------------------------------------------------


def _mailcheck(*args: str, cwd: Path, stdout=subprocess.DEVNULL, preexec=None):
    return subprocess.run(
        [sys.executable, "-m", "mailcheck.cli", *args],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=preexec,
        env={**os.environ, "MAILCHECK_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )


needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")


@needs_dev_full
@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["lint", "list.csv"], "standard output: cannot write the report: No space left on device"),
        (["rules"], "standard output: cannot write the output: No space left on device"),
    ],
)
def test_standard_output_on_a_full_disk(tmp_path, args, line):
    (tmp_path / "list.csv").write_text(EXPORT, encoding="utf-8")
    with open("/dev/full", "w") as full:
        done = _mailcheck(*args, cwd=tmp_path, stdout=full)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"mailcheck: error: {line}"]


@needs_dev_full
def test_report_to_dev_full(tmp_path):
    (tmp_path / "list.csv").write_text(EXPORT, encoding="utf-8")
    done = _mailcheck("lint", "list.csv", "-o", "/dev/full", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "mailcheck: error: /dev/full: cannot write the report: No space left on device"
    ]


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="no file size limit")
def test_report_past_the_file_size_limit(tmp_path):
    # A real write error on a real file: the process may not write files past 64 KiB
    # (EFBIG, as on a FAT32 key or a quota), and the report of a 2,000-row list is bigger.
    import resource

    rows = "".join(f"client{i}@exemple.fr;Client;12/03/2024;fichier acheté\n" for i in range(2000))
    (tmp_path / "list.csv").write_text(EXPORT.splitlines()[0] + "\n" + rows, encoding="utf-8")
    (tmp_path / "rapport.json").write_text(EARLIER_REPORT, encoding="utf-8")

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, 64 << 10))

    done = _mailcheck(
        "lint",
        "list.csv",
        "--select",
        "MC205",
        "-o",
        "rapport.json",
        "--output-format",
        "json",
        cwd=tmp_path,
        preexec=limit,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "mailcheck: error: rapport.json: cannot write the report: File too large"
    ]
    assert (tmp_path / "rapport.json").read_text(encoding="utf-8") == EARLIER_REPORT
    assert _temporaries(tmp_path) == []
