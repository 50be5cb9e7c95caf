"""Who may receive the campaign: each audience contact judged for this purpose, on the
send date, against every list of the campaign.

One pass over each list's canonical chunks, vectorised with numpy (no Python loop per
row). Per contact the conditions that failed are bits of one ``uint16``
(:data:`REASONS`); the contact may receive the campaign when no bit is set. What is kept
per contact is bounded (line, address hash, bits, the address as Arrow text for the
clean-up list): about 40 bytes a contact.

The conditions, in the order the report gives them:

- ``status``: the list itself says unsubscribed, bounced (cleaned) or blocked, or its
  provider suppresses the address (a suppression reason: a complaint, a do-not-contact);
- ``suppressed``: the address is in a suppression / unsubscribe / blocklist file;
- ``unsubscribed-elsewhere``: unsubscribed or blocked in another list of the campaign
  (another audience, or a send log);
- ``retention``: the last qualifying activity (opt-in, confirmation, click, purchase,
  collection; never an open) is older than ``retention-days`` **on the send date**;
  customers are counted from their last purchase;
- ``no-proof``: a contact relying on consent with nothing proving it (no sign-up date,
  confirmation date, source or IP; or a list with no such column at all);
- ``invalid-source``: the opt-in source can never be consent (a bought, rented or
  scraped list, a pre-ticked box: MC205's errors), whatever the other columns say;
- ``purpose``: the consent does not cover this purpose: the per-purpose column says no
  or is empty; the list records other purposes but not this one; a single bundled
  consent for partners' offers or profiling (each needs its own consent); or the
  list's single consent column says no;
- ``customer-exception``: a customer (soft opt-in) without a purchase in the period, or
  a purpose that is not the sender's own products (partners, profiling); a Canadian
  contact on implied consent past CASL's periods (a purchase two years ago, an inquiry
  six months ago: MC213's);
- ``b2b-exception``: a professional contact on a consumer / free-mail address, or a
  message the manifest does not declare related to the recipient's job;
- ``unconfirmed``: sign-up pending (double opt-in never confirmed);
- ``invalid``, ``no-reply``, ``no-address``: an address nobody can receive mail at.

A per-purpose consent that says yes makes customer and B2B contacts count as consenting
(the exception is then not needed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mailcheck.analysis.addresses import hashed_entry
from mailcheck.campaign.manifest import OWN_PRODUCTS, Manifest
from mailcheck.context import LintContext
from mailcheck.documents import ContactListDocument
from mailcheck.errors import InputError, UsageError, message_of
from mailcheck.files import display_path
from mailcheck.i18n import t, tn
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np, pa, pc, pd
from mailcheck.readers.csv.columns import FALSY, TRUTHY
from mailcheck.rules.contacts.addresses import invalid_rows, noreply_mask
from mailcheck.rules.contacts.basis import (
    CaslImpliedConsentExpired,
    canadian_rows,
    casl_consent_kept,
)
from mailcheck.rules.contacts.common import (
    DO_NOT_SEND,
    NEVER,
    OPTED_OUT,
    QUALIFYING,
    column_in,
    dates,
    distinct_mask,
    domain_pattern,
    filled,
    fold_header,
    has_address,
    map_unique,
    seconds,
    text,
)
from mailcheck.rules.contacts.consent import PROOF_COLUMNS, invalid_source_rows
from mailcheck.rules.contacts.suppression import provider_suppressed

#: Why a contact may not receive the campaign, one bit each, in the report's order.
REASONS = (
    "status",
    "suppressed",
    "unsubscribed-elsewhere",
    "retention",
    "no-proof",
    "invalid-source",
    "purpose",
    "customer-exception",
    "b2b-exception",
    "unconfirmed",
    "invalid",
    "no-reply",
    "no-address",
)
#: One bit per reason in a ``uint16`` array (plain ints: numpy loads on first use).
BIT = {reason: 1 << index for index, reason in enumerate(REASONS)}
#: What to do in the provider with a contact excluded for a reason.
ACTIONS = {
    "status": "suppress",
    "suppressed": "suppress",
    "unsubscribed-elsewhere": "suppress",
    "retention": "delete",
    "no-proof": "re-permission",
    # Not re-permission: asking them by e-mail would be mailing them without consent.
    "invalid-source": "delete",
    "purpose": "re-permission",
    "customer-exception": "re-permission",
    "b2b-exception": "re-permission",
    "unconfirmed": "re-permission",
    "invalid": "delete",
    "no-reply": "delete",
    "no-address": "delete",
}
#: The strongest action wins: an objection is kept (suppress) rather than deleted.
_ACTION_ORDER = ("suppress", "delete", "re-permission")
#: Generic yes/no consent columns the readers map (not per purpose).
_GENERIC_FLAGS = ("accepts_marketing", "opt_in")


@dataclass
class ListVerdict:
    """The contacts of one audience file: per record (in file order) the physical line
    where it starts and the bits of :data:`REASONS` that failed."""

    path: Path
    doc: ContactListDocument
    lines: np.ndarray
    bits: np.ndarray
    hashes: np.ndarray
    own_opt_out: np.ndarray
    addresses: pa.ChunkedArray
    #: Per-purpose consent column used for the campaign's purpose (``None``: none).
    purpose_column: str | None = None
    #: Contacts that may receive it whose address an earlier one of the audience has
    #: already (:func:`judge`): the send list keeps each address once.
    repeated: np.ndarray | None = None
    #: Where the records that are no contact start (a report's footer under the table):
    #: neither counted nor copied to the send list.
    no_contact_lines: np.ndarray | None = None

    @property
    def eligible(self) -> np.ndarray:
        return self.bits == 0

    @property
    def sendable(self) -> np.ndarray:
        """The contacts the send list keeps: those that may receive it, each address once."""
        return self.eligible if self.repeated is None else self.eligible & ~self.repeated


@dataclass
class Eligibility:
    """Every audience list judged; the opt-outs gathered from all lists."""

    lists: list[ListVerdict] = field(default_factory=list)
    #: What the lists lacked to judge a condition (said in the report as warnings).
    gaps: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(item.bits) for item in self.lists)

    @property
    def eligible(self) -> int:
        return sum(int(item.eligible.sum()) for item in self.lists)

    @property
    def repeated(self) -> int:
        """Contacts that may receive it at an address the audience has already."""
        return sum(int(item.repeated.sum()) for item in self.lists if item.repeated is not None)

    def excluded(self) -> Iterator[tuple[ListVerdict, int, str, int]]:
        """``(list, row, address, reason bits)`` of each contact that may not receive the
        campaign, list by list, the addresses taken 50,000 rows at a time."""
        for item in self.lists:
            rows = np.flatnonzero(~item.eligible)
            for begin in range(0, len(rows), 50_000):
                part = rows[begin : begin + 50_000]
                addresses = item.addresses.take(part).to_pylist()
                for row, address, bits in zip(
                    part.tolist(), addresses, item.bits[part].tolist(), strict=True
                ):
                    yield item, row, address or "", bits

    def counts(self) -> dict[str, int]:
        """Excluded contacts per first failed condition, in :data:`REASONS` order (so the
        counts add up to the contacts that may not receive the campaign)."""
        found = dict.fromkeys(REASONS, 0)
        for item in self.lists:
            first = item.bits & (~item.bits + np.uint16(1))  # the lowest bit set
            for reason in REASONS:
                found[reason] += int(np.count_nonzero(first == BIT[reason]))
        return {reason: count for reason, count in found.items() if count}

    def all_counts(self) -> dict[str, int]:
        """Contacts per failed condition (a contact may fail several)."""
        found = dict.fromkeys(REASONS, 0)
        for item in self.lists:
            for reason in REASONS:
                found[reason] += int(np.count_nonzero(item.bits & BIT[reason]))
        return {reason: count for reason, count in found.items() if count}


def reasons_of(bits: int) -> list[str]:
    """The reason names set in ``bits``, in :data:`REASONS` order."""
    return [reason for reason in REASONS if bits & int(BIT[reason])]


def action_of(reasons: list[str]) -> str:
    """What the clean-up list says to do for a contact excluded for ``reasons``."""
    wanted = {ACTIONS[reason] for reason in reasons}
    return next((action for action in _ACTION_ORDER if action in wanted), "re-permission")


def read_lists(ctx: LintContext, paths: tuple[Path, ...]) -> Iterator[ContactListDocument]:
    """The contact documents of ``paths`` (a ZIP may hold several); a file that cannot
    be read is a one-line :class:`~mailcheck.errors.UsageError` naming it."""
    config = ctx.config
    for path in paths:
        try:
            documents = ctx.pm.hook.mailcheck_read_document(
                path=path, kind="contacts", config=config
            )
        except InputError as error:
            raise UsageError(
                t("{path}: {error}", path=display_path(path), error=message_of(error))
            ) from None
        found = [d for d in documents or [] if isinstance(d, ContactListDocument)]
        if not found:
            raise UsageError(t("{path}: not a contact list", path=display_path(path)))
        yield from found


def _chunks(doc: ContactListDocument, raw: tuple[str, ...] = ()) -> Iterator[pd.DataFrame]:
    try:
        yield from doc.chunks(raw_headers=raw)
    except InputError as error:
        raise UsageError(
            t("{path}: {error}", path=doc.display_path, error=message_of(error))
        ) from None


@dataclass
class OptOuts:
    """Who objected, from the files of the campaign that are not its audience."""

    #: Address hashes of every row of the suppression files (sorted, unique).
    suppressed: np.ndarray
    #: Address hashes of the unsubscribed or blocked rows of the send logs and the other
    #: lists (sorted, unique).
    unsubscribed: np.ndarray
    #: Hex SHA-256 / MD5 of the addresses of hashed suppression lists (a provider's export
    #: of its suppressions, a shared do-not-contact list).
    hashed: frozenset[str] = frozenset()


def opt_out_hashes(ctx: LintContext, manifest: Manifest) -> OptOuts:
    """Every opt-out the campaign's other files hold (see :class:`OptOuts`)."""
    suppressed: list[np.ndarray] = []
    unsubscribed: list[np.ndarray] = []
    hashed: set[str] = set()
    for doc in read_lists(ctx, manifest.suppressions):
        for chunk in _chunks(doc):
            if "key_hash" in chunk:
                suppressed.append(chunk["key_hash"].to_numpy()[has_address(chunk, ctx)])
            if "email_hash" in chunk:
                hashed.update(chunk["email_hash"].str.strip().str.lower().dropna().tolist())
    for doc in read_lists(ctx, (*manifest.send_logs, *manifest.other_lists)):
        for chunk in _chunks(doc):
            if "key_hash" in chunk and "status" in chunk:
                rows = column_in(chunk, "status", OPTED_OUT, ctx) & has_address(chunk, ctx)
                unsubscribed.append(chunk["key_hash"].to_numpy()[rows])
    hashed.discard("")
    return OptOuts(_unique(suppressed), _unique(unsubscribed), frozenset(hashed))


