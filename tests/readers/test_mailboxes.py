"""Addresses compared as mailboxes (readers/csv/mailboxes.py): one key per mailbox
whatever its Unicode form (NFC/NFD) or its domain's spelling (Unicode or ``xn--``), for
duplicates (MC218) and suppression matching (MC201, MC202, MC212, hashed lists too)."""

from __future__ import annotations

import hashlib
import unicodedata

import pyarrow as pa

from mailcheck.readers.csv.mailboxes import mailbox_keys
from mailcheck.testing import canonical_frame

NFD = unicodedata.normalize("NFD", "élodie.lefèvre@exemple.fr")  # macOS copy-paste
#: exémple.fr in ASCII form (IDNA): what a provider that stores A-labels exports.
PUNYCODE = "xn--exmple-cva.fr"


def test_keys_are_nfc_lower_case_and_unicode_domains():
    found = mailbox_keys(
        pa.array([NFD, "Client@XN--EXMPLE-CVA.FR", "client@Exémple.fr", "a@b.fr", "x--y", ""])
    )
    assert found.keys.to_pylist() == [
        "élodie.lefèvre@exemple.fr",
        "client@exémple.fr",
        "client@exémple.fr",
        "a@b.fr",
        "x--y",
        "",
    ]
    assert found.domains.to_pylist() == [
        "exemple.fr",
        "exémple.fr",
        "exémple.fr",
        "b.fr",
        "x--y",
        "",
    ]


def test_a_broken_a_label_and_a_value_without_at_sign_stay_as_written():
    found = mailbox_keys(pa.array(["ann@xn--zz.fr", "xn--exmple-cva.fr", "bob@acme.fr"]))
    assert found.keys.to_pylist() == ["ann@xn--zz.fr", "xn--exmple-cva.fr", "bob@acme.fr"]


def test_the_original_address_is_kept_beside_the_key(mailchecker):
    mailchecker.make_csv(
        "contacts.csv", f"Adresse e-mail;Statut\n{NFD};inscrit\nclient@{PUNYCODE};inscrit\n"
    )
    (doc,) = mailchecker.read_contacts(mailchecker.path / "contacts.csv")
    frame = canonical_frame(doc)
    assert frame.loc[2, "email"] == NFD  # the input as written, never changed
    assert frame.loc[2, "email_key"] == "élodie.lefèvre@exemple.fr"
    assert frame.loc[3, "email_key"] == "client@exémple.fr"
    assert frame.loc[3, "domain"] == "exémple.fr"


def test_duplicates_across_unicode_forms_and_domain_spellings(mailchecker):
    # A Brevo export (UTF-8 with BOM, ";"), merged from a Mac (NFD) and a CRM storing
    # internationalised domains in ASCII form.
    mailchecker.make_csv(
        "export-contacts-brevo.csv",
        "\ufeffCONTACT ID;EMAIL;LASTNAME;FIRSTNAME;DOUBLE_OPT-IN;OPT_IN;ADDED_TIME\n"
        "1;élodie.lefèvre@exemple.fr;LEFÈVRE;Élodie;Yes;Yes;2025-03-12 10:22:01\n"
        f"2;{NFD};LEFEVRE;Elodie;Yes;Yes;2025-04-02 08:01:44\n"
        "3;contact@exémple.fr;MARTIN;Luc;Yes;Yes;2025-03-12 10:22:01\n"
        f"4;Contact@{PUNYCODE.upper()};MARTIN;Luc;Yes;Yes;2025-05-01 09:00:00\n"
        "5;elodie.lefevre@exemple.fr;LEFEVRE;Élodie;Yes;Yes;2025-03-12 10:22:01\n"
        "6;contact@exemple.fr;MARTIN;Lucie;Yes;Yes;2025-03-12 10:22:01\n",
    )
    run = mailchecker.run("export-contacts-brevo.csv", "--select", "MC218")
    # 5 and 6 are other mailboxes (no accent is another address): clean
    assert run.lines("MC218") == [3, 5]
    assert [f["message"] for f in run.findings] == [
        "same address as line 2",
        "same address as line 4",
    ]


def test_unsubscribed_under_one_spelling_subscribed_under_the_other(mailchecker):
    mailchecker.make_csv(
        "unsubscribed_email_audience_export_3f9a2c7b1d.csv",
        '"Email Address","First Name","UNSUB_TIME"\n'
        f'"{NFD}","Élodie","2025-06-01 10:00:00"\n'
        f'"claire@{PUNYCODE}","Claire","2025-06-02 10:00:00"\n',
    )
    mailchecker.make_csv(
        "newsletter.csv",
        "Adresse e-mail;Statut;Date d'inscription\n"
        "luc@exemple.fr;inscrit;12/01/2024\n"
        "Élodie.Lefèvre@exemple.fr;inscrit;12/01/2024\n"
        "claire@exémple.fr;inscrit;12/01/2024\n",
    )
    run = mailchecker.run(
        "newsletter.csv", "unsubscribed_email_audience_export_3f9a2c7b1d.csv", "--select", "MC201"
    )
    assert [(f["path"], f["line"]) for f in run.findings] == [
        ("newsletter.csv", 3),
        ("newsletter.csv", 4),
    ]


def test_suppression_list_matches_the_other_spelling(mailchecker):
    mailchecker.make_csv("liste-repoussoir.csv", f"email\nclaire@{PUNYCODE}\n{NFD}\n")
    mailchecker.make_csv(
        "audience.csv",
        "Adresse e-mail;Statut\n"
        "luc@exemple.fr;inscrit\n"
        "claire@exémple.fr;inscrit\n"
        "élodie.lefèvre@exemple.fr;inscrit\n",
    )
    run = mailchecker.run("audience.csv", "liste-repoussoir.csv", "--select", "MC202")
    assert run.lines("MC202", "audience.csv") == [3, 4]


def test_hashed_suppression_list_in_either_domain_form(mailchecker):
    # A hashed list cannot be re-normalised: its entries are sha256 of the address as the
    # provider stored it, trimmed and lower-cased. Our side is looked up in NFC with the
    # domain in Unicode form, then in ASCII form.
    unicode_form = hashlib.sha256("claire@exémple.fr".encode()).hexdigest()
    ascii_form = hashlib.sha256(f"paul@{PUNYCODE}".encode()).hexdigest()
    nfc = hashlib.sha256("élodie.lefèvre@exemple.fr".encode()).hexdigest()
    mailchecker.make_csv(
        "repoussoir-sha256.csv",
        header=["email_sha256"],
        rows=[[unicode_form], [ascii_form], [nfc]],
    )
    mailchecker.make_csv(
        "audience.csv",
        "Adresse e-mail;Statut\n"
        f"Claire@{PUNYCODE};inscrit\n"
        "paul@exémple.fr;inscrit\n"
        f"{NFD};inscrit\n"
        "luc@exémple.fr;inscrit\n",
    )
    run = mailchecker.run("audience.csv", "repoussoir-sha256.csv", "--select", "MC202")
    assert run.lines("MC202", "audience.csv") == [2, 3, 4]
