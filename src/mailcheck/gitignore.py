"""Which paths git ignores: the ``.gitignore`` files met on the way to a path.

As git reads them: the repository's ``.git/info/exclude`` first, then the ``.gitignore``
of every folder from the repository's root down to the path's own folder, a deeper file
overriding a shallower one and a later line an earlier one (``!keep.csv`` re-includes).
Outside a git repository the ``.gitignore`` files from the walked folder down are still
read (a folder copied out of a repository keeps them); so are they alone in a walked
folder that git ignores as a whole (the user named it). The patterns are git's, matched by
``pathspec``'s :class:`~pathspec.GitIgnoreSpec`, not by a matcher of our own. The user's
global excludes file (``core.excludesFile``) is not read: it is not the project's.

Paths are taken as they were walked (a file in a linked folder is under that folder),
never resolved, so no link can make this look outside the walk.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from mailcheck.errors import InputError
from mailcheck.files import read_input

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

#: A ``.gitignore`` larger than this is not one (nobody writes 1 MiB of patterns).
_MAX_IGNORE_FILE = 1 << 20


class GitIgnore:
    """The ``.gitignore`` rules that apply under one walked folder (``top``)."""

    def __init__(self, top: Path, *, top_named: bool = True) -> None:
        """``top_named``: ``top`` is a folder the user named (see below); ``False`` when it
        is only the folder of a named file."""
        absolute = Path(os.path.abspath(top))
        self.base = _repository_root(absolute) or absolute
        self._specs: dict[Path, GitIgnoreSpec | None] = {}
        info_exclude = self.base / ".git" / "info" / "exclude"
        self._info = _read_spec(info_exclude) if (self.base / ".git").exists() else None
        if top_named and self.ignores(absolute, is_dir=True):
            # A folder named on the command line that git ignores (``exports/``, rightly
            # kept out of the repository): the user asks for it, so only the .gitignore
            # files inside it apply.
            self.base, self._info = absolute, None

    def ignores(self, path: Path, *, is_dir: bool) -> bool:
        """Whether git ignores ``path`` (a file, or a folder when ``is_dir``)."""
        absolute = Path(os.path.abspath(path))
        try:
            relative = PurePosixPath(absolute.relative_to(self.base).as_posix())
        except ValueError:
            return False  # not under the repository: no .gitignore of it applies
        if not relative.parts or relative.parts[0] == ".git":
            return False
        verdict: bool | None = None
        if self._info is not None:
            verdict = _check(self._info, relative.as_posix(), is_dir, verdict)
        folder = self.base
        for depth in range(len(relative.parts)):
            spec = self._spec(folder)
            if spec is not None:
                below = PurePosixPath(*relative.parts[depth:]).as_posix()
                verdict = _check(spec, below, is_dir, verdict)
            folder = folder / relative.parts[depth]
        return bool(verdict)

    def _spec(self, folder: Path) -> GitIgnoreSpec | None:
        if folder not in self._specs:
            self._specs[folder] = _read_spec(folder / ".gitignore")
        return self._specs[folder]


def _check(spec: GitIgnoreSpec, relative: str, is_dir: bool, verdict: bool | None) -> bool | None:
    """The verdict after ``spec`` (``None``: no pattern matched, the earlier one holds)."""
    result = spec.check_file(relative + "/" if is_dir else relative)
    return verdict if result.include is None else result.include


def _read_spec(path: Path) -> GitIgnoreSpec | None:
    """The patterns of one ignore file, or ``None`` when there is none (or it cannot be
    read: git itself passes over an unreadable ``.gitignore`` with a warning; a file that
    is not text is no list of patterns)."""
    if not os.path.isfile(path):
        return None
    try:
        raw = read_input(path, _MAX_IGNORE_FILE, "a .gitignore")
    except InputError:
        return None
    lines = raw.decode("utf-8", errors="replace").splitlines()
    # pathspec (0.01 s to import) only once an ignore file is found: one named template
    # (pre-commit) is linted without reading any.
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines) if lines else None


def _repository_root(folder: Path) -> Path | None:
    """The closest folder at or above ``folder`` holding ``.git`` (a folder, or the file a
    worktree or submodule has), or ``None`` outside any repository."""
    for candidate in [folder, *folder.parents]:
        if os.path.exists(candidate / ".git"):
            return candidate
    return None
