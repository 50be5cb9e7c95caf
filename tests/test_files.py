"""Reading inputs safely (src/mailcheck/files.py): file types checked before anything is
read, bounded reads, a folder walk that follows links but never loops, names shown as
found. Every case that could hang runs under a deadline, so a regression fails instead
of blocking the suite."""

from __future__ import annotations

import contextlib
import inspect
import os
import sys
from pathlib import Path

import pytest

from mailcheck.errors import InputError
from mailcheck.files import (
    Skipped,
    display_path,
    open_input,
    read_head,
    read_input,
    require_regular_file,
    safe_resolve,
    walk_files,
)
from tests.hostile import deadline

LIST = "Adresse e-mail;Prénom;Date d'inscription\r\njulie.morel@example.fr;Julie;05/01/2025\r\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "liste.csv").write_bytes(LIST.encode("cp1252"))
    return tmp_path


def test_a_fifo_is_refused_without_blocking(folder: Path):
    os.mkfifo(folder / "tuyau.csv")
    with deadline(5):
        for read in (
            lambda p: read_input(p, 1 << 20, "limits.max-list-size"),
            lambda p: read_head(p, 4096),
            require_regular_file,
        ):
            with pytest.raises(InputError, match=r"^a FIFO \(named pipe\), not a regular file$"):
                read(folder / "tuyau.csv")


def test_a_link_to_dev_zero_is_refused_before_a_byte_is_read(folder: Path):
    (folder / "zero.csv").symlink_to("/dev/zero")
    with deadline(5):
        with pytest.raises(InputError, match="^a device, not a regular file$"):
            open_input(folder / "zero.csv", 1 << 30, "limits.max-list-size")
        with pytest.raises(InputError, match="^a device, not a regular file$"):
            require_regular_file(folder / "zero.csv")


def test_broken_and_looping_links_are_said_plainly(folder: Path):
    (folder / "ancienne.csv").symlink_to("supprimee.csv")
    (folder / "a.csv").symlink_to("b.csv")
    (folder / "b.csv").symlink_to("a.csv")
    with pytest.raises(InputError, match=r"^a broken symbolic link \(what it points to"):
        require_regular_file(folder / "ancienne.csv")
    with pytest.raises(InputError, match="^a symbolic link loop$"):
        read_input(folder / "a.csv", 1 << 20, "limits.max-list-size")


def test_a_file_past_its_limit_names_the_key_that_raises_it(folder: Path):
    with pytest.raises(InputError) as error:
        read_input(folder / "liste.csv", 16, "limits.max-list-size")
    size = len(LIST.encode("cp1252"))
    limit = "larger than the 16 bytes limit (limits.max-list-size raises it)"
    assert str(error.value) == f"{size} bytes: {limit}"
    with pytest.raises(InputError, match="^far too large for a configuration$"):
        read_input(
            folder / "liste.csv",
            16,
            "limits.max-config-size",
            what="far too large for a configuration",
        )
    assert read_head(folder / "liste.csv", 14) == b"Adresse e-mail"  # no limit on a head


def test_display_path_shows_the_name_found_not_the_target(folder: Path):
    (folder / "zero.csv").symlink_to("/dev/zero")
    (folder / "boucle").symlink_to("boucle")
    (folder / "partage").mkdir()
    (folder / "lien").symlink_to("partage")
    assert display_path(folder / "zero.csv") == "zero.csv"
    assert display_path(Path("lien/liste.csv")) == "lien/liste.csv"
    assert display_path(folder / "boucle" / "x.csv") == "boucle/x.csv"
    assert display_path(Path("./sous/../liste.csv")) == "liste.csv"
    assert display_path(Path(os.fsdecode(b"caf\xe9.csv"))) == "caf\\xe9.csv"


def test_safe_resolve_survives_a_symlink_loop(folder: Path):
    (folder / "boucle").symlink_to("boucle")
    assert safe_resolve(folder / "boucle" / "x.csv") == folder / "boucle" / "x.csv"
    assert safe_resolve(Path("liste.csv")) == folder / "liste.csv"


def _walk(top: Path, seen=None) -> list[str]:
    return [
        f"skipped {display_path(found.path)}: {found.reason}"
        if isinstance(found, Skipped)
        else display_path(found)
        for found in walk_files(top, lambda p: p.suffix == ".csv", lambda p: p.name == ".git", seen)
    ]


