"""mailcheck plugin for MailerLite subscriber exports.

No full MailerLite export header was found in public material, so this plugin accepts the
plausible layouts and says why it claimed a file:

* classic MailerLite: the address column is headed ``Subscriber`` (not ``Email``),
  followed by ``Name``, ``Last name``, ``Subscribed`` (date) and ``Groups``;
* classic API field names: ``signup_ip``, ``signup_timestamp``, ``confirmation_ip``,
  ``confirmation_timestamp``, ``type``;
* new MailerLite API field names: ``opted_in_at``, ``optin_ip``, ``subscribed_at``,
  ``ip_address``, ``unsubscribed_at``, ``status``.
"""

from __future__ import annotations

from pathlib import Path

from mailcheck import ContactFormat, ProviderMatch, hookimpl, t

PROVIDER = "mailerlite"

CLASSIC_UI = ("Subscribed", "Groups", "Last name")
CLASSIC_API = ("signup_timestamp", "confirmation_timestamp", "signup_ip", "confirmation_ip")
NEW_API = ("opted_in_at", "optin_ip")

#: ``status`` (new) and ``type`` (classic) values -> canonical status.
STATUSES = {
    "active": "subscribed",
    "unsubscribed": "unsubscribed",
    "unconfirmed": "pending",
    "bounced": "cleaned",
    "junk": "blocklisted",  # spam complaints
    "": "unknown",
}

# API and exports write "yyyy-MM-dd HH:mm:ss" (UTC for the classic API).
DATE_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def _names(header: list[str]) -> set[str]:
    """The header's names (the core reader already stripped them of spaces and BOM)."""
    return set(header)


@hookimpl
def mailcheck_detect_provider(header: list[str]) -> ProviderMatch | None:
    names = _names(header)
    new = [c for c in NEW_API if c in names]
    if new and names & {"email", "Email"}:
        shown = ", ".join(new)
        return ProviderMatch(PROVIDER, 60, t("header has MailerLite's {columns}", columns=shown))
    classic_api = [c for c in CLASSIC_API if c in names]
    if len(classic_api) >= 2 and names & {"email", "Email"}:
        shown = ", ".join(classic_api[:2])
        return ProviderMatch(
            PROVIDER, 60, t("header has MailerLite Classic's {columns}", columns=shown)
        )
    classic_ui = [c for c in CLASSIC_UI if c in names]
    if "Subscriber" in names and classic_ui:
        shown = ", ".join(classic_ui)
        return ProviderMatch(
            PROVIDER, 50, t("address column headed 'Subscriber' with {columns}", columns=shown)
        )
    return None


@hookimpl
def mailcheck_contact_format(provider: str) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    return ContactFormat(
        provider=PROVIDER,
        columns={
            "email": ["Subscriber", "email", "Email"],
            "status": ["status", "type", "Status", "Type"],
            # sign-up = the consent event; the DOI confirmation is separate
            "consent_at": ["subscribed_at", "signup_timestamp", "Subscribed", "Date subscribed"],
            "consent_ip": ["ip_address", "signup_ip", "Signup IP"],
            "confirmed_at": ["opted_in_at", "confirmation_timestamp"],
            "confirm_ip": ["optin_ip", "confirmation_ip"],
            "unsubscribed_at": ["unsubscribed_at"],
            "groups": ["Groups", "groups"],
            "country": ["country", "Country"],
        },
        date_formats={"*": DATE_FORMATS},
        status_values=STATUSES,
    )


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    # Not confirmed by any source found (providers.md §4): plausible forms, declared so a
    # template using them is not reported as missing an unsubscribe link.
    return {
        "unsubscribe": ["{$unsubscribe}", "{$unsubscribe_url}"],
        "preferences": ["{$preferences}", "{$preferences_url}"],
        "web_version": ["{$url}", "{$webversion}"],
    }


@hookimpl
def mailcheck_rules() -> list[type]:
    from mailcheck_mailerlite.rules import SingleOptIn

    return [SingleOptIn]


@hookimpl
def mailcheck_catalogs() -> list[str]:
    """The French of this plugin's messages and rule docs (``locale/fr/LC_MESSAGES``)."""
    return [str(Path(__file__).parent / "locale")]
