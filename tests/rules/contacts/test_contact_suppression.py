"""MC201 unsubscribe-not-global, MC202 suppressed contact, MC212 sent after unsubscribe."""

from __future__ import annotations

import hashlib

import pytest


def test_unsubscribed_in_one_file_subscribed_in_another(mailchecker):
    # The audience is read first (sorted names): the second pass must still find it.
    mailchecker.make_csv(
        "a-newsletter.csv",
        header=["email", "status", "consent_date"],
        rows=[
            ["ok@example.com", "subscribed", "2025-01-01"],
            [
                "Lea.Petit@example.net",
                "subscribed",
                "2024-01-01",
            ],  # 3: unsubscribed later elsewhere
            ["back@example.com", "subscribed", "2025-09-01"],  # 4: re-subscribed after
        ],
    )
    mailchecker.make_csv(
        "b-offres.csv",
        header=["email", "status", "unsubscribed_at"],
        rows=[
            ["lea.petit@example.net", "unsubscribed", "2025-01-15"],
            ["back@example.com", "unsubscribed", "2025-02-01"],
        ],
    )
    run = mailchecker.run("a-newsletter.csv", "b-offres.csv", "--select", "MC201")
    assert [(f["path"], f["line"]) for f in run.findings] == [("a-newsletter.csv", 3)]
    assert "b-offres.csv (line 2)" in run.findings[0]["message"]
    mailchecker.make_config('unsubscribe-scope = "per-list"\n')
    mailchecker.run("a-newsletter.csv", "b-offres.csv", "--select", "MC201").assert_clean()


def test_italian_and_spanish_status_columns_carry_the_unsubscribe(mailchecker):
    # "Stato" / "Estado" are the status columns of Italian and Spanish exports
    mailchecker.make_csv(
        "contatti-it.csv",
        delimiter=";",
        header=["Indirizzo email", "Stato", "Data di iscrizione"],
        rows=[["anna@example.it", "disiscritto", "08/08/2016"]],
    )
    mailchecker.make_csv(
        "contactos-es.csv",
        delimiter=";",
        header=["Correo electrónico", "Estado", "Fecha de alta"],
        rows=[["anna@example.it", "suscrito", "15/01/2024"], ["b@example.es", "suscrito", ""]],
    )
    run = mailchecker.run(
        "contatti-it.csv", "contactos-es.csv", "--select", "MC201,MC203", "--today", "2026-11-22"
    )
    # the Italian row is not mailed (no MC203), the Spanish one is reported
    assert [(f["code"], f["path"], f["line"]) for f in run.findings] == [
        ("MC201", "contactos-es.csv", 2)
    ]


def test_hashed_suppression_list_and_send_list_status(mailchecker):
    digest = hashlib.sha256(b"nora@example.com").hexdigest()
    mailchecker.make_csv("repoussoir.csv", header=["email_sha256"], rows=[[digest]])
    mailchecker.make_csv(
        "z-audience.csv",
        header=["email", "status"],
        rows=[
            ["anne@example.com", "subscribed"],
            ["NORA@example.com", "subscribed"],
        ],
    )
    mailchecker.make_csv(
        "a-envoyer.csv",
        header=["email", "status"],
        rows=[
            ["anne@example.com", "subscribed"],
            ["bob@example.com", "unsubscribed"],
            ["cy@example.com", "cleaned"],
        ],
    )
    run = mailchecker.run("repoussoir.csv", "z-audience.csv", "a-envoyer.csv", "--select", "MC202")
    assert sorted((f["path"], f["line"], f["severity"]) for f in run.findings) == [
        ("a-envoyer.csv", 3, "error"),
        ("a-envoyer.csv", 4, "warning"),
        ("z-audience.csv", 3, "error"),
    ]


def test_sent_after_unsubscribe(mailchecker):
    mailchecker.make_csv(
        "desinscrits.csv",
        header=["email", "unsubscribed_at"],
        rows=[["ann@example.com", "2025-03-01"]],
    )
    mailchecker.make_csv(
        "envois.csv",
        header=["email", "sent_at"],
        rows=[
            ["ann@example.com", "2025-02-20 09:00"],
            ["ann@example.com", "2025-03-02 09:00"],
            ["ann@example.com", "2025-03-10 09:00"],
            ["bob@example.com", "2025-03-10 09:00"],
        ],
    )
    run = mailchecker.run("desinscrits.csv", "envois.csv", "--select", "MC212")
    assert run.lines("MC212") == [4]


