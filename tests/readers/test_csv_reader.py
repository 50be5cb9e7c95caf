"""The contact-list reader: encodings, delimiters, exact physical lines, ZIP safety."""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mailcheck.config import Config
from mailcheck.errors import InputError
from mailcheck.manager import create_plugin_manager
from mailcheck.readers.csv.blocks import scan_records
from mailcheck.readers.csv.hook import mailcheck_read_document

FIXTURES = Path(__file__).parents[2] / "fixtures" / "contacts"


def read(path: Path, **config_values) -> list:
    config = Config(root=path.parent)
    for key, value in config_values.items():
        setattr(config, key, value)
    config.pluginmanager = create_plugin_manager(load_entry_points=False)
    return mailcheck_read_document(path=path, kind="contacts", config=config)


def frame(path: Path, **config_values) -> pd.DataFrame:
    (doc,) = read(path, **config_values)
    return pd.concat(list(doc.chunks()), ignore_index=True)


def test_french_excel_export_cp1252_semicolon_quoted_newline():
    (doc,) = read(FIXTURES / "export-excel-fr.csv")
    assert doc.encoding == "cp1252" and doc.delimiter == ";"
    assert doc.columns["consent_at"] == "Date d'inscription"
    rows = pd.concat(list(doc.chunks()), ignore_index=True)
    # Hugo's name holds a quoted newline: the next record starts two lines later.
    assert rows["line"].tolist() == [2, 3, 4, 5, 6, 8, 9, 10, 11]
    assert rows.loc[0, "consent_at"] == pd.Timestamp("2024-03-12")  # day first
    assert rows.loc[3, "status"] == "unsubscribed"  # "désinscrit"
    assert rows.loc[7, "email_key"] == "jeanne.martin@example.com"  # trimmed, lower-cased


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_encodings_and_delimiters(tmp_path, encoding, delimiter):
    text = delimiter.join(["Courriel", "Statut", "Date d'inscription"]) + "\r\n"
    text += delimiter.join(["élodie@example.fr", "abonné", "05/04/2025"]) + "\r\n\r\n"
    text += delimiter.join(["marc@example.fr", "désabonné", "2025-04-06 10:00:00"]) + "\r\n"
    path = tmp_path / "liste.csv"
    path.write_bytes(text.encode(encoding))
    rows = frame(path)
    assert rows["line"].tolist() == [2, 4]  # the blank line 3 is skipped, not renumbered
    assert rows["email"].tolist() == ["élodie@example.fr", "marc@example.fr"]
    assert rows["status"].tolist() == ["subscribed", "unsubscribed"]
    assert rows["consent_at"].tolist() == [
        pd.Timestamp("2025-04-05"),
        pd.Timestamp("2025-04-06 10:00"),
    ]


