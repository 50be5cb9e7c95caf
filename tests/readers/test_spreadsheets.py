"""Spreadsheet exports (src/mailcheck/readers/spreadsheet/): every sheet holding a contact
list is read as its CSV export would be (same findings on the same rows), located by
sheet and row, and a broken workbook is one MC900 line naming the file.

The workbooks are written here with openpyxl (xlsx), by hand (ods: a ZIP of XML, as
LibreOffice writes it) or come from tests/readers/spreadsheet_files/ (xls, made by
make_spreadsheet_files.py). The French layout is the one French Excel gives a
solo entrepreneur's list (``Adresse e-mail;Prénom;Nom;Date d'inscription;Source;
Statut;...``) with real Excel date cells, a phone number as a number, a TRUE/FALSE
column.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pandas as pd
import pytest

from mailcheck.readers.spreadsheet.cells import cell_text
from mailcheck.readers.spreadsheet.locations import (
    column_letters,
    file_of,
    human_location,
    split_sheet_path,
)
from mailcheck.testing import canonical_frame
from tests.test_bad_input import assert_unreadable, lint_beside_good

FILES = Path(__file__).parent / "spreadsheet_files"
TODAY = ("--today", "2026-11-22")

HEADER = [
    "Adresse e-mail",
    "Prénom",
    "Nom",
    "Date d'inscription",
    "Source",
    "Statut",
    "Dernier clic",
    "Téléphone",
    "Client",
]


def _rows() -> list[list[object]]:
    """Contacts as Excel holds them: dates are date cells, the phone a number."""
    return [
        # fine: recent opt-in from the site's form
        [
            "jeanne.martin@exemple.fr",
            "Jeanne",
            "Martin",
            dt.datetime(2025, 3, 12, 10, 30),
            "formulaire site",
            "abonné",
            dt.datetime(2026, 9, 1),
            33612345678,
            False,
        ],
        # stale: opted in 2019, no click since
        ["paul.durand@exemple.fr", "Paul", "Durand", dt.datetime(2019, 9, 2), "import salon",
         "abonné", None, None, False],
        # not an address
        ["marie.exemple.fr", "Marie", "Petit", dt.datetime(2025, 1, 5), "formulaire site",
         "abonné", None, None, False],
        # bought list: no valid consent
        ["contact@boulangerie-exemple.fr", None, "Boulangerie", None, "fichier acheté",
         "abonné", None, None, False],
        # unsubscribed, still a row: fine
        ["luc.bernard@exemple.fr", "Luc", "Bernard", dt.datetime(2024, 6, 1), "formulaire site",
         "désabonné", None, None, True],
        # the same address as the first row, in capitals
        ["JEANNE.MARTIN@EXEMPLE.FR", "Jeanne", "Martin", dt.datetime(2025, 3, 12, 10, 30),
         "formulaire site", "abonné", None, None, False],
        # opted in three years ago less two days: kept (day and month swapped would not be)
        ["claire.moreau@exemple.fr", "Claire", "Moreau", dt.datetime(2023, 11, 25),
         "formulaire site", "abonné", None, None, False],
    ]  # fmt: skip


def _csv_text(value: object) -> str:
    """A cell as French Excel saves it in a CSV (dd/mm/yyyy, VRAI/FAUX)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M" if value.time() != dt.time() else "%d/%m/%Y")
    return str(value)


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A workbook as Excel saves it: one sheet per entry, dates as date cells."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "dd/mm/yyyy hh:mm"
    book.save(path)
    return path