@pytest.mark.parametrize(
    "name",
    [
        "desinscriptions-2025.csv",
        "Désabonnements.csv",
        "bajas.csv",
        "abmeldungen.csv",
        "disiscrizioni.csv",
        "afmeldingen.csv",
        "descadastros.csv",
    ],
)
def test_unsubscribes_file_named_in_another_language_is_a_suppression_list(mailchecker, name):
    # a bare list of addresses the user calls "unsubscribes" in their language
    mailchecker.make_csv(name, header=["email"], rows=[["gone@example.fr"]])
    mailchecker.make_csv(
        "newsletter.csv",
        header=["email", "status", "consent_date"],
        rows=[["gone@example.fr", "subscribed", "2024-01-01"]],
    )
    run = mailchecker.run(name, "newsletter.csv", "--select", "MC201,MC202")
    assert [(f["code"], f["path"], f["line"]) for f in run.findings] == [
        ("MC202", "newsletter.csv", 2)
    ]


def test_subscribers_file_is_not_a_suppression_list(mailchecker):
    mailchecker.make_csv("abonnes-2025.csv", header=["email"], rows=[["a@example.fr"]])
    mailchecker.make_csv("newsletter.csv", header=["email"], rows=[["a@example.fr"]])
    mailchecker.run("abonnes-2025.csv", "newsletter.csv", "--select", "MC201,MC202").assert_clean()


def test_sent_after_a_resubscription_in_another_file_is_not_reported(mailchecker):
    # Mailchimp's unsubscribed export; the person signed up again on the site in March
    mailchimp = "unsubscribed_email_audience_export_aa11bb22cc.csv"
    mailchecker.make_csv(
        mailchimp,
        header=["Email Address", "OPTIN_TIME", "UNSUB_TIME"],
        rows=[
            ["rita@example.fr", "2024-05-01 10:00:00", "2026-01-10 09:00:00"],
            ["gil@example.fr", "2024-05-01 10:00:00", "2026-01-10 09:00:00"],
            ["ugo@example.fr", "2024-05-01 10:00:00", "2026-01-10 09:00:00"],
        ],
    )
    mailchecker.make_csv(
        "newsletter.csv",
        header=["email", "status", "consent_date"],
        rows=[
            ["rita@example.fr", "subscribed", "2026-03-01"],  # again before the May send
            ["ugo@example.fr", "subscribed", "2026-06-01"],  # again, but after the send
            ["gil@example.fr", "unsubscribed", "2026-03-01"],  # not receiving
        ],
    )
    mailchecker.make_csv(
        "envois.csv",
        header=["email", "campaign", "sent_at"],
        rows=[
            ["rita@example.fr", "Mai", "2026-05-05 09:00"],  # 2 re-subscribed: clean
            ["gil@example.fr", "Mai", "2026-05-05 09:00"],  # 3 reported
            ["ugo@example.fr", "Mai", "2026-05-05 09:00"],  # 4 reported
        ],
    )
    run = mailchecker.run(mailchimp, "newsletter.csv", "envois.csv", "--select", "MC212")
    assert run.lines("MC212") == [3, 4]
    # the same without the new sign-up: rita is reported too
    run = mailchecker.run(mailchimp, "envois.csv", "--select", "MC212")
    assert run.lines("MC212") == [2, 3, 4]


def test_an_unsubscribe_in_a_send_log_applies_to_the_lists(mailchecker):
    # A campaign report records who unsubscribed from that campaign: an objection to
    # every list (MC201), though nobody is sent to the report itself.
    mailchecker.make_csv(
        "envois-2025-06.csv",
        header=["email", "sent_at", "status"],
        rows=[
            ["ann@example.com", "2025-06-02 09:00", "unsubscribed"],
            ["bob@example.com", "2025-06-02 09:00", "sent"],
        ],
    )
    mailchecker.make_csv(
        "newsletter.csv",
        header=["email", "status", "consent_date"],
        rows=[["ann@example.com", "subscribed", "2025-01-01"], ["bob@example.com", "", ""]],
    )
    run = mailchecker.run(".", "--select", "MC201")
    assert {(f["path"], f["line"]) for f in run.findings} == {("newsletter.csv", 2)}


