"""MC206 B2B, MC207 soft opt-in, MC213 CASL implied consent."""

from __future__ import annotations

HEADER = ["email", "legal_basis", "company", "job_title", "last_purchase", "country"]


def test_b2b_soft_optin_and_casl(mailchecker):
    mailchecker.make_csv(
        "liste.csv",
        header=HEADER,
        rows=[
            ["achat@acme.fr", "B2B", "Acme", "Acheteur", "", "FR"],  # 2 clean B2B
            ["jean.dupont@gmail.com", "B2B", "Acme", "", "", "FR"],  # 3 free-mail
            ["paul@acme.fr", "B2B", "", "", "", "FR"],  # 4 no company/job
            ["marie@example.fr", "client", "", "", "2025-06-01", "FR"],  # 5 clean customer
            ["luc@example.fr", "client", "", "", "", "FR"],  # 6 no purchase
            ["zoe@example.fr", "soft opt-in", "", "", "2020-01-01", "FR"],  # 7 old purchase
            ["ann@example.ca", "implied", "", "", "2024-01-10", "Canada"],  # 8 CASL: >2 years
            ["bob@example.ca", "implied", "", "", "2026-01-10", "CA"],  # 9 CASL ok
        ],
    )
    run = mailchecker.run("liste.csv", "--select", "MC206,MC207,MC213", "--today", "2026-11-22")
    assert run.lines("MC206") == [3, 4]
    b2b = {f["line"]: f["message"] for f in run.findings if f["code"] == "MC206"}
    assert b2b == {
        3: "marked as a business contact (B2B) but the address is a personal one "
        "(Gmail, Orange...)",
        4: "marked as a business contact (B2B) but no company or job title",
    }
    assert run.lines("MC207") == [6, 7]
    assert run.lines("MC213") == [8]


def test_canadian_inquiry_is_judged_by_casl_not_by_soft_optin(mailchecker):
    mailchecker.make_csv(
        "contacts-quebec.csv",
        header=["Email", "Country", "Legal Basis", "Last Purchase", "Last Inquiry"],
        rows=[
            ["sophie@example.ca", "CA", "implied", "", "2026-02-10"],  # 2 inquiry > 6 months
            ["martin@example.ca", "CA", "implied", "", "2026-08-10"],  # 3 inquiry 3 months ago
            ["luc@example.fr", "FR", "client", "", ""],  # 4 EU customer, no purchase
            ["anne@example.ca", "", "implied", "", "2026-08-10"],  # 5 no country
        ],
    )
    args = ("contacts-quebec.csv", "--select", "MC207,MC213", "--today", "2026-11-22")
    run = mailchecker.run(*args)
    assert run.lines("MC213") == [2]
    casl = next(f for f in run.findings if f["code"] == "MC213")
    assert "no purchase in 2 years and no inquiry in 6 months" in casl["message"]
    assert run.lines("MC207") == [4, 5]  # not Canadian unless the profile says so
    run = mailchecker.run(*args, "--profile", "ca")
    assert run.lines("MC213") == [2]
    assert run.lines("MC207") == [4]


def test_constant_contact_implicit_permission_is_judged_as_implied_consent(mailchecker):
    """Constant Contact's "Email permission status" says the legal basis too: an
    "Implicit" Canadian contact with no purchase nor inquiry dates is reported by MC213,
    under the Canadian profile too; an "Explicit" one is judged as consent."""
    mailchecker.make_csv(
        "contacts_export.csv",
        header=["Email address", "Email permission status", "Country", "Last Purchase"],
        rows=[
            ["ann@example.ca", "Implicit", "CA", ""],  # 2 no purchase
            ["bob@example.ca", "Explicit", "CA", ""],  # 3 express consent
            ["cy@example.ca", "Implicit", "CA", "2026-01-10"],  # 4 a purchase this year
            ["di@example.ca", "Implicit", "", ""],  # 5 no country
        ],
    )
    args = ("contacts_export.csv", "--select", "MC213", "--today", "2026-11-22")
    assert mailchecker.run(*args).lines("MC213") == [2]
    assert mailchecker.run(*args, "--profile", "ca").lines("MC213") == [2, 5]


def test_casl_message_states_the_configured_periods(mailchecker):
    mailchecker.make_csv(
        "contacts.csv",
        header=["Email", "Country", "Legal Basis", "Last Purchase"],
        rows=[["ann@example.ca", "CA", "implied", "2025-06-01"]],
    )
    mailchecker.make_config("[rules.MC213]\npurchase-days = 365\n")
    run = mailchecker.run("contacts.csv", "--select", "MC213", "--today", "2026-11-22")
    assert run.lines("MC213") == [2]
    assert "no purchase in 365 days and no inquiry in 6 months" in run.findings[0]["message"]
