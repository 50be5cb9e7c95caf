"""ZIP exports (src/mailcheck/readers/csv/archives.py, ``_read_zip``): archives that would make a
run hang or grow are refused before a byte is inflated, one MC900 line naming the limit,
and the list beside them is still linted."""

from __future__ import annotations

import io
import struct
import zipfile

from tests.test_bad_input import assert_unreadable, lint_beside_good

HEADER = "Adresse e-mail;Prénom;Date d'inscription\n"


def _zip(members: list[tuple[str, bytes]], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def _list(index: int) -> bytes:
    rows = "".join(f"contact{index}.{row}@exemple.fr;Jean;12/03/2023\n" for row in range(3))
    return (HEADER + rows).encode("utf-8")


def test_members_of_exactly_one_mib_are_checked_for_their_ratio(mailchecker):
    # The floor is inclusive: a member of exactly 1 MiB used to skip the check.
    body = b"email;nom\n" + b"a" * ((1 << 20) - 10)
    assert len(body) == 1 << 20
    mailchecker.make_file("audience.zip", _zip([("membres.csv", body)]))
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "audience.zip", "limits.max-compression-ratio raises it")


def test_the_ratio_of_the_whole_archive_is_checked(mailchecker):
    # Members under the per-member floor, too compressible together.
    body = b"email;nom\n" + b"a" * (400 << 10)
    members = [(f"export_{i}.csv", body) for i in range(4)]
    mailchecker.make_file("audience.zip", _zip(members))
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "audience.zip", "archive looks like a ZIP bomb: inflates")
    assert "limits.max-compression-ratio" in run.stderr


def test_a_real_export_is_far_below_the_ratio(mailchecker):
    rows = "".join(
        f"client{i}@exemple.fr;Prénom{i % 97};{1 + i % 28:02d}/03/2023\n" for i in range(40_000)
    )
    content = (HEADER + rows).encode()
    assert len(content) > 1 << 20  # past the floor: the ratio is checked
    mailchecker.make_file("audience.zip", _zip([("membres.csv", content)]))
    run = mailchecker.run("audience.zip", "--select", "MC900")
    assert run.exit_code == 0 and run.stderr == "", run.stderr


def test_uncompressed_size_limit_is_configurable(mailchecker):
    mailchecker.make_config('[limits]\nmax-uncompressed-size = "1 KiB"\n')
    mailchecker.make_file("audience.zip", _zip([("membres.csv", _list(0) * 20)], level=0))
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "audience.zip", "limits.max-uncompressed-size raises it")


def test_too_many_members_are_refused_without_reading_them(mailchecker):
    mailchecker.make_config("[limits]\nmax-zip-members = 50\n")
    mailchecker.make_file("export.zip", _zip([(f"liste_{i}.csv", _list(i)) for i in range(51)]))
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "export.zip", "51 entries, over the 50 limit")
    assert "limits.max-zip-members raises it" in run.stderr


def test_a_lying_entry_count_does_not_hide_the_members(mailchecker):
    data = bytearray(_zip([(f"{i}.csv", b"") for i in range(300)], level=0))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 1, 1)  # the end record says: one entry
    mailchecker.make_config("[limits]\nmax-zip-members = 100\n")
    mailchecker.make_file("export.zip", bytes(data))
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "export.zip", "more than 100 entries")


def test_many_members_share_one_open_archive(mailchecker):
    # Every member reopening the archive read the whole directory again (1,000 members:
    # 25 s); one shared archive reads it once.
    mailchecker.make_file("export.zip", _zip([(f"liste_{i}.csv", _list(i)) for i in range(40)]))
    opened = []
    real = zipfile.ZipFile.__init__

    def counting(self, *args, **kwargs):
        opened.append(args[0])
        real(self, *args, **kwargs)

    zipfile.ZipFile.__init__ = counting
    try:
        run = mailchecker.run("export.zip", "--select", "MC900")
    finally:
        zipfile.ZipFile.__init__ = real
    assert run.codes.get("MC900", 0) == 0 and run.exit_code == 0, run.stderr
    assert len(opened) == 1


def test_a_member_inflating_past_its_declared_size_is_stopped(mailchecker):
    content = (HEADER + "marie.curie@exemple.fr;Marie;07/11/2023\n" * 2000).encode()
    data = bytearray(_zip([("membres.csv", content)]))
    declared = struct.pack("<I", len(content))
    assert data.count(declared) == 2  # local header and central directory
    data = data.replace(declared, struct.pack("<I", 200))
    mailchecker.make_file("audience.zip", bytes(data))
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "audience.zip", "archive member 'membres.csv' is corrupt")


def test_an_archive_over_the_list_size_limit_is_refused(mailchecker):
    mailchecker.make_config('[limits]\nmax-list-size = "1 KiB"\n')
    mailchecker.make_file("export.zip", _zip([("liste.csv", _list(0) * 40)], level=0))
    run = mailchecker.run(".", "--select", "MC900")
    (finding,) = [f for f in run.findings if f["code"] == "MC900"]
    assert finding["path"] == "export.zip"
    assert "limits.max-list-size raises it" in finding["message"]
