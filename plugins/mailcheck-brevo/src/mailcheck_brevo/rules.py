"""BRV101 no-optin-record: Brevo holds neither a double opt-in nor a GDPR opt-in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mailcheck import Finding, Kind, Rule, Severity, row_findings, t

if TYPE_CHECKING:
    import pandas as pd

    from mailcheck import ContactListDocument

#: Statuses that are not sent to anyway: no consent needed to keep them suppressed.
_NOT_SENT = ("unsubscribed", "blocklisted", "cleaned")

_MESSAGE = t(
    "no proof of consent in Brevo: the sign-up was never confirmed by e-mail "
    "(DOUBLE_OPT-IN) and the consent box was not ticked (OPT_IN)"
)


class NoOptinRecord(Rule):
    """## What it does
    Flags contacts of a Brevo export whose `DOUBLE_OPT-IN` is not confirmed (`2`, No or
    empty) and whose `OPT_IN` (the box of Brevo's GDPR forms) is not ticked. Brevo writes
    `DOUBLE_OPT-IN = 1` when someone confirms through its double opt-in flow and sets
    `OPT_IN` from its GDPR forms; a contact with neither was imported or added by hand, and
    Brevo holds no record of its consent. Runs only when the export has at least one of the
    two columns; blocklisted contacts are skipped.

    ## Why it matters
    The sender must be able to demonstrate consent (GDPR art. 7(1), recital 42; CJEU C-61/19
    Orange România); in France, prospecting e-mail to individuals needs prior consent (CPCE
    art. L34-5). The CNIL fined companies that could not produce it (SAN-2023-015,
    SAN-2025-001).

    ## Example
    ```csv
    CONTACT ID;EMAIL;DOUBLE_OPT-IN;OPT_IN;ADDED_TIME;MODIFIED_TIME
    2;paul@example.org;2;;20-05-2024;20-05-2024
    ```

    ## Fix
    Keep the proof of consent collected elsewhere (form, date, wording) with the contact, or
    run a Brevo double opt-in campaign for these contacts and remove those who do not confirm.
    """

    code = "BRV101"
    name = "no-optin-record"
    severity = Severity.WARNING
    kinds = frozenset({Kind.CONTACTS})
    reference = "GDPR art. 7(1); CPCE L34-5"
    fix = "Attach the original consent proof, or re-permission these contacts by double opt-in."

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: object
    ) -> Iterator[Finding]:
        if doc.provider != "brevo" or doc.role == "suppression":
            return
        present = [column for column in ("double_opt_in", "opt_in") if column in chunk]
        if not present:
            return
        recorded = chunk[present[0]].fillna(False).astype(bool)
        for column in present[1:]:
            recorded |= chunk[column].fillna(False).astype(bool)
        flagged = ~recorded
        if "status" in chunk:
            flagged &= ~chunk["status"].isin(_NOT_SENT)
        yield row_findings(
            self,
            doc,
            chunk,
            flagged,
            lambda _data: _MESSAGE,
        )
