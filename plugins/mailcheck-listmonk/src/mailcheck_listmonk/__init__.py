"""mailcheck plugin for listmonk subscriber exports.

listmonk's own code writes the export header ``uuid,email,name,attributes,status,
created_at,updated_at``; ``attributes`` is a JSON object, timestamps are Go's
``time.Time.String()`` (``2024-03-14 09:12:31.123456 +0000 UTC``). The per-list
subscription status (unconfirmed / confirmed / unsubscribed) is *not* in the export.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mailcheck import ContactFormat, ProviderMatch, hookimpl, t

# pandas is imported inside the functions that run on a contact list: a run that reads
# none (one template) loads this plugin without it (docs/plugins.md, "Plugin loading").
if TYPE_CHECKING:
    import pandas as pd

PROVIDER = "listmonk"

EXACT_HEADER = ("uuid", "email", "name", "attributes", "status", "created_at", "updated_at")
CORE_COLUMNS = frozenset({"uuid", "email", "attributes", "status"})

#: Subscriber status -> canonical. A disabled subscriber receives nothing, but the export
#: does not say why (an admin action, not necessarily an opt-out): ``unknown``.
STATUSES = {
    "enabled": "subscribed",
    "blocklisted": "blocklisted",
    "disabled": "unknown",
    "": "unknown",
}

#: ``created_at`` is also kept raw, because Go's time string (fractional seconds, numeric
#: offset and zone name) is not a format every reader parses: :func:`normalize` reads it.
RAW_CREATED = "_listmonk_created_raw"


def _names(header: list[str]) -> list[str]:
    """The header's names (the core reader already stripped them of spaces and BOM)."""
    return list(header)


@hookimpl
def mailcheck_detect_provider(header: list[str]) -> ProviderMatch | None:
    names = _names(header)
    if tuple(names) == EXACT_HEADER:
        return ProviderMatch(
            PROVIDER, 90, t("header is listmonk's export header, column for column")
        )
    if set(names) >= CORE_COLUMNS:
        return ProviderMatch(
            PROVIDER, 60, t("header has listmonk's uuid, email, attributes, status")
        )
    return None


def parse_go_time(values: pd.Series) -> pd.Series:
    """``2024-03-14 09:12:31.123456 +0000 UTC`` -> naive timestamp at the written clock time
    (the offset is ignored: a day is all the retention rules need)."""
    import pandas as pd

    head = values.fillna("").astype(str).str.strip().str.slice(0, 19).str.replace("T", " ")
    parsed = pd.to_datetime(head, format="%Y-%m-%d %H:%M:%S", errors="coerce")
    return parsed.astype("datetime64[ns]")


def normalize(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    if RAW_CREATED in frame:
        parsed = parse_go_time(frame.pop(RAW_CREATED))
        if "created_at" in frame:
            current = pd.to_datetime(frame["created_at"], errors="coerce").astype("datetime64[ns]")
            frame["created_at"] = current.fillna(parsed)
        else:
            frame["created_at"] = parsed
    return frame


@hookimpl
def mailcheck_contact_format(provider: str) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    return ContactFormat(
        provider=PROVIDER,
        columns={
            "email": ["email"],
            "status": ["status"],
            "created_at": ["created_at"],
            RAW_CREATED: ["created_at"],
        },
        status_values=STATUSES,
        normalize=normalize,
    )


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    return {
        "unsubscribe": ["{{ UnsubscribeURL }}", "{{UnsubscribeURL}}"],
        "preferences": ["{{ ManageURL }}", "{{ManageURL}}"],
        "web_version": ["{{ MessageURL }}", "{{MessageURL}}"],
    }


@hookimpl
def mailcheck_catalogs() -> list[str]:
    """The French of this plugin's messages and rule docs (``locale/fr/LC_MESSAGES``)."""
    return [str(Path(__file__).parent / "locale")]
