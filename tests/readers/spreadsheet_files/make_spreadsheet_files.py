"""Writes inscrits-fr.xls, the old-Excel (BIFF8) workbook of test_spreadsheets.py.

No well-kept library writes .xls any more, so the file is committed; to make it again:
``pip install --target /tmp/xlwt xlwt`` then
``PYTHONPATH=/tmp/xlwt python tests/readers/spreadsheet_files/make_spreadsheet_files.py``.
The rows: a French list as Excel 97-2003 held it, dates as date cells.
"""

import datetime as dt
from pathlib import Path

import xlwt

HEADER = ["Adresse e-mail", "Prénom", "Nom", "Date d'inscription", "Source", "Statut"]
ROWS = [
    ["jeanne.martin@exemple.fr", "Jeanne", "Martin", dt.datetime(2025, 3, 12), "formulaire site",
     "abonné"],
    ["paul.durand@exemple.fr", "Paul", "Durand", dt.datetime(2019, 9, 2), "formulaire site",
     "abonné"],
    ["marie.exemple.fr", "Marie", "Petit", dt.datetime(2025, 1, 5), "formulaire site", "abonné"],
]  # fmt: skip


def main() -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Feuil1")
    date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for column, name in enumerate(HEADER):
        sheet.write(0, column, name)
    for row, values in enumerate(ROWS, start=1):
        for column, value in enumerate(values):
            if isinstance(value, dt.datetime):
                sheet.write(row, column, value, date)
            else:
                sheet.write(row, column, value)
    book.save(str(Path(__file__).with_name("inscrits-fr.xls")))


if __name__ == "__main__":
    main()
