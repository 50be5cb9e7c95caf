"""Reading inputs safely: path display, file-type checks and bounded reads.

Every input mailcheck opens goes through :func:`open_input` (or :func:`read_input`): the
file must be a regular file (a FIFO would block forever, ``/dev/zero`` never ends, a
socket cannot be read), checked on the open descriptor itself so a file swapped between
the check and the open is still caught, and it is never read past a size limit. Errors
are :class:`~mailcheck.errors.InputError` with a reason but no path (the caller adds it).
Folders are walked by :func:`walk_files`, which follows links to folders but enters each
folder once, and opens nothing but folders.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from mailcheck.errors import InputError
from mailcheck.i18n import Text, t

#: Added to the flags of every input's ``open``: a FIFO opened without it blocks until a
#: writer appears. Not on Windows, which has no FIFOs in the file system.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when below it, in POSIX form.

    Links are not followed: a file is shown by the name it was found under (a link
    ``zero.csv`` to ``/dev/zero`` is ``zero.csv``, a file in a linked folder is under
    that folder), and nothing can make this raise (a symlink loop, an unreadable folder
    on the way). Bytes that are not UTF-8 in a file name are shown as ``\\xNN`` so that
    every output format can encode the result.
    """
    try:
        absolute, here = Path(os.path.abspath(path)), Path(os.getcwd())
    except OSError:  # the working directory was removed
        return printable_name(path.as_posix())
    try:
        shown = absolute.relative_to(here).as_posix()
    except ValueError:
        shown = absolute.as_posix()
    return printable_name(shown)


