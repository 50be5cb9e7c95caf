"""mailcheck plugin for ActiveCampaign.

ActiveCampaign's contact export header was not verified (providers.md §7): the only
header seen is a third-party import preset, ``Email,First Name,Last Name,Phone,Tags,Date
Created,IP,Status``. This plugin claims a file only when it has *all* of those columns,
with a low score; use ``providers = {"glob" = "activecampaign"}`` in the config for other
layouts. Its statuses (Active, Unconfirmed, Unsubscribed, Bounced) and merge tags are
better documented.
"""

from __future__ import annotations

from pathlib import Path

from mailcheck import ContactFormat, ProviderMatch, hookimpl, t

PROVIDER = "activecampaign"

PRESET_HEADER = frozenset(
    {"Email", "First Name", "Last Name", "Phone", "Tags", "Date Created", "IP", "Status"}
)

#: Contact statuses -> canonical. "Unconfirmed" = double opt-in not completed.
STATUSES = {
    "active": "subscribed",
    "unconfirmed": "pending",
    "unsubscribed": "unsubscribed",
    "bounced": "cleaned",
    "": "unknown",
}

DATE_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


@hookimpl
def mailcheck_detect_provider(header: list[str]) -> ProviderMatch | None:
    names = set(header)  # cleaned by the core reader
    if names >= PRESET_HEADER:
        return ProviderMatch(
            PROVIDER,
            30,
            t("header matches a third-party ActiveCampaign preset (unverified layout)"),
        )
    return None


@hookimpl
def mailcheck_contact_format(provider: str) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    return ContactFormat(
        provider=PROVIDER,
        columns={
            "email": ["Email", "email"],
            "status": ["Status", "status"],
            "created_at": ["Date Created", "cdate"],
            "consent_ip": ["IP", "ip"],
        },
        date_formats={"*": DATE_FORMATS},
        status_values=STATUSES,
    )


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    return {
        "unsubscribe": ["%UNSUBSCRIBELINK%"],
        "preferences": ["%UPDATELINK%"],  # inferred
        "postal_address": ["%SENDER-INFO%", "%SENDER-INFO-SINGLELINE%"],
        "web_version": ["%WEBCOPY%"],  # inferred
    }


@hookimpl
def mailcheck_catalogs() -> list[str]:
    """The French of this plugin's messages and rule docs (``locale/fr/LC_MESSAGES``)."""
    return [str(Path(__file__).parent / "locale")]
