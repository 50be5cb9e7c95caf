"""mailcheck plugin for Sendy (self-hosted, on Amazon SES).

Only Sendy's template tags are documented (its own editor help text): ``[unsubscribe]``,
the HTML-only ``<unsubscribe>…</unsubscribe>`` and ``[webversion]``. No export header was
found, so the plugin never claims a contact list; forced in the config
(``providers = {"glob" = "sendy"}``) it maps the address column and the status words a
Sendy subscriber can have.
"""

from __future__ import annotations

from mailcheck import ContactFormat, hookimpl

PROVIDER = "sendy"

#: Subscriber states shown in Sendy's list views (inferred).
STATUSES = {
    "subscribed": "subscribed",
    "active": "subscribed",
    "unsubscribed": "unsubscribed",
    "unconfirmed": "pending",
    "bounced": "cleaned",
    "soft bounced": "unknown",
    "marked as spam": "blocklisted",
    "complained": "blocklisted",
    "": "unknown",
}


@hookimpl
def mailcheck_contact_format(provider: str) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    return ContactFormat(
        provider=PROVIDER,
        columns={"email": ["Email", "email"], "status": ["Status", "status"]},
        status_values=STATUSES,
    )


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    return {
        "unsubscribe": ["[unsubscribe]", "<unsubscribe>"],
        "web_version": ["[webversion]", "<webversion>"],
    }
