"""The bundled contact fixtures, end to end: every seeded case on its exact line, and
nothing else (clean rows stay clean). Generic reader only (no provider plugin)."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parents[3] / "fixtures" / "contacts"
ACCEPTANCE_ZIP = (
    "mailchimp_audience_export_7c1e4d9a02.zip!audience_export_7c1e4d9a02/"
    "subscribed_email_audience_export_7c1e4d9a02.csv"
)

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
    # acceptance/ (see its README), read here without plugins: no MCH101 / BRV101, and
    # HubSpot's "Original Source" (MC205 on its line 8 with the plugin) is not mapped
    *(
        (code, f"acceptance/{ACCEPTANCE_ZIP}", line)
        for code, line in (
            ("MC204", 4),
            ("MC201", 5),
            ("MC203", 6),
            ("MC215", 7),
            ("MC217", 9),
            ("MC218", 13),
            ("MC219", 15),
        )
    ),
    *(
        (code, "acceptance/export_contacts_brevo_2026-11-20.csv", line)
        for code, line in (
            ("MC204", 1),
            ("MC201", 2),
            ("MC203", 5),
            ("MC215", 6),
            ("MC217", 7),
            ("MC219", 8),
            ("MC218", 15),
        )
    ),
    *(
        (code, "acceptance/hubspot-crm-exports-all-contacts-2026-11-20.csv", line)
        for code, line in (("MC204", 1), ("MC201", 2), ("MC203", 5), ("MC215", 6), ("MC217", 7))
    ),
    *(
        (code, "acceptance/export-clients-excel-fr-2026.csv", line)
        for code, line in (
            ("MC201", 2),
            ("MC203", 5),
            ("MC215", 6),
            ("MC217", 7),
            ("MC204", 8),
            ("MC205", 8),
            ("MC204", 9),
            ("MC205", 9),
            ("MC218", 14),
            ("MC219", 15),
        )
    ),
    # second acceptance round (same README): without plugins Mailchimp's MCH101 is absent
    # and Substack's `expiry` is not read, so its paying reader since 2016 (line 8) is stale
    *(
        (code, "acceptance/klaviyo-list-newsletter-export-2026-11-20.csv", line)
        for code, line in (
            ("MC204", 3),
            ("MC205", 3),
            ("MC203", 4),
            ("MC201", 5),
            ("MC215", 6),
            ("MC217", 7),
            ("MC219", 15),
        )
    ),
    *(
        (code, "acceptance/subscribed_members_export_5b8e2f71c4.csv", line)
        for code, line in (
            ("MC204", 3),
            ("MC203", 4),
            ("MC201", 5),
            ("MC215", 6),
            ("MC217", 7),
            ("MC203", 8),
        )
    ),
    *(
        (code, "acceptance/export-crm-desordonne-2026.csv", line)
        for code, line in (
            ("MC204", 3),
            ("MC205", 3),
            ("MC203", 5),
            ("MC201", 6),
            ("MC215", 9),
            ("MC217", 10),
            ("MC218", 20),
            ("MC219", 21),
        )
    ),
    *(
        (code, "acceptance/substack-export-lettre-atelier.zip!email_list.latelier.csv", line)
        for code, line in (
            ("MC204", 1),
            ("MC203", 3),
            ("MC201", 4),
            ("MC215", 5),
            ("MC217", 6),
            ("MC203", 8),
            ("MC201", 9),
        )
    ),
    # third acceptance round (same README; exact severities in test_contact_acceptance_rules)
    *(("MC202", "acceptance/audience-newsletter-2026-11.csv", line) for line in (3, 5, 7, 9, 11)),
    ("MC208", "acceptance/liste-repoussoir-2026.csv", 1),
    ("MC208", "acceptance/desinscriptions-2026.csv", 1),
    *(("MC212", "acceptance/envois-campagnes-2026-10.csv", line) for line in (3, 6, 13, 14)),
    *(
        (code, "acceptance/crm-contacts-base-legale-2026.csv", line)
        for code, line in (
            ("MC206", 3),
            ("MC206", 4),
            ("MC206", 6),
            ("MC207", 7),
            ("MC207", 8),
            ("MC203", 8),
            ("MC210", 10),
            ("MC209", 13),
            ("MC209", 16),
            ("MC210", 16),
            ("MC210", 18),
            ("MC209", 20),
        )
    ),
    *(
        (code, "acceptance/inscrits-jeu-concours-2026.csv", line)
        for code, line in (("MC214", 1), ("MC211", 3), ("MC211", 4), ("MC211", 9))
    ),
}


def test_contact_fixtures_end_to_end(mailchecker):
    shutil.copytree(FIXTURES, mailchecker.path / "contacts")
    run = mailchecker.run("contacts", "--select", "MC2", "--today", "2026-11-22")
    found = {(f["code"], f["path"].removeprefix("contacts/"), f["line"]) for f in run.findings}
    assert found == EXPECTED
    assert run.exit_code == 1
