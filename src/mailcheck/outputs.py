"""Writing mailcheck's own files: the ``-o`` report, row files, their marker, a baseline.

Every file mailcheck writes goes through :func:`atomic_output`: the content is written to
a temporary file beside the target, and renamed over it (``os.replace``, atomic on POSIX
and Windows) only once it is complete and on disk. A run interrupted (Ctrl-C, SIGTERM),
a full disk or any error therefore leaves the earlier complete file or none, never a
truncated one that looks whole; the temporary file is removed on any exception.

Only the path itself is replaced: a symbolic link at the target is replaced by the new
file, and what it pointed to is not touched (a link planted in a shared folder cannot
turn a report into an overwrite of someone's file). A target that is a device, a FIFO or
a socket (``-o /dev/stdout``, ``-o /dev/null``) is a stream, not a file: it is written
directly, where the caller allows it.

A failed write is one line naming the file, ``report.json: cannot write the report: No
space left on device`` (:class:`OutputError`, exit 2), never a crash.
"""

from __future__ import annotations

import errno
import io
import os
import secrets
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from mailcheck.errors import MailcheckError, UsageError
from mailcheck.files import Capitalised, display_path, os_reason
from mailcheck.i18n import Text, t

#: Suffix of the temporary files (``.report.json.mailcheck-1a2b3c4d.tmp``): hidden, and
#: of no type mailcheck lints, so a run never reads another run's unfinished output.
TEMP_SUFFIX = ".tmp"
_BINARY = getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class OutputError(MailcheckError):
    """A file mailcheck writes could not be written (one line, exit 2)."""


def write_failure(name: str | Text, what: str | Text | Text, error: OSError) -> OutputError:
    """``<name>: cannot write <what>: <reason>`` for ``error``."""
    said = os_reason(error) if error.strerror else str(error) or type(error).__name__
    reason = Capitalised("{reason}", {"reason": said})
    return OutputError(
        t("{name}: cannot write {what}: {reason}", name=name, what=what, reason=reason)
    )


