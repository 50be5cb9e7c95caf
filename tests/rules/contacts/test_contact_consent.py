"""MC204 consent-proof-missing, MC205 invalid-optin-source, MC211, MC214."""

from __future__ import annotations

MAILCHIMP = (
    '"Email Address","First Name",OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LAST_CHANGED\n'
    'form@example.com,Ann,"2025-02-10 09:12:44",198.51.100.7,"2025-02-10 09:14:02",198.51.100.7,\n'
    'imported@example.com,Bob,,,"2024-06-01 10:00:00",,\n'
    'pending@example.com,Cy,"2025-03-01 10:00:00",198.51.100.8,,,\n'
)


def test_import_without_proof_and_unconfirmed(mailchecker):
    mailchecker.make_csv("subscribed_members_export_ab12.csv", MAILCHIMP)
    run = mailchecker.run("subscribed_members_export_ab12.csv", "--select", "MC204,MC211")
    assert run.lines("MC204") == [3]
    assert "import" in run.findings[0]["message"]
    assert run.lines("MC211") == [4]


def test_sources_purchased_imported_and_valid(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        delimiter=";",
        header=["Courriel", "Source", "Date d'inscription", "Base légale"],
        rows=[
            ["a@example.fr", "formulaire site", "01/02/2025", "consentement"],  # 2 clean
            ["b@example.fr", "fichier acheté", "01/02/2025", ""],  # 3 purchased: error
            ["c@example.fr", "import", "", ""],  # 4 import, no date
            ["d@example.fr", "import", "01/02/2025", ""],  # 5 import with date: ok
            ["e@example.fr", "", "", ""],  # 6 nothing at all
            ["f@example.fr", "Location de fichier", "", "B2B"],  # 7 B2B: MC206's job
            ["info@example.fr", "fichier acheté", "01/02/2025", ""],  # 8 role: one level lower
        ],
    )
    run = mailchecker.run("liste.csv", "--select", "MC204,MC205")
    assert run.lines("MC205") == [3, 4, 8]
    assert run.lines("MC204") == [4, 6]
    sev = {(f["code"], f["line"]): f["severity"] for f in run.findings}
    assert sev[("MC205", 3)] == "error" and sev[("MC205", 4)] == "warning"
    assert sev[("MC205", 8)] == "warning" and sev[("MC204", 6)] == "error"


def test_no_proof_column_at_all_is_one_finding(mailchecker):
    mailchecker.make_csv(
        "liste.csv", header=["email", "name"], rows=[["a@example.com", "A"], ["b@example.com", "B"]]
    )
    run = mailchecker.run("liste.csv", "--select", "MC204")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(1, "error")]


def test_one_consent_column_for_several_purposes(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        header=["email", "Opt-in", "Newsletter", "Offres partenaires"],
        rows=[["a@example.com", "oui", "oui", "oui"]],
    )
    run = mailchecker.run("liste.csv", "--select", "MC214")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(1, "warning")]
    mailchecker.make_csv(
        "ok.csv",
        header=["email", "Consentement newsletter", "Consentement partenaires"],
        rows=[["a@example.com", "oui", "non"]],
    )
    mailchecker.run("ok.csv", "--select", "MC214").assert_clean()


def test_file_without_source_column_is_reported_once_not_per_row(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        delimiter=";",
        header=["Adresse e-mail", "Date d'inscription"],
        rows=[["a@example.fr", "01/02/2025"], ["b@example.fr", ""], ["c@example.fr", "03/02/2025"]],
    )
    run = mailchecker.run("liste.csv", "--select", "MC204")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(1, "warning"), (3, "error")]


def test_offline_source_is_doubtful_without_a_consent_date(mailchecker):
    # HubSpot's original source: label "Offline Sources", internal value OFFLINE (imports,
    # contacts created by hand); "Organic Search" is a form on the site
    mailchecker.make_csv(
        "contacts.csv",
        header=["email", "source", "consent_date"],
        rows=[
            ["a@example.com", "Offline Sources", ""],  # 2 import, undated: warning
            ["b@example.com", "OFFLINE", ""],  # 3 internal value: warning
            ["c@example.com", "Offline Sources", "2025-02-01"],  # 4 dated: ok
            ["d@example.com", "Organic Search", ""],  # 5 not doubtful
        ],
    )
    run = mailchecker.run("contacts.csv", "--select", "MC205")
    assert run.lines("MC205") == [2, 3]
    assert {f["severity"] for f in run.findings} == {"warning"}


def test_consent_date_ip_and_source_columns_are_not_a_second_consent_column(mailchecker):
    # a contest sign-up export: 'Opt-in' plus its date, IP and source, then purposes
    header = ["Email", "Opt-in", "Date opt-in", "IP opt-in", "Source opt-in", "Newsletter"]
    mailchecker.make_csv(
        "jeu.csv",
        delimiter=";",
        header=[*header, "Offres partenaires", "SMS"],
        rows=[["a@example.fr", "oui", "2026-09-01", "203.0.113.2", "jeu", "oui", "oui", "non"]],
    )
    run = mailchecker.run("jeu.csv", "--select", "MC214")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(1, "warning")]
    assert "'Opt-in'" in run.findings[0]["message"]
    mailchecker.make_csv(
        "newsletter.csv",
        delimiter=";",
        header=header,
        rows=[["a@example.fr", "oui", "2026-09-01 10:00", "203.0.113.2", "site", "oui"]],
    )
    mailchecker.run("newsletter.csv", "--select", "MC214").assert_clean()


def test_french_cleaned_status_is_not_an_unconfirmed_subscriber(mailchecker):
    mailchecker.make_csv(
        "inscrits.csv",
        delimiter=";",
        header=["Email", "Statut", "Date opt-in", "Date de confirmation"],
        rows=[
            ["a@example.fr", "abonné", "2026-09-01 10:00", "2026-09-01 10:05"],  # 2 confirmed
            ["b@example.fr", "abonné", "2026-09-02 10:00", ""],  # 3 unconfirmed
            ["c@example.fr", "nettoyé", "2026-09-03 10:00", ""],  # 4 cleaned: not mailed
            ["d@example.fr", "Nettoyée", "2026-09-04 10:00", ""],  # 5 cleaned
            ["e@example.fr", "en attente", "2026-09-05 10:00", ""],  # 6 pending
        ],
    )
    run = mailchecker.run("inscrits.csv", "--select", "MC211")
    assert run.lines("MC211") == [3, 6]


def test_missing_proof_column_not_reported_on_an_export_of_unsubscribed_people(mailchecker):
    header = ["Email Address", "OPTIN_TIME", "UNSUB_TIME"]
    rows = [["rita@example.fr", "2024-05-01 10:00:00", "2026-01-10 09:00:00"]]
    mailchecker.make_csv(
        "unsubscribed_email_audience_export_aa11bb22cc.csv", header=header, rows=rows
    )
    mailchecker.run(
        "unsubscribed_email_audience_export_aa11bb22cc.csv", "--select", "MC204"
    ).assert_clean()
    # subscribers with no source or IP column: reported once, on the header
    mailchecker.make_csv(
        "subscribed_email_audience_export_aa11bb22cc.csv",
        header=header[:2],
        rows=[row[:2] for row in rows],
    )
    run = mailchecker.run("subscribed_email_audience_export_aa11bb22cc.csv", "--select", "MC204")
    assert [(f["line"], f["severity"]) for f in run.findings] == [(1, "warning")]
    assert "source or IP" in run.findings[0]["message"]
