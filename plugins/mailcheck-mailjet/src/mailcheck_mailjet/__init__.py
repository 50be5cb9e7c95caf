"""mailcheck plugin for Mailjet contact exports.

No public file quotes Mailjet's contact-list export header, so this plugin claims only
layouts with Mailjet-specific names, each with a modest score and a reason that says so:

* the contact object's field names (``IsExcludedFromCampaigns``, ``IsOptInPending``,
  ``UnsubscribedAt``…), as written by API-based exports;
* the contact-statistics export (``email,sent,hard_bounce,soft_bounce,blocked,spam``,
  counts) and the message-events export (``Email,status,blocked,soft_bounce,hard_bounce``,
  TRUE/FALSE), which tell which addresses bounced or complained.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mailcheck import ContactFormat, ProviderMatch, hookimpl, t

# pandas is imported inside the functions that run on a contact list: a run that reads
# none (one template) loads this plugin without it (docs/plugins.md, "Plugin loading").
if TYPE_CHECKING:
    import pandas as pd

PROVIDER = "mailjet"

API_FIELDS = (
    "IsExcludedFromCampaigns",
    "IsOptInPending",
    "UnsubscribedAt",
    "UnsubscribedBy",
    "ExclusionFromCampaignsUpdatedAt",
    "IsSpamComplaining",
    "DeliveredCount",
)
STATISTICS = frozenset({"hard_bounce", "soft_bounce", "blocked"})

TRUE_WORDS = frozenset({"true", "yes", "1", "oui", "vrai"})

#: Event words of the message-events export (``status``) -> canonical status.
EVENT_STATUSES = {
    "spam": "blocklisted",
    "unsub": "unsubscribed",
    "unsubscribed": "unsubscribed",
    "bounce": "cleaned",
    "hardbounce": "cleaned",
    "hard_bounce": "cleaned",
    "sent": "unknown",
    "opened": "unknown",
    "clicked": "unknown",
    "blocked": "unknown",
    "softbounce": "unknown",
    "queued": "unknown",
    "deferred": "unknown",
    "": "unknown",
}

# API dates are ISO 8601; account-locale formats of the UI (mm/dd/yyyy for US accounts,
# dd/mm/yyyy elsewhere) cannot be told apart per value: set them with `date-formats`.
DATE_FORMATS = ["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]

#: Flag columns (canonical name -> status it implies when true), most serious first.
FLAGS = (
    ("spam_complaint", "blocklisted"),
    ("excluded", "blocklisted"),
    ("hard_bounced", "cleaned"),
    ("unsubscribed_at", "unsubscribed"),  # a date: set means unsubscribed
    ("optin_pending", "pending"),
)


#: ``UnsubscribedAt`` is also kept raw: a date written in an account-locale format the
#: reader does not parse (``le 2 juin``, no year) is still an unsubscribe (:func:`normalize`).
RAW_UNSUBSCRIBED = "_mailjet_unsubscribed_raw"


def _names(header: list[str]) -> set[str]:
    """The header's names (the core reader already stripped them of spaces and BOM)."""
    return set(header)


@hookimpl
def mailcheck_detect_provider(header: list[str]) -> ProviderMatch | None:
    names = _names(header)
    lower = {name.lower() for name in names}
    if "email" not in lower:
        return None
    api = [c for c in API_FIELDS if c in names]
    if api:
        return ProviderMatch(
            PROVIDER,
            50,
            t("header has Mailjet contact fields {columns}", columns=", ".join(api[:3])),
        )
    if is_campaign_report(header):
        return ProviderMatch(
            PROVIDER,
            40,
            t("header has Mailjet's statistics columns hard_bounce, soft_bounce, blocked"),
        )
    return None


def to_flag(values: pd.Series) -> pd.Series:
    """TRUE/FALSE flags or event counts -> bool (a count above zero is true)."""
    import pandas as pd

    text = values.fillna("").astype(str).str.strip().str.lower()
    counts = pd.to_numeric(text, errors="coerce").fillna(0)
    return text.isin(TRUE_WORDS) | (counts > 0)


def normalize(frame: pd.DataFrame) -> pd.DataFrame:
    if "status" not in frame:
        frame["status"] = "unknown"
    status = frame["status"].fillna("unknown").astype(str)
    decided = status != "unknown"
    raw_unsubscribed = frame.pop(RAW_UNSUBSCRIBED) if RAW_UNSUBSCRIBED in frame else None
    for column, canonical in FLAGS:
        if column not in frame:
            continue
        if column == "unsubscribed_at":
            # set means unsubscribed, whether or not its date format could be read
            flag = frame[column].notna()
            if raw_unsubscribed is not None:
                flag |= raw_unsubscribed.fillna("").astype(str).str.strip().ne("")
        else:
            frame[column] = to_flag(frame[column])
            flag = frame[column]
        hit = flag & ~decided
        status = status.where(~hit, canonical)
        decided |= hit
    frame["status"] = status
    return frame


def is_campaign_report(header: list[str]) -> bool:
    """The statistics or message-events export: what campaigns did to each address,
    not a list anybody is sent to (no contact fields)."""
    names = _names(header)
    return not any(c in names for c in API_FIELDS) and {n.lower() for n in names} >= STATISTICS


@hookimpl
def mailcheck_contact_format(provider: str, header: list[str]) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    return ContactFormat(
        provider=PROVIDER,
        columns={
            "email": ["Email", "email"],
            "status": ["status", "Status"],
            "created_at": ["CreatedAt"],
            "unsubscribed_at": ["UnsubscribedAt"],
            RAW_UNSUBSCRIBED: ["UnsubscribedAt"],
            "excluded": ["IsExcludedFromCampaigns"],
            "optin_pending": ["IsOptInPending"],
            "spam_complaint": ["IsSpamComplaining", "spam"],
            "hard_bounced": ["hard_bounce"],
        },
        date_formats={"*": DATE_FORMATS},
        status_values=EVENT_STATUSES,
        normalize=normalize,
        # Its unsubscribes and complaints still apply to the other lists (MC201).
        role="send-log" if is_campaign_report(header) else None,
    )


#: Locales of the documented ``[[UNSUB_LINK_XX]]`` tags; the ``[[UNSUB_LINK_`` opening
#: covers the others (the suffix only picks the language of the unsubscribe page).
LOCALES = ("EN", "FR", "DE", "ES", "IT", "NL", "PT")


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    return {
        "unsubscribe": [f"[[UNSUB_LINK_{code}]]" for code in LOCALES] + ["[[UNSUB_LINK_"],
        "web_version": ["[[PERMALINK]]"],
    }


@hookimpl
def mailcheck_catalogs() -> list[str]:
    """The French of this plugin's messages and rule docs (``locale/fr/LC_MESSAGES``)."""
    return [str(Path(__file__).parent / "locale")]