def identity(path: Path) -> tuple[int, int] | None:
    """The (device, inode) of the file ``path`` leads to, links followed; ``None`` if
    there is none. Two paths of one file (a hard link, a symlink, ``./x`` and ``x``)
    have the same identity."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino)


def identities(paths: Iterable[Path]) -> frozenset[tuple[int, int]]:
    """The identities of ``paths`` that exist (see :func:`identity`)."""
    return frozenset(found for found in map(identity, paths) if found is not None)


def refuse_input(target: Path, inputs: frozenset[tuple[int, int]], what: str | Text | Text) -> None:
    """Raise :class:`~mailcheck.errors.UsageError` if ``target`` is one of the files of
    ``inputs`` (compared by device and inode, so a hard link or a symlink to a list is
    caught as well as the list's own name)."""
    found = identity(target)
    if found is not None and found in inputs:
        raise UsageError(
            t(
                "{path}: refusing to write {what} over an input file (the same file, maybe "
                "through a link): choose another name",
                path=display_path(target),
                what=what,
            )
        )


def is_stream(path: Path) -> bool:
    """Whether ``path`` names a stream that is written as it is rather than replaced: a
    device, FIFO or socket, or a link into ``/proc`` (``/dev/stdout``, ``/dev/fd/1``)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return True
    absolute = os.path.abspath(path)
    if absolute.startswith("/proc/") or os.path.realpath(path).startswith("/proc/"):
        return True
    return absolute.startswith("/dev/") and os.path.islink(path)


class _GuardedFile(io.FileIO):
    """A file whose failed writes raise :class:`OutputError` naming it, wherever the
    buffered layers above flush (a write, ``flush``, ``close``)."""

    def __init__(self, descriptor: int, name: str | Text, what: str | Text) -> None:
        super().__init__(descriptor, "wb", closefd=True)
        self.shown, self.what = name, what

    def write(self, data) -> int:  # type: ignore[override]
        try:
            return super().write(data)
        except OSError as error:
            raise write_failure(self.shown, self.what, error) from None


class GuardedStream:
    """A text stream (standard output) whose write errors become one :class:`OutputError`
    naming it; a closed pipe (``| head``) still raises :class:`BrokenPipeError`."""

    def __init__(self, stream: TextIO, name: str | Text, what: str | Text) -> None:
        self.stream, self.shown, self.what = stream, name, what

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._failed(error) from None

    def write_bytes(self, data: bytes) -> None:
        """UTF-8 ``data`` to the stream's binary buffer, after what its text layer
        holds (see :func:`mailcheck.reporters.bulk_text.write_utf8`)."""
        try:
            self.stream.flush()
            self.stream.buffer.write(data)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._failed(error) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._failed(error) from None

    def _failed(self, error: OSError) -> OutputError:
        silence(self.stream)
        return write_failure(self.shown, self.what, error)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def silence(stream: TextIO) -> None:
    """Point ``stream``'s descriptor at the null device, so that what is left in its
    buffer does not fail again when Python flushes it at exit (the recipe of Python's
    signal docs for a closed pipe)."""
    with suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())
        finally:
            os.close(null)


@contextmanager
def atomic_output(
    target: Path,
    what: str | Text,
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    errors: str = "strict",
    streams: bool = False,
) -> Iterator[TextIO]:
    """A text file to write ``target`` through: a temporary file in ``target``'s folder,
    renamed over ``target`` when the ``with`` block ends without an exception, removed on
    any exception (``KeyboardInterrupt`` included). ``what`` names the file in errors
    (``"the report"``). With ``streams``, a target that is a device or a FIFO
    (``/dev/null``, ``/dev/stdout``) is written directly; otherwise it is refused."""
    if is_stream(target):
        shown = display_path(target)
        if not streams:
            raise OutputError(
                t(
                    "{name}: cannot write {what}: {reason}",
                    name=shown,
                    what=what,
                    reason=t("not a regular file"),
                )
            )
        with _direct(target, shown, what, encoding, newline, errors) as handle:
            yield handle
        return
    pending = PendingOutput(target, what, encoding=encoding, newline=newline, errors=errors)
    try:
        yield pending.handle
        pending.commit()
    except BaseException:
        pending.discard()
        raise


class PendingOutput:
    """The temporary file behind :func:`atomic_output`, for a caller that renames several
    files together (the row files of a run, committed with their marker): write
    :attr:`handle`, then :meth:`finish` each, then :meth:`commit` each; :meth:`discard`
    whatever was not committed."""

    def __init__(
        self,
        target: Path,
        what: str | Text,
        *,
        encoding: str = "utf-8",
        newline: str | None = None,
        errors: str = "strict",
    ) -> None:
        self.target, self.what = target, what
        self.shown = display_path(target)
        if target.is_dir() and not target.is_symlink():
            raise self._failed(IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
        self.temporary, descriptor = _create_temporary(target, self.shown, what)
        self.committed = False
        try:
            self.raw = _GuardedFile(descriptor, self.shown, what)
            self.handle: TextIO = io.TextIOWrapper(
                io.BufferedWriter(self.raw), encoding=encoding, errors=errors, newline=newline
            )
        except BaseException:
            _discard(None, self.temporary)
            raise

    def finish(self) -> None:
        """Put the whole content on disk (a full disk shows here at the latest)."""
        if self.handle.closed:
            return
        self.handle.flush()
        try:
            os.fsync(self.raw.fileno())
            _keep_mode(self.target, self.raw.fileno())
        except OSError as error:
            raise self._failed(error) from None
        self.handle.close()

    def commit(self) -> None:
        """Rename the finished file over the target (atomic: the target is the earlier
        file or this one, never a mix)."""
        self.finish()
        try:
            os.replace(self.temporary, self.target)
        except OSError as error:
            raise self._failed(error) from None
        self.committed = True

    def discard(self) -> None:
        """Remove the temporary file unless it was committed."""
        if not self.committed:
            _discard(self.handle, self.temporary)

    def _failed(self, error: OSError) -> OutputError:
        return write_failure(self.shown, self.what, error)


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Let Ctrl-C and SIGTERM wait until the block is done, then stop the run: for a few
    renames that must happen together (row files and the marker that lists them)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        handler = signal.getsignal(number)
        if handler in (signal.SIG_IGN, signal.SIG_DFL, None):
            continue  # ignored stays ignored; SIG_DFL would not have been an exception
        previous[number] = signal.signal(number, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if received:
        raise KeyboardInterrupt


def _create_temporary(target: Path, shown: str | Text, what: str | Text) -> tuple[Path, int]:
    """A new empty file beside ``target`` (created exclusively, mode 0666 less the umask,
    as the target itself would be) and its descriptor."""
    stem = target.name[:180]
    for _ in range(100):
        temporary = target.with_name(f".{stem}.mailcheck-{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | _NOFOLLOW
            return temporary, os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue
        except OSError as error:
            raise write_failure(shown, what, error) from None
    raise write_failure(
        shown, what, FileExistsError(errno.EEXIST, str(t("no free temporary name")))
    )


def _keep_mode(target: Path, descriptor: int) -> None:
    """Give the new file the permissions of the file it replaces (a list of addresses a
    user made private stays private)."""
    if not hasattr(os, "fchmod"):
        return
    try:
        info = os.lstat(target)
    except OSError:
        return
    if stat.S_ISREG(info.st_mode):
        with suppress(OSError):
            os.fchmod(descriptor, stat.S_IMODE(info.st_mode))


def _discard(handle: TextIO | None, temporary: Path) -> None:
    """Close and remove an unfinished temporary file. A second Ctrl-C during the cleanup
    does not leave it behind: the removal is tried again."""
    for _ in range(5):
        try:
            if handle is not None:
                with suppress(Exception):
                    handle.close()
            with suppress(OSError):
                os.unlink(temporary)
            return
        except KeyboardInterrupt:
            continue


@contextmanager
def _direct(
    target: Path,
    shown: str | Text,
    what: str | Text,
    encoding: str,
    newline: str | None,
    errors: str,
) -> Iterator[TextIO]:
    """Write a stream target (``/dev/null``, a FIFO) as it is, no temporary file."""
    try:
        descriptor = os.open(target, os.O_WRONLY | _BINARY)
    except OSError as error:
        raise write_failure(shown, what, error) from None
    handle = io.TextIOWrapper(
        io.BufferedWriter(_GuardedFile(descriptor, shown, what)),
        encoding=encoding,
        errors=errors,
        newline=newline,
    )
    try:
        yield handle
        handle.flush()
    finally:
        with suppress(Exception):
            handle.close()
