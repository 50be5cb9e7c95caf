"""``--rows-out DIR``: one CSV per rule listing the contact rows it flagged.

So that a marketer can act in their provider (re-engage, unsubscribe, delete), each file
``DIR/<CODE>-<name>.csv`` holds, per row-level finding: the list it comes from, the
physical line, the address *in clear* (the file is written on the user's own disk at
their request; reports stay masked), severity, message, and the values that triggered
the rule (from ``Finding.data``). Written as UTF-8 with BOM and ``;`` so French Excel
opens it as is.

Rows are streamed to a spool file per rule as the lint goes (memory stays bounded on
lists of millions of rows), then copied into the final CSV once the columns of the
triggering values are all known. Rows come in the order they were found: files in
discovery order, lines ascending, cross-file findings last.

What this module may touch, and nothing else:

- ``DIR`` must be a folder mailcheck created, an empty one, or one holding its marker
  (:data:`~mailcheck.config.ROWS_OUT_MARKER`): ``--rows-out exports/`` never drops row
  files among the user's lists.
- Each CSV is written whole to a temporary file (:class:`~mailcheck.outputs.PendingOutput`,
  the machinery of :func:`~mailcheck.outputs.atomic_output`); once all are written they
  are renamed into place, the stale ones removed and the marker rewritten together, a
  Ctrl-C waiting for that (:func:`~mailcheck.outputs.interrupts_deferred`). An
  interrupted run leaves the earlier run's files and marker as they were.
- A CSV replaces only a row file (see :func:`~mailcheck.config.is_rows_out_file`), never
  an input (device and inode compared) nor a file of the user with the same name.
- The folder holds one run's rows: a row file an earlier run listed in the marker for a
  rule that flags no row now is removed, so nobody acts on rows that are no longer
  flagged. Only names the marker lists *and* that are row files are ever removed.
- The close phase (read the marker, write the files, remove the stale ones, write the
  marker) holds :data:`~mailcheck.config.ROWS_OUT_LOCK`, so two runs writing the same
  folder leave a marker that lists exactly the row files present.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) get a leading apostrophe (:func:`neutralise`): an address is
attacker-controlled text, ``=HYPERLINK(...)@x.com`` is a valid one.
"""

from __future__ import annotations

import csv
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from mailcheck.config import (
    ROWS_OUT_COLUMNS,
    ROWS_OUT_LOCK,
    ROWS_OUT_MARKER,
    is_rows_out_file,
    rows_out_files,
)
from mailcheck.errors import UsageError
from mailcheck.files import display_path, kind_of_special
from mailcheck.findings import Finding
from mailcheck.i18n import t
from mailcheck.outputs import (
    TEMP_SUFFIX,
    OutputError,
    PendingOutput,
    atomic_output,
    identities,
    interrupts_deferred,
    refuse_input,
    write_failure,
)

