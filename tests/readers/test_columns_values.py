"""Columns recognised by their values when their header means nothing
(:mod:`mailcheck.readers.csv.values`), and text never taken for dates."""

from __future__ import annotations

import pandas as pd

from mailcheck.config import Config
from mailcheck.manager import create_plugin_manager
from mailcheck.readers.csv.hook import mailcheck_read_document
from mailcheck.readers.csv.origins import OriginKind
from mailcheck.readers.csv.values import inference_settings, profile_columns

TODAY = ("--today", "2026-11-22")

# A French Excel re-save (";" and Windows-1252) of a CRM export whose headers are the
# user's own words: no synonym knows them, their values say what they are.
FRENCH_UNKNOWN = (
    "Identifiant;Prénom;Nom;Inscrit le;Provenance du contact;Catégorie;Situation;"
    "Connexion;Dernier clic le;Société\r\n"
    # 2: professional on a free-mail address, no company -> MC206
    "jm.perrin@gmail.com;Jean-Marc;Perrin;12/05/2025;Formulaire site web;Professionnel;"
    "abonné;203.0.113.9;02/10/2026;\r\n"
    # 3: signed up 2019, last click 2020 -> MC203
    "odile.masson@exemple.fr;Odile;Masson;04/03/2019;Formulaire site web;Particulier;"
    "abonné;198.51.100.23;15/06/2020;\r\n"
    # 4: unsubscribed here, subscribed in the other list -> MC201 there
    "remi.caron@exemple.fr;Rémi;Caron;21/09/2024;Import salon;Particulier;désinscrit;"
    "192.0.2.10;;\r\n"
    # 5: clean
    "agathe.roy@exemple.fr;Agathe;Roy;07/01/2026;Formulaire site web;Particulier;abonné;"
    "203.0.113.77;20/11/2026;\r\n"
    # 6: clean (a professional with a company address)
    "t.lambert@lambert-conseil.fr;Thomas;Lambert;19/08/2025;Formulaire site web;"
    "Professionnel;abonné;198.51.100.2;01/11/2026;Lambert Conseil\r\n"
)


def read_one(path, **settings):
    config = Config(root=path.parent)
    for key, value in settings.items():
        setattr(config, key, value)
    config.pluginmanager = create_plugin_manager(load_entry_points=False)
    (doc,) = mailcheck_read_document(path=path, kind="contacts", config=config)
    return doc, pd.concat(list(doc.chunks()), ignore_index=True)


def test_french_export_columns_found_by_their_values(mailchecker):
    path = mailchecker.make_file("export-crm.csv", FRENCH_UNKNOWN, encoding="cp1252")
    doc, rows = read_one(path)
    expected = {
        "email": "Identifiant",
        "consent_at": "Inscrit le",
        "consent_source": "Provenance du contact",
        "legal_basis": "Catégorie",
        "status": "Situation",
        "consent_ip": "Connexion",
        "last_activity_at": "Dernier clic le",
    }
    assert {k: doc.columns.get(k) for k in expected} == expected
    origins = doc.reader_plan.origins
    assert all(origins[k].kind is OriginKind.VALUES for k in expected)
    assert str(origins["consent_at"].evidence).startswith(
        "100% of 5 sampled values read as dd/mm/yyyy"
    )
    assert str(origins["legal_basis"].evidence) == "values: Particulier 60%, Professionnel 40%"
    assert rows["legal_basis"].tolist() == ["b2b", "unknown", "unknown", "unknown", "b2b"]
    assert rows["consent_at"].iloc[1] == pd.Timestamp("2019-03-04")  # day first


def test_french_export_findings_follow_from_the_values(mailchecker):
    mailchecker.make_file("export-crm.csv", FRENCH_UNKNOWN, encoding="cp1252")
    mailchecker.make_csv(
        "newsletter.csv",
        "email,status,created_at\n"
        "remi.caron@exemple.fr,subscribed,2026-01-02\n"
        "x.y@exemple.fr,subscribed,2026-01-02\n",
    )
    result = mailchecker.run(".", *TODAY, "--select", "MC201,MC203,MC206,MC9")
    assert result.lines("MC206", "export-crm.csv") == [2]
    assert result.lines("MC203", "export-crm.csv") == [3]
    assert result.lines("MC201", "newsletter.csv") == [2]
    flagged = {(f["path"], f["line"]) for f in result.findings}
    assert flagged == {("export-crm.csv", 2), ("export-crm.csv", 3), ("newsletter.csv", 2)}


