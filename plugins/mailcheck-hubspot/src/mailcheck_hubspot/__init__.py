"""mailcheck plugin for HubSpot contact exports.

A HubSpot export starts with ``Record ID`` followed by the columns of the exported view,
labelled with the property *labels* (``Create Date``, ``Unsubscribed from all email``) or,
in API-driven exports, the internal names (``createdate``, ``hs_email_optout``). Consent
lives in a few properties: the global opt-out boolean, the double opt-in confirmation
status and the GDPR legal basis.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mailcheck import ContactFormat, ProviderMatch, hookimpl, t

# pandas is imported inside the functions that run on a contact list: a run that reads
# none (one template) loads this plugin without it (docs/plugins.md, "Plugin loading").
if TYPE_CHECKING:
    import pandas as pd

PROVIDER = "hubspot"

# An account whose language is French exports the same properties under their French
# labels (the export uses the labels of the user's language) [INF: HubSpot's French UI].
ID_COLUMNS = ("Record ID", "hs_object_id", "ID de fiche d'informations")
EMAIL_COLUMNS = ("Email", "email", "E-mail")
VIEW_COLUMNS = (
    "Contact owner",
    "Lead Status",
    "Create Date",
    "Lifecycle Stage",
    "Last Activity Date",
    "Associated Company",
    "createdate",
    "hubspot_owner_id",
    "Propriétaire du contact",
    "Statut du lead",
    "Date de création",
    "Phase du cycle de vie",
    "Date de la dernière activité",
)
CONSENT_COLUMNS = (
    "Unsubscribed from all email",
    "Marketing email confirmation",
    "Legal basis for processing contact's data",
    "Marketing contact status",
    "hs_email_optout",
    "hs_emailconfirmationstatus",
    "hs_legal_basis",
    "hs_marketable_status",
    "Désabonné de tous les e-mails",
    "Confirmation d'e-mail marketing",
    "Base juridique pour le traitement des données du contact",
    "Statut du contact marketing",
)

TRUE_WORDS = frozenset({"true", "yes", "1", "oui", "vrai", "ja"})
FALSE_WORDS = frozenset({"false", "no", "0", "non", "faux", "nein"})

#: ``hs_legal_basis`` labels and internal values -> canonical legal basis. Labels use an
#: en dash in HubSpot's UI; exports re-saved by Excel may hold a hyphen: both listed.
#: "Legitimate interest - prospect/lead" is B2B prospecting in the CNIL's reading.
LEGAL_BASES = {
    "freely given consent from contact": "consent",
    "consent_with_notice": "consent",
    "legitimate interest – existing customer": "customer",
    "legitimate interest - existing customer": "customer",
    "legitimate_interest_client": "customer",
    "performance of a contract": "customer",
    "performance_of_contract": "customer",
    "legitimate interest – prospect/lead": "b2b",
    "legitimate interest - prospect/lead": "b2b",
    "legitimate_interest_prospect": "b2b",
    "legitimate interest – other": "unknown",
    "legitimate interest - other": "unknown",
    "legitimate_interest_other": "unknown",
    "not applicable": "unknown",
    "consentement librement donné par le contact": "consent",
    "intérêt légitime – client existant": "customer",
    "intérêt légitime - client existant": "customer",
    "exécution d'un contrat": "customer",
    "intérêt légitime – prospect/lead": "b2b",
    "intérêt légitime - prospect/lead": "b2b",
    "intérêt légitime – autre": "unknown",
    "intérêt légitime - autre": "unknown",
    "non applicable": "unknown",
    "non_gdpr": "unknown",
    "": "unknown",
}

#: ``Marketing contact status`` / ``hs_marketable_status`` values of a marketing contact.
MARKETABLE_WORDS = frozenset(
    {"marketing contact", "marketing", "true", "yes", "1", "contact marketing", "oui"}
)

# ISO-like export dates first; the US form only with AM/PM, which cannot be read day-first.
DATE_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%m/%d/%Y %I:%M %p"]


def _names(header: list[str]) -> set[str]:
    """The header's names (the core reader already stripped them of spaces and BOM)."""
    return set(header)


@hookimpl
def mailcheck_detect_provider(header: list[str]) -> ProviderMatch | None:
    names = _names(header)
    ids = [c for c in ID_COLUMNS if c in names]
    if not ids or not names & set(EMAIL_COLUMNS):
        return None
    consent = [c for c in CONSENT_COLUMNS if c in names]
    view = [c for c in VIEW_COLUMNS if c in names]
    if consent:
        reason = t(
            "header has {id} and HubSpot's consent columns {columns}",
            id=ids[0],
            columns=", ".join(consent[:2]),
        )
        return ProviderMatch(PROVIDER, 80, reason)
    if view:
        reason = t(
            "header has {id} and HubSpot's view columns {columns}",
            id=ids[0],
            columns=", ".join(view[:2]),
        )
        return ProviderMatch(PROVIDER, 60, reason)
    return ProviderMatch(PROVIDER, 40, t("header has {id} and an Email column", id=ids[0]))


def to_boolean(values: pd.Series) -> pd.Series:
    """HubSpot checkbox values (true/false, Yes/No) -> True / False / <NA>."""
    import pandas as pd

    folded = values.fillna("").astype(str).str.strip().str.lower()
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result[folded.isin(TRUE_WORDS)] = True
    result[folded.isin(FALSE_WORDS)] = False
    return result


