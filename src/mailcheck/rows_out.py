"""``--rows-out DIR``: one CSV per rule listing the contact rows it flagged.

So that a marketer can act in their provider (re-engage, unsubscribe, delete), each file
``DIR/<CODE>-<name>.csv`` holds, per row-level finding: the list it comes from, the
physical line, the address *in clear* (the file is written on the user's own disk at
their request; reports stay masked), severity, message, and the values that triggered
the rule (from ``Finding.data``). Written as UTF-8 with BOM and ``;`` so French Excel
opens it as is. Inputs are never written: a target that is an input file is refused.

Rows are streamed to a spool file per rule as the lint goes (memory stays bounded on
lists of millions of rows), then copied into the final CSV once the columns of the
triggering values are all known. Rows come in the order they were found: files in
discovery order, lines ascending, cross-file findings last.

The folder holds one run's rows: a file an earlier run wrote there (listed in the
folder's :data:`~mailcheck.config.ROWS_OUT_MARKER`) for a rule that flags no row this
time is removed, so nobody acts on rows that are no longer flagged. Only files of that
list are ever removed.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from mailcheck.config import ROWS_OUT_MARKER, rows_out_files
from mailcheck.errors import UsageError
from mailcheck.findings import Finding

FIXED = ["file", "line", "address", "severity", "message"]


class RowsOut:
    """Receives findings batch by batch; :meth:`close` writes the per-rule CSVs."""

    def __init__(self, directory: Path, inputs: Iterable[Path] = ()) -> None:
        if directory.exists() and not directory.is_dir():
            raise UsageError(f"--rows-out {directory}: not a directory")
        self.directory = directory
        self.protected = {path.resolve() for path in inputs}
        self.spools: dict[tuple[str, str], IO[str]] = {}
        self.columns: dict[tuple[str, str], list[str]] = {}
        #: Row files of an earlier run that :meth:`close` removed (no row flagged now).
        self.removed: list[Path] = []

    def add(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            if not finding.row_level:
                continue
            key = (finding.code, finding.name)
            spool = self.spools.get(key)
            if spool is None:
                # Closed in close(); a context manager cannot span the whole run.
                spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
                self.spools[key] = spool
                self.columns[key] = []
            extra = self.columns[key]
            extra.extend(k for k in finding.data if k != "address" and k not in extra)
            record = [finding.path, finding.line, finding.severity.label, finding.message]
            spool.write(json.dumps([record, finding.data], ensure_ascii=False, default=str) + "\n")

    def close(self) -> list[Path]:
        """Write ``DIR/<CODE>-<name>.csv`` for every rule that flagged rows, remove the
        earlier runs' files of the other rules (see :attr:`removed`)."""
        earlier = rows_out_files(self.directory)
        written: list[Path] = []
        if self.spools:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise UsageError(
                    f"--rows-out {self.directory}: cannot create the folder: {error.strerror}"
                ) from None
        for (code, name), spool in sorted(self.spools.items()):
            target = self.directory / f"{code}-{name}.csv"
            if target.resolve() in self.protected:
                raise UsageError(f"--rows-out: refusing to overwrite the input file {target}")
            extra = self.columns[(code, name)]
            spool.seek(0)
            try:
                handle = target.open("w", encoding="utf-8-sig", newline="")
            except OSError as error:  # a folder of that name, no write permission
                raise UsageError(f"--rows-out: cannot write {target}: {error.strerror}") from None
            with handle:
                writer = csv.writer(handle, delimiter=";")
                writer.writerow(FIXED + extra)
                for line in spool:
                    (path, row, severity, message), data = json.loads(line)
                    writer.writerow(
                        [path, row, data.get("address", ""), severity, message]
                        + [data.get(key, "") for key in extra]
                    )
            spool.close()
            written.append(target)
        self.spools.clear()
        kept = {path.name for path in written}
        for name in sorted(earlier - kept):
            if not self._remove_stale(self.directory / name):
                kept.add(name)  # still there: later lints must still skip it
        if written or earlier:
            self._mark(kept)
        return written

    def _remove_stale(self, path: Path) -> bool:
        """Remove an earlier run's row file; ``False`` if it stays (not a plain file
        any more, an input of this run, or not removable)."""
        if not path.is_file() or path.is_symlink():
            return not path.exists()
        if path.resolve() in self.protected:
            return False
        try:
            path.unlink()
        except OSError:
            return False
        self.removed.append(path)
        return True

    def _mark(self, names: set[str]) -> None:
        """List the row files in the folder's marker, so later lints skip them."""
        marker = self.directory / ROWS_OUT_MARKER
        listed = sorted(name for name in names if (self.directory / name).is_file())
        if not listed:
            marker.unlink(missing_ok=True)
            return
        marker.write_text("".join(f"{name}\n" for name in listed), encoding="utf-8")


def write_rows_out(
    directory: Path, findings: Iterable[Finding], inputs: Iterable[Path] = ()
) -> list[Path]:
    """Write the per-rule CSVs for ``findings`` at once (the Python API's way)."""
    rows = RowsOut(directory, inputs)
    rows.add(findings)
    return rows.close()
