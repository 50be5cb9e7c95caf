"""Providers' signup widgets, from data (src/mailcheck/analysis/forms/widgets.py)."""

from __future__ import annotations

from mailcheck.analysis.forms.widgets import signup_widgets, widget_provider


def test_widget_provider_in_declared_order():
    assert list(signup_widgets()) == ["Mailchimp", "Brevo", "MailerLite", "Mailjet"]
    assert widget_provider('<form action="https://acme.us1.LIST-MANAGE.com/subscribe">') == (
        "Mailchimp"
    )
    assert widget_provider("sib-form ml-form") == "Brevo"  # the first provider wins
    assert widget_provider("mj-w-res-data") == "Mailjet"
    assert widget_provider("newsletter-form") is None
