"""An interrupted run (Ctrl-C, SIGTERM): one line, exit 130, no file left half-written.

The real command runs in its own process on a big French export and gets a real signal
once it has started writing; what it leaves behind is then checked: the earlier complete
report and row files, byte for byte, no temporary file, a marker that names only
complete row files.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mailcheck.row_files import is_rows_out_file, rows_out_files

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

HEADER = "Adresse e-mail;Prénom;Date d'inscription;Source\n"
EARLIER_REPORT = '{"earlier": "complete report"}\n'


def _export(path: Path, rows: int) -> Path:
    """A CRM export whose every row has a purchased source (MC205) and every tenth a role
    address (MC215)."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for i in range(rows):
            address = f"contact@societe-{i}.fr" if i % 10 == 0 else f"client.{i}@exemple.fr"
            handle.write(f"{address};Client;12/03/2024;fichier acheté\n")
    return path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.endswith(".tmp")]


def _start(*args: str, cwd: Path, script: str = "") -> subprocess.Popen:
    """``mailcheck lint ARGS`` in a new process (``script`` runs first), with the default
    Ctrl-C handling even if this test run was started with SIGINT ignored."""
    code = f"{script}\nfrom mailcheck.cli import main\nmain()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "lint", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MAILCHECK_DISABLE_PLUGIN_AUTOLOAD": "1"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for(process: subprocess.Popen, condition, what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the run ended before {what}: {process.stderr.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no {what} after 60 s")
        time.sleep(0.005)


def _assert_interrupted(process: subprocess.Popen) -> str:
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.splitlines()[-1] == "mailcheck: interrupted"
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert "wrote" not in stderr  # nothing claims to be written
    return stderr


def _earlier_run(folder: Path) -> None:
    """A complete earlier report and row files, from a small list."""
    _export(folder / "ancienne.csv", 30)
    done = subprocess.run(
        [sys.executable, "-m", "mailcheck.cli", "lint", "ancienne.csv", "--select",
         "MC205,MC215", "--rows-out", "lignes"],
        cwd=folder, capture_output=True, text=True, timeout=60,
        env={**os.environ, "MAILCHECK_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    (folder / "rapport.json").write_text(EARLIER_REPORT, encoding="utf-8")
    assert rows_out_files(folder / "lignes") == {
        "MC205-invalid-optin-source.csv",
        "MC215-generic-role-address.csv",
    }


def _assert_marker_names_complete_files(folder: Path) -> None:
    marker = (folder / ".mailcheck-rows-out").read_text(encoding="utf-8").split()
    for name in marker:
        assert is_rows_out_file(folder, name)
        with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=";"))
        assert rows and all(len(row) == len(rows[0]) for row in rows)
        assert rows[-1][0] == "ancienne.csv"  # the earlier run's, to its last row


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_while_writing_the_report(tmp_path, signum):
    _earlier_run(tmp_path)
    _export(tmp_path / "grosse.csv", 300_000)
    before = _snapshot(tmp_path)
    # Blocks of 1 MiB rather than 8 (about 18,000 rows): the report grows from the first
    # block on, while the rest of the list is still being read.
    chunks = "import mailcheck.readers.csv.blocks as reader\nreader.BLOCK_BYTES = 1 << 20\n"
    process = _start(
        "grosse.csv", "--select", "MC205,MC215", "--rows-out", "lignes",
        "-o", "rapport.json", "--output-format", "json-lines", cwd=tmp_path, script=chunks,
    )  # fmt: skip

    def report_started() -> bool:
        return any(
            p.stat().st_size > 64 << 10 for p in tmp_path.glob(".rapport.json.mailcheck-*.tmp")
        )

    _wait_for(process, report_started, "report being written")
    process.send_signal(signum)
    _assert_interrupted(process)
    assert _temporaries(tmp_path) == []
    assert _snapshot(tmp_path) == before  # the earlier report and row files, untouched
    _assert_marker_names_complete_files(tmp_path / "lignes")


def test_interrupted_while_writing_the_row_files(tmp_path):
    # The copy into the row files is slowed down so that the signal lands in the middle
    # of it, as it would on a list of millions of rows.
    _earlier_run(tmp_path)
    _export(tmp_path / "liste.csv", 3000)
    before = _snapshot(tmp_path)
    slow = (
        "import io, time, mailcheck.rows_out as r\n"
        "class Slow:  # the spooled rows read back slowly, a small block at a time\n"
        "    def __init__(self, file): self.file = file\n"
        "    def __getattr__(self, name): return getattr(self.file, name)\n"
        "    def read(self, size): time.sleep(0.005); return self.file.read(min(size, 512))\n"
        "    def fileno(self): raise io.UnsupportedOperation  # no copy in the kernel\n"
        "fast = r._Spool.copy_to\n"
        "def copy_to(self, handle, extra):\n"
        "    self.file = Slow(self.file)\n"
        "    fast(self, handle, extra)\n"
        "r._Spool.copy_to = copy_to\n"
    )
    process = _start(
        "liste.csv", "--select", "MC205,MC215", "--rows-out", "lignes",
        "-o", "rapport.json", cwd=tmp_path, script=slow,
    )  # fmt: skip

    def rows_started() -> bool:
        return any(p.stat().st_size > 4096 for p in (tmp_path / "lignes").glob(".MC205-*.tmp"))

    _wait_for(process, rows_started, "row file being written")
    process.send_signal(signal.SIGTERM)
    _assert_interrupted(process)
    assert _temporaries(tmp_path) == []
    after = _snapshot(tmp_path)
    # The report was complete before the rows were written: it is this run's, whole.
    report = (tmp_path / "rapport.json").read_text(encoding="utf-8")
    assert report != EARLIER_REPORT and report.rstrip().endswith("in 1 file.")
    del after["rapport.json"], before["rapport.json"]
    assert after == before  # the earlier row files and marker, untouched
    _assert_marker_names_complete_files(tmp_path / "lignes")


def test_ctrl_c_during_the_final_renames_waits_for_them(mailchecker, monkeypatch):
    # The row files and their marker are renamed together: a Ctrl-C in the middle waits
    # for the last rename, then stops the run, so the marker lists exactly the files.
    from mailcheck import outputs

    mailchecker.make_file(
        "liste.csv",
        HEADER + "paul@exemple.fr;Paul;12/03/2024;fichier acheté\n"
        "contact@exemple.fr;Accueil;12/03/2024;salon\n",
    )
    replace = os.replace
    calls = []

    def interrupted_replace(source, target):
        calls.append(target)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # delivered at once to this thread
        replace(source, target)

    monkeypatch.setattr(outputs.os, "replace", interrupted_replace)
    run = mailchecker.run("liste.csv", "--select", "MC205,MC215", "--rows-out", "lignes")
    assert run.exit_code == 130
    assert run.stderr.splitlines()[-1] == "mailcheck: interrupted"
    rows = mailchecker.path / "lignes"
    assert rows_out_files(rows) == {
        "MC205-invalid-optin-source.csv",
        "MC215-generic-role-address.csv",
    }
    assert (rows / ".mailcheck-rows-out").read_text(encoding="utf-8").split() == sorted(
        rows_out_files(rows)
    )
    assert _temporaries(mailchecker.path) == []


def test_ctrl_c_is_exit_130_not_click_aborted(mailchecker, monkeypatch):
    from mailcheck import engine

    mailchecker.make_file("liste.csv", HEADER + "paul@exemple.fr;Paul;12/03/2024;salon\n")
    (mailchecker.path / "rapport.txt").write_text(EARLIER_REPORT, encoding="utf-8")

    def interrupted(self, path):
        raise KeyboardInterrupt
        yield

    monkeypatch.setattr(engine.Linter, "lint_file", interrupted)
    run = mailchecker.run("liste.csv", "-o", "rapport.txt", "--write-baseline", "b.json")
    assert (run.exit_code, run.stderr) == (130, "mailcheck: interrupted\n")
    run = mailchecker.run("liste.csv", "-o", "rapport.txt")
    assert (run.exit_code, run.stderr) == (130, "mailcheck: interrupted\n")
    assert "Aborted" not in run.stderr
    assert (mailchecker.path / "rapport.txt").read_text(encoding="utf-8") == EARLIER_REPORT
    assert not (mailchecker.path / "b.json").exists()
    assert _temporaries(mailchecker.path) == []
