"""With every provider plugin installed, each fixture goes to its own provider and an
unknown layout to none (the generic reader). Plugins that are not installed are skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcheck.config import Config

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
PROVIDERS = (
    "mailchimp",
    "brevo",
    "mailjet",
    "mailerlite",
    "klaviyo",
    "hubspot",
    "listmonk",
    "substack",
    "activecampaign",
    "kit",
    "sendy",
    "mautic",
)
EXPECTED = {
    "mailchimp/subscribed_email_audience_export_3f9a2c7b1d.csv": "mailchimp",
    "mailchimp/unsubscribed_email_audience_export_3f9a2c7b1d.csv": "mailchimp",
    "mailchimp/cleaned_email_audience_export_3f9a2c7b1d.csv": "mailchimp",
    "mailchimp/members_export_8d2e41a0c5.zip": "mailchimp",
    "brevo/contacts-export.csv": "brevo",
    "brevo/contacts-export-fr.csv": "brevo",
    "klaviyo/list-newsletter-export.csv": "klaviyo",
    "klaviyo/segment-vip-export.csv": "klaviyo",
    "hubspot/hubspot-crm-exports-all-contacts-2025-11-03.csv": "hubspot",
    "listmonk/subscribers.csv": "listmonk",
    "substack/email_list.atelierlumiere.csv": "substack",
    "substack/subscribers-dashboard-export.csv": "substack",
    "mailerlite/subscribers-active.csv": "mailerlite",
    "mailerlite/subscribers-export.csv": "mailerlite",
    "mailjet/contacts-export.csv": "mailjet",
    "mailjet/contact-statistics.csv": "mailjet",
    "activecampaign/contacts-export.csv": "activecampaign",
    "kit/subscribers.csv": "kit",
    "contacts/export-excel-fr.csv": None,  # a French Excel export: no provider claims it
}


@pytest.fixture
def all_plugins(mailchecker):
    for name in PROVIDERS:
        mailchecker.register(pytest.importorskip(f"mailcheck_{name}"), name)
    return mailchecker


@pytest.mark.parametrize(("relative", "provider"), EXPECTED.items(), ids=list(EXPECTED))
def test_each_export_goes_to_its_own_provider(all_plugins, relative, provider):
    pm = all_plugins.plugin_manager()
    config = Config(root=FIXTURES)
    config.pluginmanager = pm
    path = FIXTURES / relative
    documents = pm.hook.mailcheck_read_document(path=path, kind="contacts", config=config)
    assert documents
    for doc in documents:
        assert doc.provider == provider, f"{relative}: {doc.provider} ({doc.provider_reason})"


def test_the_more_specific_claim_wins(all_plugins):
    # Record ID + Email is a HubSpot guess (40); the Klaviyo consent columns say more (70)
    path = all_plugins.make_csv(
        "merged.csv", "Record ID,Email,Email Marketing Consent\n1,a@example.com,SUBSCRIBED\n"
    )
    pm = all_plugins.plugin_manager()
    config = Config(root=all_plugins.path)
    config.pluginmanager = pm
    (doc,) = pm.hook.mailcheck_read_document(path=path, kind="contacts", config=config)
    assert doc.provider == "klaviyo"
    claims = {
        m.provider: m.score
        for m in pm.hook.mailcheck_detect_provider(
            path=path, header=["Record ID", "Email", "Email Marketing Consent"], config=config
        )
        if m
    }
    assert claims == {"hubspot": 40, "klaviyo": 70}
