"""KLV101 never-subscribed-in-list: a profile without email consent in a send list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mailcheck import Finding, Kind, Rule, Severity, row_findings, t

if TYPE_CHECKING:
    import pandas as pd

    from mailcheck import ContactListDocument

_MESSAGE = t("never agreed to receive marketing e-mail (NEVER_SUBSCRIBED) but is in this list")


class NeverSubscribedInList(Rule):
    """## What it does
    Flags profiles of a Klaviyo list or segment export whose `Email Marketing Consent` is
    `NEVER_SUBSCRIBED` and that carry no suppression. Klaviyo keeps such profiles (shop
    customers, form abandoners, imports without consent) and lets them into lists and
    flows, but they never agreed to receive marketing e-mail. Files that mailcheck reads
    as suppression lists are not checked.

    ## Why it matters
    Marketing e-mail to a natural person needs prior consent (ePrivacy Directive
    2002/58/EC art. 13(1); CPCE art. L34-5 in France; GDPR art. 6(1)(a) and 7(1)), unless
    the soft opt-in for existing customers applies (art. 13(2)) and was offered at
    collection. A list that mixes never-subscribed profiles with subscribers is a send
    to people without consent as soon as it is used for a campaign.

    ## Example
    ```csv
    Email,Klaviyo ID,Email Marketing Consent,Source
    ana@example.com,01HABCDEF,NEVER_SUBSCRIBED,Shopify
    ```

    ## Fix
    Send campaigns to a segment filtered on "can receive email marketing", ask these
    profiles for consent (or document the customer soft opt-in), or remove them from the list.
    """

    code = "KLV101"
    name = "never-subscribed-in-list"
    severity = Severity.WARNING
    kinds = frozenset({Kind.CONTACTS})
    reference = "ePrivacy 2002/58/EC art. 13(1); CPCE L34-5; GDPR art. 7(1)"
    fix = "Filter the send on email consent, or collect consent from these profiles first."

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: object
    ) -> Iterator[Finding]:
        if doc.provider != "klaviyo" or "consent_state" not in chunk:
            return
        if doc.role == "suppression":
            return
        never = chunk["consent_state"] == "NEVER_SUBSCRIBED"
        if "suppressions" in chunk:
            never &= chunk["suppressions"].fillna("").astype(str).str.strip() == ""
        yield row_findings(
            self,
            doc,
            chunk,
            never,
            lambda _data: _MESSAGE,
        )
