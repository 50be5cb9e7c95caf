"""Small path and file helpers shared by the engine and the readers."""

from __future__ import annotations

from pathlib import Path

from mailcheck.errors import InputError


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when below it, in POSIX form."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or :class:`InputError` with the system's reason."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except OSError as error:
        raise InputError(error.strerror or str(error)) from None