def test_the_message_says_whether_the_address_was_unsubscribed_or_blocklisted(mailchecker):
    mailchecker.make_csv(
        "brevo-export.csv",
        header=["email", "status"],
        rows=[["ann@example.com", "blacklisted"], ["bob@example.com", "unsubscribed"]],
    )
    mailchecker.make_csv(
        "newsletter.csv",
        header=["email", "status"],
        rows=[["ann@example.com", "subscribed"], ["bob@example.com", "subscribed"]],
    )
    run = mailchecker.run(".", "--select", "MC201")
    assert sorted((f["line"], f["message"]) for f in run.findings) == [
        (2, "blocked in brevo-export.csv (line 2) but still subscribed here"),
        (3, "unsubscribed in brevo-export.csv (line 3) but still subscribed here"),
    ]


# Klaviyo "Export to CSV" of a list, as the generic reader sees it (no plugin loaded):
# the consent state and the suppressions are two columns.
KLAVIYO_HEADER = (
    "Email,Klaviyo ID,First Name,Last Name,Phone Number,City,Country,Source,"
    "Email Marketing Consent,Email Marketing Consent Timestamp,Profile Created On,"
    "Last Click,Email Suppressions\n"
)


def test_subscribed_row_suppressed_by_the_provider_in_an_audience(mailchecker):
    mailchecker.make_csv(
        "list-newsletter-export.csv",
        KLAVIYO_HEADER + "ana@example.com,01HX1,Ana,Lopez,,Lyon,France,Form,SUBSCRIBED,"
        "2025-03-12 09:14:02,2025-03-12 09:14:02,2025-10-01 10:00:00,[]\n"  # 2 clean
        "marc@example.org,01HX2,Marc,Petit,,Paris,France,Form,SUBSCRIBED,"
        "2024-01-10 08:00:00,2024-01-10 08:00:00,,['SPAM_COMPLAINT']\n"  # 3 complained
        "lea@example.net,01HX3,Lea,,,,France,Form,SUBSCRIBED,"
        "2024-02-10 08:00:00,2024-02-10 08:00:00,,['HARD_BOUNCE']\n"  # 4 bounced
        "paul@example.fr,01HX4,Paul,,,,France,Form,UNSUBSCRIBED,"
        "2025-02-10 08:00:00,2024-02-10 08:00:00,,['UNSUBSCRIBE']\n",  # 5 plain unsubscribe
    )
    run = mailchecker.run("list-newsletter-export.csv", "--select", "MC202")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(3, "error"), (4, "warning")]
    assert run.findings[0]["message"] == (
        "subscribed here but blocked by the provider (spam complaint): another tool this "
        "list is imported into would mail them"
    )
    assert "(hard bounce)" in run.findings[1]["message"]


def test_suppressed_rows_of_a_suppression_file_or_send_list_are_reported_once(mailchecker):
    rows = "marc@example.org,01HX2,Marc,Petit,,Paris,France,Form,SUBSCRIBED,,,,SPAM_COMPLAINT\n"
    # a file of suppressed profiles is what a suppression export should be: silent
    mailchecker.make_csv("klaviyo-suppressions.csv", KLAVIYO_HEADER + rows)
    mailchecker.run("klaviyo-suppressions.csv", "--select", "MC202").assert_clean()
    # a send list with a "blocked" status on the same row: one finding, not two
    mailchecker.make_csv(
        "a-envoyer.csv",
        "email,status,suppression reason\n"
        "marc@example.org,blocklisted,spam complaint\n"
        "ana@example.com,subscribed,hard bounce\n",
    )
    run = mailchecker.run("a-envoyer.csv", "--select", "MC202")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(2, "error"), (3, "warning")]
    assert "subscribed here but blocked by the provider (hard bounce)" in run.findings[1]["message"]
