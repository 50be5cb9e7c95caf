"""``mailcheck lint -``: lint what standard input holds, as ruff does, for editors and
workflow steps that pipe a template in.

``--stdin-filename NAME`` says what it is: NAME's extension gives its kind (``.html``
by default: a template), NAME is matched by the config's globs (``per-file-ignores``,
``kinds``, ``file-types``, ``exclude``), the config is looked for upward from NAME's
folder, and findings and warnings name NAME. NAME need not exist; nothing is written to
it. The readers work on files, so standard input is copied, within ``[limits]
max-list-size``, to a file in a new folder of the system's temporary directory, named
like NAME; the folder and the file are removed when the command ends (interrupted or
not). The includes and layouts of a template read from standard input are not looked
for (there is no folder to look in): an opt-out they would bring is reported as a
warning that says so, not as an error.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from mailcheck.config import Config
from mailcheck.errors import UsageError
from mailcheck.files import BoundedReader, display_path, printable_name, safe_resolve
from mailcheck.i18n import Text, t

#: ``--stdin-filename`` when none is given: a template.
DEFAULT_STDIN_NAME = "stdin.html"
_BLOCK = 1 << 20


def stdin_name(paths: tuple[Path, ...], name: str | None) -> Path | None:
    """The name standard input is linted as, or ``None`` when it is not read: it is read
    for ``-`` alone, or for no path at all with ``--stdin-filename``."""
    dash = [p for p in paths if str(p) == "-"]
    if dash and len(paths) > 1:
        raise UsageError(t("- (standard input) cannot be combined with other paths"))
    if not dash and paths and name is not None:
        raise UsageError(t("--stdin-filename applies to standard input only: lint - instead"))
    if not dash and name is None:
        return None
    name = name or DEFAULT_STDIN_NAME
    if not Path(name).name or Path(name).name in (".", ".."):
        raise UsageError(t("--stdin-filename {name}: not a file name", name=repr(name)))
    return Path(name)


def copy_stdin(stream: BinaryIO, name: Path, config: Config, cleanup) -> Path:
    """Copy ``stream`` to a file named like ``name`` in a new temporary folder; return
    it. ``cleanup`` receives the callable that removes the folder (the CLI runs it when
    the command ends). The copy is matched by config globs as ``name``."""
    folder = Path(tempfile.mkdtemp(prefix="mailcheck-stdin-"))
    cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    target = folder / name.name
    limit = config.limits.max_list_size
    bounded = BoundedReader(
        stream,
        limit,
        "limits.max-list-size",
        what=t("standard input is larger than [limits] max-list-size"),
    )
    with open(target, "xb") as out:
        while block := bounded.read(_BLOCK):
            out.write(block)
    config.path_aliases[safe_resolve(target)] = safe_resolve(name)
    return target


def stdin_alias(copy: Path, name: Path) -> tuple[str, str]:
    """(how the copy would be shown, how it is shown): :attr:`Linter.stdin_alias`."""
    return display_path(copy), printable_name(name.as_posix())


def label(shown: str) -> Text:
    """How a message about the whole input names standard input (``shown``: its
    ``--stdin-filename`` as printed), never the path of its temporary copy."""
    return t("- (standard input, read as {name})", name=shown)