FIXED = list(ROWS_OUT_COLUMNS)
#: The temporary files of :func:`~mailcheck.outputs.atomic_output`.
TEMPORARY = re.compile(r"\..+\.mailcheck-[0-9a-f]{8}" + re.escape(TEMP_SUFFIX))
#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """``value`` as a cell that Excel, LibreOffice or Google Sheets show as text: a leading
    apostrophe when it starts like a formula, the text unchanged otherwise (so the address
    a user re-imports, ``jean+news@x.fr``, ``o'brien@x.ie``, stays byte for byte)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class RowsOut:
    """Receives findings batch by batch; :meth:`close` writes the per-rule CSVs."""

    def __init__(
        self,
        directory: Path,
        inputs: Iterable[Path] = (),
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        if directory.exists() and not directory.is_dir():
            raise UsageError(t("--rows-out {folder}: not a directory", folder=directory))
        self.directory = directory
        self.protected = identities(inputs)
        self.on_wait = on_wait
        self.spools: dict[tuple[str, str], IO[str]] = {}
        self.columns: dict[tuple[str, str], list[str]] = {}
        #: Row files of an earlier run that :meth:`close` removed (no row flagged now).
        self.removed: list[Path] = []
        # Refused now rather than after the lint: the folder must be mailcheck's.
        check_folder(directory)

    def add(self, findings: Iterable[Finding]) -> None:
        try:
            self._add(findings)
        except OSError as error:  # a full temporary folder
            raise OutputError(
                t(
                    "--rows-out: cannot write the rows to a temporary file in {folder}: {reason}",
                    folder=tempfile.gettempdir(),
                    reason=error.strerror or str(error),
                )
            ) from None

    def _add(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            if not finding.row_level:
                continue
            key = (finding.code, finding.name)
            spool = self.spools.get(key)
            if spool is None:
                # Closed in close(); a context manager cannot span the whole run.
                spool = tempfile.TemporaryFile(  # noqa: SIM115
                    "w+", encoding="utf-8", errors="surrogatepass"
                )
                self.spools[key] = spool
                self.columns[key] = []
            extra = self.columns[key]
            extra.extend(k for k in finding.data if k != "address" and k not in extra)
            record = [finding.path, finding.line, finding.severity.label, finding.message]
            spool.write(json.dumps([record, finding.data], ensure_ascii=False, default=str) + "\n")

    def close(self) -> list[Path]:
        """Write ``DIR/<CODE>-<name>.csv`` for every rule that flagged rows, remove the
        earlier runs' files of the other rules (see :attr:`removed`)."""
        try:
            if self.spools:
                try:
                    self.directory.mkdir(parents=True, exist_ok=True)
                except OSError as error:
                    raise UsageError(
                        t(
                            "--rows-out {folder}: cannot create the folder: {reason}",
                            folder=self.directory,
                            reason=error.strerror,
                        )
                    ) from None
            elif not self.directory.is_dir():
                return []  # nothing flagged, nothing written before: no folder made
            with self._lock():
                return self._write()
        finally:
            for spool in self.spools.values():
                spool.close()
            self.spools.clear()

    def _write(self) -> list[Path]:
        check_folder(self.directory)  # again, now that no other run is writing it
        earlier = rows_out_files(self.directory)
        targets = {key: self.directory / f"{key[0]}-{key[1]}.csv" for key in self.spools}
        for target in targets.values():
            self._check_target(target)
        # Every file is written whole to its temporary name first (the long part, which
        # Ctrl-C stops, leaving the folder as it was); then the renames, the removals
        # and the marker happen together, an interruption waiting for them.
        pending: list[PendingOutput] = []
        try:
            for key, target in sorted(targets.items()):
                pending.append(self._copy(self.spools[key], self.columns[key], target))
            with interrupts_deferred():
                return self._commit(pending, earlier)
        finally:
            for output in pending:
                output.discard()

    def _commit(self, pending: list[PendingOutput], earlier: frozenset[str]) -> list[Path]:
        """Rename the row files into place, remove the stale ones, list them all."""
        written: list[Path] = []
        try:
            for output in pending:
                output.commit()
                written.append(output.target)
        except BaseException:
            with suppress(Exception):  # the first error is the one to tell
                self._mark(earlier | {path.name for path in written})  # what is there now
            raise
        kept = {path.name for path in written}
        for name in sorted(earlier - kept):
            if not self._remove_stale(self.directory / name):
                kept.add(name)  # still there: later lints must still skip it
        self._mark(kept)
        return written

    def _check_target(self, target: Path) -> None:
        """Refuse to replace an input, or anything that is not an earlier row file."""
        refuse_input(target, self.protected, t("rows"))
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            return
        except OSError as error:
            raise write_failure(display_path(target), t("the rows"), error) from None
        if stat.S_ISLNK(info.st_mode):
            what = t("a symbolic link")
        elif stat.S_ISDIR(info.st_mode):
            what = t("a directory")
        elif not stat.S_ISREG(info.st_mode):
            what = kind_of_special(info.st_mode) or t("not a regular file")
        elif not is_rows_out_file(self.directory, target.name):
            what = t("a file mailcheck did not write (no row-file header)")
        else:
            return
        raise UsageError(
            t(
                "--rows-out: refusing to replace {path}: {what}; move it away or choose "
                "another folder",
                path=display_path(target),
                what=what,
            )
        )

    def _copy(self, spool: IO[str], extra: list[str], target: Path) -> PendingOutput:
        """The rows of one rule, written whole to a temporary file beside ``target``."""
        spool.seek(0)
        output = PendingOutput(
            target, "the rows", encoding="utf-8-sig", newline="", errors="backslashreplace"
        )
        try:
            writer = csv.writer(output.handle, delimiter=";")
            writer.writerow(FIXED + [neutralise(key) for key in extra])
            for line in spool:
                (path, row, severity, message), data = json.loads(line)
                writer.writerow(
                    [
                        neutralise(path),
                        neutralise(row),
                        neutralise(data.get("address", "")),
                        neutralise(severity),
                        neutralise(message),
                    ]
                    + [neutralise(data.get(key, "")) for key in extra]
                )
            output.finish()
        except BaseException:
            output.discard()
            raise
        return output

    def _remove_stale(self, path: Path) -> bool:
        """Remove an earlier run's row file; ``False`` if it stays (not a row file any
        more, an input of this run, or not removable)."""
        if not is_rows_out_file(self.directory, path.name):
            return not os.path.lexists(path)
        if identities([path]) & self.protected:
            return False
        try:
            path.unlink()
        except OSError:
            return False
        self.removed.append(path)
        return True

    def _mark(self, names: set[str] | frozenset[str]) -> None:
        """List the row files in the folder's marker, so later lints skip them and later
        runs know the folder as theirs (an empty marker when there are none)."""
        listed = sorted(name for name in names if is_rows_out_file(self.directory, name))
        with atomic_output(self.directory / ROWS_OUT_MARKER, t("the rows marker")) as handle:
            handle.write("".join(f"{name}\n" for name in listed))

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """Hold the folder's lock file (waiting, with a word, for another run)."""
        from filelock import FileLock, Timeout

        path = self.directory / ROWS_OUT_LOCK
        if path.is_symlink() or (os.path.lexists(path) and not path.is_file()):
            raise UsageError(
                t("--rows-out: {path} is not a regular file: remove it", path=display_path(path))
            )
        lock = FileLock(str(path), timeout=0)
        try:
            try:
                lock.acquire()
            except Timeout:
                if self.on_wait is not None:
                    self.on_wait(f"waiting for another mailcheck run writing {self.directory}")
                lock.acquire(timeout=-1)
        except OSError as error:
            raise write_failure(display_path(path), t("the lock file"), error) from None
        try:
            yield
        finally:
            lock.release()


def check_folder(directory: Path) -> None:
    """Refuse a ``--rows-out`` folder that holds files but not mailcheck's marker: the
    user's own folder (``--rows-out exports/``) is never written into."""
    if not directory.is_dir():
        return
    marker = directory / ROWS_OUT_MARKER
    if marker.is_file() and not marker.is_symlink():
        return
    try:
        others = [name for name in os.listdir(directory) if not _own(name)]
    except OSError as error:
        raise UsageError(
            t(
                "--rows-out {folder}: cannot read the folder: {reason}",
                folder=directory,
                reason=error.strerror,
            )
        ) from None
    if others:
        raise UsageError(
            t(
                "--rows-out {folder}: the folder holds other files and no {marker} "
                "(mailcheck writes rows only into a new or empty folder, or one it wrote "
                "before): choose another folder",
                folder=directory,
                marker=ROWS_OUT_MARKER,
            )
        )


def _own(name: str) -> bool:
    """The lock file, or a temporary file of a run writing the folder right now."""
    return name == ROWS_OUT_LOCK or (name.startswith(".") and TEMPORARY.fullmatch(name) is not None)


def write_rows_out(
    directory: Path, findings: Iterable[Finding], inputs: Iterable[Path] = ()
) -> list[Path]:
    """Write the per-rule CSVs for ``findings`` at once (the Python API's way)."""
    rows = RowsOut(directory, inputs)
    rows.add(findings)
    return rows.close()
