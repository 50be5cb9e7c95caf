"""Reading inputs safely: path display, file-type checks and bounded reads.

Every input mailcheck opens goes through :func:`open_input` (or :func:`read_input`): the
file must be a regular file (a FIFO would block forever, ``/dev/zero`` never ends, a
socket cannot be read), checked on the open descriptor itself so a file swapped between
the check and the open is still caught, and it is never read past a size limit. Errors
are :class:`~mailcheck.errors.InputError` with a reason but no path (the caller adds it).
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import BinaryIO

from mailcheck.errors import InputError

#: Added to the flags of every input's ``open``: a FIFO opened without it blocks until a
#: writer appears. Not on Windows, which has no FIFOs in the file system.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when below it, in POSIX form.

    Never raises: a symlink loop (``resolve`` gives up) falls back to the absolute path,
    and bytes that are not UTF-8 in a file name are shown as ``\\xNN`` so that every
    output format can encode the result.
    """
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = path.resolve().as_posix()
    except (OSError, RuntimeError):  # a symlink loop, an unreadable folder on the way
        shown = Path(os.path.abspath(path)).as_posix()
    return printable_name(shown)


def printable_name(name: str) -> str:
    """A file name as text that encodes to UTF-8: the undecodable bytes Python keeps as
    lone surrogates (``os.fsdecode``) become ``\\xNN``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def kind_of_special(mode: int) -> str | None:
    """What a file of ``mode`` is when it is not a regular file, in words (or ``None``)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_input(path: Path, limit: int, limit_name: str) -> BinaryIO:
    """Open ``path`` for reading; a stream that raises :class:`InputError` once more than
    ``limit`` bytes are read (``limit_name`` is the config key the message names)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except OSError as error:
        raise InputError(_reason(error)) from None
    try:
        info = os.fstat(descriptor)
        special = kind_of_special(info.st_mode)
        if special:
            raise InputError(f"{special}, not a regular file")
        if info.st_size > limit:
            raise InputError(_over(info.st_size, limit, limit_name))
        if _NONBLOCK:
            os.set_blocking(descriptor, True)
        raw = io.FileIO(descriptor, "rb", closefd=True)
    except BaseException:
        os.close(descriptor)
        raise
    return io.BufferedReader(BoundedReader(raw, limit, limit_name))


def read_input(path: Path, limit: int, limit_name: str) -> bytes:
    """The whole of ``path`` (a regular file of at most ``limit`` bytes)."""
    with open_input(path, limit, limit_name) as handle:
        try:
            return handle.read()
        except OSError as error:
            raise InputError(_reason(error)) from None


class BoundedReader(io.RawIOBase):
    """A raw stream that refuses to give more than ``limit`` bytes: a file that grows
    while it is read, a ZIP member or a gzip stream that inflates past what it declared."""

    def __init__(self, inner: BinaryIO, limit: int, limit_name: str, what: str = "") -> None:
        self.inner, self.limit, self.limit_name = inner, limit, limit_name
        self.what = what
        self.remaining = limit + 1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.inner.read(min(len(buffer), max(self.remaining, 0)))
        self.remaining -= len(data)
        if self.remaining <= 0:
            raise InputError(self.what or _over(None, self.limit, self.limit_name))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


def _over(size: int | None, limit: int, limit_name: str) -> str:
    from mailcheck.config import format_size

    told = f"{format_size(size)}: " if size is not None else ""
    return f"{told}larger than the {format_size(limit)} limit ({limit_name} raises it)"


def _reason(error: OSError) -> str:
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:] if reason else "cannot be read"


def read_document(path: Path, config) -> bytes:
    """A template, form or message, whole (``[limits] max-document-size``)."""
    return read_input(path, config.limits.max_document_size, "limits.max-document-size")