def test_stray_quote_and_ragged_rows_fall_back_to_exact_reader(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text(
        "email,name,notes\n"
        'a@example.com,Jean "JJ" Dupont,x\n'
        'b@example.com,"Multi\nline",y\n'
        "c@example.com\n",
        encoding="utf-8",
    )
    rows = frame(path)
    assert rows["line"].tolist() == [2, 3, 5]


def test_scan_agrees_with_parser_across_blocks(tmp_path):
    lines = ["email,notes"]
    for i in range(3000):
        lines.append(
            f'u{i}@example.com,"note {i}\nsecond line"' if i % 7 == 0 else f"u{i}@example.com,n{i}"
        )
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scan = scan_records(lambda: path.open("rb"), ",", block=997)  # tiny blocks: many boundaries
    rows = frame(path)
    assert scan.quoted_newlines and not scan.stray_quotes
    assert rows["line"].tolist() == scan.lines.tolist()
    assert rows["line"].iloc[-1] == 3000 + 3000 // 7 + 2


def test_excel_sep_line_and_config_mapping(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("sep=;\nMail perso;Quand\nx@example.com;01/02/2024\n", encoding="utf-8")
    rows = frame(path, columns={"email": "Mail perso", "consent_at": "Quand"})
    assert rows["line"].tolist() == [3]
    assert rows.loc[0, "consent_at"] == pd.Timestamp("2024-02-01")


def test_date_formats_from_config_month_first(tmp_path):
    path = tmp_path / "us.csv"
    path.write_text("email,consent_date\nx@example.com,02/01/2024\n", encoding="utf-8")
    rows = frame(path, date_formats={"consent_at": ["%m/%d/%Y"]})
    assert rows.loc[0, "consent_at"] == pd.Timestamp("2024-02-01")


def test_zip_members_are_read_and_unsafe_archives_refused(tmp_path):
    good = tmp_path / "audience_export.zip"
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("audience/subscribed.csv", "email\na@example.com\n")
        archive.writestr("audience/desinscrits.csv", "email\nb@example.com\n")
    docs = read(good)
    assert [d.display_path.split("!")[1] for d in docs] == [
        "audience/subscribed.csv",
        "audience/desinscrits.csv",
    ]
    assert pd.concat(list(docs[1].chunks()))["status"].tolist() == ["unsubscribed"]  # from the name
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../escape.csv", "email\na@example.com\n")
    with pytest.raises(InputError, match="escapes"):
        read(evil)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.csv", "email\n" + "0" * (5 << 20))
    with pytest.raises(InputError, match="ZIP bomb"):
        read(bomb)


def test_binary_file_is_a_one_line_error(mailchecker):
    mailchecker.make_file("liste.csv", b"\x00\x01\x02" * 100)
    run = mailchecker.run("liste.csv")
    assert run.exit_code == 2
    assert [f["code"] for f in run.findings] == ["MC900"]


def test_unsubscribe_date_without_status_means_unsubscribed(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text(
        "email,consent_date,unsubscribed_at\n"
        "a@example.com,2024-01-01,2025-01-01\n"  # unsubscribed
        "b@example.com,2025-06-01,2025-01-01\n"  # opted in again after
        "c@example.com,2024-01-01,\n",
        encoding="utf-8",
    )
    assert frame(path)["status"].tolist() == ["unsubscribed", "unknown", "unknown"]


def test_provider_forced_on_a_zip_applies_to_its_members(mailchecker):
    import types
    import zipfile

    from mailcheck import ContactFormat, hookimpl

    def contact_format(provider):
        if provider == "acme":
            return ContactFormat("acme", columns={"email": ["Courriel client"]})
        return None

    plugin = types.SimpleNamespace(mailcheck_contact_format=hookimpl(contact_format))
    mailchecker.register(plugin, "acme")
    archive = mailchecker.path / "export-acme.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("list/contacts.csv", "Courriel client\nana@example.com\n")
    [doc] = mailchecker.read_contacts(archive, providers={"export-*.zip": "acme"})
    assert doc.provider == "acme" and str(doc.provider_reason) == "forced in config"
    assert doc.columns["email"] == "Courriel client"


@pytest.mark.parametrize("archived", [False, True])
def test_fast_path_parses_in_segments_cut_at_record_boundaries(tmp_path, monkeypatch, archived):
    """Tiny parse segments: records with quoted newlines, blank lines and a ``sep=`` line
    straddle the cuts; every record keeps its physical line and values, in CSV and ZIP."""
    import mailcheck.readers.csv.blocks as reader

    monkeypatch.setattr(reader, "BLOCK_BYTES", 211)
    lines, expected = ["sep=;", "email;notes;OPTIN_TIME"], []
    physical = 3
    for i in range(400):
        if i % 9 == 0:
            lines.append(f'u{i}@example.com;"note {i}\nsecond; line";2024-01-02 03:04:05')
            expected.append((physical, f"u{i}@example.com"))
            physical += 2
        else:
            lines.append(f"u{i}@example.com;n{i};")
            expected.append((physical, f"u{i}@example.com"))
            physical += 1
        if i % 50 == 49:
            lines.append("")  # a blank line is no record
            physical += 1
    path = tmp_path / "segments.csv"
    path.write_text("\n".join(lines), encoding="utf-8")  # no final newline
    if archived:
        zipped = tmp_path / "segments.zip"
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(path, "segments.csv")
        path = zipped
    (doc,) = read(path)
    chunks = list(doc.chunks())
    assert doc.read_report.fast_path and len(chunks) > 10
    rows = pd.concat(chunks, ignore_index=True)
    assert list(zip(rows["line"], rows["email"], strict=True)) == expected
    dated = rows["consent_at"].notna()
    assert dated.tolist() == [i % 9 == 0 for i in range(400)]
    assert rows.loc[0, "consent_at"] == pd.Timestamp("2024-01-02 03:04:05")


def test_domain_is_what_follows_the_last_at_sign():
    import pyarrow as pa

    from mailcheck.readers.csv.strings import domain_of

    values = ["a@b.fr", "", "x", "a@@b", "@", "a@", "é@ü.de", "a@b@c"]
    assert domain_of(pa.array(values)).to_pylist() == ["b.fr", "", "x", "b", "", "", "ü.de", "c"]
    # A quoted newline inside the address: as the regex ^.*@ always did.
    assert domain_of(pa.array(["ab\ncd@x", "a@b"])).to_pylist() == ["ab\ncd@x", "b"]


def test_hash_strings_is_per_value_whatever_the_layout():
    import numpy as np
    import pyarrow as pa

    from mailcheck.readers.csv.hashing import hash_strings

    values = ["", "a", "ab", "abcdefgh", "abcdefghi", "x" * 64, "x" * 65, "x" * 300, "é@ü.de"]
    values += [f"user{i}@example.com" for i in range(5000)]
    hashes = hash_strings(pa.array(values))
    assert len(set(hashes.tolist())) == len(values)
    array = pa.array(["z", *values])
    assert (hash_strings(array.slice(1)) == hashes).all()
    chunked = pa.chunked_array([pa.array(values[:7]), pa.array(values[7:])])
    assert (hash_strings(chunked) == hashes).all()
    assert hash_strings(pa.array(["x" * 300, None, ""])).tolist() == [
        hashes[7],
        hashes[0],
        hashes[0],
    ]
    assert hash_strings(pa.array([], pa.string())).dtype == np.uint64


def test_scan_lines_survive_a_field_of_300_lines_and_slice_across_blocks(tmp_path):
    long_note = "\n".join(f"l{i}" for i in range(300))
    lines = ["email,notes", "a@example.com,x", f'b@example.com,"{long_note}"', "c@example.com,y"]
    lines += [f"u{i}@example.com,n{i}" for i in range(500)]
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scan = scan_records(lambda: path.open("rb"), ",", block=997)
    expected = [2, 3, 303, *range(304, 804)]
    assert scan.count == 503 and scan.lines.tolist() == expected
    assert any(steps.dtype != np.uint8 for _, _, steps in scan.blocks)  # the 300-line step
    for start, stop in [(0, 1), (1, 3), (2, 250), (100, 503), (490, 600), (503, 503)]:
        assert scan.take(start, stop).tolist() == expected[start:stop]
    assert frame(path)["line"].tolist() == expected


def test_iso_dates_parsed_by_the_parser_and_other_formats_fall_back_per_column(
    tmp_path, monkeypatch
):
    """Year-first date columns are converted by pyarrow's ISO 8601 reader; a column that
    turns out to hold another format (here ``Z`` times and a day-first date, far down the
    file) is read as text with the explicit formats from that segment on, and both give
    the same dates the explicit formats would."""
    import mailcheck.readers.csv.blocks as reader

    monkeypatch.setattr(reader, "BLOCK_BYTES", 300)
    rows = ["Email,OPTIN_TIME,LAST_CHANGED,Last Click"]
    for i in range(60):
        click = "2025-01-02T03:04:05Z" if i == 45 else ("05/01/2025" if i == 50 else "")
        rows.append(f"u{i}@example.com,2024-10-03 18:51:{i:02d},2024-10-04,{click}")
    path = tmp_path / "members.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (doc,) = read(path)
    assert doc.reader_plan.iso_date_indices == {1, 3}
    result = pd.concat(list(doc.chunks()), ignore_index=True)
    assert doc.read_report.fast_path and len(result) == 60
    assert str(result["consent_at"].dtype) == "datetime64[s]"
    assert result.loc[59, "consent_at"] == pd.Timestamp("2024-10-03 18:51:59")
    clicks = result["last_activity_at"]
    assert clicks[45] == pd.Timestamp("2025-01-02 03:04:05")
    assert clicks[50] == pd.Timestamp("2025-01-05")  # day first
    assert clicks.notna().sum() == 2


@pytest.mark.parametrize("oddity", ['Jean "JJ" Dupont', "ragged,extra,fields"])
def test_a_late_oddity_hands_over_to_the_exact_reader_without_losing_a_row(
    tmp_path, monkeypatch, oddity
):
    """Blocks are parsed as they are read: a stray quote or a ragged row far down the
    file stops the fast path there, and the exact reader goes on from the first record
    not yet delivered -- every record once, on its line, with its values."""
    import mailcheck.readers.csv.blocks as reader

    monkeypatch.setattr(reader, "BLOCK_BYTES", 256)
    notes = ['"two\nlines"' if i % 10 == 3 else f"n{i}" for i in range(120)]
    names = [oddity if i == 100 else f"name {i}" for i in range(120)]
    text = "email,name,notes\n" + "".join(
        f"u{i}@example.com,{names[i]},{notes[i]}\n" for i in range(120)
    )
    path = tmp_path / "late.csv"
    path.write_text(text, encoding="utf-8")
    (doc,) = read(path)
    chunks = list(doc.chunks())
    rows = pd.concat(chunks, ignore_index=True)
    assert not doc.read_report.fast_path and len(chunks) > 5  # fast blocks, then the exact path
    expected = _reference_records(text, ",")
    assert len(expected) == 120 and expected[-1][0] == 133
    assert list(zip(rows["line"], rows["email"], strict=True)) == expected
    assert doc.row_count == 120


def test_not_subscribed_words_are_not_read_as_subscribed(tmp_path):
    """ "non abonnés" holds "abonnés": the never-opted-in words (singular or plural) are
    checked first, in a status column and in a file name alike."""
    path = tmp_path / "liste.csv"
    path.write_text(
        "Email;Statut\n"
        "a@example.fr;abonnés\n"
        "b@example.fr;non abonnés\n"
        "c@example.fr;Non inscrite\n"
        "d@example.fr;désabonnés\n",
        encoding="utf-8",
    )
    assert frame(path)["status"].tolist() == ["subscribed", "unknown", "unknown", "unsubscribed"]
    named = tmp_path / "contacts-non-abonnes.csv"
    named.write_text("Email\ne@example.fr\n", encoding="utf-8")
    assert frame(named)["status"].tolist() == ["unknown"]


@pytest.mark.parametrize(
    ("header", "subscribed", "unsubscribed"),
    [
        (["Correo electrónico", "Estado", "Fecha de alta"], "suscrito", "dado de baja"),
        (["Indirizzo email", "Stato", "Data di iscrizione"], "iscritto", "disiscritto"),
        (["Endereço de e-mail", "Situação", "Data de inscrição"], "inscrito", "descadastrado"),
    ],
)
def test_spanish_italian_portuguese_status_columns(tmp_path, header, subscribed, unsubscribed):
    path = tmp_path / "contactos.csv"
    path.write_text(
        ";".join(header)
        + f"\na@example.es;{subscribed};02/04/2025\nb@example.es;{unsubscribed};02/04/2016\n",
        encoding="utf-8",
    )
    (doc,) = read(path)
    assert doc.columns["status"] == header[1]
    assert frame(path)["status"].tolist() == ["subscribed", "unsubscribed"]


def test_constant_contact_permission_status(tmp_path):
    """Constant Contact's "Email permission status": implied and express permission are
    sent to, "No permissions set" never opted in. The same column says the legal basis:
    implied permission is implied consent (customer), express permission consent."""
    path = tmp_path / "contacts_export.csv"
    path.write_text(
        "Email address,First name,Email permission status,Email update source,Created At\n"
        "a@example.com,Ann,Implicit,Account,2024-08-19T10:00:00Z\n"
        "b@example.com,Bob,Explicit,Contact,2024-09-13T10:00:00Z\n"
        "c@example.com,Cy,Unsubscribed,Contact,2019-09-13T10:00:00Z\n"
        "d@example.com,Di,Awaiting confirmation,Contact,2025-01-02T10:00:00Z\n"
        "e@example.com,Ed,No Permissions Set,Account,2025-01-02T10:00:00Z\n"
        "f@example.com,Flo,Implied permission,Account,2025-01-02T10:00:00Z\n",
        encoding="utf-8",
    )
    (doc,) = read(path)
    assert doc.columns["status"] == "Email permission status"
    assert frame(path)["status"].tolist() == [
        "subscribed",
        "subscribed",
        "unsubscribed",
        "pending",
        "unknown",
        "subscribed",
    ]
    assert doc.columns["legal_basis"] == "Email permission status"
    assert frame(path)["legal_basis"].tolist() == [
        "customer",
        "consent",
        "unknown",
        "unknown",
        "unknown",
        "customer",
    ]


def test_a_header_serves_one_column_unless_listed_under_both(tmp_path):
    """A "Status" is a status only, and a "Legal basis" column keeps the basis even beside
    a permission status (listed under both)."""
    path = tmp_path / "contacts.csv"
    path.write_text(
        "Email,Status,Email permission status,Legal basis\n"
        "a@example.com,subscribed,Implicit,consent\n",
        encoding="utf-8",
    )
    (doc,) = read(path)
    assert doc.columns["status"] == "Status"
    assert doc.columns["legal_basis"] == "Legal basis"
    assert frame(path)["legal_basis"].tolist() == ["consent"]


def test_aweber_stop_time_is_an_unsubscribe_that_outweighs_a_stale_status(tmp_path):
    """AWeber's "Stop Time" is the date the subscriber stopped, "Stop Status" why: a row
    whose status still says subscribed but that stopped after its last opt-in is
    unsubscribed; one that signed up again after stopping is subscribed."""
    path = tmp_path / "subscribers.csv"
    path.write_text(
        "Email,Name,Subscribe Date,IP Address,Status,Stop Time,Stop Status\n"
        "alice@example.com,A,2025-03-01 10:00:00,203.0.113.5,subscribed,,\n"
        "carol@example.com,C,2024-02-02 10:00:00,203.0.113.5,unsubscribed,2025-05-01,"
        "Unsubscribed\n"
        "eve@example.com,E,2024-06-01 10:00:00,203.0.113.5,subscribed,2025-05-01,\n"
        "fay@example.com,F,2025-09-01 10:00:00,203.0.113.5,subscribed,2025-05-01,\n",
        encoding="utf-8",
    )
    (doc,) = read(path)
    assert (doc.columns["unsubscribed_at"], doc.columns["suppression_reason"]) == (
        "Stop Time",
        "Stop Status",
    )
    assert frame(path)["status"].tolist() == [
        "subscribed",
        "unsubscribed",
        "unsubscribed",
        "subscribed",
    ]


def test_estado_holding_a_region_is_no_status(tmp_path):
    # a Mexican export where "Estado" is the state of the address: read as an empty status
    path = tmp_path / "clientes.csv"
    path.write_text("Correo electrónico;Estado\na@example.mx;Jalisco\n", encoding="utf-8")
    assert frame(path)["status"].tolist() == ["unknown"]


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("Fecha de suscripción", "consent_at"),
        ("Data iscrizione", "consent_at"),
        ("Datum der Anmeldung", "consent_at"),
        ("Date d'opt-in", "consent_at"),
        ("Fecha de registro", "created_at"),  # an account, not necessarily a consent
        ("Registrierungsdatum", "created_at"),
        ("Data registrazione", "created_at"),
        ("Fuente", "consent_source"),
        ("Source de l'inscription", "consent_source"),
        ("IP d'inscription", "consent_ip"),
        ("Ultimo click", "last_activity_at"),
        ("Date du dernier clic", "last_activity_at"),
        ("Date du dernier achat", "last_purchase_at"),
        ("Data di disiscrizione", "unsubscribed_at"),
        # English names of CRM and ESP exports no plugin claims
        ("Date Created", "created_at"),
        ("Created On", "created_at"),
        ("Date Subscribed", "consent_at"),
        ("Optin Timestamp", "consent_at"),
        ("Opt-in IP", "consent_ip"),
        ("Last Click Date", "last_activity_at"),
        ("Date Unsubscribed", "unsubscribed_at"),
        ("Do Not Email", "opted_out"),
        ("Subscriber Status", "status"),
    ],
)
def test_more_localised_column_names(tmp_path, source, canonical):
    path = tmp_path / "liste.csv"
    path.write_text(f"Email;{source};Nom\na@example.fr;x;Martin\n", encoding="utf-8")
    (doc,) = read(path)
    assert doc.columns == {"email": "Email", canonical: source}  # "Nom" stays unused


def test_do_not_email_flag_is_an_opt_out(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "Email,Do Not Email,Date Created\n"
        "a@example.com,true,2025-01-01\nb@example.com,false,2016-01-01\n",
        encoding="utf-8",
    )
    rows = frame(path)
    assert rows["status"].tolist() == ["unsubscribed", "unknown"]  # false: no opt-out
    assert rows["created_at"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2016-01-01")]


def test_excel_unicode_text_utf16_tab_with_whitespace_only_line(tmp_path):
    # Excel's "Unicode text" export (UTF-16 LE with BOM, tabs, CRLF) renamed .csv; a
    # whitespace-only line in the middle and no newline after the last record
    text = (
        "\ufeffAdresse e-mail\tStatut\tDate d'inscription\r\n"
        "  ÉLODIE@EXAMPLE.FR \tabonné\t05/04/2025\r\n"
        "   \t \r\n"
        "marc@example.fr\tdésabonné\t06/04/2016"
    )
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-16-le"))
    (doc,) = read(path)
    assert doc.encoding.startswith("utf-16") and doc.delimiter == "\t"
    rows = frame(path)
    rows = rows[rows["email_key"] != ""]  # the whitespace-only line holds a tab: an empty row
    assert rows["line"].tolist() == [2, 4]
    assert rows["email_key"].tolist() == ["élodie@example.fr", "marc@example.fr"]
    assert rows["status"].tolist() == ["subscribed", "unsubscribed"]
    assert rows["consent_at"].tolist() == [pd.Timestamp("2025-04-05"), pd.Timestamp("2016-04-06")]


@pytest.mark.parametrize("fast", [True, False])
def test_old_mac_line_ends_are_read_with_exact_lines(tmp_path, monkeypatch, fast):
    """Excel's "CSV (Macintosh)" ends lines with a bare CR, a ``sep=`` line included; a
    quoted CR stays in its field. Read by the fast path and by the exact one alike."""
    import mailcheck.readers.csv.blocks as reader

    if not fast:
        monkeypatch.setattr(reader, "_fast_path_possible", lambda encoding: False)
    path = tmp_path / "mac.csv"
    path.write_bytes(
        b'sep=;\remail;notes\ra@example.com;A\rb@example;B\r"c@x.fr";"multi\rline"\rd@x.fr;D'
    )
    rows = frame(path)
    assert rows["line"].tolist() == [3, 4, 5, 7]
    assert rows["email"].tolist() == ["a@example.com", "b@example", "c@x.fr", "d@x.fr"]


def test_zip_readme_is_not_a_contact_list(tmp_path):
    """An export ZIP's README.txt is not read as a list (no "no e-mail column" noise in
    inspect); a .txt member that starts with a CSV header is."""
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export/README.txt", "Export of 2026-11-20.\nColumns: see the help.\n")
        archive.writestr("export/subscribers.csv", "Email,Status\na@example.com,subscribed\n")
        archive.writestr("export/unsubscribed.txt", "E-mail\tStatut\nb@example.com\tdésinscrit\n")
    docs = read(path)
    assert [doc.display_path.rsplit("/", 1)[-1] for doc in docs] == [
        "subscribers.csv",
        "unsubscribed.txt",
    ]


def test_excel_ms_dos_csv_is_read_as_cp850(tmp_path):
    """Excel's "CSV (MS-DOS)" writes cp850: "é" is the byte Windows-1252 reads as "‚",
    so a cp1252 reading would leave "désinscrit" and "fichier acheté" unrecognised."""
    text = (
        "Adresse e-mail;Prénom;Date d'inscription;Source;Statut\r\n"
        "lea@example.fr;Léa;12/03/2024;fichier acheté;désinscrit\r\n"
        'marc@example.fr;"Marc\r\nAndré";13/03/2024;formulaire;abonné\r\n'
        "zoe@exemple.fr;Zoé;14/03/2024;salon à Paris;abonnée\r\n"
    )
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp850"))
    (doc,) = read(path)
    rows = pd.concat(list(doc.chunks()), ignore_index=True)
    assert doc.encoding == "cp850" and doc.read_report.fast_path
    assert rows["status"].tolist() == ["unsubscribed", "subscribed", "subscribed"]
    assert rows["consent_source"].tolist()[0] == "fichier acheté"
    assert rows["line"].tolist() == [2, 3, 5]
    # and a Windows-1252 export stays Windows-1252
    path.write_bytes(text.encode("cp1252"))
    assert read(path)[0].encoding == "cp1252"


def _reference_records(text: str, delimiter: str) -> list[tuple[int, str]]:
    """(start line, first field) of each non-empty record, by Python's csv module, which
    counts physical lines as editors do (``\\n``, ``\\r\\n`` and a lone ``\\r``)."""
    records, previous, header = [], 0, None
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for record in rows:
        start, previous = previous + 1, rows.line_num
        if header is None:
            header = record
        elif record and not (len(record) == 1 and not record[0].strip()):
            records.append((start, record[0].strip()))
    return records


def _random_export(rng: random.Random) -> tuple[str, str]:
    delimiter = rng.choice([",", ";", "\t"])
    newline = rng.choice(["\n", "\r\n", "\r"])
    quoted = ["q", "two\nlines", "with, comma", 'say ""hi""', "3\n\nlines", "cr\r\nlf", "lone\rcr"]
    others = rng.choice([0, 2, 2])  # a one-column export now and then
    if not others:
        delimiter = ","  # nothing to sniff in a one-column header: the reader takes ","
    lines = [delimiter.join(["email", "notes", "other"][: others + 1])]
    for i in range(rng.randint(0, 40)):
        if rng.random() < 0.08:  # blank or whitespace-only line, short or long
            lines.append(rng.choice(["", "  ", " " * 20, " \t" * 12]))
            continue
        fields = [rng.choice(["", "", "  ", " \t" * 10]) + f"u{i}@example.com"]
        for _ in range(others):
            roll = rng.random()
            if roll < 0.6:
                fields.append(rng.choice(["a", "b c", "", "é", "Zoë"]))
            elif roll < 0.85:
                fields.append('"' + rng.choice(quoted) + '"')
            else:
                fields.append(rng.choice(["", "z", 'Jean "JJ" D', "a" + delimiter + "b"]))
        lines.append(delimiter.join(fields))
    if rng.random() < 0.1:  # a last line of spaces, without a final newline
        return newline.join(lines) + newline + rng.choice([" ", " " * 30]), delimiter
    return newline.join(lines) + (newline if rng.random() < 0.7 else ""), delimiter


def test_random_exports_agree_with_pythons_csv_module(tmp_path, monkeypatch):
    """Differential test of the fast reader (block scan, cuts, pyarrow segments, fallback
    to the exact path) against Python's csv module on 150 random exports: line ends
    LF / CRLF / CR, quoted newlines, blank and whitespace-only lines (long ones too, and
    a last one without a final newline), values padded with spaces, one-column files,
    stray quotes, ragged rows, no final newline, blocks down to 7 bytes."""
    import mailcheck.readers.csv.blocks as reader

    rng = random.Random(20261122)
    path = tmp_path / "random.csv"
    for case in range(150):
        text, delimiter = _random_export(rng)
        path.write_bytes(text.encode("utf-8"))
        monkeypatch.setattr(reader, "BLOCK_BYTES", rng.choice([7, 16, 33, 128, 1 << 20]))
        (doc,) = read(path)
        chunks = list(doc.chunks())
        rows = pd.concat(chunks) if chunks else pd.DataFrame({"line": [], "email": []})
        expected = _reference_records(text, delimiter)
        assert list(zip(rows["line"], rows["email"], strict=True)) == expected, (case, text)
        (doc,) = read(path)
        assert doc.count_rows() == len(expected), (case, text)


@pytest.mark.parametrize("fast", [True, False])
def test_a_field_of_megabytes_is_read(tmp_path, monkeypatch, fast):
    """A notes field of 2 MB: longer than pyarrow's parse block (1 MB) and than Python's
    csv field limit (128 KiB); both readers take it, lines stay exact."""
    import mailcheck.readers.csv.blocks as reader

    if not fast:
        monkeypatch.setattr(reader, "_fast_path_possible", lambda encoding: False)
    notes = "ligne\n" * 350_000  # 2.1 MB, 350,000 quoted newlines
    path = tmp_path / "notes.csv"
    path.write_text(
        f'email,notes\na@example.com,"{notes}"\nb@example,\n', encoding="utf-8", newline=""
    )
    (doc,) = read(path)
    rows = pd.concat(list(doc.chunks()), ignore_index=True)
    assert doc.read_report.fast_path is fast
    assert rows["line"].tolist() == [2, 350_003]
    assert rows["email"].tolist() == ["a@example.com", "b@example"]


def test_password_protected_member_is_named(tmp_path):
    path = tmp_path / "audience.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("members.csv", "Email\na@example.com\n")
    data = bytearray(path.read_bytes())
    data[6] |= 0x01  # the "encrypted" flag, as `zip -P` sets it (local and central header)
    data[data.rindex(b"PK\x01\x02") + 8] |= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="'members.csv' is encrypted \\(password-protected\\)"):
        read(path)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_undecodable_byte_is_placed_on_its_own_line(tmp_path, newline):
    """The text layer decodes ahead of the csv reader: the error names the line of the
    bad byte itself, found by decoding again (quoted newlines before it counted)."""
    rows = [f"u{i}@example.com,inscrit" for i in range(3000)]
    rows.insert(10, 'note@example.com,"deux\nlignes"')
    text = newline.join(["email,statut", *rows]).encode("utf-8")
    bad = newline.encode() + b"bad\xff@example.com,inscrit" + newline.encode()
    path = tmp_path / "late.csv"
    path.write_bytes(text + bad + b"z@example.com,inscrit")
    (doc,) = read(path)
    with pytest.raises(
        InputError, match="not valid utf-8 near line 3004 "
    ):  # 3,001 rows, one of 2 lines
        list(doc.chunks())


def test_an_os_error_is_said_in_words(tmp_path):
    """The finding already names the file: "permission denied", not "[Errno 13] ..."."""
    from mailcheck.readers.csv.header import open_contact_list

    def opener():
        raise PermissionError(13, "Permission denied", "secret.csv")

    config = Config(root=tmp_path)
    config.pluginmanager = create_plugin_manager(load_entry_points=False)
    with pytest.raises(InputError) as raised:
        open_contact_list(tmp_path / "secret.csv", "secret.csv", config, opener)
    assert str(raised.value) == "permission denied"


def test_line_ends_mixed_within_a_file_keep_exact_lines_at_every_block_size(tmp_path, monkeypatch):
    """``\\n``, ``\\r\\n`` and lone ``\\r`` mixed line by line (quoted ones too), a lone
    ``\\r`` at the very end of a block and a ``\\r\\n`` whose halves fall in two reads:
    the scan counts lines as Python's csv module does, at every block size."""
    import mailcheck.readers.csv.blocks as reader

    rng = random.Random(4)
    path = tmp_path / "mixed.csv"
    for case in range(40):
        lines = ["email,notes"]
        for i in range(rng.randint(1, 25)):
            note = rng.choice(["n", '"a\rb"', '"a\r\nb"', '"a\nb"', '"\r"', ""])
            lines.append(f"u{i}@example.com,{note}")
        ends = [rng.choice(["\n", "\r\n", "\r"]) for _ in lines]
        text = "".join(line + end for line, end in zip(lines, ends, strict=True))
        if rng.random() < 0.3:
            text = text.rstrip("\r\n")
        path.write_bytes(text.encode("utf-8"))
        expected = _reference_records(text, ",")
        for block in (1, 2, 3, 5, 8, 13, 64, 1 << 20):
            scan = scan_records(lambda: path.open("rb"), ",", block=block)
            assert scan.lines.tolist() == [line for line, _ in expected], (case, block, text)
        monkeypatch.setattr(reader, "BLOCK_BYTES", rng.choice([2, 3, 7, 16, 1 << 20]))
        rows = frame(path)
        assert list(zip(rows["line"], rows["email"], strict=True)) == expected, (case, text)


def test_line_breaks_match_a_byte_by_byte_reading():
    """The positions-based ``\\r`` check (counts first, positions only for a lone one)
    against the definition: ``\\n``, and ``\\r`` not followed by ``\\n`` in the block."""
    from mailcheck.readers.csv.blocks import _line_breaks

    rng = random.Random(9)
    for _ in range(3000):
        data = bytes(rng.choice(b'\r\n\rx"') for _ in range(rng.randint(0, 24)))
        expected = [
            i
            for i, byte in enumerate(data)
            if byte == 10 or (byte == 13 and data[i + 1 : i + 2] != b"\n")
        ]
        assert _line_breaks(np.frombuffer(data, np.uint8)).tolist() == expected, data


def test_trim_is_skipped_only_when_nothing_would_be_trimmed():
    """``trim_whitespace`` gives what Arrow's ``utf8_trim_whitespace`` gives, whether it
    trims (spaces, tabs, no-break and other Unicode spaces at either end) or finds it need
    not (printable ASCII ends, a final ``é``, a zero-width space Arrow does not trim)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from mailcheck.readers.csv.strings import trim_whitespace

    pads = ["", "", " ", "\t", "\u00a0", "\u2003", "\u3000", "\u200b", "\r\n", "\x0b"]
    cores = ["a", "André", "é", "", "x y", "ü.de", "@", '"q"', "\u00a0"]
    rng = random.Random(3)
    for _ in range(400):
        values = [
            rng.choice(pads) + rng.choice(cores) + rng.choice(pads)
            if rng.random() < 0.2
            else rng.choice(cores)
            for _ in range(rng.randint(0, 12))
        ]
        array = pa.array(values, pa.string())
        for sliced in (array, array.slice(1), array.slice(0, max(len(array) - 1, 0))):
            assert trim_whitespace(sliced).equals(pc.utf8_trim_whitespace(sliced)), values
    untouched = pa.array(["a@b.fr", "André", "x\u200b"])
    assert trim_whitespace(untouched) is untouched


def test_padded_values_are_trimmed_in_the_frame(tmp_path):
    path = tmp_path / "padded.csv"
    text = "Email,Status,Company\n a@b.fr ,subscribed,\u00a0ACME\u00a0\nc@d.fr,\tpending ,Café\n"
    path.write_text(text, encoding="utf-8")
    rows = frame(path)
    assert rows["email"].tolist() == ["a@b.fr", "c@d.fr"]
    assert rows["email_key"].tolist() == ["a@b.fr", "c@d.fr"]
    assert rows["company"].tolist() == ["ACME", "Café"]
    assert rows["status"].tolist() == ["subscribed", "pending"]


def test_domain_of_agrees_with_the_regex_on_random_values():
    """The split at the last ``@`` (pieces over the same bytes) against ``^.*@``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from mailcheck.readers.csv.strings import domain_of

    rng = random.Random(11)
    for _ in range(500):
        values = ["".join(rng.choice("ab@.é") for _ in range(rng.randint(0, 8)))]
        values += ["".join(rng.choice("ab@.é") for _ in range(rng.randint(0, 8))) for _ in range(9)]
        array = pa.array(values[: rng.randint(1, 10)], pa.string())
        for sliced in (array, array.slice(1)):
            expected = pc.replace_substring_regex(sliced, "^.*@", "")
            assert domain_of(sliced).equals(expected), values


def test_a_date_conversion_error_names_its_column_for_the_serial_parser(tmp_path):
    """pyarrow's single-threaded reader says "In CSV column #3: Row #2: CSV conversion
    error": the column still goes back to text (the segment is not handed over)."""
    path = tmp_path / "members.csv"
    rows = ["Email,OPTIN_TIME"] + [f"u{i}@x.fr,2024-10-03 18:51:00" for i in range(5)]
    rows.append("v@x.fr,03/10/2024")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (doc,) = read(path)
    result = pd.concat(list(doc.chunks()), ignore_index=True)
    assert doc.read_report.fast_path
    assert result["consent_at"].tolist()[-2:] == [
        pd.Timestamp("2024-10-03 18:51:00"),
        pd.Timestamp("2024-10-03"),
    ]


def _role_plugin(role):
    import types

    from mailcheck import ContactFormat, ProviderMatch, hookimpl

    def detect(header):
        return ProviderMatch("acme", 90, "acme report") if "opens" in header else None

    def contact_format(provider):
        return ContactFormat("acme", role=role) if provider == "acme" else None

    return types.SimpleNamespace(
        mailcheck_detect_provider=hookimpl(detect),
        mailcheck_contact_format=hookimpl(contact_format),
    )


def test_a_plugin_may_say_what_the_file_is_and_config_still_wins(mailchecker):
    mailchecker.register(_role_plugin("send-log"), "acme")
    path = mailchecker.make_csv("rapport.csv", "email,opens\nana@example.com,3\n")
    [doc] = mailchecker.read_contacts(path)
    assert (doc.role, str(doc.role_reason)) == ("send-log", "acme export layout")
    [doc] = mailchecker.read_contacts(path, contact_roles={"rapport.csv": "audience"})
    assert (doc.role, str(doc.role_reason)) == (
        "audience",
        "forced in config (contact-roles)",
    )


def test_a_plugin_role_that_is_no_role_makes_the_file_unreadable(mailchecker):
    mailchecker.register(_role_plugin("report"), "acme")
    mailchecker.make_csv("rapport.csv", "email,opens\nana@example.com,3\n")
    run = mailchecker.run("rapport.csv")
    (finding,) = run.findings
    assert finding["code"] == "MC900"
    assert finding["message"] == (
        "cannot read: the acme plugin gives the role 'report', not one of "
        "audience, send-list, suppression, send-log"
    )


def test_accepts_email_marketing_gives_the_status_when_no_column_does(tmp_path):
    # A Shopify customers export: "no" is a customer who never opted in (not mailed),
    # "yes" a subscriber, an empty cell says nothing.
    path = tmp_path / "customers_export.csv"
    path.write_text(
        "Customer ID,First Name,Email,Accepts Email Marketing,Total Orders\n"
        "1001,Léa,lea@example.fr,yes,3\n"
        "1002,Paul,paul@example.fr,no,1\n"
        "1003,Ana,ana@example.fr,,0\n",
        encoding="utf-8",
    )
    chunk = frame(path)
    assert chunk["status"].tolist() == ["subscribed", "nonsubscribed", "unknown"]
    # kept beside the status: a campaign reads a "no" even where a status says subscribed
    assert chunk["accepts_marketing"].tolist() == ["yes", "no", ""]


def test_a_status_column_wins_over_accepts_marketing(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text(
        "email,status,accepts marketing\n"
        "a@example.fr,unsubscribed,yes\n"
        "b@example.fr,subscribed,no\n",
        encoding="utf-8",
    )
    assert frame(path)["status"].tolist() == ["unsubscribed", "subscribed"]


# -- silent wrong results: runaway quotes, no header row, UTF-16 without BOM, .csv.gz ------

FR_HEADER = "Adresse e-mail;Prénom;Nom;Date d'inscription;Statut"


def _fr_rows(count: int, first: int = 0) -> list[str]:
    """French Excel rows: every third contact opted in in 2015 (stale on 2026-01-01)."""
    return [
        f"contact{i}@exemple.fr;Prénom{i};Nom{i};"
        f"{'01/03/2015' if i % 3 == 0 else '05/01/2025'};"
        f"{'désabonné' if i % 10 == 9 else 'abonné'}"
        for i in range(first, first + count)
    ]


def _stale_lines(rows: list[str], first_line: int) -> list[int]:
    """Lines of the subscribed contacts opted in in 2015 (MC203's findings)."""
    return [
        first_line + n for n, row in enumerate(rows) if "2015" in row and "désabonné" not in row
    ]


def _write_cp1252(mailchecker, name: str, lines: list[str]) -> Path:
    return mailchecker.make_file(name, "\r\n".join(lines) + "\r\n", encoding="cp1252")


@pytest.mark.parametrize(
    "runaway",
    [
        '"marie.dupont@exemple.fr;Marie;Dupont;05/01/2025;abonné',  # opens the first field
        'marie.dupont@exemple.fr;"Marie;Dupont;05/01/2025;abonné',  # opens the second
    ],
)
def test_a_quote_that_never_closes_is_reported_and_the_rows_it_swallowed_are_checked(
    mailchecker, runaway
):
    rows = _fr_rows(300)
    _write_cp1252(mailchecker, "export-excel.csv", [FR_HEADER, runaway, *rows])
    mailchecker.make_csv("good.csv", "email,consent_date\nvieux@example.com,2015-03-01\n")
    run = mailchecker.run(".", "--select", "MC203,MC905", "--today", "2026-01-01")
    (finding,) = [f for f in run.findings if f["code"] == "MC905"]
    assert finding["path"] == "export-excel.csv" and finding["line"] == 2
    expected = "quote opened on line 2 never closes: lines 3 to 302 (the end of the file)"
    assert expected in finding["message"]
    assert "not as 300 contacts" in finding["message"]
    assert run.lines("MC203", "export-excel.csv") == _stale_lines(rows, 3)
    assert run.lines("MC203", "good.csv") == [2]
    assert "Traceback" not in run.stderr


def test_the_runaway_ends_at_the_next_quote_and_the_rows_after_it_are_read(mailchecker):
    rows = _fr_rows(60)
    rows[40] = 'martin@exemple.fr;"Jean; dit Jeannot";Martin;01/03/2015;abonné'  # line 44
    lines = [FR_HEADER, "zoe@exemple.fr;Zoé;Leroy;05/01/2025;abonné"]
    lines += ['"marie.dupont@exemple.fr;Marie;Dupont;05/01/2025;abonné', *rows]  # line 3
    path = _write_cp1252(mailchecker, "liste.csv", lines)
    run = mailchecker.run("liste.csv", "--select", "MC203,MC905", "--today", "2026-01-01")
    (finding,) = [f for f in run.findings if f["code"] == "MC905"]
    assert finding["line"] == 3
    assert "lines 4 to 44 would be read as one field" in finding["message"]
    assert "not as 41 contacts" in finding["message"]
    assert run.lines("MC203") == _stale_lines(rows, 4)
    (doc,) = read(path)
    table = pd.concat(list(doc.chunks()), ignore_index=True)
    assert table["line"].tolist() == list(range(2, 64))
    assert table.loc[1, "email"] == '"marie.dupont@exemple.fr'  # the quote taken literally


def test_a_runaway_after_the_fast_path_started_loses_and_repeats_no_row(tmp_path, monkeypatch):
    import mailcheck.readers.csv.blocks as reader

    monkeypatch.setattr(reader, "BLOCK_BYTES", 512)  # many blocks parsed before the quote
    rows = _fr_rows(200)
    rows[120] = '"' + rows[120]  # line 122
    path = tmp_path / "export.csv"
    path.write_bytes(("\n".join([FR_HEADER, *rows]) + "\n").encode("cp1252"))
    (doc,) = read(path)
    table = pd.concat(list(doc.chunks()), ignore_index=True)
    assert table["line"].tolist() == list(range(2, 202))
    assert table["email"].tolist()[119:122] == [
        "contact119@exemple.fr",
        '"contact120@exemple.fr',
        "contact121@exemple.fr",
    ]
    runaway = doc.read_report.runaway_quotes
    assert (runaway.line, runaway.swallowed, runaway.closed) == (122, 79, False)
    assert doc.count_rows() == 200  # inspect counts what lint reads


def test_multi_line_notes_are_no_runaway(tmp_path):
    """Notes over several lines, one of them quoting an address after a `;`: read as
    the one field they are, on the fast path when no line could pass for a row."""
    header = "Prénom;Notes;Adresse e-mail;Statut"
    lines = [
        header,
        'Jeanne;"Rappeler mardi\nvoir aussi; paul.durand@exemple.fr\nfin";jeanne@exemple.fr;abonné',
        'Hugo;"Client fidèle\nà relancer";hugo@exemple.fr;abonné',
        "Léa;;lea@exemple.fr;désabonné",
    ]
    path = tmp_path / "crm.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    (doc,) = read(path)
    table = pd.concat(list(doc.chunks()), ignore_index=True)
    assert table["line"].tolist() == [2, 5, 7]
    assert table["email"].tolist() == ["jeanne@exemple.fr", "hugo@exemple.fr", "lea@exemple.fr"]
    assert doc.read_report.runaway_quotes is None
    path.write_bytes(("\r\n".join([header, *lines[2:]]) + "\r\n").encode("cp1252"))
    (doc,) = read(path)
    assert len(pd.concat(list(doc.chunks()))) == 2 and doc.read_report.fast_path


HEADERLESS = [
    "info@exemple.fr;Service;Client;05/01/2025;abonné",  # a role address, on line 1
    "jean.martin@exemple.fr;Jean;Martin;01/03/2015;abonné",
    "marie.dupont@exemple.fr;Marie;Dupont;05/01/2024;désabonné",
    "jean.martin@exemple.fr;Jean;Martin;01/03/2015;abonné",
]


def test_a_list_without_its_header_row_is_read_by_values_and_said(mailchecker):
    _write_cp1252(mailchecker, "sans-entete.csv", HEADERLESS)
    run = mailchecker.run(".", "--select", "MC215,MC218,MC906")
    (finding,) = [f for f in run.findings if f["code"] == "MC906"]
    assert finding["line"] == 1 and finding["severity"] == "warning"
    assert "email in column 1, status in column 5" in finding["message"]
    assert "column 2, column 3, column 4 not read" in finding["message"]
    assert run.lines("MC215") == [1]  # the first row is a contact, linted as one
    assert 4 in run.lines("MC218")
    concise = mailchecker.run("sans-entete.csv", "--output-format", "concise")
    assert "All checks passed" not in concise.output and "MC906" in concise.output


@pytest.mark.parametrize("exact", [False, True])
def test_headerless_rows_keep_their_lines_on_both_paths(tmp_path, exact):
    lines = list(HEADERLESS)
    if exact:  # a quote inside a field sends the file to the exact reader
        lines[2] = lines[2].replace("Marie", 'Marie "Mimi"')
    path = tmp_path / "export.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    (doc,) = read(path)
    table = pd.concat(list(doc.chunks()), ignore_index=True)
    assert doc.read_report.fast_path is not exact
    assert doc.header == [f"column {i}" for i in range(1, 6)]
    assert doc.columns == {"email": "column 1", "status": "column 5"}
    assert table["line"].tolist() == [1, 2, 3, 4]
    assert table["status"].tolist() == ["subscribed", "subscribed", "unsubscribed", "subscribed"]
    assert doc.count_rows() == 4


def test_inspect_of_a_headerless_list_shows_no_address(mailchecker):
    from click.testing import CliRunner

    from mailcheck import cli

    _write_cp1252(mailchecker, "sans-entete.csv", HEADERLESS)
    result = CliRunner().invoke(cli.main, ["inspect", "sans-entete.csv"])
    assert "email    <- column 1" in result.stdout and "rows: 4" in result.stdout
    assert "@" not in result.stdout


def test_a_header_row_is_not_taken_for_data(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes("E-mail;Prénom\njean@exemple.fr;Jean\n".encode("cp1252"))
    (doc,) = read(path)
    assert doc.headerless is None and doc.header == ["E-mail", "Prénom"]


UNICODE_TEXT = (
    "Adresse e-mail\tPrénom\tNom\tDate d'inscription\tStatut\r\n"
    "jean.martin@exemple.fr\tJean\tMartin\t01/03/2015\tabonné\r\n"
    'zoe.leroy@exemple.fr\t"Zoé\r\nClaire"\tLeroy\t05/01/2025\tabonné\r\n'
    "luc.perrin@exemple.fr\tLuc\tŒuvrard\t01/03/2015\tabonné\r\n"
    "lea.roux@exemple.fr\tLéa\tRoux\t01/03/2015\tdésabonné\r\n"
)


@pytest.mark.parametrize(
    ("name", "encoding"), [("export-unicode.txt", "utf-16-le"), ("export.csv", "utf-16-be")]
)
def test_utf16_without_bom_is_read_end_to_end(mailchecker, name, encoding):
    mailchecker.make_file(name, UNICODE_TEXT.encode(encoding))
    mailchecker.make_file("binaire.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    run = lint_folder(mailchecker)
    assert run.lines("MC203", name) == [2, 5]  # the record at line 3 spans two lines
    assert not [f for f in run.findings if f["code"] == "MC900" and f["path"] == name]
    (refused,) = [f for f in run.findings if f["code"] == "MC900"]
    assert refused["path"] == "binaire.csv" and "binary data" in refused["message"]


def lint_folder(mailchecker, *extra: str):
    """Lint the folder with a good list beside; no traceback, no input changed."""
    mailchecker.make_csv("good.csv", "email,consent_date\nvieux@example.com,2015-03-01\n")
    before = {p: p.read_bytes() for p in mailchecker.path.rglob("*") if p.is_file()}
    run = mailchecker.run(".", "--select", "MC203,MC9", "--today", "2026-01-01", *extra)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert run.lines("MC203", "good.csv") == [2], run.stderr
    assert {p: p.read_bytes() for p in mailchecker.path.rglob("*") if p.is_file()} == before
    return run


def test_gzip_compressed_lists_are_read_and_other_gz_files_said_skipped(mailchecker):
    import gzip

    rows = _fr_rows(30)
    french = ("\r\n".join([FR_HEADER, *rows]) + "\r\n").encode("cp1252")
    mailchecker.make_file("exports/liste.csv.gz", gzip.compress(french))
    mailchecker.make_file("exports/abonnes.tsv.gz", gzip.compress(UNICODE_TEXT.encode()))
    mailchecker.make_file("exports/clients.txt.gz", gzip.compress(french))
    mailchecker.make_file("exports/lisez-moi.txt.gz", gzip.compress(b"Export du 05/01/2026\n"))
    mailchecker.make_file("exports/page.html.gz", gzip.compress(b"<p>Bonjour</p>"))
    whole = gzip.compress(french * 20)
    mailchecker.make_file("exports/coupe.csv.gz", whole[: len(whole) // 2])
    run = lint_folder(mailchecker)
    assert run.lines("MC203", "exports/liste.csv.gz") == _stale_lines(rows, 2)
    assert run.lines("MC203", "exports/clients.txt.gz") == _stale_lines(rows, 2)
    assert run.lines("MC203", "exports/abonnes.tsv.gz") == [2, 5]
    (broken,) = [f for f in run.findings if f["code"] == "MC900"]
    assert broken["path"] == "exports/coupe.csv.gz" and "truncated" in broken["message"]
    stderr = run.stderr.splitlines()
    assert [line for line in stderr if "coupe.csv.gz" in line] == [
        f"mailcheck: warning: exports/coupe.csv.gz: {broken['message']}"
    ]
    for skipped in ("exports/lisez-moi.txt.gz", "exports/page.html.gz"):
        assert [line for line in stderr if skipped in line] == [
            f"mailcheck: warning: {skipped}: skipped: not a contact list, template, form or message"
        ]


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ("", "limits.max-compression-ratio"),
        ('[limits]\nmax-uncompressed-size = "512 KiB"\n', "limits.max-uncompressed-size"),
        ('[limits]\nmax-list-size = "1 KiB"\n', "limits.max-list-size"),
    ],
)
def test_a_gzip_bomb_is_stopped_by_the_limit_it_passes(mailchecker, config, key):
    import gzip

    if config:
        mailchecker.make_config(config)
    padding = b"x" * (2 << 20)  # 2 MiB of one letter: about 2 KiB once compressed
    body = f"{FR_HEADER}\r\ncontact@exemple.fr;".encode() + padding + b";;;\r\n"
    mailchecker.make_file("bombe.csv.gz", gzip.compress(body, 9))
    run = lint_folder(mailchecker)
    (finding,) = [f for f in run.findings if f["code"] == "MC900"]
    assert finding["path"] == "bombe.csv.gz" and f"({key} raises it" in finding["message"]


# -- limits.max-record-size: a record (or the header) is never held past the limit ----------

SMALL_RECORDS = '[limits]\nmax-record-size = "64 KiB"\n'


def _too_long(line: int, what: str = "a record") -> str:
    return (
        f"line {line}: {what} longer than 64 KiB (a file without line breaks, or a quote "
        "that never closes?); limits.max-record-size raises it"
    )


def _refused(run, name: str) -> str:
    """The one MC900 of ``name``, said in one warning line naming the file."""
    (finding,) = [f for f in run.findings if f["code"] == "MC900"]
    assert finding["path"] == name
    assert [line for line in run.stderr.splitlines() if name in line] == [
        f"mailcheck: warning: {name}: {finding['message']}"
    ]
    return finding["message"]


@pytest.mark.parametrize("exact", [False, True])
def test_a_record_past_the_limit_mid_file_is_refused_with_its_line(mailchecker, monkeypatch, exact):
    import mailcheck.readers.csv.blocks as reader

    if exact:
        monkeypatch.setattr(reader, "_fast_path_possible", lambda encoding: False)
    mailchecker.make_config(SMALL_RECORDS)
    rows = _fr_rows(80)
    rows[50] += ";" + "Cliente fidèle depuis 2012. " * 2500  # 70 KB of notes, on line 52
    _write_cp1252(mailchecker, "export-excel.csv", [FR_HEADER, *rows])
    run = lint_folder(mailchecker)
    assert _refused(run, "export-excel.csv") == f"cannot read: {_too_long(52)}"
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("exact", [False, True])
def test_a_record_just_under_the_limit_is_read_on_both_paths(mailchecker, monkeypatch, exact):
    import mailcheck.readers.csv.blocks as reader

    if exact:
        monkeypatch.setattr(reader, "_fast_path_possible", lambda encoding: False)
    mailchecker.make_config(SMALL_RECORDS)
    rows = _fr_rows(80)
    rows[50] = rows[50][:-7] + '"' + "Note.\r\n" * 8000 + '";abonné'  # 56 KB, 8,001 lines
    _write_cp1252(mailchecker, "export-excel.csv", [FR_HEADER, *rows])
    run = lint_folder(mailchecker)
    assert not [f for f in run.findings if f["code"] == "MC900"], run.stderr
    stale = _stale_lines(rows[:51], 2) + [n + 8000 for n in _stale_lines(rows[51:], 53)]
    assert run.lines("MC203", "export-excel.csv") == stale


@pytest.mark.parametrize("shape", ["long header", "no line break"])
def test_a_header_past_the_limit_is_refused_before_any_read(mailchecker, shape):
    mailchecker.make_config(SMALL_RECORDS)
    columns = ";".join(f"Champ libre {i}" for i in range(6000))  # 100 KB
    if shape == "long header":
        text = f"{FR_HEADER};{columns}\r\n" + "\r\n".join(_fr_rows(5)) + "\r\n"
    else:
        text = f"{FR_HEADER};{columns}"
    mailchecker.make_file("export.csv", text, encoding="cp1252")
    run = lint_folder(mailchecker)
    assert _refused(run, "export.csv") == f"cannot read: {_too_long(1, 'a header')}"


def test_a_header_longer_than_the_sample_is_read_whole(mailchecker):
    """The delimiter is sniffed on the first 64 KiB; the header goes on past them, and
    its columns there are mapped (the e-mail column is the last of 6,000)."""
    columns = ";".join(f"Champ libre {i}" for i in range(6000))
    rows = [f"{';' * 6000}{row}" for row in _fr_rows(30)]
    text = "\r\n".join([f"{columns};{FR_HEADER}", *rows]) + "\r\n"
    path = mailchecker.make_file("export.csv", text)  # UTF-8: its first 64 KiB are ASCII
    (doc,) = read(path)
    assert doc.columns["email"] == "Adresse e-mail" and len(doc.header) == 6005
    run = lint_folder(mailchecker)
    assert run.lines("MC203", "export.csv") == _stale_lines(_fr_rows(30), 2)


def test_a_quote_that_never_closes_past_the_limit_is_refused(mailchecker):
    """Lines that look like no row are swallowed by the quote (MC905 is for rows): past
    the limit, the list is refused, on the line where the quote opened."""
    mailchecker.make_config(SMALL_RECORDS)
    lines = [FR_HEADER, *_fr_rows(3), 'marie.dupont@exemple.fr;"Marie']  # opens on line 5
    lines += ["suite de la note, sans fin"] * 3000  # 80 KB
    _write_cp1252(mailchecker, "export.csv", lines)
    run = lint_folder(mailchecker)
    assert _refused(run, "export.csv") == f"cannot read: {_too_long(5)}"
    assert not [f for f in run.findings if f["code"] == "MC905"]


def test_a_stray_quote_is_no_record_past_the_limit(mailchecker):
    """``O"Brien`` leaves an odd count of quotes: the fast path cannot tell where records
    end after it, and must not refuse the 100 KB of rows that follow as one record."""
    mailchecker.make_config(SMALL_RECORDS)
    rows = _fr_rows(2000)
    rows[1] = 'sean.obrien@exemple.fr;Seán;O"Brien;05/01/2025;abonné'
    _write_cp1252(mailchecker, "export.csv", [FR_HEADER, *rows])
    run = lint_folder(mailchecker)
    assert not [f for f in run.findings if f["code"] == "MC900"], run.stderr
    assert run.lines("MC203", "export.csv") == _stale_lines(rows, 2)


def test_an_old_mac_file_of_carriage_returns_is_read_in_blocks(mailchecker):
    """A run of ``\\r`` (Excel Mac's line end, empty lines) is read a block at a time:
    the block reader once read on a byte at a time while a block ended in ``\\r``."""
    import mailcheck.readers.csv.blocks as reader

    handle = io.BufferedReader(io.BytesIO(b"\r" * (1 << 20)))
    assert len(reader.read_block(handle, 4096)) == 4096
    handle = io.BufferedReader(io.BytesIO(b"x\r\ny"))
    assert reader.read_block(handle, 2) == b"x\r\n"  # never between \r and \n
    mailchecker.make_config(SMALL_RECORDS)
    text = "\r".join([FR_HEADER, *_fr_rows(30)]) + "\r" * (1 << 20)
    mailchecker.make_file("export-mac.csv", text, encoding="cp1252")
    mailchecker.make_file("sans-fin-mac.csv", FR_HEADER + "\r" + "x" * (70 << 10) + "\r")
    run = lint_folder(mailchecker)
    assert run.lines("MC203", "export-mac.csv") == _stale_lines(_fr_rows(30), 2)
    assert _refused(run, "sans-fin-mac.csv") == f"cannot read: {_too_long(2)}"


@pytest.mark.parametrize("block", [997, 4096, 1 << 20])
def test_the_scan_refuses_a_record_by_its_bytes_at_every_block_size(tmp_path, block):
    rows = "a@example.com,court\n" * 50
    path = tmp_path / "liste.csv"
    for size, refused in ((3000, False), (3001, True)):
        record = "b@example.com," + "x" * (size - 15) + "\n"  # ``size`` bytes with its \n
        path.write_text("email,notes\n" + rows + "\n\n" + record + rows, encoding="utf-8")
        opener = lambda: path.open("rb")  # noqa: E731
        if refused:
            with pytest.raises(InputError, match=r"^line 54: a record longer than 2\.9 KiB"):
                scan_records(opener, ",", block=block, max_record=3000)
        else:
            assert scan_records(opener, ",", block=block, max_record=3000).count == 101


def test_inspect_says_which_record_passes_the_limit(mailchecker):
    from click.testing import CliRunner

    from mailcheck import cli

    mailchecker.make_config(SMALL_RECORDS)
    rows = _fr_rows(20)
    rows[10] += ";" + "x" * (70 << 10)
    _write_cp1252(mailchecker, "export.csv", [FR_HEADER, *rows])
    _write_cp1252(mailchecker, "bonne.csv", [FR_HEADER, *_fr_rows(20)])
    result = CliRunner().invoke(cli.main, ["inspect", ".", "--output-format", "json"])
    described = {item["path"]: item for item in json.loads(result.stdout)}
    assert described["export.csv"]["error"] == _too_long(12)
    assert described["export.csv"]["rows"] is None
    assert described["bonne.csv"]["rows"] == 20 and "error" not in described["bonne.csv"]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_a_block_of_short_records_is_cut_into_pieces(monkeypatch, ending):
    """A block of millions of empty records (``;;`` rows, blank lines) is cut into pieces
    of about MAX_BLOCK_LINES line breaks, never between ``\\r`` and ``\\n``: the pieces
    are the block, in order."""
    import mailcheck.readers.csv.blocks as reader

    monkeypatch.setattr(reader, "MAX_BLOCK_LINES", 100)
    data = (f"a@exemple.fr;x{ending}" + f";{ending}" * 5000 + f"b@exemple.fr;y{ending}") * 3
    handle = io.BufferedReader(io.BytesIO(data.encode()))
    pieces = list(reader.read_blocks(handle, 4096))
    assert b"".join(pieces) == data.encode()
    assert len(pieces) > len(data) // 4096 * 10  # 4096 bytes hold 2,048 line breaks
    for piece in pieces:
        assert piece.count(ending.encode()) <= 101
    for before, after in zip(pieces, pieces[1:], strict=False):
        assert not (before.endswith(b"\r") and after.startswith(b"\n"))
    typical = ("contact@exemple.fr;Jeanne;Dupont;01/03/2015;abonné\n" * 90).encode()
    assert list(reader.read_blocks(io.BufferedReader(io.BytesIO(typical)), 1 << 20)) == [typical]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_list_of_mostly_empty_rows_keeps_its_lines(mailchecker, monkeypatch, ending):
    """Excel exports ``;;;;`` rows by the thousand: read in cut blocks (a small
    MAX_BLOCK_LINES here), every real row is still found on its own line."""
    import mailcheck.readers.csv.blocks as reader

    monkeypatch.setattr(reader, "MAX_BLOCK_LINES", 64)
    rows = _fr_rows(30)
    lines, stale = [FR_HEADER], []
    for row in rows:
        lines.append(row)
        if "2015" in row and "désabonné" not in row:
            stale.append(len(lines))
        lines.extend([";;;;"] * 150)
    mailchecker.make_file("export-excel.csv", ending.join(lines) + ending, encoding="cp1252")
    run = lint_folder(mailchecker)
    assert run.lines("MC203", "export-excel.csv") == stale


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("Opt-out newsletter", "opted_out"),  # Sellsy
        ("Désinscrit de la newsletter", "opted_out"),  # Axonaut
        ("Refuse les e-mailings de masse", "opted_out"),  # Dolibarr
        ("Ne pas envoyer la newsletter", "opted_out"),  # found by its values
        ("Liste noire", "blocklisted"),  # Odoo, beside its "Opt-out"
        ("Blacklist", "blocklisted"),
        ("Accord newsletter", "accepts_marketing"),
    ],
)
def test_a_yes_no_column_that_refuses_is_an_opt_out_not_a_consent(tmp_path, header, canonical):
    """Under a header that refuses or blocks, "Oui" is a NO to mailing: the row is
    unsubscribed (or blocklisted), never subscribed."""
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        f"Prénom;Email;Date de création;{header}\r\n"
        "Clément;clement.aubert@example.com;12/05/2025;Non\r\n"
        "Maud;maud.lacroix@example.org;12/05/2025;Oui\r\n"
        "Yann;yann.riviere@example.net;12/05/2025;Non\r\n".encode("cp1252")
    )
    (doc,) = read(path)
    assert doc.columns[canonical] == header
    statuses = frame(path)["status"].tolist()
    if canonical == "accepts_marketing":
        assert statuses == ["nonsubscribed", "subscribed", "nonsubscribed"]
    else:
        refused = "blocklisted" if canonical == "blocklisted" else "unsubscribed"
        assert statuses == ["unknown", refused, "unknown"]


@pytest.mark.parametrize(
    ("header", "address"),
    [
        (["Prénom", "Nom", "Adresse de messagerie", "Adresse de messagerie 2"], 2),  # Outlook
        (["Person - Name", "Person - Email - Work", "Person - Email - Home"], 1),  # Pipedrive
        (["Name", "E-mail 1 - Type", "E-mail 1 - Value"], 2),  # Google Contacts
    ],
)
def test_address_columns_of_crm_and_address_book_exports(tmp_path, header, address):
    """Found by name, so one mistyped address among a few rows does not hide them."""
    path = tmp_path / "contacts.csv"
    rows = []
    for value in ("ana.lima@@example.com", "bob@example.com"):  # a typo: values would not tell
        cells = ["Ana"] * len(header)
        cells[address] = value
        rows.append(",".join(cells))
    path.write_text(",".join(header) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (doc,) = read(path)
    assert doc.columns["email"] == header[address]


def test_pipedrive_marketing_status_is_the_status(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "Person - Name,Person - Email - Work,Person - Marketing status\n"
        "Ana,ana@example.com,Subscribed\nBob,bob@example.com,Unsubscribed\n"
        "Cy,cy@example.com,No consent\n",
        encoding="utf-8",
    )
    assert frame(path)["status"].tolist() == ["subscribed", "unsubscribed", "unknown"]


def test_a_generic_opt_in_column_is_read_as_yes_or_no_unless_it_holds_dates(tmp_path):
    """ "opt_in" with yes/no is the contact's consent (a "no" a campaign leaves out); the
    same name over dates is refused by its values, and the dates are read as such."""
    path = tmp_path / "contacts.csv"
    path.write_text(
        "email,status,opt_in\na@example.com,subscribed,yes\nb@example.com,subscribed,no\n"
        "c@example.com,subscribed,yes\n",
        encoding="utf-8",
    )
    (doc,) = read(path)
    assert doc.columns["accepts_marketing"] == "opt_in"
    dated = tmp_path / "dated.csv"
    dated.write_text(
        "email,status,opt-in\na@example.com,subscribed,2025-01-02\nb@example.com,subscribed,"
        "2025-02-03\nc@example.com,subscribed,2025-03-04\n",
        encoding="utf-8",
    )
    (doc,) = read(dated)
    assert "accepts_marketing" not in doc.columns
    assert doc.columns.get("consent_at") == "opt-in"


@pytest.mark.parametrize(
    ("text", "statuses"),
    [
        (  # Odoo: "Opt-out" and "Liste noire" both read
            "Nom,E-mail,Opt-out,Liste noire\nAna,ana@example.com,False,False\n"
            "Nina,nina@example.com,False,True\nOlga,olga@example.com,True,False\n",
            ["unknown", "blocklisted", "unsubscribed"],
        ),
        (  # Salesforce Data Loader: HasOptedOutOfEmail unsubscribes, IsEmailBounced cleans
            '"Id",Email,HasOptedOutOfEmail,LeadSource,CreatedDate,IsEmailBounced\n'
            "0035g1,ana@example.com,false,Web,2025-06-01T09:00:00.000Z,false\n"
            "0035g2,bob@example.org,true,Web,2025-06-01T09:00:00.000Z,false\n"
            "0035g3,cy@example.org,false,Web,2025-06-01T09:00:00.000Z,true\n",
            ["unknown", "unsubscribed", "cleaned"],
        ),
    ],
)
def test_opt_out_block_list_and_bounce_flags_of_crm_exports(tmp_path, text, statuses):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    assert frame(path)["status"].tolist() == statuses


@pytest.mark.parametrize(
    ("header", "values"),
    [
        ("subscribed_to_emails", ["true", "false", "true"]),  # Ghost members
        ("Newsletter", ["1", "0", "1"]),  # PrestaShop customers
        ("Acceptez-vous de recevoir nos e-mails ?", ["1", "0", "1"]),  # Typeform
        (  # Google Forms: the ticked box's text, an unticked one left empty
            "Je souhaite recevoir la newsletter de l'atelier",
            ["Oui, j'accepte de recevoir la newsletter", "", "Oui, j'accepte", "Oui"],
        ),
    ],
)
def test_consent_answers_of_forms_and_shops(tmp_path, header, values):
    path = tmp_path / "export.csv"
    rows = "".join(
        f'{n}@example.com,"{v}",2025-05-01\n' for n, v in zip("abcd", values, strict=False)
    )
    path.write_text(f'email,"{header}",created_at\n' + rows, encoding="utf-8")
    (doc,) = read(path)
    assert doc.columns["accepts_marketing"] == header
    statuses = frame(path)["status"].tolist()
    assert statuses[0] == statuses[2] == "subscribed"
    assert statuses[1] == ("unknown" if not values[1] else "nonsubscribed")


def test_an_event_name_is_no_opt_in_source(tmp_path):
    """Eventbrite's "Event Name" ("Salon des créateurs") holds a trade-show word, yet
    says nothing of consent: a source is taken by its values only under a source
    header (or one that names nothing)."""
    path = tmp_path / "Attendees-Report.csv"
    path.write_text(
        "Order #,Order Date,Email,Event Name\n"
        + "".join(
            f"{n},2026-10-0{n} 10:00,{c}@example.com,Salon des créateurs\n"
            for n, c in enumerate("abc", start=1)
        ),
        encoding="utf-8",
    )
    (doc,) = read(path)
    assert "consent_source" not in doc.columns
    named = tmp_path / "contacts.csv"
    named.write_text(
        "Email,Origine du contact\n"
        + "".join(f"{c}@example.com,Salon des créateurs\n" for c in "abc"),
        encoding="utf-8",
    )
    assert read(named)[0].columns["consent_source"] == "Origine du contact"


def test_status_sentences_that_start_with_a_yes_are_still_a_status(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(
        'Email,Remarque\na@example.com,"Oui, abonné"\nb@example.com,"Non, désinscrit"\n'
        'c@example.com,"Oui, abonné"\nd@example.com,"Non, désinscrit"\n',
        encoding="utf-8",
    )
    (doc,) = read(path)
    assert doc.columns["status"] == "Remarque"  # found by its values
    assert frame(path)["status"].tolist()[:2] == ["subscribed", "unsubscribed"]