def test_a_text_column_is_never_a_date_and_the_next_synonym_is_used(mailchecker):
    path = mailchecker.make_csv(
        "crm.csv",
        "email,last activity,date de derniere activite\n"
        + "".join(
            f"c{i}@exemple.fr,{kind},2026-0{i}-01\n"
            for i, kind in enumerate(["Formulaire", "Achat", "E-mail ouvert", "Clic"], start=1)
        ),
    )
    doc, rows = read_one(path)
    assert doc.columns["last_activity_at"] == "date de derniere activite"
    assert doc.columns["last_activity_type"] == "last activity"
    # "E-mail ouvert" (an open) does not count as activity: its date is dropped.
    assert rows["last_activity_at"].isna().tolist() == [False, False, True, False]
    assert doc.read_report.unreadable_dates is None or not doc.read_report.unreadable_dates.columns


def test_a_date_column_named_in_config_is_kept_even_with_text(mailchecker):
    path = mailchecker.make_csv("crm.csv", "email,Activité\na@exemple.fr,Formulaire\n")
    doc, _ = read_one(path, columns={"last_activity_at": "Activité"})
    assert doc.columns["last_activity_at"] == "Activité"
    assert doc.reader_plan.origins["last_activity_at"].kind is OriginKind.CONFIG


def test_two_vague_date_columns_the_name_decides(mailchecker):
    path = mailchecker.make_csv(
        "liste.csv",
        "Mail,Date,Date de modif,Ajouté le\n"
        + "".join(f"p{i}@exemple.fr,0{i}/02/2024,0{i}/03/2026,0{i}/01/2022\n" for i in range(1, 5)),
    )
    doc, _ = read_one(path)
    assert doc.columns["created_at"] == "Ajouté le"  # its name says when it was added
    assert "Date de modif" not in doc.columns.values()  # a change is never activity
    assert "Date" not in doc.columns.values()  # another date whose name says nothing
    assert any("'Date'" in str(note) for note in doc.notes)


def test_the_only_unnamed_date_column_is_the_collection_date(mailchecker):
    path = mailchecker.make_csv(
        "liste.csv",
        "Mail;Quand\n" + "".join(f"p{i}@exemple.fr;2021-0{i}-03\n" for i in range(1, 5)),
    )
    doc, _ = read_one(path)
    assert doc.columns["created_at"] == "Quand"
    assert "the only date column" in str(doc.reader_plan.origins["created_at"].evidence)


def test_birth_dates_are_not_taken_for_sign_ups(mailchecker):
    path = mailchecker.make_csv(
        "liste.csv",
        "Mail;Quand\n" + "".join(f"p{i}@exemple.fr;0{i}/04/196{i}\n" for i in range(1, 5)),
    )
    doc, _ = read_one(path)
    assert "Quand" not in doc.columns.values()


def test_yes_no_consent_columns_only_under_a_consent_or_nameless_header(mailchecker):
    path = mailchecker.make_csv(
        "liste.csv",
        "E-mail;Accord RGPD;Client fidèle\n"
        "a@exemple.fr;oui;oui\nb@exemple.fr;non;non\nc@exemple.fr;oui;non\nd@exemple.fr;non;oui\n",
    )
    doc, rows = read_one(path)
    assert doc.columns["accepts_marketing"] == "Accord RGPD"
    assert "Client fidèle" not in doc.columns.values()
    assert rows["status"].tolist() == ["subscribed", "nonsubscribed", "subscribed", "nonsubscribed"]


def test_too_few_values_give_no_role(mailchecker):
    path = mailchecker.make_csv("liste.csv", "Mail;Où en est-il\na@exemple.fr;abonné\n")
    doc, _ = read_one(path)
    assert "status" not in doc.columns
    many = mailchecker.make_csv("liste2.csv", "Mail;Où en est-il\n" + "a@exemple.fr;abonné\n" * 3)
    assert read_one(many)[0].columns["status"] == "Où en est-il"


def test_profile_counts_and_date_shapes():
    rows = [
        ["a@exemple.fr", "14/03/2016 10:30", "192.0.2.1", "Oui"],
        ["b@exemple.fr", "15/03/2016 11:00", "2001:db8::1", "Non"],
        ["pas une adresse", "hier", "10.0.0", "Oui"],
    ]
    address, dates, ips, answers = profile_columns(rows, 4, inference_settings().oldest_signup_year)
    assert (address.filled, address.addresses) == (3, 2)
    assert (dates.dates, dates.date_shape) == (2, "dd/mm/yyyy hh:mm")
    assert ips.ips == 2
    assert answers.shares() == "Oui 67%, Non 33%"


def test_placeholders_do_not_make_a_date_column_text(mailchecker):
    path = mailchecker.make_csv(
        "liste.csv",
        "Courriel;Date d'inscription\n"
        + "".join(f"i{i}@exemple.fr;N/A\n" for i in range(6))
        + "".join(f"f{i}@exemple.fr;0{i + 1}/02/2025\n" for i in range(3)),
    )
    doc, rows = read_one(path)
    assert doc.columns["consent_at"] == "Date d'inscription"
    assert rows["consent_at"].notna().sum() == 3
