"""MC907 (a ``[columns]`` header absent from a file) and MC908 (no address column)."""

from __future__ import annotations

TODAY = ("--today", "2026-11-22")


def test_a_columns_entry_naming_an_absent_header_is_reported(mailchecker):
    mailchecker.make_config('[columns]\nconsent_at = "Date d\'inscription"\n')
    mailchecker.make_csv(
        "export.csv",
        "Courriel;Date inscription;Statut\nlea@exemple.fr;12/01/2026;abonné\n",
    )
    mailchecker.make_csv(
        "autre.csv",
        "Courriel;date d'INSCRIPTION;Statut\nmarc@exemple.fr;12/01/2026;abonné\n",
    )
    result = mailchecker.run(".", *TODAY)
    (finding,) = [f for f in result.findings if f["code"] == "MC907"]
    assert (finding["path"], finding["line"], finding["severity"]) == ("export.csv", 1, "warning")
    assert "no such header" in finding["message"]
    assert "consent_at read from 'Date inscription' instead" in finding["message"]


def test_wix_like_list_without_a_known_address_column_is_an_error(mailchecker):
    mailchecker.make_csv(
        "contacts.csv",
        "First Name,Last Name,Courrier,Phone 1,Email subscriber status\n"
        "Claire,Moreau,,+33 6 11 22 33 44,Subscribed\n",
    )
    result = mailchecker.run("contacts.csv", *TODAY)
    (finding,) = [f for f in result.findings if f["code"] == "MC908"]
    assert (finding["line"], finding["severity"]) == (1, "error")
    assert result.exit_code == 1


def test_an_address_column_found_by_its_values_is_no_error(mailchecker):
    mailchecker.make_csv(
        "contacts.csv",
        "Prénom;Joindre à\n" + "".join(f"P{i};p{i}@exemple.fr\n" for i in range(4)),
    )
    result = mailchecker.run("contacts.csv", *TODAY)
    assert not result.codes["MC908"]


def test_a_table_that_is_not_a_list_of_people_is_not_reported(mailchecker):
    mailchecker.make_csv(
        "posts.csv",
        "post_id,post_date,is_published,type,audience,title\n"
        "101,2025-03-01T10:00:00.000Z,true,newsletter,everyone,Bonjour\n",
    )
    result = mailchecker.run("posts.csv", *TODAY)
    assert not result.codes["MC908"]