def test_walk_follows_linked_folders_once_and_stops_at_loops(folder: Path):
    (folder / "exports" / "2024").mkdir(parents=True)
    (folder / "exports" / "2024" / "mars.csv").write_text("email\n")
    (folder / "exports" / "2024" / "retour").symlink_to("../..")
    (folder / "exports" / "zz-copie").symlink_to("2024")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.csv").write_text("email\n")
    (folder / "notes.txt").write_text("pas une liste\n")
    with deadline(5):
        assert _walk(Path(".")) == [
            "liste.csv",
            "exports/2024/mars.csv",
            "skipped exports/2024/retour: a link back to . (a symlink loop)",
            "skipped exports/zz-copie: the same folder as exports/2024, already walked",
        ]


def test_walk_yields_special_files_and_bad_links_as_skipped(folder: Path):
    os.mkfifo(folder / "tuyau.csv")
    (folder / "zero.csv").symlink_to("/dev/zero")
    (folder / "perdu.csv").symlink_to("nulle-part.csv")
    (folder / "x").symlink_to("y")
    (folder / "y").symlink_to("x")
    os.mkfifo(folder / "autre-tuyau")  # not named like an input: not looked at
    with deadline(5):
        found = list(walk_files(folder, lambda p: p.suffix == ".csv", lambda p: False))
    # A reason is a text shown in the user's language; str() is its English.
    skipped = {
        item.path.name: item._replace(reason=str(item.reason))
        for item in found
        if isinstance(item, Skipped)
    }
    assert [item.name for item in found if isinstance(item, Path)] == ["liste.csv"]
    assert skipped["tuyau.csv"] == (folder / "tuyau.csv", "a FIFO (named pipe), not a regular file")
    assert skipped["zero.csv"].reason == "a device, not a regular file"
    assert skipped["perdu.csv"].reason.startswith("a broken symbolic link")
    # A loop of links looks like a folder: said (and counted) whatever its name.
    assert skipped["x"] == (folder / "x", "a symbolic link loop")
    assert set(skipped) == {"tuyau.csv", "zero.csv", "perdu.csv", "x", "y"}


def test_walk_shares_what_it_has_seen_across_tops(folder: Path):
    (folder / "exports").mkdir()
    (folder / "exports" / "mars.csv").write_text("email\n")
    (folder / "lien-exports").symlink_to("exports")
    seen: dict = {}
    assert _walk(Path("exports"), seen) == ["exports/mars.csv"]
    assert _walk(Path("lien-exports"), seen) == [
        "skipped lien-exports: the same folder as exports, already walked"
    ]
    assert _walk(Path("exports"), seen) == []  # the same folder named twice: nothing to say


def test_walk_goes_deeper_than_the_recursion_limit(folder: Path):
    # Python 3.11's os.walk recursed once per level: 1,000 nested folders crashed it.
    # Made cheap: the recursion limit is lowered below the depth of the folders (and
    # these are built relative to a descriptor; os.makedirs and shutil.rmtree recurse).
    depth, limit = 300, sys.getrecursionlimit()
    bottom = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=bottom)
            bottom, above = os.open("d", os.O_RDONLY, dir_fd=bottom), bottom
            os.close(above)
        os.close(os.open("fond.csv", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=bottom))
        sys.setrecursionlimit(len(inspect.stack(0)) + depth // 2)
        found = _walk(Path("."))
        assert found == ["liste.csv", "/".join(["d"] * depth) + "/fond.csv"]
    finally:
        sys.setrecursionlimit(limit)
        with contextlib.suppress(FileNotFoundError):
            os.unlink("fond.csv", dir_fd=bottom)
        while not os.path.samestat(os.fstat(bottom), os.stat(folder)):
            bottom, below = os.open("..", os.O_RDONLY, dir_fd=bottom), bottom
            os.close(below)
            os.rmdir("d", dir_fd=bottom)
        os.close(bottom)


def test_walk_says_which_folder_it_could_not_read(folder: Path):
    locked = folder / "prive"
    locked.mkdir()
    (locked / "clients.csv").write_text("email\n")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read a mode-000 folder (root)")
        (item,) = [
            f for f in walk_files(folder, lambda p: True, lambda p: False) if isinstance(f, Skipped)
        ]
        assert item == (
            locked,
            "cannot read this folder (permission denied); its files were not checked",
        )
    finally:
        locked.chmod(0o755)
