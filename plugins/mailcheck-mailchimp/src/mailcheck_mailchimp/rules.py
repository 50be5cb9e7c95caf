"""MCH101 imported-without-optin: a subscribed Mailchimp contact with no sign-up record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mailcheck import Finding, Kind, Rule, Severity, row_findings, t

if TYPE_CHECKING:
    import pandas as pd

    from mailcheck import ContactListDocument

_MESSAGE = t(
    "no proof of consent: no sign-up date or IP (OPTIN_TIME, OPTIN_IP), the contact was "
    "imported or added by hand"
)


class ImportedWithoutOptin(Rule):
    """## What it does
    Flags subscribed contacts of a Mailchimp audience export whose `OPTIN_TIME` and
    `OPTIN_IP` are both empty. Mailchimp fills those two columns when someone signs up on
    one of its forms; a contact added by import or by hand has neither (only
    `CONFIRM_TIME`, set to the import time), so the export holds no proof of consent for it.
    Only the subscribed file is checked, and only when the export has the `OPTIN_TIME` column.

    ## Why it matters
    The sender must be able to demonstrate that each person consented (GDPR art. 7(1),
    recital 42; CJEU C-61/19 Orange România). For an imported contact, Mailchimp only
    knows when the import happened: the original proof (form, date, IP, wording) has to
    be kept elsewhere, or the contact re-permissioned before a marketing send (CNIL
    SAN-2023-015, SAN-2025-001).

    ## Example
    ```csv
    "Email Address","First Name",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,...
    jane@example.com,Jane,2,,,"2015-03-16 14:40:47",,...
    ```

    ## Fix
    Keep the consent records of imported contacts (source, date, wording) next to the
    export, or send them a re-permission campaign and stop mailing those who do not confirm.
    """

    code = "MCH101"
    name = "imported-without-optin"
    severity = Severity.WARNING
    kinds = frozenset({Kind.CONTACTS})
    reference = "GDPR art. 7(1), recital 42"
    fix = "Keep the original consent proof for imported contacts, or re-permission them."

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: object
    ) -> Iterator[Finding]:
        if doc.provider != "mailchimp" or doc.columns.get("consent_at") != "OPTIN_TIME":
            return
        if "status" not in chunk:
            return
        no_optin_time = chunk["consent_at"].isna()
        if "consent_ip" in chunk:
            no_optin_ip = chunk["consent_ip"].fillna("").astype(str).str.strip() == ""
        else:
            no_optin_ip = no_optin_time
        yield row_findings(
            self,
            doc,
            chunk,
            (chunk["status"] == "subscribed") & no_optin_time & no_optin_ip,
            lambda _data: _MESSAGE,
        )
