"""``--rows-out DIR``: one CSV per rule listing the contact rows it flagged.

So that a marketer can act in their provider (re-engage, unsubscribe, delete), each file
``DIR/<CODE>-<name>.csv`` holds, per row-level finding: the list it comes from, the
physical line, the address *in clear* (the file is written on the user's own disk at
their request; reports stay masked), severity, message, and the values that triggered
the rule (from ``Finding.data``). Written as UTF-8 with BOM and ``;`` so French Excel
opens it as is.

Rows are streamed to a spool file per rule as the lint goes (memory stays bounded on
lists of millions of rows), then copied into the final CSV once the columns of the
triggering values are all known. The CSV text is made and spooled by one background
thread (:mod:`mailcheck.row_writer`) while the main thread lints the next chunk. Rows
come in the order they were found: files in discovery order, lines ascending,
cross-file findings last.

A rule's rows of one chunk (a :class:`~mailcheck.batches.RowFindings`) are written
together, column by column: no finding, data dict or JSON per row (on an old list of a
million contacts that was 4x the whole lint). The spool holds the CSV text itself, in
the row file's encoding, so that the rows whose columns are the file's (nearly all) are
copied byte for byte; the bytes are those one ``csv.writer`` row at a time gave.

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
import io
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mailcheck.batches import FindingBatch, RowFindings, rows_in
from mailcheck.config import (
    ROWS_OUT_COLUMNS,
    ROWS_OUT_LOCK,
    ROWS_OUT_MARKER,
    is_rows_out_file,
    rows_out_files,
)
from mailcheck.errors import UsageError
from mailcheck.files import display_path, kind_of_special
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.lazy import np, pa
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
from mailcheck.row_writer import RowWriter

if TYPE_CHECKING:
    from mailcheck.arrow_csv import CsvPart

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

    #: Given each :class:`~mailcheck.batches.FindingBatch` as is: rows written in bulk.
    takes_batches = True

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
        self.spools: dict[tuple[str, str], _Spool] = {}
        self.columns: dict[tuple[str, str], list[str]] = {}
        #: Writes the spools (see :mod:`mailcheck.row_writer`).
        self.writer = RowWriter()
        #: Row files of an earlier run that :meth:`close` removed (no row flagged now).
        self.removed: list[Path] = []
        # Refused now rather than after the lint: the folder must be mailcheck's.
        check_folder(directory)

    def add(self, findings: Iterable[Finding]) -> None:
        with self._spooling():
            self._add(findings)

    @contextmanager
    def _spooling(self) -> Iterator[None]:
        """An error writing a spool (now or in the writer's thread) told as one line."""
        try:
            yield
        except OSError as error:  # a full temporary folder
            raise OutputError(
                t(
                    "--rows-out: cannot write the rows to a temporary file in {folder}: {reason}",
                    folder=tempfile.gettempdir(),
                    reason=error.strerror or str(error),
                )
            ) from None

    def _add(self, findings: Iterable[Finding]) -> None:
        if isinstance(findings, FindingBatch) and all(
            hasattr(part.source, "data_columns") for part in findings.row_parts()
        ):
            self._add_batch(findings)
            return
        # Any other sequence (the Python API's list): its findings in the order given.
        units: dict[tuple[str, str], list[_Unit]] = {}
        for finding in findings:
            if finding.row_level:
                units.setdefault((finding.code, finding.name), []).append(_single(finding))
        for key, found in units.items():
            self._spool(key, found, None)

    def _add_batch(self, batch: FindingBatch) -> None:
        """A rule's rows written together, column by column, in the batch's sorted order
        (the order one finding at a time gave): no finding, data dict or JSON per row."""
        parts = batch.parts
        keyed: dict[tuple[str, str], list[int]] = {}
        for index, part in enumerate(parts):
            if part.row_level and rows_in(part):
                keyed.setdefault((part.code, part.name), []).append(index)
        if not keyed:
            return
        part_of, row_of = (np.asarray(a, dtype=np.int64) for a in batch.positions())
        for key, indices in keyed.items():
            if len(indices) == 1:
                part = parts[indices[0]]
                rows = row_of[part_of == indices[0]]
                order = None if bool((rows == np.arange(len(rows))).all()) else rows
                if not self._spool_arrow(key, [part], order):
                    self._spool(key, [_unit(part)], order)
                continue
            # Several parts (several files, cross-file findings): their rows laid end to
            # end, then taken in the sorted order.
            places = np.flatnonzero(np.isin(part_of, indices))
            starts = np.zeros(len(parts), dtype=np.int64)
            sizes = [rows_in(parts[i]) for i in indices]
            starts[indices] = np.cumsum([0, *sizes[:-1]])
            order = starts[part_of[places]] + row_of[places]
            if self._spool_arrow(key, [parts[i] for i in indices], order):
                continue
            # The extra columns in the order their first row comes.
            first = {int(p): None for p in part_of[places].tolist()}
            units = {i: _unit(parts[i]) for i in indices}
            self._spool(key, [units[i] for i in indices], order, [units[i] for i in first])

    def _spool(
        self,
        key: tuple[str, str],
        units: list[_Unit],
        order: Any,
        met: list[_Unit] | None = None,
    ) -> None:
        """Write ``units`` (one rule's rows, laid end to end; taken in ``order`` when it
        is given) to the rule's spool as CSV rows of the fixed columns and the extra
        columns of these units, the extra columns in the order ``met`` lists them."""
        names: list[str] = []
        for unit in met if met is not None else units:
            names.extend(name for name in unit.extra if name not in names)
        spool = self._spool_for(key, names)
        encoded = _encoded(units, names, order)
        if encoded:  # after the rows handed to the writer before, in their order
            self.writer.submit(lambda: spool.write_bytes(tuple(names), encoded))

    def _spool_arrow(self, key: tuple[str, str], parts: list[RowFindings], order: Any) -> bool:
        """The rows of ``parts`` (one rule's, laid end to end, then taken in ``order``
        when it is given) made into CSV text in :attr:`writer`'s thread, by Arrow compute
        kernels column by column (a million rows without a Python string per cell);
        ``False`` when a part's values are not kept as columns any more, a message is
        not a text Arrow holds, or the parts' columns differ (the caller then writes
        them from Python lists)."""
        from mailcheck.arrow_csv import prepare

        prepared = []
        for part in parts:
            data_later = getattr(part.source, "data_later", None)
            later = data_later() if data_later is not None else None
            ready = prepare(part, later) if later is not None else None
            if ready is None:
                return False
            prepared.append(ready)
        names = prepared[0].later.names
        if any(ready.later.names != names for ready in prepared):
            return False
        spool = self._spool_for(key, names[1:])
        self.writer.submit(lambda: spool.write_bytes(names[1:], _csv_bytes(prepared, order)))
        return True

    def _spool_for(self, key: tuple[str, str], names: tuple[str, ...] | list[str]) -> _Spool:
        """The rule's spool (made on its first rows), its file's extra columns grown by
        ``names``."""
        spool = self.spools.get(key)
        if spool is None:
            spool = self.spools[key] = _Spool()
            self.columns[key] = []
        known = self.columns[key]
        known.extend(name for name in names if name not in known)
        return spool

    def close(self) -> list[Path]:
        """Write ``DIR/<CODE>-<name>.csv`` for every rule that flagged rows, remove the
        earlier runs' files of the other rules (see :attr:`removed`)."""
        try:
            with self._spooling():
                self.writer.wait()
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
        except BaseException:
            self.writer.stop(wait=False)  # Ctrl-C or an error: the run stops at once
            raise
        finally:
            self.writer.stop()
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

    def _copy(self, spool: _Spool, extra: list[str], target: Path) -> PendingOutput:
        """The rows of one rule, written whole to a temporary file beside ``target``."""
        output = PendingOutput(
            target, "the rows", encoding="utf-8-sig", newline="", errors="backslashreplace"
        )
        try:
            writer = csv.writer(output.handle, delimiter=";")
            writer.writerow(FIXED + [neutralise(key) for key in extra])
            spool.copy_to(output.handle, tuple(extra))
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


class _Unit:
    """Rows of one rule ready to write: the fixed columns and the extra ones (by name),
    each a list of cells already neutralised, ``size`` rows."""

    __slots__ = ("size", "fixed", "extra")

    def __init__(self, size: int, fixed: list[list[str]], extra: dict[str, list[str]]) -> None:
        self.size, self.fixed, self.extra = size, fixed, extra


def _unit(part: RowFindings) -> _Unit:
    """A rule's rows of one chunk, read column by column (see
    :meth:`~mailcheck.rules.contacts.common.FlaggedRows.data_columns`)."""
    distinct, codes = part.message_codes()
    return _unit_of(part, distinct, codes, part.source.data_columns())


def _unit_of(part: RowFindings | CsvPart, distinct: list[str], codes: Any, data: dict) -> _Unit:
    """The rows of ``part`` with their messages (``distinct``, each row's index among
    them in ``codes``) and ``data`` (a list of values per name, the address first)."""
    size = len(part.lines)
    if part.rows is not None:
        rows = part.rows.tolist()
        data = {name: [values[row] for row in rows] for name, values in data.items()}
    address = data.pop("address", None)
    lines = part.lines.tolist()
    if part.levels is None:
        severities = [neutralise(part.severity.label)] * size
    else:
        labels = {int(level): neutralise(level.label) for level in Severity}
        severities = [labels[level] for level in part.levels.tolist()]
    distinct = [neutralise(text) for text in distinct]
    fixed = [
        [neutralise(part.path)] * size,
        list(map(str, lines)) if not lines or min(lines) >= 0 else list(map(neutralise, lines)),
        _neutralised(address) if address is not None else [""] * size,
        severities,
        [distinct[code] for code in codes],
    ]
    return _Unit(size, fixed, {name: _neutralised(values) for name, values in data.items()})


def _csv_bytes(parts: list[CsvPart], order: Any) -> bytes | memoryview:
    """The CSV rows of ``parts`` (their values with the same names), by Arrow; by Python
    when a value is a text Arrow does not hold (a lone surrogate, written escaped)."""
    from mailcheck.arrow_csv import csv_bytes

    try:
        return csv_bytes(parts, order)
    except (pa.ArrowException, UnicodeError):
        units = [_unit_of(part, part.distinct, part.codes, part.later.lists()) for part in parts]
        return _encoded(units, list(parts[0].later.names[1:]), order)


def _encoded(units: list[_Unit], names: list[str], order: Any) -> bytes:
    """``units`` (one rule's rows, laid end to end; taken in ``order`` when it is given)
    as CSV rows of the fixed columns and the extra columns ``names``, encoded."""
    if len(units) == 1:
        columns = [*units[0].fixed, *(units[0].extra[name] for name in names)]
    else:
        columns = [[cell for unit in units for cell in unit.fixed[i]] for i in range(len(FIXED))]
        columns += [
            [cell for unit in units for cell in unit.extra.get(name, [""] * unit.size)]
            for name in names
        ]
    lines = csv_lines(columns)
    if order is not None:
        lines = [lines[i] for i in order.tolist()]
    if not lines:
        return b""
    return ("\r\n".join(lines) + "\r\n").encode("utf-8", "backslashreplace")


def _single(finding: Finding) -> _Unit:
    """One row finding as it comes (built by a plugin's rule, or about several files)."""
    data = finding.data if isinstance(finding.data, dict) else {}
    fixed = [
        [neutralise(finding.path)],
        [neutralise(finding.line)],
        [_cell(data.get("address", ""))],
        [neutralise(finding.severity.label)],
        [neutralise(finding.message)],
    ]
    extra = {name: [_cell(value)] for name, value in data.items() if name != "address"}
    return _Unit(1, fixed, extra)


def _neutralised(values: list[Any]) -> list[str]:
    """:func:`_cell` of each value. Strings (nearly all values) are looked at together,
    joined: a column where no cell starts like a formula is kept as it is."""
    try:
        joined = "\0".join(values)
    except TypeError:  # a value that is no string (a plugin's extra)
        return [_cell(v) for v in values]
    if not joined.startswith(FORMULA_STARTS) and _AFTER_NUL.search(joined) is None:
        return values
    return ["'" + v if v.startswith(FORMULA_STARTS) else v for v in values]


#: A cell starting like a formula, in cells joined with NUL (a NUL inside a cell may
#: give a false alarm: the cells are then looked at one by one).
_AFTER_NUL = re.compile("\0[" + re.escape("".join(FORMULA_STARTS)) + "]")
#: What makes :mod:`csv` quote a cell (``QUOTE_MINIMAL``, ``;``, ``\r\n`` line ends).
QUOTED_CHARACTERS = ';"\r\n'
QUOTED_CELL = re.compile(f"[{QUOTED_CHARACTERS}]")


def csv_lines(columns: list[list[str]]) -> list[str]:
    """The rows of ``columns`` (cells as strings) as :func:`csv.writer` with ``;`` writes
    them, one string per row without its line end. The same text, 5x faster: the
    writer looks at every character of every cell; here a column without a ``;``,
    quote or line break (nearly all) is joined as it is, and a cell that needs quotes
    gets them from :mod:`csv` itself."""
    if not columns or not columns[0]:
        return []
    written = []
    for column in columns:
        if QUOTED_CELL.search("".join(column)) is not None:
            column = [_quote(cell) if QUOTED_CELL.search(cell) else cell for cell in column]
        written.append(column)
    if len(written) == 1:  # one field alone: csv quotes an empty one
        return [cell if cell else '""' for cell in written[0]]
    return list(map(";".join, zip(*written, strict=True)))


def csv_cell(value: Any) -> str:
    """One value as its cell in the CSV text: defused, quoted if need be."""
    text = neutralise(value)
    return _quote(text) if QUOTED_CELL.search(text) else text


def _quote(cell: str) -> str:
    """``cell`` as :func:`csv.writer` writes it in a row of several."""
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=";").writerow([cell, ""])
    return text.getvalue()[: -len(";\r\n")]


