"""MC203 retention-exceeded: contacts kept past the retention period without activity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from mailcheck.context import LintContext
from mailcheck.documents import ContactListDocument, Kind
from mailcheck.findings import Finding, NotChecked, Severity
from mailcheck.i18n import Date, Days, Text, t
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np, pd
from mailcheck.rule import Option, Rule
from mailcheck.rules.contacts.common import (
    NEVER,
    QUALIFYING,
    QUALIFYING_LABELS,
    SharedTexts,
    active,
    column_in,
    has_address,
    header_line,
    is_audience,
    row_findings,
    seconds,
)
from mailcheck.rules.contacts.gaps import lacks_all


class RetentionExceeded(Rule):
    """## What it does
    Computes each subscribed contact's last *qualifying* activity -- the latest of opt-in,
    confirmation, click, reply, purchase, and the date the contact was collected -- and
    reports rows where it is older than `retention-days` (default 1095, three years) on
    the date of the run (`--today` for reproducible runs). Opens and provider "last
    changed" fields never count: a column of last opens or "engagement" is read as
    `last_open_at`, and a row whose last activity is an open ("Opened email") has no
    activity date. Customers (legal basis `customer`) are counted from
    their last purchase. Beyond `retention-days` + `grace-days` the finding is an error.
    A list with no date column at all gets one info finding: it cannot be evaluated.

    ## Why it matters
    Storage limitation, GDPR art. 5(1)(e). The CNIL référentiel "gestion des activités
    commerciales" (délibération n° 2021-131) keeps prospect data three years from
    collection or the last contact *from* the prospect (a click counts, an open does
    not), and customer data three years after the end of the commercial relationship.
    CNIL SAN-2020-008 found four years excessive.

    ## Example
    `paul.durand@example.org;...;last click 2016-05-03` linted on 2026-11-22.

    ## Fix
    Send a re-permission campaign before the deadline; delete (or archive outside the
    marketing tool) the contacts that do not answer.
    """

    code = "MC203"
    family = N_("retention")
    name = "retention-exceeded"
    severity = Severity.WARNING
    kinds = frozenset({Kind.CONTACTS})
    reference = "GDPR art. 5(1)(e); CNIL délibération 2021-131"
    fix = "Re-engage these contacts (re-permission campaign) or delete them."
    options = {
        # A zero or negative period would flag every contact: refused by the engine.
        "retention-days": Option(
            1095,
            int,
            "Days without qualifying activity before a contact is stale.",
            min=1,
            unit="days",
        ),
        "grace-days": Option(
            365,
            int,
            "Days past the retention period after which it is an error.",
            min=0,
            unit="days",
        ),
    }

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        if not is_audience(doc):
            return None
        return lacks_all(
            self, doc, QUALIFYING, t("no opt-in, activity, purchase or creation date column found")
        )

    def __init__(self, settings=None) -> None:
        super().__init__(settings)
        self.undated: set[str] = set()
        # One message function for the run: its texts are remembered from chunk to chunk.
        self.stale_message = _stale_message(self.settings["retention-days"])

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        # a file with no e-mail column (an SMS-only export) is not an e-mail list
        if not is_audience(doc) or "email_key" not in chunk:
            return
        present = [c for c in QUALIFYING if c in chunk]
        if not present:
            # only a list that still mails someone needs evaluating (a file of
            # unsubscribed or cleaned contacts keeps no one to judge)
            if (active(chunk, ctx) & has_address(chunk, ctx)).any():
                self.undated.add(doc.display_path)
            return
        # On int64 seconds with numpy (the reader's dates are ``datetime64[s]`` already; a
        # plugin's may have another unit): no pandas ``where``/``mask``, stale rows only.
        stamps = {c: seconds(chunk[c]) for c in present}
        last = stamps[present[0]].copy()
        for column in present[1:]:
            np.maximum(last, stamps[column], out=last)  # NaT is the smallest int64
        if "last_purchase_at" in stamps:
            purchase = stamps["last_purchase_at"]
            customer = column_in(chunk, "legal_basis", ("customer",), ctx) & (purchase != NEVER)
            last = np.where(customer, purchase, last)
        else:
            customer = np.zeros(len(chunk), dtype=bool)
        today = int(pd.Timestamp(ctx.today).value // 1_000_000_000)
        cutoff = today - self.settings["retention-days"] * 86_400
        hard = cutoff - self.settings["grace-days"] * 86_400
        stale = active(chunk, ctx) & (last != NEVER) & (last < cutoff)
        if not stale.any():
            return
        rows = np.flatnonzero(stale)
        last, customer = last[rows], customer[rows]
        # The kind of the latest date, by number: the column that gave it (or a purchase).
        kind = np.zeros(len(rows), dtype=np.int8)
        for column in reversed(present):
            kind[stamps[column][rows] == last] = _KIND[column]
        kind[customer] = _KIND["last_purchase_at"]
        source = np.array(_SOURCES, dtype=object)[kind]
        severity = np.where(last < hard, int(Severity.ERROR), int(Severity.WARNING))
        age = (today - last) // 86_400
        yield row_findings(
            self,
            doc,
            chunk,
            stale,
            self.stale_message,
            columns=("last_qualifying_at", "qualifying_source", "age_days", *present),
            severity=severity,
            computed={
                "last_qualifying_at": last.view("datetime64[s]"),
                "qualifying_source": source,
                "age_days": age,
            },
            message_by={
                "source": kind,  # small numbers: grouped many times faster than texts
                "day": (last // 86_400).view("datetime64[D]"),
                "age": age,
            },
        )

    def finish_file(self, doc, ctx: LintContext) -> Iterator[Finding]:
        if doc.display_path in self.undated:
            self.undated.discard(doc.display_path)
            yield self.finding(
                doc,
                t(
                    "the retention period cannot be checked: no column gives a date of "
                    "sign-up, click or purchase (opens and 'last changed' do not count)"
                ),
                line=header_line(doc),
                severity=Severity.INFO,
            )


def _stale_message(retention_days: int) -> Callable[[dict], Text]:
    """The MC203 message of the flagged rows with one ``source`` of the last qualifying
    date (a value of ``QUALIFYING_LABELS``, English in the data), its ``day`` and
    ``age`` in days: what the date was, how long ago, and the limit."""
    limit = Days(retention_days)
    texts = SharedTexts()

    def message(key: dict) -> Text:
        source, day, age = _SOURCES[int(key["source"])], key["day"], key["age"]
        return texts((source, day, age), lambda: _stale(source, day, age, limit))

    return message


#: The kinds of the last qualifying date (``QUALIFYING_LABELS``), by number; 0: none.
_SOURCES = ("", *QUALIFYING_LABELS.values())
_KIND = {column: number for number, column in enumerate(QUALIFYING_LABELS, start=1)}


def _stale(source: str, day: str, age: str, limit: Days) -> Text:
    template = _STALE.get(source, _STALE["collection"])
    return Text(
        template,
        {"date": Date(dt.date.fromisoformat(day)), "age": Days(int(float(age))), "limit": limit},
    )


#: The MC203 message by the kind of the last qualifying date.
_STALE = {
    "collection": N_("added on {date}, no click or purchase for {age} (limit: {limit})"),
    "opt-in": N_("signed up on {date}, no click or purchase for {age} (limit: {limit})"),
    "opt-in confirmation": N_(
        "sign-up confirmed on {date}, no click or purchase for {age} (limit: {limit})"
    ),
    "last click/activity": N_("last click on {date}, {age} ago (limit: {limit})"),
    "last purchase": N_("last purchase on {date}, {age} ago (limit: {limit})"),
}
