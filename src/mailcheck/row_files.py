"""The row files ``--rows-out`` writes, told apart from the user's lists: the marker
that names them in their folder, and the checks that a name it lists really is one
(so that ``lint`` skips them and a later ``--rows-out`` may replace them)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

#: Written by ``--rows-out`` in its folder: the names of the CSVs it wrote there, one a
#: line. Those files are mailcheck's own reports, not the user's lists: a later
#: ``mailcheck lint .`` skips them (else they would be linted as audiences, their
#: addresses in clear counted again, and the next ``--rows-out`` refuse to overwrite them).
#: A name it lists counts only if it is a row file (see :func:`is_rows_out_file`), so a
#: hostile marker can neither hide a list from ``lint`` nor get a file removed.
ROWS_OUT_MARKER = ".mailcheck-rows-out"
#: Held by a run while it writes a rows-out folder (two runs at once would mix files).
ROWS_OUT_LOCK = ".mailcheck-rows-out.lock"
#: The first columns of every row file, and the bytes every row file starts with.
ROWS_OUT_COLUMNS = ("file", "line", "address", "severity", "message")
ROWS_OUT_HEADER = ("\ufeff" + ";".join(ROWS_OUT_COLUMNS)).encode("utf-8")
#: ``<CODE>-<rule-name>.csv``: a bare name, no separator, no ``..``.
ROWS_OUT_NAME = re.compile(r"[A-Z]{2,4}[0-9]{3}-[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.csv")
#: A marker lists one name per rule: a bigger one is not mailcheck's.
_MAX_MARKER_SIZE = 64 << 10
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def rows_out_files(folder: Path) -> frozenset[str]:
    """The row files ``folder``'s :data:`ROWS_OUT_MARKER` lists (none if it has none):
    only the names that :func:`is_rows_out_file` accepts, so ``../x``, ``/etc/passwd`` or
    a user's list named in a marker are neither skipped by ``lint`` nor ever removed."""
    head = _read_regular(folder / ROWS_OUT_MARKER, _MAX_MARKER_SIZE + 1)
    if head is None or len(head) > _MAX_MARKER_SIZE:
        return frozenset()
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return frozenset()
    names = {line.strip() for line in text.splitlines() if line.strip()}
    return frozenset(name for name in names if is_rows_out_file(folder, name))


def is_rows_out_file(folder: Path, name: str) -> bool:
    """Whether ``folder/name`` is a row file ``--rows-out`` wrote: a bare name of the
    shape ``<CODE>-<rule-name>.csv``, a regular file (not a link) that starts with the
    row files' header row (:data:`ROWS_OUT_HEADER`)."""
    if len(name) > 200 or not ROWS_OUT_NAME.fullmatch(name):
        return False
    head = _read_regular(folder / name, len(ROWS_OUT_HEADER) + 1)
    if head is None or not head.startswith(ROWS_OUT_HEADER):
        return False
    return head[len(ROWS_OUT_HEADER) :] in (b";", b"\r", b"\n")


def _read_regular(path: Path, size: int) -> bytes | None:
    """At most ``size`` bytes from the start of ``path`` if it is a regular file and not
    a symbolic link (checked before and, on the open descriptor, after opening: a FIFO
    never blocks, a device is never read); ``None`` otherwise."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        chunks, wanted = [], size
        while wanted > 0:
            chunk = os.read(descriptor, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)
