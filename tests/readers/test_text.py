"""Decoding files to text: UTF-16 without a BOM is text, binary data stays refused."""

from __future__ import annotations

import os
import struct
import zipfile
from io import BytesIO

import pytest

from mailcheck.errors import InputError
from mailcheck.readers.text import decode, detect_encoding, utf16_without_bom

#: Excel's "Unicode text" export of a French list: tab-separated, CRLF, accents, Œ, €, ’.
EXPORT = (
    "Adresse e-mail\tPrénom\tNom\tDate d'inscription\tStatut\r\n"
    "jean.martin@exemple.fr\tJean\tMartin\t01/03/2015\tabonné\r\n"
    "zoe.lefevre@exemple.fr\tZoé\tŒuvrard\t05/01/2024\tdésabonné\r\n"
    "luc.perrin@exemple.fr\tLuc\tD’Arc\t12/02/2025\tabonné (offre à 5 €)\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text_in_its_byte_order(encoding):
    data = EXPORT.encode(encoding)
    assert detect_encoding(data) == encoding
    assert decode(data) == (EXPORT, encoding)


def test_utf16_sample_cut_inside_a_character_is_still_utf16():
    row = "jean.martin@exemple.fr;Jean \U0001f600\r\n"  # an emoji: a surrogate pair
    data = ("Adresse e-mail;Prénom\r\n" + row * 400).encode("utf-16-le")
    end = data.index("\U0001f600".encode("utf-16-le"), 3900) + 2
    cut = data[:end]  # the sample ends inside the surrogate pair
    assert detect_encoding(cut) == "utf-16-le"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), id="png"),
        pytest.param(struct.pack("<400h", *range(400)), id="small-int16-array"),
        pytest.param(os.urandom(4096) + b"\x00", id="random"),
        pytest.param(b"\x00" * 64, id="zeros"),
        pytest.param(b"email\x00a@b.fr\x00\x00\x01\x02", id="nul-separated"),
    ],
)
def test_binary_data_is_still_refused(data):
    assert utf16_without_bom(data) is None
    with pytest.raises(InputError, match="binary data"):
        detect_encoding(data)


def test_a_spreadsheet_saved_as_csv_by_mistake_is_binary():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # an .xlsx is a ZIP
        archive.writestr("xl/worksheets/sheet1.xml", "<sheetData/>" * 50)
    with pytest.raises(InputError, match="binary data"):
        detect_encoding(buffer.getvalue())


def test_boms_and_plain_encodings_are_unchanged():
    assert detect_encoding(b"\xff\xfe" + EXPORT.encode("utf-16-le")) == "utf-16"
    assert detect_encoding(EXPORT.encode("utf-8")) == "utf-8"
    assert detect_encoding(EXPORT.replace("Œ", "Oe").encode("cp1252")) == "cp1252"


def test_a_hostile_cell_does_not_make_an_excel_export_unreadable():
    """A French Excel export (cp1252) where one contact typed escape sequences in their
    name: the file is still read as cp1252, the cell holds them as data."""
    rows = [f"client.{n}@exemple.fr;Prénom{n};12/03/2024;fichier acheté" for n in range(300)]
    rows[7] = "jean@exemple.fr;Jean\x1b[2J\x1b]0;pwned\x07;12/03/2024;formulaire"
    data = ("Adresse e-mail;Prénom;Date d'inscription;Source\r\n" + "\r\n".join(rows)).encode(
        "cp1252"
    )
    assert detect_encoding(data) == "cp1252"
    text, _ = decode(data)
    assert "Jean\x1b[2J" in text and "Prénom12" in text


def test_control_characters_that_are_no_text_are_still_refused():
    data = b"caf\xe9 " + bytes(range(1, 32)) * 40
    with pytest.raises(InputError, match="unknown text encoding"):
        detect_encoding(data)