def printable_name(name: str) -> str:
    """A file name as text that encodes to UTF-8: the undecodable bytes Python keeps as
    lone surrogates (``os.fsdecode``) become ``\\xNN``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def kind_of_special(mode: int) -> Text | None:
    """What a file of ``mode`` is when it is not a regular file, in words (or ``None``)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return t("a directory")
    if stat.S_ISFIFO(mode):
        return t("a FIFO (named pipe)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return t("a device")
    if stat.S_ISSOCK(mode):
        return t("a socket")
    return t("not a regular file")


def open_input(path: Path, limit: int, limit_name: str, *, what: str = "") -> BinaryIO:
    """Open ``path`` for reading; a stream that raises :class:`InputError` once more than
    ``limit`` bytes are read (``limit_name`` is the config key the message names; ``what``,
    when given, is the whole message instead, for a limit the user cannot raise)."""
    descriptor, info = _open_regular(path)
    try:
        if info.st_size > limit:
            raise InputError(what or _over(info.st_size, limit, limit_name))
        raw = io.FileIO(descriptor, "rb", closefd=True)
    except BaseException:
        os.close(descriptor)
        raise
    return io.BufferedReader(BoundedReader(raw, limit, limit_name, what))


def read_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path`` at most (a file is classified by them): the
    same checks as :func:`open_input`, whatever the file's size."""
    descriptor, _info = _open_regular(path)
    with io.FileIO(descriptor, "rb", closefd=True) as handle:
        try:
            return handle.read(size) or b""
        except OSError as error:
            raise InputError(_reason(error)) from None


def _open_regular(path: Path) -> tuple[int, os.stat_result]:
    """A blocking descriptor on ``path`` and its ``fstat``, or :class:`InputError` if it is
    not a regular file: opened without blocking (a FIFO would wait for a writer), then
    checked on the descriptor itself (a file swapped after a check by name is caught)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except IsADirectoryError:
        raise InputError(t("is a directory")) from None
    except OSError as error:
        raise InputError(_link_reason(path, error)) from None
    try:
        info = os.fstat(descriptor)
        special = kind_of_special(info.st_mode)
        if special:
            raise InputError(t("{kind}, not a regular file", kind=special))
        if _NONBLOCK:
            os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, info


def require_regular_file(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` is (or links to) a regular file. Only
    ``stat``: nothing is opened, so a FIFO, a device or a socket is refused before any
    code (a classifier, a plugin) could try to read it and block or never end."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise InputError(_link_reason(path, error)) from None
    special = kind_of_special(info.st_mode)
    if special:
        raise InputError(t("{kind}, not a regular file", kind=special))


def safe_resolve(path: Path) -> Path:
    """``path.resolve()``, or the absolute path when it cannot be resolved (a symlink loop
    on the way raises RuntimeError on Python 3.11, an unreadable folder OSError)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


class Skipped(NamedTuple):
    """What :func:`walk_files` did not go into or yield, and why: one warning line, and
    one path counted as not checked in the run's summary (each one warned about: an
    unreadable folder, a FIFO, a device, a broken link named like an input, a looping
    link whatever its name, a link back to a parent or to a folder walked already)."""

    path: Path
    reason: str | Text


def walk_files(
    top: Path,
    wanted: Callable[[Path], bool],
    excluded: Callable[[Path], bool],
    seen: dict[tuple[int, int], Path] | None = None,
) -> Iterator[Path | Skipped]:
    """The regular files under the folder ``top`` that ``wanted`` accepts, a folder's
    files (sorted) before its sub-folders (sorted, depth first, as ``os.walk`` gives them);
    and a :class:`Skipped` for each thing left out that the user should hear of.

    Links to folders are followed, but each folder is entered once, known by its
    ``(st_dev, st_ino)`` (``seen``, shared across the tops of one run): a link back to a
    parent is a loop, and a second link to a folder would lint its files twice. Nothing
    is opened but folders, and nothing raises: an unreadable folder, a FIFO, a device, a
    broken or looping link become :class:`Skipped`. Iterative, so no depth of folders
    can reach Python's recursion limit.
    """
    seen = {} if seen is None else seen
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as error:
            yield Skipped(folder, _unreadable_folder(_link_reason(folder, error)))
            continue
        first = seen.setdefault((info.st_dev, info.st_ino), folder)
        if first is not folder:
            if first == folder:  # the same folder named twice
                continue
            if first in folder.parents:
                reason = t("a link back to {path} (a symlink loop)", path=display_path(first))
            else:
                reason = t("the same folder as {path}, already walked", path=display_path(first))
            yield Skipped(folder, reason)
            continue
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            yield Skipped(folder, _unreadable_folder(_reason(error)))
            continue
        subfolders: list[Path] = []
        for entry in entries:
            path = folder / entry.name
            if _is_dir(entry):
                if not excluded(path):
                    subfolders.append(path)
                continue
            problem = _not_regular(entry, path)
            if problem == _LOOP:  # whatever its name: it looks like a folder
                if not excluded(path):
                    yield Skipped(path, problem)
            elif wanted(path):
                yield path if problem is None else Skipped(path, problem)
        stack.extend(reversed(subfolders))


def _unreadable_folder(reason: str | Text) -> Text:
    return t("cannot read this folder ({reason}); its files were not checked", reason=reason)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows links
    except OSError:
        return False


def _not_regular(entry: os.DirEntry, path: Path) -> str | Text | None:
    """Why ``entry`` is not a regular file to read (``None`` if it is one)."""
    try:
        if entry.is_file():  # follows links; no system call for a plain file
            return None
        mode = entry.stat().st_mode
    except OSError as error:
        return _link_reason(path, error)
    return t("{kind}, not a regular file", kind=kind_of_special(mode))


_LOOP = t("a symbolic link loop")


def _link_reason(path: Path, error: OSError) -> str | Text:
    """:func:`_reason`, said plainly for a link that points nowhere or to itself."""
    if error.errno == errno.ELOOP:
        return _LOOP
    if error.errno == errno.ENOENT and os.path.islink(path):
        return t("a broken symbolic link (what it points to does not exist)")
    return _reason(error)


def read_input(path: Path, limit: int, limit_name: str, *, what: str = "") -> bytes:
    """The whole of ``path`` (a regular file of at most ``limit`` bytes)."""
    with open_input(path, limit, limit_name, what=what) as handle:
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
        # Straight into the caller's buffer when the inner stream can (a file, a ZIP
        # member): a list is not copied twice on its way to the parser.
        view = memoryview(buffer).cast("B")[: max(self.remaining, 0)]
        readinto = getattr(self.inner, "readinto", None)
        if readinto is not None:
            size = readinto(view) or 0
        else:
            data = self.inner.read(len(view))
            size = len(data)
            view[:size] = data
        self.remaining -= size
        if self.remaining <= 0:
            raise InputError(self.what or _over(None, self.limit, self.limit_name))
        return size

    # Seekable when the inner stream is (a ZIP archive is read by offset): the limit then
    # bounds the offset reached, not the bytes read in all.
    def seekable(self) -> bool:
        return self.inner.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = self.inner.seek(offset, whence)
        self.remaining = self.limit + 1 - position
        return position

    def tell(self) -> int:
        return self.inner.tell()

    def close(self) -> None:
        self.inner.close()
        super().close()


def _over(size: int | None, limit: int, limit_name: str) -> Text:
    from mailcheck.config import format_size

    if size is None:
        return t(
            "larger than the {limit} limit ({key} raises it)",
            limit=format_size(limit),
            key=limit_name,
        )
    return t(
        "{size}: larger than the {limit} limit ({key} raises it)",
        size=format_size(size),
        limit=format_size(limit),
        key=limit_name,
    )


#: The system's reasons a file cannot be read or written, in the user's language (the
#: system's own text is English whatever the locale); in English, as the system says it.
_OS_REASONS = {
    errno.ENOENT: t("no such file or directory"),
    errno.EACCES: t("permission denied"),
    errno.EPERM: t("operation not permitted"),
    errno.EISDIR: t("is a directory"),
    errno.ENOTDIR: t("not a directory"),
    errno.ENOSPC: t("no space left on device"),
    errno.EROFS: t("read-only file system"),
    errno.EEXIST: t("file exists"),
    errno.ENAMETOOLONG: t("file name too long"),
    errno.EIO: t("input/output error"),
}


class Capitalised(Text):
    """A text shown with a capital first letter (a system's reason after a colon)."""

    __slots__ = ()

    def render(self, language: str) -> str:
        shown = super().render(language)
        return shown[:1].upper() + shown[1:]


def os_reason(error: Exception) -> str | Text:
    """ "permission denied", not "[Errno 13] Permission denied: 'x.csv'" (the message
    already names the file)."""
    known = _OS_REASONS.get(getattr(error, "errno", None))  # type: ignore[arg-type]
    strerror = getattr(error, "strerror", None)
    if known is not None and (not strerror or strerror.lower() == str(known)):
        return known
    reason = getattr(error, "strerror", None) or str(error)
    return reason[:1].lower() + reason[1:] if reason else t("cannot be read")


_reason = os_reason


def read_document(path: Path, config) -> bytes:
    """A template, form or message, whole (``[limits] max-document-size``)."""
    return read_input(path, config.limits.max_document_size, "limits.max-document-size")