#: The row files' values went through JSON once (numbers, booleans, lists written as
#: JSON reads them back): kept so that a file's bytes do not change.
_to_json = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _cell(value: Any) -> str:
    """A value of ``Finding.data`` as its cell."""
    return neutralise(value if isinstance(value, str) else json.loads(_to_json(value)))


class _Spool:
    """One rule's rows as CSV in a temporary file, in the row file's encoding, as the
    lint goes; :meth:`copy_to` puts them in the row file once its columns are known.

    Rows are written in segments that share their extra columns: a segment whose columns
    are the file's (one list, or lists of the same layout) is copied byte for byte; the
    others are read back and their cells moved under the file's columns."""

    def __init__(self) -> None:
        # Closed in RowsOut.close(); a context manager cannot span the whole run.
        self.file = tempfile.TemporaryFile("w+b")  # noqa: SIM115
        #: (extra columns, end offset) of each segment, in order.
        self.segments: list[tuple[tuple[str, ...], int]] = []

    def write_bytes(self, names: tuple[str, ...], encoded: bytes | memoryview) -> None:
        """Append rows already written as CSV lines and encoded."""
        if not encoded:
            return
        self.file.write(encoded)
        end = self.file.tell()
        if self.segments and self.segments[-1][0] == names:
            self.segments[-1] = (names, end)
        else:
            self.segments.append((names, end))

    def copy_to(self, handle: Any, extra: tuple[str, ...]) -> None:
        """Write every row to ``handle`` (the row file, a text file in the same encoding)
        under the ``extra`` columns."""
        start = 0
        for names, end in self.segments:
            self.file.seek(start)
            if names == extra:
                handle.flush()
                left = end - start - _sent(self.file, handle.buffer, start, end - start)
                while left:
                    block = self.file.read(min(left, 1 << 20))
                    handle.buffer.write(block)
                    left -= len(block)
            else:
                writer = csv.writer(handle, delimiter=";")
                fixed = len(FIXED)
                where = [fixed + names.index(name) if name in names else -1 for name in extra]
                for record in csv.reader(self._lines(end - start), delimiter=";"):
                    writer.writerow(record[:fixed] + [record[i] if i >= 0 else "" for i in where])
            start = end

    def _lines(self, size: int) -> Iterator[str]:
        left = size
        while left > 0:
            line = self.file.readline()
            if not line:
                return
            left -= len(line)
            yield line.decode("utf-8")

    def close(self) -> None:
        self.file.close()


def _sent(source: Any, target: Any, offset: int, count: int) -> int:
    """Copy ``count`` bytes of ``source`` from ``offset`` to the end of ``target`` (a
    flushed binary file) in the kernel (``os.sendfile``: no trip through Python for the
    hundreds of MB of an old list's rows); 0 where it cannot (another system, a target
    that is no file): the caller copies them."""
    send = getattr(os, "sendfile", None)
    try:
        source_fd, target_fd = source.fileno(), target.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return 0
    done = 0
    while send is not None and done < count:
        try:
            sent = send(target_fd, source_fd, offset + done, count - done)
        except OSError:
            if done:  # some bytes went: an error of the target, as a write's would be
                raise
            return 0
        if not sent:
            break
        done += sent
    if done:
        target.seek(0, os.SEEK_END)  # the buffered file's own idea of where it is
        source.seek(offset + done)
    return done


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