def _unique(parts: list[np.ndarray]) -> np.ndarray:
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)


def judge(ctx: LintContext, manifest: Manifest) -> Eligibility:
    """Judge every audience contact of ``manifest`` (``ctx.today`` is the send date)."""
    opt_outs = opt_out_hashes(ctx, manifest)
    result = Eligibility()
    judge_list = _ListJudge(ctx, manifest, opt_outs)
    for doc in read_lists(ctx, manifest.audience):
        result.lists.append(judge_list(doc))
        result.gaps.extend(judge_list.gaps)
    # Unsubscribed in any list of the campaign: another audience, a send log.
    opted_out = [opt_outs.unsubscribed, *(item.hashes[item.own_opt_out] for item in result.lists)]
    everywhere = _unique(opted_out)
    for item in result.lists:
        elsewhere = np.isin(item.hashes, everywhere) & ~item.own_opt_out
        item.bits[elsewhere & (item.hashes != 0)] |= BIT["unsubscribed-elsewhere"]
    _mark_repeated(result.lists)
    return result


def _mark_repeated(lists: list[ListVerdict]) -> None:
    """Mark, among the contacts that may receive the campaign, those whose address an
    earlier one has (in the audience's files and rows order): sent as given, that
    person would get it twice (the address compared normalised: ``Jeanne@Exemple.fr``
    is ``jeanne@exemple.fr``)."""
    hashes = np.concatenate([item.hashes[item.eligible] for item in lists]) if lists else []
    if not len(hashes):
        for item in lists:
            item.repeated = np.zeros(len(item.bits), dtype=bool)
        return
    _, first = np.unique(hashes, return_index=True)
    again = np.ones(len(hashes), dtype=bool)
    again[first] = False
    again &= hashes != 0  # a row without an address is no one's second row
    start = 0
    for item in lists:
        rows = np.flatnonzero(item.eligible)
        item.repeated = np.zeros(len(item.bits), dtype=bool)
        item.repeated[rows] = again[start : start + len(rows)]
        start += len(rows)


