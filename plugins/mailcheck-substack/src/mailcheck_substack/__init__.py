"""mailcheck plugin for Substack subscriber exports.

Substack's export ZIP holds ``email_list.<publication>.csv`` (``email,
active_subscription, expiry, [plan,] email_disabled, [prefer_digests,] created_at…``, ISO
timestamps ``2024-01-15T10:00:00.000Z``). The dashboard's subscriber export is another
layout, headed ``Email,Name,Subscription type,Activity,Subscription date,…``.
``email_disabled = true`` means the reader no longer receives e-mail.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from mailcheck import ContactFormat, ProviderMatch, hookimpl, t

# pandas is imported inside the functions that run on a contact list: a run that reads
# none (one template) loads this plugin without it (docs/plugins.md, "Plugin loading").
if TYPE_CHECKING:
    import pandas as pd

PROVIDER = "substack"

EMAIL_LIST_NAME = re.compile(r"^email_list\b.*\.csv$", re.IGNORECASE)
EMAIL_LIST_COLUMNS = ("email_disabled", "active_subscription")
DASHBOARD_COLUMNS = ("Subscription type", "Subscription date")
DASHBOARD_EXTRA = ("Receiving emails for", "Email last opened at", "Is Bestseller", "Revenue")

TRUE_WORDS = frozenset({"true", "t", "yes", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "0"})

DATE_FORMATS = ["%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]


def _names(header: list[str]) -> set[str]:
    """The header's names (the core reader already stripped them of spaces and BOM)."""
    return set(header)


@hookimpl
def mailcheck_detect_provider(path: Path, header: list[str]) -> ProviderMatch | None:
    names = _names(header)
    own = [c for c in EMAIL_LIST_COLUMNS if c in names]
    if "email" in names and own:
        shown = ", ".join(own)
        if EMAIL_LIST_NAME.match(path.name):
            reason = t(
                "Substack export file {name} with {columns}", name=repr(path.name), columns=shown
            )
            return ProviderMatch(PROVIDER, 90, reason)
        return ProviderMatch(PROVIDER, 60, t("header has Substack's {columns}", columns=shown))
    if "Email" in names and all(c in names for c in DASHBOARD_COLUMNS):
        extra = [c for c in DASHBOARD_EXTRA if c in names]
        score = 70 if extra else 50
        shown = ", ".join([*DASHBOARD_COLUMNS, *extra[:1]])
        reason = t("header has the Substack dashboard export's {columns}", columns=shown)
        return ProviderMatch(PROVIDER, score, reason)
    return None


def to_boolean(values: pd.Series) -> pd.Series:
    import pandas as pd

    folded = values.fillna("").astype(str).str.strip().str.lower()
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result[folded.isin(TRUE_WORDS)] = True
    result[folded.isin(FALSE_WORDS)] = False
    return result


def normalize(frame: pd.DataFrame) -> pd.DataFrame:
    """``email_disabled`` -> status; ``active_subscription`` -> ``paid`` boolean."""
    import pandas as pd

    if "opted_out" in frame:
        disabled = to_boolean(frame["opted_out"])
        frame["opted_out"] = disabled
        status = pd.Series("unknown", index=frame.index, dtype=object)
        status[disabled.fillna(False).astype(bool)] = "unsubscribed"
        status[(~disabled.fillna(True)).astype(bool)] = "subscribed"
        frame["status"] = status.astype(str)
    if "paid" in frame:
        frame["paid"] = to_boolean(frame["paid"])
    return frame


@hookimpl
def mailcheck_contact_format(provider: str) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    return ContactFormat(
        provider=PROVIDER,
        columns={
            "email": ["email", "Email"],
            "opted_out": ["email_disabled"],
            "paid": ["active_subscription"],
            "created_at": ["created_at", "Subscription date"],
            # a paid subscription runs until ``expiry``: the customer relationship lasts
            # at least that long (the last payment date itself is not exported)
            "last_purchase_at": ["expiry", "first_payment_at"],
            "consent_at": ["Subscription date"],
        },
        date_formats={"*": DATE_FORMATS},
        normalize=normalize,
    )


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    # Substack adds the unsubscribe footer itself (inferred): there is no tag to declare.
    return {}


@hookimpl
def mailcheck_catalogs() -> list[str]:
    """The French of this plugin's messages and rule docs (``locale/fr/LC_MESSAGES``)."""
    return [str(Path(__file__).parent / "locale")]
