"""mailcheck plugin for Klaviyo list and segment exports ("Export to CSV").

The user picks the exported properties, so only ``Email`` is certain; detection relies on
Klaviyo-only columns (``Klaviyo ID``, ``Email Marketing Consent``, ``Email Suppressions``).
The status of a profile is two facts in Klaviyo: its email marketing *consent state*
(``SUBSCRIBED``, ``UNSUBSCRIBED``, ``NEVER_SUBSCRIBED``) and its *suppressions*
(``HARD_BOUNCE``, ``SPAM_COMPLAINT``, ``UNSUBSCRIBE``...). A suppression wins: a
suppressed profile is never sent to, whatever its consent says. Both facts are kept
(``marketing_status``, ``suppression_reason``) for the rules that need the contradiction.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mailcheck import ContactFormat, ProviderMatch, hookimpl, t

# pandas is imported inside the functions that run on a contact list: a run that reads
# none (one template) loads this plugin without it (docs/plugins.md, "Plugin loading").
if TYPE_CHECKING:
    import pandas as pd

PROVIDER = "klaviyo"

#: Columns no other provider writes, strongest first.
KLAVIYO_ONLY = ("Klaviyo ID",)
CONSENT_COLUMNS = (
    "Email Marketing Consent",
    "Email Suppressions",
    "Email Marketing Consent Timestamp",
)

#: Consent state -> canonical status. Klaviyo's docs write "NEVER SUBSCRIBED", the API and
#: exports ``NEVER_SUBSCRIBED``: both accepted. Never subscribed = no consent on record.
CONSENT_STATUSES = {
    "subscribed": "subscribed",
    "unsubscribed": "unsubscribed",
    "never_subscribed": "unknown",
    "never subscribed": "unknown",
    "": "unknown",
}

#: Suppression reason -> canonical status, most serious first. The API enum says
#: ``UNSUBSCRIBE``, CSV samples ``UNSUBSCRIBED``: the substring covers both.
SUPPRESSIONS = (
    ("SPAM_COMPLAINT", "blocklisted"),
    ("USER_SUPPRESSED", "blocklisted"),
    ("UNSUBSCRIBE", "unsubscribed"),
    ("HARD_BOUNCE", "cleaned"),
    ("INVALID_EMAIL", "cleaned"),
)

# CSV samples show both "2024-03-12 09:14:02" and ISO with a zone ("…T…Z"); a zone other
# than Z/UTC is read as if it were UTC (a day is all the retention rules need).
DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
]


def _names(header: list[str]) -> dict[str, str]:
    """Lower-cased header name -> the header's own spelling. The core reader gives clean
    names; the cleaning stays here for callers of the hook that pass a raw header (the
    plugin's tests call detection with a BOM still on the first name)."""
    return {column.strip().lstrip("\ufeff").lower(): column for column in header}


def resolve(header: list[str], candidates: list[str]) -> list[str]:
    """``candidates`` spelled as in ``header`` when they match ignoring case (a re-saved
    export may change the case); unmatched candidates are kept as they are."""
    names = _names(header)
    return [names.get(candidate.lower(), candidate) for candidate in candidates]


@hookimpl
def mailcheck_detect_provider(header: list[str]) -> ProviderMatch | None:
    names = _names(header)
    if "email" not in names:
        return None
    own = [column for column in KLAVIYO_ONLY if column.lower() in names]
    consent = [column for column in CONSENT_COLUMNS if column.lower() in names]
    if own:
        shown = ", ".join(own + consent[:2])
        return ProviderMatch(
            PROVIDER, 90, t("header has Klaviyo's columns {columns}", columns=shown)
        )
    if consent:
        shown = ", ".join(consent)
        return ProviderMatch(
            PROVIDER, 70, t("header has Klaviyo's consent columns {columns}", columns=shown)
        )
    return None


def consent_state(values: pd.Series) -> pd.Series:
    """``never subscribed`` / ``Never_Subscribed`` -> ``NEVER_SUBSCRIBED`` (empty stays empty)."""
    return values.fillna("").astype(str).str.strip().str.upper().str.replace(" ", "_", regex=False)


#: Cell values that mean "no suppression" (an empty list written by some exports).
NO_SUPPRESSION = frozenset({"", "NONE", "NULL", "NAN", "N/A", "FALSE", "-"})


def suppression_reasons(values: pd.Series) -> pd.Series:
    """Upper-cased reasons, ``""`` when the cell holds no suppression (``[]``, ``None``)."""
    reasons = values.fillna("").astype(str).str.upper().str.strip()
    bare = reasons.str.replace(r"[\[\]{}()\"' ]", "", regex=True)
    return reasons.where(~bare.isin(NO_SUPPRESSION), "")


def normalize(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical consent states; a suppression overrides the status it implies.

    The two facts stay apart as well: ``marketing_status`` is what the consent state says
    (``subscribed`` ...) and ``suppression_reason`` the suppression (``SPAM_COMPLAINT``),
    so a profile subscribed in the list but suppressed by Klaviyo is still seen as both
    (MC202: importing the list elsewhere would mail it)."""
    import pandas as pd

    if "consent_state" in frame:
        frame["consent_state"] = consent_state(frame["consent_state"])
    if "suppressions" in frame:
        reasons = suppression_reasons(frame["suppressions"])
        frame["suppressions"] = reasons
        frame["suppression_reason"] = reasons
        if "status" not in frame:
            frame["status"] = "unknown"
        frame["marketing_status"] = frame["status"].astype(str)
        status = frame["status"].astype(object)
        decided = pd.Series(False, index=frame.index)
        for reason, canonical in SUPPRESSIONS:
            hit = reasons.str.contains(reason, regex=False) & ~decided
            status[hit] = canonical
            decided |= hit
        # a suppression of a kind not listed here still means "do not send"
        status[(reasons != "") & ~decided] = "blocklisted"
        frame["status"] = status.astype(str)
    return frame


@hookimpl
def mailcheck_contact_format(provider: str, header: list[str]) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    columns = {
        "email": ["Email"],
        "status": ["Email Marketing Consent"],
        # the raw state too: NEVER_SUBSCRIBED and UNSUBSCRIBED are both "not subscribed"
        # but only one of them ever was
        "consent_state": ["Email Marketing Consent"],
        "suppressions": ["Email Suppressions"],
        "consent_at": ["Email Marketing Consent Timestamp"],
        "consent_source": ["Source"],
        "consent_ip": ["IP Address"],
        "created_at": ["Profile Created On", "Date Added"],
        # "Last Active" and "Last Open" count opens: not activity, which is clicks,
        # purchases and replies (MC203, GDPR art. 5(1)(e); docs/plugins.md, section 4)
        "last_activity_at": ["Last Click"],
        "country": ["Country"],
    }
    return ContactFormat(
        provider=PROVIDER,
        columns={name: resolve(header, candidates) for name, candidates in columns.items()},
        date_formats={"*": DATE_FORMATS},
        status_values=CONSENT_STATUSES,
        normalize=normalize,
    )


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    return {
        # {% unsubscribe 'text' %} takes an optional link text: its opening is enough
        "unsubscribe": [
            "{% unsubscribe %}",
            "{%unsubscribe%}",
            "{% unsubscribe '",
            '{% unsubscribe "',
            "{% unsubscribe_link %}",
            "{%unsubscribe_link%}",
        ],
        "preferences": [
            "{% manage_preferences %}",
            "{% manage_preferences_link %}",
            "{% manage_preferences '",
            '{% manage_preferences "',
        ],
        "postal_address": [
            "{{ organization.full_address }}",
            "{{organization.full_address}}",
        ],
        "web_version": ["{% web_view %}", "{% web_view_link %}", "{% web_view '", '{% web_view "'],
    }


@hookimpl
def mailcheck_rules() -> list[type]:
    from mailcheck_klaviyo.rules import NeverSubscribedInList

    return [NeverSubscribedInList]


@hookimpl
def mailcheck_catalogs() -> list[str]:
    """The French of this plugin's messages and rule docs (``locale/fr/LC_MESSAGES``)."""
    return [str(Path(__file__).parent / "locale")]
