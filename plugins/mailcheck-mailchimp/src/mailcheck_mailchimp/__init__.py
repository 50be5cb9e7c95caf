"""mailcheck plugin for Mailchimp audience exports.

Mailchimp exports an audience as a ZIP holding one CSV per status. The status is *not* a
column: it is only in the file name (``subscribed_…``, ``unsubscribed_…``, ``cleaned_…``,
``nonsubscribed_…``), in the current ``*_email_audience_export_<id>.csv`` and the older
``*_members_export_<id>.csv`` naming. This plugin reads the status from the name (loose
file or ZIP member), falls back on the column layout (``UNSUB_TIME`` only exists in the
unsubscribed file, ``CLEAN_TIME`` only in the cleaned one), maps the fixed UPPERCASE
system columns onto the canonical frame and declares Mailchimp's merge tags.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mailcheck import ContactFormat, ProviderMatch, hookimpl, t

# pandas is imported inside the functions that run on a contact list: a run that reads
# none (one template) loads this plugin without it (docs/plugins.md, "Plugin loading").
if TYPE_CHECKING:
    import pandas as pd

PROVIDER = "mailchimp"

#: ``subscribed_email_audience_export_3f9a2c7b1d.csv``, ``cleaned_members_export_b7206ee42e.csv``;
#: other words before ``export`` (a segment export, a hand-renamed copy) are accepted too.
STATUS_FILE_NAME = re.compile(
    r"^(?P<status>nonsubscribed|unsubscribed|subscribed|cleaned)[_ -]"
    r"(?:[a-z0-9]+[_ -])*?export",
    re.IGNORECASE,
)
#: The SMS-only file of accounts with SMS marketing: its columns are not documented.
SMS_FILE_NAME = re.compile(r"^sms_only_audience_export", re.IGNORECASE)

#: Fixed system columns that Mailchimp appends after the merge fields, in every file.
SYSTEM_COLUMNS = frozenset(
    {
        "MEMBER_RATING",
        "OPTIN_TIME",
        "OPTIN_IP",
        "CONFIRM_TIME",
        "CONFIRM_IP",
        "GMTOFF",
        "DSTOFF",
        "TIMEZONE",
        "LEID",
        "EUID",
        "LAST_CHANGED",
        "UNSUB_TIME",
        "UNSUB_CAMPAIGN_ID",
        "CLEAN_TIME",
        "CLEAN_CAMPAIGN_ID",
    }
)
#: How many of them a header needs before we call it a Mailchimp export.
MIN_SYSTEM_COLUMNS = 4

#: File-name status word -> canonical status. A non-subscribed contact interacted (a
#: purchase, a transactional mail) without ever opting in: Mailchimp sends it no
#: campaign, so it is not judged as a subscriber (a send list that holds it is).
FILE_STATUSES = {
    "subscribed": "subscribed",
    "unsubscribed": "unsubscribed",
    "cleaned": "cleaned",
    "nonsubscribed": "nonsubscribed",
}

# Mailchimp writes "2015-03-16 14:40:47" (no zone). The shorter forms are what Excel
# leaves after a re-save; accepted because the reference marks re-saves as common.
DATE_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def normalize(frame: pd.DataFrame) -> pd.DataFrame:
    """``CLEAN_TIME`` (the cleaned file's bounce date) as a date: ``cleaned_at``, the
    date a cleaned member left the audience (MC220 counts retention from it). The core
    parses only its own date columns, so the plugin reads this one with the export's
    formats."""
    import pandas as pd

    if "cleaned_at" in frame:
        raw = frame["cleaned_at"].fillna("").astype(str).str.strip()
        parsed = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[s]")
        for form in DATE_FORMATS:
            missing = parsed.isna() & (raw != "")
            if not missing.any():
                break
            parsed[missing] = pd.to_datetime(raw[missing], format=form, errors="coerce")
        frame["cleaned_at"] = parsed
    return frame


def status_from_name(path: Path) -> str | None:
    """The file-name status word (``subscribed``, ``nonsubscribed``…) or ``None``."""
    match = STATUS_FILE_NAME.match(path.name)
    return match.group("status").lower() if match else None


def system_columns(header: list[str]) -> list[str]:
    """Mailchimp system columns present in ``header``, in header order."""
    return [column for column in header if column in SYSTEM_COLUMNS]


def status_from_layout(header: list[str]) -> str | None:
    """Status implied by the column layout: only the unsubscribed file has ``UNSUB_TIME``,
    only the cleaned file has ``CLEAN_TIME``."""
    names = set(header)
    if "UNSUB_TIME" in names:
        return "unsubscribed"
    if "CLEAN_TIME" in names:
        return "cleaned"
    return None


@hookimpl
def mailcheck_detect_provider(path: Path, header: list[str]) -> ProviderMatch | None:
    name_status = status_from_name(path)
    found = system_columns(header)
    header_matches = len(found) >= MIN_SYSTEM_COLUMNS
    shown = ", ".join(found[:4])
    if name_status and header_matches:
        return ProviderMatch(
            PROVIDER,
            100,
            t(
                "file name {name} is a Mailchimp {status} export; header has {columns}",
                name=repr(path.name),
                status=name_status,
                columns=shown,
            ),
        )
    if header_matches:
        return ProviderMatch(
            PROVIDER, 70, t("header has Mailchimp system columns {columns}", columns=shown)
        )
    if name_status or SMS_FILE_NAME.match(path.name):
        return ProviderMatch(
            PROVIDER,
            40,
            t("file name {name} follows Mailchimp's export naming", name=repr(path.name)),
        )
    return None


@hookimpl
def mailcheck_contact_format(provider: str, path: Path, header: list[str]) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    constants: dict[str, Any] = {}
    hints: dict[str, Any] = {}
    name_status = status_from_name(path)
    layout_status = status_from_layout(header)
    if name_status:
        constants["status"] = FILE_STATUSES[name_status]
        hints["status_source"] = "file name"
        hints["file_status"] = name_status
    elif layout_status:
        constants["status"] = layout_status
        hints["status_source"] = "column layout"
        hints["file_status"] = layout_status
    else:
        hints["status_source"] = None
    return ContactFormat(
        provider=PROVIDER,
        columns={
            # The address column is headed by the EMAIL merge field's *label*, which the
            # account can rename or translate; the core's synonyms catch the others.
            "email": ["Email Address", "E-mail Address", "Email", "E-mail"],
            "consent_at": ["OPTIN_TIME"],
            "consent_ip": ["OPTIN_IP"],
            "confirmed_at": ["CONFIRM_TIME"],
            "confirm_ip": ["CONFIRM_IP"],
            "unsubscribed_at": ["UNSUB_TIME"],
            "unsubscribe_reason": ["UNSUB_REASON"],
            "cleaned_at": ["CLEAN_TIME"],
            "country": ["CC"],
        },
        date_formats={"*": DATE_FORMATS},
        status_values={word: status for word, status in FILE_STATUSES.items()},
        constants=constants,
        hints=hints,
        normalize=normalize,
    )


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    # Mailchimp merge tags are case-insensitive: list the forms templates really use.
    return {
        "unsubscribe": ["*|UNSUB|*", "*|unsub|*", "*|Unsub|*"],
        "preferences": ["*|UPDATE_PROFILE|*", "*|update_profile|*"],
        "postal_address": [
            "*|HTML:LIST_ADDRESS_HTML|*",
            "*|LIST_ADDRESS_HTML|*",
            "*|LIST:ADDRESS|*",
            "*|LIST:ADDRESSLINE|*",
            "*|LIST_ADDRESS|*",
        ],
        "web_version": ["*|ARCHIVE|*", "*|archive|*"],
    }


@hookimpl
def mailcheck_rules() -> list[type]:
    from mailcheck_mailchimp.rules import ImportedWithoutOptin

    return [ImportedWithoutOptin]


@hookimpl
def mailcheck_removals_layout(provider: str):
    """The clean-up list as Mailchimp's contact import reads it: ``Email Address`` and a
    ``Tags`` cell (``mailcheck-suppress``, ``mailcheck-delete``,
    ``mailcheck-re-permission``), comma-separated UTF-8. Import it with the status
    "Unsubscribed" for the ``suppress`` rows, or tag then archive/delete the others."""
    if provider != "mailchimp":
        return None
    from mailcheck.campaign import RemovalsLayout

    return RemovalsLayout(
        header=("Email Address", "Tags"),
        row=lambda removal: (removal.address, f"mailcheck-{removal.action}"),
        delimiter=",",
        encoding="utf-8",
    )


@hookimpl
def mailcheck_catalogs() -> list[str]:
    """The French of this plugin's messages and rule docs (``locale/fr/LC_MESSAGES``)."""
    return [str(Path(__file__).parent / "locale")]