def _ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A LibreOffice Calc file: a ZIP holding mimetype, manifest and content.xml (dates
    as office:date-value cells)."""
    tables = []
    for name, rows in sheets.items():
        xml_rows = []
        for row in rows:
            cells = []
            for value in row:
                if value is None:
                    cells.append("<table:table-cell/>")
                elif isinstance(value, dt.datetime):
                    iso = value.isoformat()
                    cells.append(
                        f'<table:table-cell office:value-type="date" office:date-value="{iso}">'
                        f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
                    )
                elif isinstance(value, bool):
                    word = "true" if value else "false"
                    cells.append(
                        f'<table:table-cell office:value-type="boolean" '
                        f'office:boolean-value="{word}"><text:p>{word.upper()}</text:p>'
                        "</table:table-cell>"
                    )
                elif isinstance(value, int | float):
                    cells.append(
                        f'<table:table-cell office:value-type="float" office:value="{value}">'
                        f"<text:p>{value}</text:p></table:table-cell>"
                    )
                else:
                    cells.append(
                        f'<table:table-cell office:value-type="string">'
                        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
                    )
            xml_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
        tables.append(f'<table:table table:name="{escape(name)}">{"".join(xml_rows)}</table:table>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def _csv(mailchecker, name: str, rows: list[list[object]]) -> Path:
    lines = [";".join(HEADER)] + [";".join(_csv_text(v) for v in row) for row in rows]
    return mailchecker.make_file(name, "\r\n".join(lines) + "\r\n", encoding="cp1252")


def _found(run, path: str) -> list[tuple[str, int]]:
    return sorted((f["code"], f["line"]) for f in run.findings if f["path"] == path)


# -- the same rows, the same findings ---------------------------------------------------


def test_a_french_excel_workbook_gives_the_findings_of_its_csv_export(mailchecker):
    _xlsx(mailchecker.path / "contacts.xlsx", {"Feuil1": [HEADER, *_rows()]})
    _csv(mailchecker, "contacts.csv", _rows())
    as_sheet = _found(mailchecker.run("contacts.xlsx", *TODAY), "contacts.xlsx:Feuil1")
    as_csv = _found(mailchecker.run("contacts.csv", *TODAY), "contacts.csv")
    assert as_sheet == as_csv
    # The rows it is about, on the lines a user sees in Excel.
    assert ("MC203", 3) in as_sheet  # opted in 2019, no activity since
    assert ("MC217", 4) in as_sheet  # not an address
    assert any(line == 7 for code, line in as_sheet if code != "MC203")  # the duplicate
    assert not [line for code, line in as_sheet if line == 8]  # dates read as dates


def test_an_ods_gives_the_findings_of_the_same_xlsx(mailchecker):
    _xlsx(mailchecker.path / "contacts.xlsx", {"Feuil1": [HEADER, *_rows()]})
    _ods(mailchecker.path / "contacts.ods", {"Feuil1": [HEADER, *_rows()]})
    from_xlsx = _found(mailchecker.run("contacts.xlsx", *TODAY), "contacts.xlsx:Feuil1")
    from_ods = _found(mailchecker.run("contacts.ods", *TODAY), "contacts.ods:Feuil1")
    assert from_ods == from_xlsx and ("MC217", 4) in from_ods


def test_an_xls_from_old_excel_is_read(mailchecker):
    (mailchecker.path / "inscrits.xls").write_bytes((FILES / "inscrits-fr.xls").read_bytes())
    run = mailchecker.run("inscrits.xls", *TODAY)
    assert run.lines("MC203", "inscrits.xls:Feuil1") == [3]
    assert run.lines("MC217", "inscrits.xls:Feuil1") == [4]


def test_cells_become_the_texts_of_an_export(mailchecker):
    _xlsx(mailchecker.path / "contacts.xlsx", {"Feuil1": [HEADER, *_rows()]})
    config = {"columns": {"consent_source": "Source", "is_customer": "Client"}}
    (doc,) = mailchecker.read_contacts("contacts.xlsx", **config)
    frame = canonical_frame(doc)
    # A date-time cell is read with its time, never day and month swapped.
    assert frame.loc[2, "consent_at"] == pd.Timestamp("2025-03-12 10:30")
    assert frame.loc[3, "consent_at"] == pd.Timestamp("2019-09-02")
    assert frame.loc[6, "status"] == "unsubscribed"
    assert frame.loc[6, "is_customer"] and not frame.loc[2, "is_customer"]  # TRUE / FALSE


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (33612345678.0, "33612345678"),
        (1.5, "1.5"),
        (True, "TRUE"),
        (dt.datetime(2024, 3, 14), "2024-03-14"),
        (dt.datetime(2024, 3, 14, 9, 5, 7, 120), "2024-03-14 09:05:07"),
        (dt.date(2024, 3, 14), "2024-03-14"),
        ("Salon\n2024", "Salon 2024"),
        (None, ""),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


# -- sheets -----------------------------------------------------------------------------


def test_a_notes_sheet_is_left_alone_and_named(mailchecker):
    notes = [["Export du 20/11/2026"], [], ["À relancer en janvier", "voir Paul"]]
    _xlsx(mailchecker.path / "contacts.xlsx", {"Contacts": [HEADER, *_rows()], "Notes": notes})
    run = mailchecker.run("contacts.xlsx", *TODAY)
    assert {f["path"] for f in run.findings} == {"contacts.xlsx:Contacts"}
    assert "sheets left alone, not contact lists: 'Notes'" in run.stderr
    assert "contacts.xlsx:" in run.stderr


def test_a_workbook_without_a_contact_sheet_is_unreadable(mailchecker):
    _xlsx(mailchecker.path / "bilan.xlsx", {"TCD": [["Source", "Nombre"], ["site", 12]]})
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "bilan.xlsx", "no sheet holds a contact list")
    assert "'TCD'" in run.findings[0]["message"] or "'TCD'" in run.stderr


def test_a_header_below_a_title_keeps_the_rows_of_the_sheet(mailchecker):
    title = [["Export des contacts du 20/11/2026"], []]
    _xlsx(mailchecker.path / "contacts.xlsx", {"Feuil1": [*title, HEADER, *_rows()]})
    run = mailchecker.run("contacts.xlsx", *TODAY)
    assert run.lines("MC203", "contacts.xlsx:Feuil1") == [5]
    assert run.lines("MC217", "contacts.xlsx:Feuil1") == [6]


def test_blank_rows_between_contacts_keep_the_rows_of_the_sheet(mailchecker):
    rows = _rows()
    _xlsx(mailchecker.path / "contacts.xlsx", {"Feuil1": [HEADER, rows[0], [], [], *rows[1:]]})
    run = mailchecker.run("contacts.xlsx", *TODAY)
    assert run.lines("MC217", "contacts.xlsx:Feuil1") == [6]


def test_a_sheet_of_bare_addresses_is_a_list_without_header(mailchecker):
    rows = [["a.dupont@exemple.fr"], ["pas-une-adresse"], ["b.durand@exemple.fr"]]
    title = [["Adresses du salon"], []]
    _xlsx(mailchecker.path / "adresses.xlsx", {"Feuil1": [*title, *rows]})
    run = mailchecker.run("adresses.xlsx", *TODAY)
    assert run.lines("MC217", "adresses.xlsx:Feuil1") == [4]
    (doc,) = mailchecker.read_contacts("adresses.xlsx")
    assert doc.headerless is not None and doc.headerless.line == 3
    assert any("line 3 is a contact" in str(note) for note in doc.notes), doc.notes


def test_each_list_of_a_workbook_is_read_with_its_sheet_name(mailchecker):
    unsubscribed = [["Email", "Date"], ["luc.bernard@exemple.fr", dt.datetime(2026, 1, 4)]]
    active = [["Email", "Date d'inscription"], ["luc.bernard@exemple.fr", dt.datetime(2026, 2, 1)]]
    sheets = {"Abonnés": active, "Désinscrits": unsubscribed}
    _xlsx(mailchecker.path / "contacts.xlsx", sheets)
    docs = mailchecker.read_contacts("contacts.xlsx")
    assert [d.display_path for d in docs] == ["contacts.xlsx:Abonnés", "contacts.xlsx:Désinscrits"]
    # The sheet's name says the status of its rows, as a file's name does.
    assert [d.file_status for d in docs] == ["subscribed", "unsubscribed"]


def test_inspect_describes_each_sheet(mailchecker):
    from click.testing import CliRunner

    from mailcheck import cli

    notes = [["Notes"], ["à relancer"]]
    _xlsx(mailchecker.path / "contacts.xlsx", {"Feuil1": [HEADER, *_rows()], "Notes": notes})
    result = CliRunner().invoke(cli.main, ["inspect", "contacts.xlsx"])
    assert result.exit_code == 0, result.output
    assert "contacts.xlsx:Feuil1" in result.output
    assert "<- Adresse e-mail" in result.output
    assert "sheet 'Feuil1' of an xlsx workbook, header on row 1" in result.output
    assert "'Notes'" in result.output


# -- locations --------------------------------------------------------------------------


def test_human_formats_show_the_sheet_and_cell(mailchecker):
    _xlsx(mailchecker.path / "contacts.xlsx", {"Feuil1": [HEADER, *_rows()]})
    run = mailchecker.run("contacts.xlsx", *TODAY, "--output-format", "concise")
    assert any(
        line.startswith("contacts.xlsx:Feuil1!A4: MC217 ") for line in run.output.splitlines()
    ), run.output


def test_machine_formats_keep_the_row_as_line_and_name_the_sheet(mailchecker):
    _xlsx(mailchecker.path / "contacts.xlsx", {"Feuil1": [HEADER, *_rows()]})
    run = mailchecker.run("contacts.xlsx", *TODAY, "--output-format", "sarif")
    results = json.loads(run.output)["runs"][0]["results"]
    (invalid,) = [r for r in results if r["ruleId"] == "MC217"]
    location = invalid["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "contacts.xlsx"
    assert location["region"]["startLine"] == 4
    assert invalid["properties"]["sheet"] == "Feuil1"


def test_per_file_ignores_naming_the_workbook_cover_its_sheets(mailchecker):
    _xlsx(mailchecker.path / "contacts.xlsx", {"Feuil1": [HEADER, *_rows()]})
    mailchecker.make_config('[per-file-ignores]\n"contacts.xlsx" = ["MC217"]\n')
    run = mailchecker.run("contacts.xlsx", *TODAY)
    assert run.codes.get("MC217", 0) == 0 and run.codes.get("MC203", 0) >= 1


@pytest.mark.parametrize(
    ("path", "line", "column", "shown"),
    [
        ("contacts.xlsx:Feuil1", 57, 1, "contacts.xlsx:Feuil1!A57"),
        ("exports/liste.ods:Abonnés 2026", 3, 28, "exports/liste.ods:Abonnés 2026!AB3"),
        ("contacts.csv", 57, 1, "contacts.csv:57:1"),
        ("export.zip!contacts.csv", 5, 1, "export.zip!contacts.csv:5:1"),
        ("C:/exports/contacts.csv", 2, 1, "C:/exports/contacts.csv:2:1"),
    ],
)
def test_human_location(path, line, column, shown):
    assert human_location(path, line, column) == shown


def test_sheet_paths_are_told_from_other_paths():
    assert split_sheet_path("a/b.XLSX:Feuil1").sheet == "Feuil1"
    assert split_sheet_path("a.xlsx:dir/x.csv") is None
    assert split_sheet_path("a.csv") is None
    assert file_of("a/b.xlsx:Feuil1") == "a/b.xlsx"
    assert file_of("export.zip!liste.csv") == "export.zip"
    assert [column_letters(n) for n in (1, 26, 27, 702, 703)] == ["A", "Z", "AA", "ZZ", "AAA"]


# -- broken workbooks -------------------------------------------------------------------


def _good_xlsx_bytes(tmp_path: Path) -> bytes:
    return _xlsx(tmp_path / "source.xlsx", {"Feuil1": [HEADER, *_rows()]}).read_bytes()


def test_a_truncated_workbook_is_one_error_line(mailchecker, tmp_path_factory):
    whole = _good_xlsx_bytes(tmp_path_factory.mktemp("src"))
    mailchecker.make_file("contacts.xlsx", whole[: len(whole) // 2])
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "contacts.xlsx", "corrupt or truncated")


def test_a_corrupt_workbook_is_one_error_line(mailchecker, tmp_path_factory):
    whole = bytearray(_good_xlsx_bytes(tmp_path_factory.mktemp("src")))
    middle = len(whole) // 3
    whole[middle : middle + 64] = b"\xff" * 64
    mailchecker.make_file("contacts.xlsx", bytes(whole))
    run = lint_beside_good(mailchecker)
    (finding,) = [f for f in run.findings if f["code"] == "MC900"]
    assert finding["path"] == "contacts.xlsx" and "xlsx workbook" in finding["message"]


def test_a_password_protected_workbook_is_said_so(mailchecker):
    # What Excel writes for "Encrypt with password": an OLE2 file holding EncryptedInfo
    # and an EncryptedPackage stream, not a ZIP.
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    mailchecker.make_file("contacts.xlsx", ole2 + directory + b"\0" * 1024)
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "contacts.xlsx", "password-protected xlsx workbook")


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_inflated(mailchecker):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 << 20))
    mailchecker.make_file("contacts.xlsx", buffer.getvalue())
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "contacts.xlsx", "limits.max-compression-ratio raises it")


def test_a_text_export_named_xls_is_read_as_csv(mailchecker):
    # Web apps' "Excel export": tab-separated text under an .xls name.
    text = "Email\tNom\tDate d'inscription\r\nmarie.exemple.fr\tPetit\t05/01/2025\r\n"
    mailchecker.make_file("export.xls", text, encoding="cp1252")
    run = mailchecker.run("export.xls", *TODAY)
    assert run.lines("MC217", "export.xls") == [2]


def test_an_html_page_named_xls_is_one_error_line(mailchecker):
    mailchecker.make_file("export.xls", "<html><body><table><tr><td>x</td></tr></table>")
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "export.xls", "save it as .xlsx or CSV")


# -- the demo fixture -------------------------------------------------------------------


def test_the_french_workbook_fixture_reports_its_seeded_rows(mailchecker):
    # fixtures/spreadsheets/README.md lists the seeded rows.
    fixture = Path(__file__).parents[2] / "fixtures" / "spreadsheets" / "inscrits-salon-2026.xlsx"
    (mailchecker.path / fixture.name).write_bytes(fixture.read_bytes())
    run = mailchecker.run(fixture.name, "--select", "MC2", *TODAY)
    assert _found(run, f"{fixture.name}:Inscrits") == [
        ("MC203", 3),
        ("MC204", 4),
        ("MC205", 4),
        ("MC215", 4),
        ("MC217", 6),
        ("MC218", 8),
    ]
    assert "'Notes'" in run.stderr
