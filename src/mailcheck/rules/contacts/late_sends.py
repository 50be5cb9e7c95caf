"""MC212: mail sent after an unsubscribe, found in the send logs of a run.

A send log (a file with a send-date column) is read against every unsubscribe of the
run, clear or hashed, in ``finish_session``; only the sends of addresses that
unsubscribed are compared, and an opt-in in between clears them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from mailcheck.analysis.addresses import hashed_entry
from mailcheck.context import LintContext
from mailcheck.documents import ContactListDocument
from mailcheck.errors import InputError
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import Date, Days, Text, t
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np, pd
from mailcheck.rule import Option, Rule
from mailcheck.rules.contacts.common import (
    NEVER,
    has_address,
    is_audience,
    role,
    row_findings,
    seconds,
)
from mailcheck.rules.contacts.sorted_index import SortedIndex
from mailcheck.rules.contacts.suppression import (
    CONTACTS,
    receiving,
    resubscribed_at,
)


class SentAfterUnsubscribe(Rule):
    """## What it does
    With a send or delivery log among the inputs (a file with a send-date column:
    `sent_at`, `date d'envoi`, `delivered_at` ...), reports each send to an address more
    than `grace-days` (default 2) after that address unsubscribed -- the unsubscribe date
    coming from any file of the run (the log and hashed suppression lists included) --
    unless the address opted in again in between.

    ## Why it matters
    Unsubscribes must be honoured promptly: within 10 business days under CAN-SPAM 15
    U.S.C. 7704(a)(4) and CASL s. 11(3); within 48 hours / 2 days for Gmail and Yahoo bulk
    senders; without undue delay under GDPR art. 21(3).

    ## Example
    `unsubscribed.csv`: `ann@example.com;2025-03-01`; `envois.csv` line 88:
    `ann@example.com;2025-03-10 09:00`.

    ## Fix
    Check how the unsubscribe reached your sending tool; suppress the address everywhere.
    """

    code = "MC212"
    family = N_("unsubscribes across files")
    name = "sent-after-unsubscribe"
    severity = Severity.ERROR
    kinds = CONTACTS
    reference = "CAN-SPAM 7704(a)(4); CASL s. 11(3); Gmail sender guidelines; GDPR art. 21(3)"
    fix = "Make unsubscribes reach every sending tool within 2 days."
    options = {
        "grace-days": Option(
            2,
            int,
            "Days allowed between an unsubscribe and the last send.",
            min=0,
            unit="days",
        ),
    }

    def __init__(self, settings=None) -> None:
        super().__init__(settings)
        self.unsubscribes = SortedIndex("int64")
        #: SHA-256 / MD5 hex digest -> unsubscribe time, from hashed suppression lists.
        self.hashed: dict[str, int] = {}
        self.logs: list[ContactListDocument] = []
        #: Lists with opt-in dates: read again, for the few addresses sent to after an
        #: unsubscribe, to find a re-subscription in between (kept as documents, not rows).
        self.optin_lists: list[ContactListDocument] = []

    def check_chunk(self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext):
        if "email_hash" in chunk and "unsubscribed_at" in chunk:
            times = seconds(chunk["unsubscribed_at"])
            for digest, moment in zip(chunk["email_hash"].str.lower().tolist(), times, strict=True):
                if moment != NEVER and len(digest) in (32, 64):
                    self.hashed.setdefault(digest, int(moment))
        if "key_hash" not in chunk:
            return ()
        if "unsubscribed_at" in chunk:
            unsubscribed = seconds(chunk["unsubscribed_at"])
            resubscribed = resubscribed_at(chunk)
            keep = (
                (unsubscribed != NEVER) & (resubscribed <= unsubscribed) & has_address(chunk, ctx)
            )
            self.unsubscribes.add(chunk["key_hash"].to_numpy()[keep], unsubscribed[keep])
        if role(doc) == "send-log" and (not self.logs or self.logs[-1] is not doc):
            self.logs.append(doc)
        elif (
            is_audience(doc)
            and ("consent_at" in chunk or "confirmed_at" in chunk)
            and (not self.optin_lists or self.optin_lists[-1] is not doc)
        ):
            self.optin_lists.append(doc)
        return ()

    def _late_sends(
        self, chunk: pd.DataFrame, grace: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mask of sends later than unsubscribe + grace, unsubscribe time, send time)."""
        unsubscribed = self.unsubscribes.lookup(chunk["key_hash"].to_numpy(), missing=NEVER)
        if self.hashed:
            self._hashed_lookup(chunk, unsubscribed)
        sent = seconds(chunk["sent_at"])
        mask = (unsubscribed != NEVER) & (sent != NEVER) & (sent > unsubscribed + grace)
        return mask, unsubscribed, sent

    def _log_chunks(self) -> Iterator[tuple[ContactListDocument, pd.DataFrame]]:
        for doc in self.logs:
            try:
                for chunk in doc.chunks():
                    if "sent_at" not in chunk or "key_hash" not in chunk:
                        break
                    yield doc, chunk
            except InputError:
                continue

    def _optins_of(self, candidates: np.ndarray, ctx: LintContext) -> dict[int, list[int]]:
        """Opt-in / confirmation times, in any list still receiving, of candidate keys."""
        optins: dict[int, list[int]] = {}
        for doc in self.optin_lists:
            try:
                for chunk in doc.chunks():
                    if "key_hash" not in chunk:
                        break
                    keys = chunk["key_hash"].to_numpy()
                    rows = np.isin(keys, candidates) & receiving(chunk, ctx)
                    if not rows.any():
                        continue
                    times = resubscribed_at(chunk)
                    for key, moment in zip(keys[rows], times[rows], strict=True):
                        if moment != NEVER:
                            optins.setdefault(int(key), []).append(int(moment))
            except InputError:
                continue
        return optins

    def finish_session(self, ctx: LintContext) -> Iterator[Finding]:
        if not (len(self.unsubscribes) or self.hashed) or not self.logs:
            return
        grace = self.settings["grace-days"] * 86_400
        candidates = [
            chunk["key_hash"].to_numpy()[self._late_sends(chunk, grace)[0]]
            for _, chunk in self._log_chunks()
        ]
        candidate_keys = np.unique(np.concatenate(candidates)) if candidates else []
        if not len(candidate_keys):
            return
        optins = self._optins_of(candidate_keys, ctx) if self.optin_lists else {}
        for doc, chunk in self._log_chunks():
            mask, unsubscribed, sent = self._late_sends(chunk, grace)
            if optins:
                # An opt-in after the unsubscribe and before the send: a re-subscription.
                keys = chunk["key_hash"].to_numpy()
                for row in np.flatnonzero(mask):
                    again = optins.get(int(keys[row]), ())
                    if any(unsubscribed[row] < t <= sent[row] for t in again):
                        mask[row] = False
            days = unsubscribed[mask].astype("datetime64[s]").astype("datetime64[D]")
            yield row_findings(
                self,
                doc,
                chunk,
                mask,
                _late_message(self.settings["grace-days"]),
                columns=("sent_at", "unsubscribed_at"),
                computed={"unsubscribed_at": days.astype(str)},
            )

    def _hashed_lookup(self, chunk: pd.DataFrame, unsubscribed: np.ndarray) -> None:
        """Fill in unsubscribe times from hashed suppression lists (SHA-256, then MD5)."""
        keys = chunk["email_key"].tolist()
        for row in np.flatnonzero(unsubscribed == NEVER):
            moment = hashed_entry(keys[row], self.hashed)  # an IDN domain: Unicode, ASCII
            if moment is not None:
                unsubscribed[row] = moment


def _late_message(grace_days: int) -> Callable[[dict], Text]:
    """The MC212 message of one late send, from its ``Finding.data``."""
    grace = Days(grace_days)

    def message(data: dict) -> Text:
        return t(
            "sent a campaign on {sent} though they unsubscribed on {date} (delay allowed: {grace})",
            sent=Date(dt.date.fromisoformat(data["sent_at"][:10])),
            date=Date(dt.date.fromisoformat(data["unsubscribed_at"])),
            grace=grace,
        )

    return message