class _ListJudge:
    """Judges the chunks of one audience list (see the module's docstring)."""

    def __init__(self, ctx: LintContext, manifest: Manifest, opt_outs: OptOuts) -> None:
        self.ctx, self.manifest = ctx, manifest
        self.suppressed, self.hashed = opt_outs.suppressed, dict.fromkeys(opt_outs.hashed, True)
        self.gaps: list = []
        today = int(pd.Timestamp(manifest.send_date).value // 1_000_000_000)
        self.cutoff = today - manifest.retention_days * 86_400
        # CASL's periods of implied consent, as MC213 is configured.
        code = CaslImpliedConsentExpired.code
        self.casl = CaslImpliedConsentExpired(ctx.config.rules.get(code)).settings
        self.freemail = domain_pattern(ctx.keywords["freemail_domain"])

    def __call__(self, doc: ContactListDocument) -> ListVerdict:
        self.gaps = []
        purpose_headers = self._purpose_headers(doc)
        own = purpose_headers.get(self.manifest.purpose)
        raw = tuple(dict.fromkeys(purpose_headers.values()))
        lines, bits, hashes, opt_out, addresses, no_contact = [], [], [], [], [], []
        proofless = not any(doc.has(c) for c in PROOF_COLUMNS)
        if proofless:
            self.gaps.append(
                t(
                    "{path}: no column proves consent (sign-up date, source or IP)",
                    path=doc.display_path,
                )
            )
        for number, chunk in enumerate(_chunks(doc, raw)):
            blank = _no_contact(chunk, doc)
            if blank.any():  # a report's footer, a note under the table: no contact
                no_contact.append(chunk["line"].to_numpy()[blank])
                chunk = chunk.loc[~blank]
            if number == 0:
                purpose_headers = _answered(chunk, purpose_headers)
                own = purpose_headers.get(self.manifest.purpose)
            chunk_bits = self._chunk(chunk, doc, purpose_headers, proofless)
            lines.append(chunk["line"].to_numpy())
            bits.append(chunk_bits)
            hashes.append(
                chunk["key_hash"].to_numpy()
                if "key_hash" in chunk
                else np.zeros(len(chunk), dtype=np.uint64)
            )
            opt_out.append(column_in(chunk, "status", OPTED_OUT, self.ctx))
            addresses.append(pa.array(text(chunk, "email"), pa.string()))
        self._unread_dates(doc)
        return ListVerdict(
            path=doc.path,
            doc=doc,
            lines=_concat(lines, np.int64),
            bits=_concat(bits, np.uint16),
            hashes=_concat(hashes, np.uint64),
            own_opt_out=_concat(opt_out, bool),
            addresses=pa.chunked_array(addresses, pa.string()),
            purpose_column=own,
            no_contact_lines=_concat(no_contact, np.int64),
        )

    def _unread_dates(self, doc: ContactListDocument) -> None:
        """Said among the warnings: date cells no format read are judged as empty, so a
        contact's retention or proof may be judged without them (MC904 names them)."""
        report = getattr(doc, "read_report", None)
        unreadable = getattr(report, "unreadable_dates", None)
        for unread in unreadable.columns.values() if unreadable else ():
            self.gaps.append(
                tn(
                    N_(
                        "{path}: {count} cell of column {column} not read as a date (line "
                        "{line}), judged as empty: retention and proof of consent are judged "
                        "without it; give the format under [date-formats]"
                    ),
                    N_(
                        "{path}: {count} cells of column {column} not read as dates (from line "
                        "{line}), judged as empty: retention and proof of consent are judged "
                        "without them; give the format under [date-formats]"
                    ),
                    unread.count,
                    path=doc.display_path,
                    column=repr(unread.source),
                    line=unread.first_lines[0] if unread.first_lines else 1,
                )
            )

    def _purpose_headers(self, doc: ContactListDocument) -> dict[str, str]:
        """purpose -> the header of its own consent column (``Offres partenaires``,
        ``consent_newsletter``), found by the keyword lists MC214 uses."""
        found: dict[str, str] = {}
        metadata = {
            doc.columns[c]
            for c in (*PROOF_COLUMNS, "unsubscribed_at", "status", "email", *_REFUSALS)
            if c in doc.columns
        }
        refusal = [self.ctx.keywords[name] for name in _REFUSAL_WORDS]
        for header in doc.header:
            if header in metadata:
                continue
            folded = fold_header(header)
            if any(words.search_folded(folded) for words in refusal):
                continue  # "Opt-out newsletter": a yes there is a no to the newsletter
            matched = [
                purpose
                for purpose in ("partners", "profiling", "newsletter", "offers")
                if self.ctx.keywords[f"purpose_{purpose}"].search_folded(folded)
            ]
            # "Offres partenaires" is the partners' consent, not the sender's offers.
            if matched:
                found.setdefault(matched[0], header)
        return found

    def _chunk(
        self,
        chunk: pd.DataFrame,
        doc: ContactListDocument,
        purpose_headers: dict[str, str],
        proofless: bool,
    ) -> np.ndarray:
        ctx, manifest = self.ctx, self.manifest
        size = len(chunk)
        bits = np.zeros(size, dtype=np.uint16)

        def mark(reason: str, mask: np.ndarray) -> None:
            bits[mask] |= BIT[reason]

        if "email_key" not in chunk:
            mark("no-address", np.ones(size, dtype=bool))
            return bits
        address = has_address(chunk, ctx)
        mark("no-address", ~address)
        # The list's status, or its provider's suppression (a complaint, a do-not-contact).
        mark("status", column_in(chunk, "status", DO_NOT_SEND, ctx))
        mark("status", provider_suppressed(chunk, ctx))
        mark("unconfirmed", column_in(chunk, "status", ("pending",), ctx))
        if len(self.suppressed):
            mark("suppressed", address & np.isin(chunk["key_hash"].to_numpy(), self.suppressed))
        if self.hashed:  # only the few lists that come hashed pay for hashing each address
            keys = chunk["email_key"].to_numpy()
            for row in np.flatnonzero(address & (bits & BIT["suppressed"] == 0)):
                if hashed_entry(keys[row], self.hashed):
                    bits[row] |= BIT["suppressed"]
        if "email" in chunk:
            invalid, _ = invalid_rows(chunk, doc, ctx)
            mark("invalid", invalid & address)
        mark("no-reply", noreply_mask(chunk, ctx) & address)
        customer = column_in(chunk, "legal_basis", ("customer",), ctx)
        b2b = column_in(chunk, "legal_basis", ("b2b",), ctx)
        consent = ~(customer | b2b)
        mark("retention", self._stale(chunk, customer))
        # The consent for this purpose: yes / no / not said, per row.
        said_yes, said_no = self._purpose_answer(chunk, doc, purpose_headers)
        mark("purpose", said_no)
        consenting = consent & ~said_yes
        if manifest.purpose not in purpose_headers:
            if purpose_headers or manifest.purpose in ("partners", "profiling"):
                # granular file without this purpose, or one consent for everything
                mark("purpose", consenting)
        else:
            mark("purpose", consenting & ~said_no)  # empty cell: nothing consented
        if proofless:
            mark("no-proof", consent & ~said_yes & address)
        else:
            proof = np.zeros(size, dtype=bool)
            for column in PROOF_COLUMNS:
                if column in chunk:
                    values = chunk[column]
                    proof |= (
                        values.notna().to_numpy()
                        if values.dtype.kind == "M"
                        else filled(chunk, column)
                    )
            mark("no-proof", consent & ~proof & address)
        # B2B rows are left to their own exception, as MC205 leaves them to MC206.
        mark("invalid-source", invalid_source_rows(chunk, ctx) & ~b2b & address)
        # The customer exception: the sender's own similar products, a recent purchase.
        customer &= ~said_yes & ~said_no
        if manifest.purpose not in OWN_PRODUCTS:
            mark("customer-exception", customer)
        else:
            purchase = seconds(dates(chunk, "last_purchase_at"))
            expired = (purchase == NEVER) | (purchase < self.cutoff)
            canadian = customer & canadian_rows(chunk, ctx)
            if canadian.any():  # implied consent under CASL: its own periods
                send_date = pd.Timestamp(self.manifest.send_date)
                kept = casl_consent_kept(chunk, send_date, self.casl)
                expired = np.where(canadian, ~kept, expired)
            mark("customer-exception", customer & expired)
        # The B2B exception: a professional address and a message about the job.
        b2b &= ~said_yes & ~said_no
        if not manifest.job_related:
            mark("b2b-exception", b2b)
        elif "domain" in chunk:
            mark("b2b-exception", b2b & distinct_mask(chunk, "domain", self.freemail, ctx))
        return bits

    def _stale(self, chunk: pd.DataFrame, customer: np.ndarray) -> np.ndarray:
        """Rows whose last qualifying date is past retention on the send date (MC203's
        test with the send date as today; a row with no date is not judged here)."""
        present = [c for c in QUALIFYING if c in chunk]
        if not present:
            return np.zeros(len(chunk), dtype=bool)
        last = seconds(chunk[present[0]]).copy()
        for column in present[1:]:
            np.maximum(last, seconds(chunk[column]), out=last)
        if "last_purchase_at" in chunk:
            purchase = seconds(chunk["last_purchase_at"])
            last = np.where(customer & (purchase != NEVER), purchase, last)
        return (last != NEVER) & (last < self.cutoff)

    def _purpose_answer(
        self, chunk: pd.DataFrame, doc: ContactListDocument, headers: dict[str, str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(yes, no) masks of the consent to this campaign's purpose: its own column
        when the list has one, else the list's single yes/no consent column (which can
        only say no for a purpose it may bundle)."""
        size = len(chunk)
        header = headers.get(self.manifest.purpose)
        if header is not None:
            return _yes_no(text(chunk, f"raw:{header}"))
        for flag in _GENERIC_FLAGS:
            if flag in chunk:
                yes, no = _yes_no(chunk[flag])
                # An empty consent cell (a form's unticked box) where no status says
                # otherwise: nothing was consented.
                unsaid = ~yes & ~no & column_in(chunk, "status", ("unknown",), self.ctx)
                return np.zeros(size, dtype=bool), no | unsaid
        return np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)


_WORD = re.compile(r"\s+")
#: Canonical yes/no columns where a yes refuses mailing: never a purpose's consent.
_REFUSALS = ("opted_out", "blocklisted")
#: Words of a header where a yes refuses mailing (as the contact-list reader reads them).
_REFUSAL_WORDS = ("opt_out_header", "status_unsubscribed", "status_blocklisted")
#: Share of a purpose column's filled cells (first chunk) that must be yes or no.
_ANSWERS_SHARE = 0.9


def _answered(chunk: pd.DataFrame, headers: dict[str, str]) -> dict[str, str]:
    """The purpose columns whose cells answer yes or no (nine in ten of the filled ones
    in the first chunk; an empty column is a consent nobody gave): a header that names a
    purpose but holds dates ("Last marketing email click date"), companies (Dolibarr's
    "Tiers") or labels ("Marketing contact") records no consent."""
    kept = {}
    for purpose, header in headers.items():
        yes, no = _yes_no(text(chunk, f"raw:{header}"))
        count = int(np.count_nonzero(filled(chunk, f"raw:{header}")))
        if count == 0 or np.count_nonzero(yes | no) >= _ANSWERS_SHARE * count:
            kept[purpose] = header
    return kept


def _yes_no(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Yes / no masks of a consent column (booleans, or words: ``oui``, ``no``, ``1`` ...;
    anything else, an empty cell included, is neither)."""
    if values.dtype.kind == "b" or str(values.dtype) == "boolean":
        yes = values.fillna(False).to_numpy(dtype=bool)
        no = (~values.fillna(True)).to_numpy(dtype=bool)
        return yes, no
    words = pc.utf8_lower(pc.utf8_trim_whitespace(pa.array(values.astype("str"), pa.string())))
    yes = map_unique(pd.Series(words.to_pandas()), lambda v: v in TRUTHY, dtype=bool)
    no = map_unique(pd.Series(words.to_pandas()), lambda v: v in FALSY, dtype=bool)
    return np.asarray(yes, dtype=bool), np.asarray(no, dtype=bool)


def _no_contact(chunk: pd.DataFrame, doc: ContactListDocument) -> np.ndarray:
    """Rows with nothing in any column the list is read from: no address, no status, no
    date, no source -- a line under the table ("Confidential Information - Do Not
    Distribute" at the foot of a Salesforce report), not a contact without an address."""
    empty = ~filled(chunk, "email")
    for column in doc.columns:
        if not empty.any():
            break
        if column == "email" or column not in chunk:
            continue
        values = chunk[column]
        if values.dtype.kind == "M":
            empty &= values.isna().to_numpy()
        elif values.dtype.kind == "b" or str(values.dtype) == "boolean":
            empty &= ~values.fillna(False).to_numpy(dtype=bool)
        elif column in ("status", "legal_basis"):
            empty &= (values == "unknown").to_numpy(dtype=bool, na_value=True)
        else:
            empty &= ~filled(chunk, column)
    return empty


def _concat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)
