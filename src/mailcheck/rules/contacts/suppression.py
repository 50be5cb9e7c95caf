"""Cross-file rules: unsubscribe not applied everywhere (MC201), suppressed contact in an
audience (MC202); mail sent after an unsubscribe (MC212) reads the same helpers
(:mod:`~mailcheck.rules.contacts.late_sends`).

State is compact: per file, sorted 64-bit hashes of the normalised addresses with a line
and a timestamp (see :class:`~mailcheck.rules.contacts.sorted_index.SortedIndex`), never whole
chunks. A list read *before* the file that suppresses its contacts is read a second time
in ``finish_session``, only then, so a single-file run costs nothing extra.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from mailcheck.analysis.addresses import hashed_entry
from mailcheck.context import LintContext
from mailcheck.documents import ContactListDocument, Kind
from mailcheck.errors import InputError
from mailcheck.findings import Finding, NotChecked, Severity
from mailcheck.i18n import Text, t
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np, pd
from mailcheck.rule import Rule
from mailcheck.rules.contacts.common import (
    DO_NOT_SEND,
    NEVER,
    OPTED_OUT,
    SharedTexts,
    active,
    column_in,
    dates,
    filled,
    has_address,
    is_audience,
    joined,
    map_column,
    map_unique,
    role,
    row_findings,
    seconds,
)
from mailcheck.rules.contacts.gaps import has_status, lacks_address, mapping_hint
from mailcheck.rules.contacts.sorted_index import SortedIndex

CONTACTS = frozenset({Kind.CONTACTS})
#: The int64 minimum (``numpy.iinfo(numpy.int64).min``): no date, as a plain int so that
#: numpy is not imported with this module.


def resubscribed_at(chunk: pd.DataFrame) -> np.ndarray:
    """Latest opt-in or confirmation of each row, in seconds (for re-subscriptions): the
    larger of the two in int64 seconds, where NaT is the smallest value (as
    :func:`~mailcheck.rules.contacts.common.latest`, without two pandas ``where``)."""
    present = [seconds(chunk[c]) for c in ("consent_at", "confirmed_at") if c in chunk]
    if not present:
        return np.full(len(chunk), NEVER, dtype=np.int64)
    return np.maximum.reduce(present) if len(present) > 1 else present[0]


def receiving(chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
    """Rows that will receive the next campaign."""
    return active(chunk, ctx) & has_address(chunk, ctx)


@dataclass
class _Entries:
    """Suppressing entries of one file, collected chunk by chunk, then indexed."""

    path: str
    order: int
    keys: list[np.ndarray] = field(default_factory=list)
    lines: list[np.ndarray] = field(default_factory=list)
    times: list[np.ndarray] = field(default_factory=list)
    blocked: list[np.ndarray] = field(default_factory=list)
    index: SortedIndex | None = None
    line_array: np.ndarray | None = None
    time_array: np.ndarray | None = None
    blocked_array: np.ndarray | None = None
    hashed: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(
        self, keys: np.ndarray, lines: np.ndarray, times: np.ndarray, blocked: np.ndarray
    ) -> None:
        """Entries by address hash: their line, unsubscribe time, and whether the row was
        blocklisted (a complaint, a block) rather than unsubscribed."""
        if len(keys):
            self.keys.append(keys)
            self.lines.append(lines.astype(np.int64))
            self.times.append(times)
            self.blocked.append(blocked)

    def close(self) -> None:
        keys = np.concatenate(self.keys) if self.keys else np.zeros(0, np.uint64)
        self.line_array = np.concatenate(self.lines) if self.lines else np.zeros(0, np.int64)
        self.time_array = np.concatenate(self.times) if self.times else np.zeros(0, np.int64)
        self.blocked_array = np.concatenate(self.blocked) if self.blocked else np.zeros(0, bool)
        self.index = SortedIndex()
        self.index.add(keys, np.arange(len(keys)))
        self.keys, self.lines, self.times, self.blocked = [], [], [], []

    def __bool__(self) -> bool:
        return bool(self.keys or (self.index is not None and len(self.index)) or self.hashed)

    def match(
        self, chunk: pd.DataFrame, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(hit mask, suppressing line, suppressing time, blocklisted there) for the rows
        in ``rows``."""
        n = len(chunk)
        hit = np.zeros(n, bool)
        line = np.zeros(n, np.int64)
        when = np.full(n, NEVER, np.int64)
        blocked = np.zeros(n, bool)
        if self.index is not None and len(self.index):
            position = self.index.lookup(chunk["key_hash"].to_numpy())
            found = rows & (position >= 0)
            hit |= found
            line[found] = self.line_array[position[found]]
            when[found] = self.time_array[position[found]]
            blocked[found] = self.blocked_array[position[found]]
        if self.hashed:
            candidates = np.flatnonzero(rows & ~hit)
            keys = chunk["email_key"].to_numpy()[candidates]
            for row, key in zip(candidates, keys, strict=True):
                entry = hashed_entry(key, self.hashed)  # an IDN domain: Unicode, then ASCII
                if entry is not None:
                    hit[row] = True
                    line[row], when[row] = entry
        return hit, line, when, blocked


