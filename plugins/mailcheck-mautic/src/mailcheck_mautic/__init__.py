"""mailcheck plugin for Mautic.

Mautic's tokens are documented (``{unsubscribe_text}``, ``{unsubscribe_url}``,
``{webview_text}``, ``{webview_url}``), its contact export header is not (providers.md
§11): the plugin never claims a contact list by itself. Forced in the config
(``providers = {"glob" = "mautic"}``), it maps the address column and Mautic's
do-not-contact reasons (1 unsubscribed, 2 bounced, 3 manual).
"""

from __future__ import annotations

from mailcheck import ContactFormat, hookimpl

PROVIDER = "mautic"

#: Do-not-contact reason (code or label) -> canonical status. A manual DNC is an
#: admin's block.
DNC_REASONS = {
    "1": "unsubscribed",
    "unsubscribed": "unsubscribed",
    "2": "cleaned",
    "bounced": "cleaned",
    "3": "blocklisted",
    "manual": "blocklisted",
    "": "unknown",
}


@hookimpl
def mailcheck_contact_format(provider: str) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    return ContactFormat(
        provider=PROVIDER,
        columns={
            "email": ["email", "Email"],
            "status": ["dnc_reason", "DNC reason", "Do Not Contact"],
            "created_at": ["date_added", "Date added"],
        },
        date_formats={"*": ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]},
        status_values=DNC_REASONS,
    )


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    return {
        "unsubscribe": ["{unsubscribe_text}", "{unsubscribe_url}"],
        "web_version": ["{webview_text}", "{webview_url}"],
    }
