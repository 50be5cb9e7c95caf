"""MLR101 single-opt-in: sign-up and confirmation are the same event."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mailcheck import Finding, Kind, Rule, Severity, row_findings, t

if TYPE_CHECKING:
    import pandas as pd

    from mailcheck import ContactListDocument

_MESSAGE = t(
    "joined without confirming by e-mail: sign-up and confirmation are the same event "
    "(single opt-in, or an import)"
)


class SingleOptIn(Rule):
    """## What it does
    Points out MailerLite subscribers whose sign-up and confirmation timestamps are equal
    (and, when both are exported, whose sign-up and confirmation IPs are equal). MailerLite
    fills the confirmation fields with the sign-up values when no double opt-in took
    place, so these contacts joined by single opt-in (or were imported: MailerLite sends
    no confirmation e-mail on import).

    ## Why it matters
    Single opt-in is lawful in most of the EU, but the proof of consent is then only the
    sign-up record (GDPR art. 7(1)); Google's and Yahoo's sender guidelines recommend
    confirming subscriptions, and German practice expects a documented double opt-in.
    This is information for the sender, not a breach.

    ## Example
    ```csv
    email,status,subscribed_at,ip_address,opted_in_at,optin_ip
    ana@example.com,active,2024-05-02 10:00:00,192.0.2.1,2024-05-02 10:00:00,192.0.2.1
    ```

    ## Fix
    Turn on double opt-in for your MailerLite forms, and keep the sign-up records
    (form, date, IP) of contacts who joined by single opt-in.
    """

    code = "MLR101"
    name = "single-opt-in"
    severity = Severity.INFO
    kinds = frozenset({Kind.CONTACTS})
    reference = "GDPR art. 7(1); Google/Yahoo sender guidelines"
    fix = "Enable double opt-in on your forms and keep the sign-up records."

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: object
    ) -> Iterator[Finding]:
        if doc.provider != "mailerlite" or not {"consent_at", "confirmed_at"} <= set(chunk):
            return
        same = chunk["consent_at"].notna() & (chunk["consent_at"] == chunk["confirmed_at"])
        if {"consent_ip", "confirm_ip"} <= set(chunk):
            signup_ip = chunk["consent_ip"].fillna("").astype(str).str.strip()
            confirm_ip = chunk["confirm_ip"].fillna("").astype(str).str.strip()
            same &= signup_ip == confirm_ip
        yield row_findings(
            self,
            doc,
            chunk,
            same,
            lambda _data: _MESSAGE,
        )
