"""mailcheck plugin for Brevo (formerly Sendinblue) contact exports.

Brevo exports contacts as a semicolon-delimited CSV, UTF-8 with a BOM, dates written
``DD-MM-YYYY``. Its attribute names are UPPERCASE; ``EMAIL``, ``ADDED_TIME`` and
``MODIFIED_TIME`` are always there, the first name / last name attributes follow the
account's language (``FIRSTNAME`` / ``PRENOM``), so detection never relies on them.
``DOUBLE_OPT-IN`` is a category attribute (1 = confirmed, 2 = not) and ``OPT_IN`` a
boolean set by Brevo's GDPR forms; the default export has no unsubscribe/blocklist column.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mailcheck import ContactFormat, ProviderMatch, hookimpl, t

# pandas is imported inside the functions that run on a contact list: a run that reads
# none (one template) loads this plugin without it (docs/plugins.md, "Plugin loading").
if TYPE_CHECKING:
    import pandas as pd

PROVIDER = "brevo"

#: Present in every export (Brevo's "mandatory attributes").
REQUIRED = frozenset({"EMAIL"})
TIMESTAMPS = frozenset({"ADDED_TIME", "MODIFIED_TIME"})
#: Default attributes only Brevo's UI export writes.
SIGNATURE = (
    "CONTACT ID",
    "DOUBLE_OPT-IN",
    "OPT_IN",
    "EXT_ID",
    "CONTACT_TIMEZONE",
    "LANDLINE_NUMBER",
    "WHATSAPP",
)

#: ``DOUBLE_OPT-IN`` holds the category's code (1 Yes, 2 No) or, in some exports, its label;
#: ``OPT_IN`` a boolean written Yes/empty or true/false (the exact spelling is inferred).
TRUE_WORDS = frozenset({"1", "yes", "oui", "true", "vrai", "ja", "si", "sí"})
FALSE_WORDS = frozenset({"2", "0", "no", "non", "false", "faux", "nein"})

#: ``EMAIL_BLACKLISTED`` (seen in one third-party preset only) -> canonical status.
BLOCKLIST_STATUSES = (
    {word: "blocklisted" for word in TRUE_WORDS}
    | {word: "subscribed" for word in FALSE_WORDS}
    | {"": "unknown"}
)

DATE_FORMATS = [
    "%d-%m-%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
]


def _names(header: list[str]) -> dict[str, str]:
    """Upper-cased header name -> the header's own spelling (Brevo attributes are
    upper-case; a re-saved file may not be). The core reader already stripped the
    names of spaces and BOM."""
    return {column.upper(): column for column in header}


def resolve(header: list[str], candidates: list[str]) -> list[str]:
    """``candidates`` spelled as in ``header`` when they match ignoring case."""
    names = _names(header)
    return [names.get(candidate.upper(), candidate) for candidate in candidates]


@hookimpl
def mailcheck_detect_provider(header: list[str]) -> ProviderMatch | None:
    names = set(_names(header))
    if not names >= REQUIRED or not names & TIMESTAMPS:
        return None
    extra = [column for column in SIGNATURE if column in names]
    stamps = ", ".join(sorted(names & TIMESTAMPS))
    if extra:
        reason = t(
            "header has EMAIL, {dates}, and Brevo's own {columns}",
            dates=stamps,
            columns=", ".join(extra[:3]),
        )
        return ProviderMatch(PROVIDER, 80, reason)
    return ProviderMatch(
        PROVIDER, 50, t("header has Brevo's mandatory EMAIL and {dates}", dates=stamps)
    )


def to_boolean(values: pd.Series) -> pd.Series:
    """Brevo yes/no attribute values -> True / False / <NA> (anything unrecognised)."""
    import pandas as pd

    folded = values.fillna("").astype(str).str.strip().str.lower()
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result[folded.isin(TRUE_WORDS)] = True
    result[folded.isin(FALSE_WORDS)] = False
    return result


def normalize(frame: pd.DataFrame) -> pd.DataFrame:
    """``DOUBLE_OPT-IN`` / ``OPT_IN`` -> booleans; a ticked GDPR opt-in means consent."""
    if "double_opt_in" in frame:
        frame["double_opt_in"] = to_boolean(frame["double_opt_in"])
    if "opt_in" in frame:
        frame["opt_in"] = to_boolean(frame["opt_in"])
        consented = frame["opt_in"].fillna(False).astype(bool)
        if "legal_basis" not in frame:
            frame["legal_basis"] = "unknown"
        basis = frame["legal_basis"].fillna("").astype(str).str.strip()
        missing = basis.isin(["", "unknown"])
        frame["legal_basis"] = basis.where(~missing, "unknown").where(
            ~(consented & missing), "consent"
        )
    return frame


@hookimpl
def mailcheck_contact_format(provider: str, header: list[str]) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    columns = {
        "email": ["EMAIL"],
        "created_at": ["ADDED_TIME"],
        # no blocklist column in the default export; these names are guesses (see README)
        "status": ["EMAIL_BLACKLISTED", "EMAIL_BLOCKLISTED", "BLACKLISTED", "BLOCKLISTED"],
        "double_opt_in": ["DOUBLE_OPT-IN", "DOUBLE_OPT_IN"],
        "opt_in": ["OPT_IN"],
        "country": ["COUNTRY", "PAYS"],
    }
    return ContactFormat(
        provider=PROVIDER,
        columns={name: resolve(header, candidates) for name, candidates in columns.items()},
        date_formats={"*": DATE_FORMATS},
        status_values=BLOCKLIST_STATUSES,
        normalize=normalize,
        hints={"status_source": "EMAIL_BLACKLISTED column, when exported"},
    )


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    return {
        # new template language, then the old one
        "unsubscribe": ["{{ unsubscribe }}", "{{unsubscribe}}", "[UNSUBSCRIBE]", "[unsubscribe]"],
        "preferences": ["{{ update_profile }}", "{{update_profile}}"],
        "web_version": ["{{ mirror }}", "{{mirror}}", "[MIRROR]"],
        # only seen in third-party notes (inferred); Brevo's footer block is plain text
        "postal_address": ["{{ sender.address }}", "{{sender.address}}"],
    }


@hookimpl
def mailcheck_rules() -> list[type]:
    from mailcheck_brevo.rules import NoOptinRecord

    return [NoOptinRecord]


@hookimpl
def mailcheck_catalogs() -> list[str]:
    """The French of this plugin's messages and rule docs (``locale/fr/LC_MESSAGES``)."""
    return [str(Path(__file__).parent / "locale")]
