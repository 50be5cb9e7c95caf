"""mailcheck plugin for Kit (formerly ConvertKit).

Kit's CSV export header was not verified (providers.md §8). Its API names a subscriber's
address ``email_address`` and its lifecycle ``state``; a file with both is claimed with a
low score. Template tags are documented by Kit and declared here.
"""

from __future__ import annotations

from pathlib import Path

from mailcheck import ContactFormat, ProviderMatch, hookimpl, t

PROVIDER = "kit"

#: Subscriber states -> canonical (the full list is partly inferred).
STATES = {
    "active": "subscribed",
    "inactive": "unsubscribed",
    "cancelled": "unsubscribed",
    "canceled": "unsubscribed",
    "bounced": "cleaned",
    "complained": "blocklisted",
    "": "unknown",
}

DATE_FORMATS = ["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]


@hookimpl
def mailcheck_detect_provider(header: list[str]) -> ProviderMatch | None:
    names = set(header)  # cleaned by the core reader
    if {"email_address", "state"} <= names:
        return ProviderMatch(
            PROVIDER,
            30,
            t("header has Kit's API field names email_address, state (unverified layout)"),
        )
    return None


@hookimpl
def mailcheck_contact_format(provider: str) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    return ContactFormat(
        provider=PROVIDER,
        columns={
            "email": ["email_address", "Email Address", "email"],
            "status": ["state", "status", "Status"],
            "created_at": ["created_at", "Created At"],
        },
        date_formats={"*": DATE_FORMATS},
        status_values=STATES,
    )


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    return {
        "unsubscribe": [
            "{{ unsubscribe_url }}",
            "{{unsubscribe_url}}",
            "{{ unsubscribe_link }}",
            "{{unsubscribe_link}}",
        ],
        "preferences": [
            "{{ subscriber_preferences_url }}",
            "{{subscriber_preferences_url}}",
            "{{ subscriber_preferences_link }}",
            "{{subscriber_preferences_link}}",
        ],
        "postal_address": ["{{ address }}", "{{address}}"],  # inferred
    }


@hookimpl
def mailcheck_catalogs() -> list[str]:
    """The French of this plugin's messages and rule docs (``locale/fr/LC_MESSAGES``)."""
    return [str(Path(__file__).parent / "locale")]
