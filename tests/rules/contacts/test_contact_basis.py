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
    assert run.lines("MC207") == [6, 7]
    assert run.lines("MC213") == [8]