class _CrossFileRule(Rule):
    """Shared machinery: suppressing entries per file, lists to match, second reads."""

    def __init__(self, settings=None) -> None:
        super().__init__(settings)
        self.entries: dict[str, _Entries] = {}
        self.targets: dict[str, tuple[int, ContactListDocument]] = {}
        self.order: dict[str, int] = {}
        #: (path, line) already reported: a row suppressed by two files is reported once.
        self.reported: set[tuple[str, int]] = set()
        self.texts = SharedTexts()

    # -- what subclasses define ---------------------------------------------------------

    def collects(self, doc: ContactListDocument) -> bool:
        raise NotImplementedError

    def suppressing(self, chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
        raise NotImplementedError

    def message(self, data: dict) -> Text:
        """The finding's message, from its data (``suppressed_in`` = ``"file:line"``,
        ``suppressed_as`` = the status there)."""
        raise NotImplementedError

    # -- engine hooks -------------------------------------------------------------------

    def enabled(self, ctx: LintContext) -> bool:
        return True

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if "key_hash" not in chunk and "email_hash" not in chunk or not self.enabled(ctx):
            return
        path = doc.display_path
        order = self.order.setdefault(path, len(self.order))
        if self.collects(doc):
            entries = self.entries.setdefault(path, _Entries(path, order))
            self._collect(entries, chunk, ctx)
        if is_audience(doc) and "key_hash" in chunk:
            self.targets[path] = (order, doc)
            earlier = [e for e in self.entries.values() if e.path != path and e.index is not None]
            yield from self._match(chunk, doc, earlier, ctx)

    def _collect(self, entries: _Entries, chunk: pd.DataFrame, ctx: LintContext) -> None:
        mask = self.suppressing(chunk, ctx)
        if "key_hash" in chunk:
            clear = mask & has_address(chunk, ctx)
            if clear.any():  # most chunks of an audience: nobody unsubscribed
                entries.add(
                    chunk["key_hash"].to_numpy()[clear],
                    chunk["line"].to_numpy()[clear],
                    seconds(dates(chunk, "unsubscribed_at"))[clear],
                    column_in(chunk, "status", ("blocklisted",), ctx)[clear],
                )
        if "email_hash" in chunk:
            hashed = chunk["email_hash"].str.lower().to_numpy()
            lines = chunk["line"].to_numpy()
            times = seconds(dates(chunk, "unsubscribed_at"))
            for row in np.flatnonzero(mask):
                value = hashed[row]
                if len(value) in (32, 64) and value not in entries.hashed:
                    entries.hashed[value] = (int(lines[row]), int(times[row]))

    def finish_file(self, doc, ctx: LintContext):
        entries = self.entries.get(doc.display_path)
        if entries is not None:
            entries.close()
            if not entries:
                del self.entries[doc.display_path]
        return ()

    def finish_session(self, ctx: LintContext) -> Iterator[Finding]:
        for path, (order, doc) in self.targets.items():
            later = [e for e in self.entries.values() if e.path != path and e.order > order]
            if not later:
                continue
            try:
                for chunk in doc.chunks():
                    yield from self._match(chunk, doc, later, ctx)
            except InputError:
                continue  # already reported when the file was first read

    def _match(
        self,
        chunk: pd.DataFrame,
        doc: ContactListDocument,
        sources: list[_Entries],
        ctx: LintContext,
    ) -> Iterator[Finding]:
        if not sources:
            return
        rows = receiving(chunk, ctx)
        if not rows.any():
            return
        resubscribed = resubscribed_at(chunk)
        reported = np.zeros(len(chunk), bool)
        for source in sources:
            hit, line, when, blocked = source.match(chunk, rows & ~reported)
            # A later opt-in than the unsubscribe is a re-subscription, not a breach.
            hit &= ~((when != NEVER) & (resubscribed > when))
            if not hit.any():
                continue
            if self.reported:
                path = doc.display_path
                lines = chunk["line"].to_numpy()
                for row in np.flatnonzero(hit):
                    if (path, int(lines[row])) in self.reported:
                        hit[row] = False
            reported |= hit
            computed = {
                "suppressed_in": np.array([f"{source.path}:{n}" for n in line[hit].tolist()]),
                "suppressed_as": np.where(blocked[hit], "blocklisted", "unsubscribed"),
            }
            found = row_findings(
                self,
                doc,
                chunk,
                hit,
                self.message,
                columns=[c for c in ("status", "consent_at") if c in chunk] + list(computed),
                computed=computed,
            )
            path = doc.display_path
            self.reported.update((path, line) for line in chunk["line"].to_numpy()[hit].tolist())
            yield found


class UnsubscribeNotGlobal(_CrossFileRule):
    """## What it does
    Finds addresses (normalised: trimmed, lower-cased) that are unsubscribed or blocked in
    one list or export and still subscribed in another, with no later opt-in (a consent or
    confirmation date after the unsubscribe date is a re-subscription). The finding is on
    the line of the still-subscribed row and names where the unsubscribe is. Files across
    the whole run are compared, ZIP members included; the unsubscribes and complaints of a
    send log (a campaign report) count too. With `unsubscribe-scope =
    "per-list"` in config the rule is off.

    ## Why it matters
    An objection to direct marketing is absolute: GDPR art. 21(2)-(3); CAN-SPAM 15 U.S.C.
    7704(a)(4); CNIL "liste repoussoir" guidance (27 January 2022). mailcheck's default
    position is that an unsubscribe applies to every list of the sender (CAN-SPAM allows a
    per-topic menu only with an "all" option).

    ## Example
    `desinscrits.csv` line 14: `lea.petit@example.net;désinscrit`, and `newsletter.csv`
    line 230: `Lea.Petit@example.net;abonné`.

    ## Fix
    Apply every unsubscribe to all lists (a global suppression list), then remove the
    address from the other lists.
    """

    code = "MC201"
    family = N_("unsubscribes across files")
    name = "unsubscribe-not-global"
    severity = Severity.ERROR
    kinds = CONTACTS
    reference = "GDPR art. 21(2)-(3); CAN-SPAM 7704(a)(4); CNIL liste repoussoir (2022)"
    fix = "Unsubscribe the address from every list (use a global suppression list)."

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        if not self.enabled(ctx) or not is_audience(doc):
            return None  # per-list unsubscribes: the user's choice, not a gap
        gap = lacks_address(self, doc)
        if gap or has_status(doc):
            return gap
        return self.not_checked(
            t("no status column found: its unsubscribes are not looked for in the other lists"),
            mapping_hint("status", "unsubscribed_at"),
        )

    def enabled(self, ctx: LintContext) -> bool:
        return getattr(ctx.config, "unsubscribe_scope", "global") != "per-list"

    def collects(self, doc: ContactListDocument) -> bool:
        # A send log's unsubscribes and complaints (a campaign report) are objections too.
        return is_audience(doc) or role(doc) == "send-log"

    def suppressing(self, chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
        return column_in(chunk, "status", OPTED_OUT, ctx)

    def message(self, data: dict) -> Text:
        key = (data["suppressed_in"], data["suppressed_as"])
        return self.texts(key, lambda: self._message(data))

    def _message(self, data: dict) -> Text:
        source, line = data["suppressed_in"].rsplit(":", 1)
        if data["suppressed_as"] == "blocklisted":
            return t(
                "blocked in {file} (line {line}) but still subscribed here",
                file=source,
                line=line,
            )
        return t(
            "unsubscribed in {file} (line {line}) but still subscribed here",
            file=source,
            line=line,
        )


class SuppressedContactInAudience(_CrossFileRule):
    """## What it does
    Compares every list that is sent to with the suppression / do-not-contact files of
    the run (file name `repoussoir`, `suppression`, `blocklist`, `optouts` ..., or forced
    with `contact-roles`), in clear or hashed (SHA-256 or MD5 of the trimmed, lower-cased
    address, as the CNIL recommends). Also flags, in a list declared as a send list
    (`contact-roles` in config, or a file name like `a-envoyer`), rows whose
    own status is unsubscribed, blocked (error) or cleaned (warning: a bounce).

    In any audience or send list, a row that says *subscribed* while the provider's own
    suppression column says the address is suppressed (Klaviyo `Email Suppressions`
    `SPAM_COMPLAINT` on an `Email Marketing Consent` `SUBSCRIBED` profile; HubSpot
    `Unsubscribed from all email` true on a marketing contact; a `suppression reason`
    column beside a subscribed status) is reported too: an error for a complaint, an
    unsubscribe or a manual suppression, a warning for a bounce. The provider will not
    mail it, but a tool the list is imported into would. A plain unsubscribed row of a
    provider export is silent: it is the provider's own suppression.

    ## Why it matters
    A suppression list exists to be checked before every campaign: GDPR art. 21(3); ICO
    direct-marketing guidance; UK CAP Code rule 10.10; CNIL liste repoussoir guidance;
    CAN-SPAM 7704(a)(4). Mailing a suppressed contact is the breach the list was meant to
    prevent.

    ## Example
    `repoussoir.csv` holds `sha256(lea.petit@example.net)`; `newsletter.csv` line 230 has
    `lea.petit@example.net;abonné`. A Klaviyo export with
    `marc@example.org,...,SUBSCRIBED,...,['SPAM_COMPLAINT']`.

    ## Fix
    Remove suppressed addresses from the audience before sending (most providers can
    import a suppression list); before moving a list to another tool, export its
    suppressed profiles as that tool's suppression list, not as subscribers.
    """

    code = "MC202"
    family = N_("unsubscribes across files")
    name = "suppressed-contact-in-audience"
    severity = Severity.ERROR
    kinds = CONTACTS
    reference = "GDPR art. 21(3); CNIL liste repoussoir (2022); CAP Code 10.10; CAN-SPAM 7704(a)(4)"
    fix = "Remove suppressed addresses from the audience before sending."

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        return lacks_address(self, doc) if is_audience(doc) else None

    def collects(self, doc: ContactListDocument) -> bool:
        return role(doc) == "suppression"

    def suppressing(self, chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
        return np.ones(len(chunk), dtype=bool)

    def message(self, data: dict) -> Text:
        return self.texts(data["suppressed_in"], lambda: self._message(data))

    def _message(self, data: dict) -> Text:
        source, line = data["suppressed_in"].rsplit(":", 1)
        return t(
            "this address is on the suppression list {file} (line {line})",
            file=source,
            line=line,
        )

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        yield from super().check_chunk(chunk, doc, ctx)
        if not is_audience(doc) or "email_key" not in chunk:
            return
        blocked = np.zeros(len(chunk), dtype=bool)
        if role(doc) == "send-list":
            blocked = column_in(chunk, "status", DO_NOT_SEND, ctx) & has_address(chunk, ctx)
            severity = np.where(
                chunk["status"] == "cleaned", int(Severity.WARNING), int(Severity.ERROR)
            )
            yield row_findings(
                self,
                doc,
                chunk,
                blocked,
                _in_send_list,
                columns=("status",),
                severity=severity,
            )
        yield from self._subscribed_but_suppressed(chunk, doc, ctx, ~blocked)

    def _subscribed_but_suppressed(
        self,
        chunk: pd.DataFrame,
        doc: ContactListDocument,
        ctx: LintContext,
        unreported: np.ndarray,
    ) -> Iterator[Finding]:
        """Rows the list says are subscribed while the provider suppresses the address
        (``suppression_reason``): the provider will not mail them, but the subscription
        travels with the file, and a tool the list is imported into would."""
        suppressed = provider_suppressed(chunk, ctx)
        if not suppressed.any():
            return
        subscribed = column_in(chunk, "status", ("subscribed",), ctx)
        if "marketing_status" in chunk:
            subscribed = subscribed | column_in(chunk, "marketing_status", ("subscribed",), ctx)
        hit = suppressed & subscribed & has_address(chunk, ctx) & unreported
        if not hit.any():
            return
        reasons = map_unique(chunk["suppression_reason"], suppression_label)
        bounce = map_unique(chunk["suppression_reason"], is_bounce, dtype=bool)
        yield row_findings(
            self,
            doc,
            chunk,
            hit,
            lambda d: t(
                "subscribed here but blocked by the provider ({reason}): another tool this "
                "list is imported into would mail them",
                reason=departure_text(d["suppressed_for"]),
            ),
            columns=("status", "suppression_reason", "suppressed_for"),
            severity=np.where(bounce, int(Severity.WARNING), int(Severity.ERROR)),
            computed={"suppressed_for": reasons[hit]},
        )


def provider_suppressed(chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
    """Rows whose provider suppresses the address (a ``suppression_reason``: Klaviyo's
    ``SPAM_COMPLAINT``, Mautic's do-not-contact reason), whatever their status says:
    MC202 reports those still subscribed; a campaign sends to none of them."""
    if "suppression_reason" not in chunk:
        return np.zeros(len(chunk), dtype=bool)
    suppressed = filled(chunk, "suppression_reason")
    if suppressed.any():
        suppressed &= map_column(chunk, "suppression_reason", is_suppression, ctx, dtype=bool)
    return suppressed


#: The statuses of :data:`DO_NOT_SEND` as people say them.
STATUSES = {
    "unsubscribed": N_("unsubscribed"),
    "cleaned": N_("bounced"),
    "blocklisted": N_("blocked"),
    "nonsubscribed": N_("never subscribed"),
}


def _in_send_list(data: dict) -> Text:
    status = STATUSES.get(data["status"])
    return t(
        "{status}, yet in a list about to be sent",
        status=Text(status) if status else data["status"],
    )


#: Suppression reasons that are a dead address, not an objection (a warning, as cleaned).
_BOUNCE = re.compile(r"bounce|invalid|cleaned|npai|rebond|undeliverable|inexistant", re.I)


def is_bounce(reason: str) -> bool:
    """Whether a provider's suppression reason is a bounce (``HARD_BOUNCE``)."""
    return bool(_BOUNCE.search(reason or ""))


#: Cells of a suppression column that say "none" (an empty list written as ``[]``, a
#: yes/no column's no).
_NO_SUPPRESSION = frozenset({"", "none", "null", "nan", "n/a", "false", "no", "non", "0", "-"})


def is_suppression(reason: str) -> bool:
    """Whether a suppression cell names a suppression (``[]`` and ``none`` do not)."""
    return suppression_words(reason) not in _NO_SUPPRESSION


def suppression_words(reason: str) -> str:
    """The cell without list punctuation, lower-cased: ``['HARD_BOUNCE']`` -> ``hard_bounce``."""
    return " ".join(re.sub(r"[\[\]{}()\"']+", " ", reason or "").split()).lower()


def suppression_label(reason: str) -> str:
    """A provider's reason in plain words: ``['SPAM_COMPLAINT']`` -> ``spam complaint``."""
    words = re.sub(r"[\[\]{}()\"']+", " ", reason or "").replace("_", " ")
    parts = [" ".join(part.split()).lower() for part in re.split(r"[,;|]", words)]
    # Klaviyo's UNSUBSCRIBE / UNSUBSCRIBED: said as a state, like the others
    parts = ["unsubscribed" if part == "unsubscribe" else part for part in parts]
    return ", ".join(part for part in parts if part) or "suppressed"


#: How a departure is said (``left_as`` values: status words, or a provider's reason
#: made plain by :func:`suppression_label`).
DEPARTURES = {
    "unsubscribed": N_("unsubscribed"),
    "bounced": N_("bounced"),
    "blocked": N_("blocked"),
    "cleaned": N_("bounced"),
    "blocklisted": N_("blocked"),
    "hard bounce": N_("hard bounce"),
    "soft bounce": N_("soft bounce"),
    "spam complaint": N_("spam complaint"),
    "manual": N_("removed by hand"),
    "manual suppression": N_("removed by hand"),
    "unsubscribed from all email": N_("unsubscribed from every e-mail"),
    "complained": N_("spam complaint"),
    "manually suppressed": N_("removed by hand"),
    "suppressed": N_("suppressed"),
    "invalid email": N_("invalid address"),
}


def departure_text(words: str) -> Text | str:
    """A departure (``unsubscribed``, ``spam complaint, hard bounce``) as a text each
    language says; a provider's word mailcheck does not know is shown as it is."""
    known = [DEPARTURES.get(part.strip()) for part in words.split(",")]
    if not all(known):
        return words
    return joined([Text(msgid) for msgid in known if msgid])