def normalize(frame: pd.DataFrame) -> pd.DataFrame:
    """Opt-out and double opt-in properties -> canonical status; the latest of the
    marketing e-mail click and the form conversion -> ``last_activity_at``."""
    if "status" not in frame:
        frame["status"] = "unknown"
    status = frame["status"].fillna("unknown").astype(str)
    if "email_confirmation" in frame:
        confirmation = frame["email_confirmation"].fillna("").astype(str).str.strip().str.lower()
        pending = confirmation.str.replace(" ", "_", regex=False).str.contains("pending")
        status = status.where(~(pending & (status == "unknown")), "pending")
        # a confirmed double opt-in that was not opted out since is a subscriber
        status = status.where(
            ~((confirmation == "confirmed") & (status == "unknown")), "subscribed"
        )
    if "marketing_status" in frame:
        # "Marketing contact" (label) or true (hs_marketable_status): HubSpot counts the
        # contact among those its marketing e-mails go to
        marketable = frame["marketing_status"].fillna("").astype(str).str.strip().str.lower()
        frame["marketing_status"] = marketable.isin(MARKETABLE_WORDS).map(
            {True: "subscribed", False: ""}
        )
    if "opted_out" in frame:
        frame["opted_out"] = to_boolean(frame["opted_out"])
        opted_out = frame["opted_out"].fillna(False).astype(bool)
        status = status.where(~opted_out, "unsubscribed")
        # kept apart from the status: an opted-out marketing contact is a contradiction
        # a migration would resolve the wrong way (MC202)
        frame["suppression_reason"] = opted_out.map(
            {True: "unsubscribed from all email", False: ""}
        )
    frame["status"] = status
    if "last_inquiry_at" in frame:
        # A conversion (a form the contact sent) is activity too: the latest action counts.
        conversion = frame["last_inquiry_at"]
        if "last_activity_at" in frame:
            click = frame["last_activity_at"]
            frame["last_activity_at"] = click.where(
                click.notna() & (click >= conversion) | conversion.isna(), conversion
            )
        else:
            frame["last_activity_at"] = conversion
    return frame


@hookimpl
def mailcheck_contact_format(provider: str) -> ContactFormat | None:
    if provider != PROVIDER:
        return None
    return ContactFormat(
        provider=PROVIDER,
        columns={
            "email": ["Email", "email", "E-mail"],
            "created_at": ["Create Date", "createdate", "Date de création"],
            "opted_out": [
                "Unsubscribed from all email",
                "hs_email_optout",
                "Désabonné de tous les e-mails",
            ],
            "marketing_status": [
                "Marketing contact status",
                "hs_marketable_status",
                "Statut du contact marketing",
            ],
            "email_confirmation": [
                "Marketing email confirmation",
                "hs_emailconfirmationstatus",
                "Confirmation d'e-mail marketing",
            ],
            "legal_basis": [
                "Legal basis for processing contact's data",
                "hs_legal_basis",
                "Base juridique pour le traitement des données du contact",
            ],
            # the original source ("Offline Sources" = import) is how the contact was collected
            "consent_source": ["Original Source", "hs_analytics_source", "Source d'origine"],
            # a click in a marketing e-mail and a form submission (a conversion) are the
            # contact's own actions, the latest of the two counts (normalize); "Last
            # Activity Date" is the sales team's logged activity, not the contact's
            "last_activity_at": [
                "Last marketing email click date",
                "hs_email_last_click_date",
                "Date du dernier clic sur un e-mail marketing",
            ],
            "last_inquiry_at": [
                "Recent Conversion Date",
                "recent_conversion_date",
                "Date de la dernière conversion",
            ],
            "last_open_at": [
                "Last marketing email open date",
                "hs_email_last_open_date",
                "Date de la dernière ouverture d'e-mail marketing",
            ],
            "country": ["Country/Region", "Country", "country", "Pays/Région"],
        },
        date_formats={"*": DATE_FORMATS},
        legal_basis_values=LEGAL_BASES,
        normalize=normalize,
    )


@hookimpl
def mailcheck_merge_tags() -> dict[str, list[str]]:
    return {
        "unsubscribe": [
            "{{ unsubscribe_link_all }}",
            "{{unsubscribe_link_all}}",
            "{{ unsubscribe_link }}",
            "{{unsubscribe_link}}",
            "{{ unsubscribe_link_single }}",
            "{{unsubscribe_link_single}}",
        ],
        # unsubscribe_link opens the subscription-preferences page
        "preferences": ["{{ unsubscribe_link }}", "{{unsubscribe_link}}"],
        "postal_address": [
            "{{ site_settings.company_street_address_1 }}",
            "{{site_settings.company_street_address_1}}",
            "{{ site_settings.company_city }}",
            "{{site_settings.company_city}}",
            "{{ site_settings.company_zip }}",
            "{{site_settings.company_zip}}",
        ],
        "web_version": ["{{ view_as_page_url }}", "{{view_as_page_url}}"],
    }


@hookimpl
def mailcheck_catalogs() -> list[str]:
    """The French of this plugin's messages and rule docs (``locale/fr/LC_MESSAGES``)."""
    return [str(Path(__file__).parent / "locale")]
