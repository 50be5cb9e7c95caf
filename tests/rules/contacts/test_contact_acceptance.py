"""Acceptance exports (fixtures/contacts/acceptance/, see its README): provider layouts as
the providers write them, synthetic people, every seeded case on its exact physical line
and no finding on a clean row. Linted as a user would, with the installed provider
plugins, the four exports together (the unsubscribes cross files)."""

from __future__ import annotations

import shutil
from importlib import import_module
from importlib.metadata import entry_points
from pathlib import Path

import pytest

ACCEPTANCE = Path(__file__).parents[3] / "fixtures" / "contacts" / "acceptance"
ZIP = "mailchimp_audience_export_7c1e4d9a02.zip!audience_export_7c1e4d9a02/"
MAILCHIMP = ZIP + "subscribed_email_audience_export_7c1e4d9a02.csv"
BREVO = "export_contacts_brevo_2026-11-20.csv"
HUBSPOT = "hubspot-crm-exports-all-contacts-2026-11-20.csv"
EXCEL_FR = "export-clients-excel-fr-2026.csv"

EXPECTED = {
    MAILCHIMP: {
        ("MC204", 4),  # imported: CONFIRM_TIME only, no OPTIN_TIME / IP
        ("MCH101", 4),
        ("MC201", 5),  # also in the unsubscribed file of the same ZIP
        ("MC203", 6),  # opt-in 2016 (LAST_CHANGED 2026 does not count)
        ("MC215", 7),  # contact@
        ("MC217", 9),  # comma in the domain
        # line 10-11: one record, NOTES holds a newline (clean)
        ("MC218", 13),  # same address as line 2, other case
        ("MC219", 15),  # no-reply@
    },
    ZIP + "unsubscribed_email_audience_export_7c1e4d9a02.csv": set(),
    ZIP + "cleaned_email_audience_export_7c1e4d9a02.csv": set(),
    BREVO: {
        ("MC204", 1),  # no opt-in date, source or IP column in Brevo's default export
        ("MC201", 2),  # unsubscribed in the Mailchimp ZIP after ADDED_TIME
        ("MC203", 5),  # ADDED_TIME 2016 (MODIFIED_TIME 2025 does not count)
        ("MC215", 6),  # info@
        ("MC217", 7),  # no dot in the domain
        ("MC219", 8),  # noreply@
        ("BRV101", 11),  # DOUBLE_OPT-IN = 2, OPT_IN empty
        ("MC218", 15),  # same address as line 3, upper case
    },
    HUBSPOT: {
        ("MC204", 1),  # no consent date column in the export
        ("MC201", 2),  # "désinscrit" in the French export
        ("MC203", 5),  # created and last conversion 2016
        ("MC215", 6),  # info@
        ("MC217", 7),  # nothing after the @
        ("MC205", 8),  # Original Source "Offline Sources" (an import), no conversion
        # line 3: opted out here (the French export's line 2 is reported instead)
    },
    EXCEL_FR: {
        ("MC201", 2),  # "Unsubscribed from all email" = true in HubSpot
        ("MC203", 5),  # inscription 14/07/2016
        ("MC215", 6),  # accueil@
        ("MC217", 7),  # no dot in the domain
        ("MC204", 8),  # no date
        ("MC205", 8),  # "fichier acheté"
        ("MC204", 9),  # no date
        ("MC205", 9),  # "import" without a date
        # line 10: inscription 2016 but "Dernier clic" 02/10/2026 (clean)
        ("MC218", 14),  # same address as line 11 (case, trailing space)
        ("MC219", 15),  # ne-pas-repondre@
    },
}


@pytest.fixture
def with_installed_plugins(mailchecker):
    """Register every installed provider plugin, as a plain ``mailcheck lint`` loads them."""
    found = {ep.name: ep.value for ep in entry_points(group="mailcheck")}
    for needed in ("mailchimp", "brevo", "hubspot"):
        if needed not in found:
            pytest.skip(f"mailcheck-{needed} is not installed")
    for name, module in sorted(found.items()):
        mailchecker.register(import_module(module), name)
    return mailchecker


def test_every_seeded_case_on_its_line_and_clean_rows_stay_clean(with_installed_plugins):
    mailchecker = with_installed_plugins
    shutil.copytree(ACCEPTANCE, mailchecker.path / "acceptance")
    run = mailchecker.run("acceptance", "--today", "2026-11-22")
    found: dict[str, set[tuple[str, int]]] = {path: set() for path in EXPECTED}
    for finding in run.findings:
        path = finding["path"].removeprefix("acceptance/")
        found.setdefault(path, set()).add((finding["code"], finding["line"]))
    for path, expected in EXPECTED.items():
        assert found[path] == expected, path
    assert set(found) == set(EXPECTED)
    assert run.exit_code == 1


def test_each_export_read_as_its_provider(with_installed_plugins):
    mailchecker = with_installed_plugins
    providers = {}
    for path in sorted(ACCEPTANCE.glob("*.*")):
        if path.suffix in (".csv", ".zip"):
            for doc in mailchecker.read_contacts(path):
                providers[doc.display_path.rsplit("/", 1)[-1]] = (doc.provider, doc.encoding)
    assert providers == {
        "subscribed_email_audience_export_7c1e4d9a02.csv": ("mailchimp", "utf-8"),
        "unsubscribed_email_audience_export_7c1e4d9a02.csv": ("mailchimp", "utf-8"),
        "cleaned_email_audience_export_7c1e4d9a02.csv": ("mailchimp", "utf-8"),
        BREVO: ("brevo", "utf-8-sig"),
        HUBSPOT: ("hubspot", "utf-8"),
        EXCEL_FR: (None, "cp1252"),
    }
