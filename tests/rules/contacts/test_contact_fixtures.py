"""The bundled contact fixtures, end to end: every seeded case on its exact line, and
nothing else (clean rows stay clean). Generic reader only (no provider plugin); the
provider-format exports of acceptance/ have their own tests, with the plugins
(test_contact_acceptance*.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parents[3] / "fixtures" / "contacts"

EXPECTED = {
    ("MC201", "newsletter-b2c.csv", 2),  # unsubscribed in the Mailchimp unsubscribed export
    ("MC202", "newsletter-b2c.csv", 3),  # SHA-256 in repoussoir.csv, opposed after opting in
    ("MC203", "crm-clients-b2b.tsv", 6),  # customer, last purchase 2021
    ("MC203", "export-excel-fr.csv", 3),  # opt-in 2019
    ("MC203", "mailchimp/subscribed_email_audience_export_3f9a2c7b1d.csv", 4),  # 2016
    ("MC204", "export-excel-fr.csv", 4),  # role address, no date (info)
    ("MC204", "export-excel-fr.csv", 9),  # import, no date
    ("MC204", "mailchimp/subscribed_email_audience_export_3f9a2c7b1d.csv", 3),  # imported
    ("MC205", "export-excel-fr.csv", 4),  # fichier acheté
    ("MC205", "export-excel-fr.csv", 9),  # import without a consent date
    ("MC206", "crm-clients-b2b.tsv", 3),  # B2B on gmail.com
    ("MC207", "crm-clients-b2b.tsv", 5),  # customer without purchase
    ("MC207", "crm-clients-b2b.tsv", 6),  # customer, purchase too old
    ("MC212", "envois-campagne-2025-06.csv", 2),  # sent after the hashed opposition
    ("MC212", "envois-campagne-2025-06.csv", 3),  # sent a month after the unsubscribe
    ("MC213", "crm-clients-b2b.tsv", 7),  # Canada, implied consent from 2024-01
    ("MC215", "export-excel-fr.csv", 4),  # contact@
    ("MC217", "export-excel-fr.csv", 8),  # chloe.robert@exemple@fr (after a quoted newline)
    ("MC218", "export-excel-fr.csv", 10),  # Jeanne.Martin@... again
    ("MC219", "export-excel-fr.csv", 11),  # no-reply@
}


def test_contact_fixtures_end_to_end(mailchecker):
    shutil.copytree(
        FIXTURES, mailchecker.path / "contacts", ignore=shutil.ignore_patterns("acceptance")
    )
    run = mailchecker.run("contacts", "--select", "MC2", "--today", "2026-11-22")
    found = {(f["code"], f["path"].removeprefix("contacts/"), f["line"]) for f in run.findings}
    assert found == EXPECTED
    assert run.exit_code == 1
