"""MC215 role, MC216 bulk volume, MC217 invalid, MC218 duplicate, MC219 no-reply."""

from __future__ import annotations

HEADER = ["Email", "Statut"]


def test_role_noreply_invalid_duplicate_lines(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        header=HEADER,
        rows=[
            ["jeanne.martin@example.com", "abonné"],  # 2 clean
            ["contact@boulangerie.fr", "abonné"],  # 3 role
            ["no-reply@shop.fr", "abonné"],  # 4 no-reply
            ["marie@@exemple.fr", "abonné"],  # 5 invalid
            ["Jeanne.Martin@Example.com ", "abonné"],  # 6 duplicate of 2
            ["léa.petit@exemple.fr", "abonné"],  # 7 clean (UTF-8 local part)
            ["info@agence.fr", "désinscrit"],  # 8 role but unsubscribed: not in the send
            ["marc@exemple", "abonné"],  # 9 invalid (no TLD)
            ["", "abonné"],  # 10 empty address
            ["shop.noreply+x@magasin.fr", "abonné"],  # 11 no-reply with prefix and tag
        ],
    )
    run = mailchecker.run("liste.csv", "--select", "MC215,MC217,MC218,MC219")
    assert run.lines("MC215") == [3]
    assert run.lines("MC219") == [4, 11]
    assert run.lines("MC217") == [5, 9, 10]
    assert run.lines("MC218") == [6]
    messages = {f["line"]: f["message"] for f in run.findings if f["code"] == "MC218"}
    assert messages[6] == "same address as line 2"


def test_clean_list_has_no_address_findings(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        header=HEADER,
        rows=[
            ["anne.dupont@example.com", "abonné"],
            ["bruno@exemple.fr", "abonné"],
            ["informatique.dupont@example.fr", "abonné"],  # "info" prefix is not a role
        ],
    )
    run = mailchecker.run("liste.csv", "--select", "MC215,MC216,MC217,MC218,MC219")
    run.assert_clean()


def test_bulk_volume_threshold(mailchecker):
    rows = [[f"user{i}@gmail.com", "subscribed"] for i in range(12)]
    mailchecker.make_csv("liste.csv", header=["email", "status"], rows=rows)
    mailchecker.make_config("[rules.MC216]\nthreshold = 10\n")
    assert mailchecker.run("liste.csv", "--select", "MC216").lines("MC216") == [1]
    mailchecker.make_config("[rules.MC216]\nthreshold = 20\n")
    mailchecker.run("liste.csv", "--select", "MC216").assert_clean()


def test_rows_of_bare_separators_are_not_contacts(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        "Adresse e-mail;Statut;Date d'inscription\n"
        "anne@example.fr;abonné;01/02/2025\n"
        ";abonné;01/02/2025\n"  # 3: a contact without an address
        ";;\n"  # 4: Excel leftover
        ";;\n",
    )
    run = mailchecker.run("liste.csv", "--select", "MC217")
    assert run.lines("MC217") == [3]


def test_length_limits_of_the_address_and_its_local_part(mailchecker):
    """The prefilter lets through only what email-validator accepts; what it holds back
    (long or accented local parts, long domains) is the validator's call, made without
    its ``strict`` mode: a 65-character local part passes, a 70-character label does not."""
    mailchecker.make_csv(
        "liste.csv",
        header=HEADER,
        rows=[
            ["a" * 64 + "@exemple.fr", "abonné"],  # 2 clean: 64 characters
            ["a" * 65 + "@exemple.fr", "abonné"],  # 3 clean outside strict mode
            ["é" * 60 + "@exemple.fr", "abonné"],  # 4 clean: 60 characters, 120 bytes
            ["b@" + "d" * 60 + "." + "g" * 70 + ".fr", "abonné"],  # 5 invalid: label > 63
        ],
    )
    run = mailchecker.run("liste.csv", "--select", "MC217")
    assert run.lines("MC217") == [5]
    (finding,) = run.findings
    assert "a part of the domain after the @ is too long" in finding["message"]


def test_label_and_tld_lengths_at_the_bound(mailchecker):
    """The prefilter runs without the label bounds on short addresses (none can break
    them) and with them from 68 bytes on: a label or TLD of 63 letters is valid, one of 64
    is not, however short the rest of the address."""
    mailchecker.make_csv(
        "liste.csv",
        header=HEADER,
        rows=[
            ["a@" + "d" * 63 + ".fr", "abonné"],  # 2 clean: 63-letter label, 67 bytes
            ["a@" + "d" * 64 + ".fr", "abonné"],  # 3 invalid: 64-letter label, 68 bytes
            ["a@b." + "g" * 63, "abonné"],  # 4 clean: 63-letter TLD
            ["a@b." + "g" * 64, "abonné"],  # 5 invalid: 64-letter TLD, 68 bytes
        ],
    )
    run = mailchecker.run("liste.csv", "--select", "MC217")
    assert run.lines("MC217") == [3, 5]


def test_bulk_volume_counts_addresses_not_rows(mailchecker):
    rows = [["a@gmail.com", "subscribed"], ["b@gmail.com", "subscribed"]]
    rows += [["A@gmail.com ", "subscribed"], ["b@gmail.com", "subscribed"]]  # duplicates
    mailchecker.make_csv("liste.csv", header=["email", "status"], rows=rows)
    mailchecker.make_config("[rules.MC216]\nthreshold = 2\n")
    mailchecker.run("liste.csv", "--select", "MC216").assert_clean()
    mailchecker.make_config("[rules.MC216]\nthreshold = 1\n")
    run = mailchecker.run("liste.csv", "--select", "MC216")
    assert run.lines("MC216") == [1] and run.findings[0]["message"].startswith("2 subscribed")


def test_a_send_log_repeats_addresses_without_duplicate_contacts(mailchecker):
    """A send log has one row per campaign and address: no MC218 there; the same rows in
    an audience are duplicates."""
    rows = [
        ["ann@example.com", "Octobre", "2026-10-06 09:00:00"],
        ["ann@example.com", "Novembre", "2026-11-03 09:00:00"],
    ]
    mailchecker.make_csv("envois.csv", header=["email", "campaign", "sent_at"], rows=rows)
    mailchecker.run("envois.csv", "--select", "MC218").assert_clean()
    mailchecker.make_csv("liste.csv", header=["email", "campaign"], rows=[r[:2] for r in rows])
    assert mailchecker.run("liste.csv", "--select", "MC218").lines("MC218") == [3]
