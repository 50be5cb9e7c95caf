"""Consent rules: proof missing (MC204), invalid opt-in source (MC205), unconfirmed double
opt-in (MC211), one consent for several purposes (MC214)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mailcheck.context import LintContext
from mailcheck.documents import ContactListDocument, Kind
from mailcheck.findings import Finding, NotChecked, Severity
from mailcheck.i18n import Text, t
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np, pd
from mailcheck.rule import Rule
from mailcheck.rules.contacts.addresses import role_mask
from mailcheck.rules.contacts.common import (
    RowText,
    SharedTexts,
    active,
    column_in,
    dates,
    filled,
    fold_header,
    has_address,
    header_line,
    is_audience,
    joined,
    row_findings,
)
from mailcheck.rules.contacts.gaps import lacks_address, lacks_all, mapping_hint

CONTACTS = frozenset({Kind.CONTACTS})
PROOF_COLUMNS = ("consent_at", "confirmed_at", "consent_source", "consent_ip", "confirm_ip")


def consent_rows(chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
    """Subscribed rows that rely on consent (or on nothing stated): customers and B2B
    rows are judged by MC207 and MC206 instead."""
    basis = column_in(chunk, "legal_basis", ("consent", "unknown"), ctx)
    return active(chunk, ctx) & basis & has_address(chunk, ctx)


def _downgrade_roles(
    severity: np.ndarray, chunk: pd.DataFrame, rows: np.ndarray, ctx: LintContext
) -> np.ndarray:
    """Role addresses (info@, contact@) are company contacts: one severity level lower.
    ``severity`` is given for the ``rows`` (a mask) of ``chunk``."""
    if "email_key" in chunk:
        lowered = np.maximum(np.asarray(severity) - 1, int(Severity.INFO))
        severity = np.where(role_mask(chunk, ctx)[rows], lowered, severity)
    return severity


class ConsentProofMissing(Rule):
    """## What it does
    For subscribed rows that rely on consent (legal basis `consent`, or none stated),
    checks that the file holds a proof: *when* (opt-in date, or confirmation date with its
    IP) and *how* (collection source or form, or the sign-up IP). A row with no proof
    field filled at all is an error; a partial proof is a warning. A row with only a
    confirmation time -- no opt-in time, no IP -- is what an import looks like (Mailchimp
    fills `CONFIRM_TIME` with the import time). Role addresses are one level lower. A
    list with no proof column at all gets one finding on its header.

    ## Why it matters
    The controller must be able to demonstrate consent: GDPR art. 7(1), recital 42; EDPB
    Guidelines 05/2020 §5.1; CJEU C-61/19 Orange România. The CNIL fined Groupe Canal+
    (SAN-2023-015, 600 k€) and Solocal (SAN-2025-001, 900 k€) for prospecting without
    proof of valid consent. CASL s. 13 puts the same burden on the sender.

    ## Example
    `paul@example.org,Paul,,,"2015-03-16 14:40:47",,...` (OPTIN_TIME and OPTIN_IP empty)

    ## Fix
    Recover the proof (form, date, IP, consent text) from the collecting system, or stop
    mailing these contacts and ask them to opt in again.
    """

    code = "MC204"
    family = N_("proof of consent")
    name = "consent-proof-missing"
    severity = Severity.WARNING
    kinds = CONTACTS
    reference = "GDPR art. 7(1), recital 42; EDPB 05/2020 §5.1; CNIL SAN-2023-015"
    fix = "Keep the opt-in date, source/form and IP for each contact, or re-ask for consent."

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        # A list with no proof column is checked: that is its finding (line 1).
        return lacks_address(self, doc) if is_audience(doc) else None

    def __init__(self, settings=None) -> None:
        super().__init__(settings)
        self.unprovable: dict[str, int] = {}
        self.partial: dict[str, str] = {}

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if not is_audience(doc) or "email_key" not in chunk:
            return
        rows = consent_rows(chunk, ctx)
        present = [c for c in PROOF_COLUMNS if c in chunk]
        if not present:
            self.unprovable[doc.display_path] = self.unprovable.get(doc.display_path, 0) + int(
                rows.sum()
            )
            return
        opt_in = dates(chunk, "consent_at").notna().to_numpy()
        confirmed = dates(chunk, "confirmed_at").notna().to_numpy()
        source = filled(chunk, "consent_source")
        ip = filled(chunk, "consent_ip") | filled(chunk, "confirm_ip")
        has_when = "consent_at" in chunk or "confirmed_at" in chunk
        has_how = any(c in chunk for c in ("consent_source", "consent_ip", "confirm_ip"))
        has_ip = "consent_ip" in chunk or "confirm_ip" in chunk
        # A confirmation time proves "when" if the IP backs it (Mailchimp fills it on
        # imports too), or if the file keeps no IP at all.
        when = opt_in | (confirmed & (ip | (not has_ip)))
        how = source | ip
        # A dimension the file has no column for is reported once, on the header, not on
        # every row: rows are judged on the proof columns the file does have.
        # (only when someone relies on consent: an export of unsubscribed people, or of
        # customers only, has no consent to prove)
        if not (has_when and has_how) and rows.any():
            self.partial[doc.display_path] = "when" if not has_when else "how"
        missing = rows & ~((when | (not has_when)) & (how | (not has_how)))
        if not missing.any():
            return
        # Messages and severities are computed on the flagged rows only.
        opt_in, confirmed, source, ip, when = (
            m[missing] for m in (opt_in, confirmed, source, ip, when)
        )
        nothing = ~(opt_in | confirmed | source | ip)
        imported = confirmed & ~opt_in & ~ip
        severity = np.where(nothing, int(Severity.ERROR), int(Severity.WARNING))
        severity = _downgrade_roles(severity, chunk, missing, ctx)
        reason = np.select(
            [nothing, imported, ~when],
            [
                "no opt-in date, source or IP",
                "confirmation time only, no opt-in time or IP (looks like an import)",
                "no opt-in date",
            ],
            default="no collection source or IP",
        )
        yield row_findings(
            self,
            doc,
            chunk,
            missing,
            _proof_message,
            columns=("proof_problem", *present),
            severity=severity,
            computed={"proof_problem": reason},
            message_by={"proof_problem": reason},
        )

    def finish_file(self, doc, ctx: LintContext) -> Iterator[Finding]:
        lacking = self.partial.pop(doc.display_path, None)
        if lacking:
            yield self.finding(doc, Text(_PARTIAL[lacking]), line=header_line(doc))
        count = self.unprovable.pop(doc.display_path, 0)
        if count:
            yield self.finding(
                doc,
                t(
                    "nothing proves the consent of {count} subscribed contacts: no column gives "
                    "the sign-up date, source or IP",
                    count=count,
                )
                if count > 1
                else t(
                    "nothing proves the consent of the subscribed contact: no column gives the "
                    "sign-up date, source or IP"
                ),
                line=header_line(doc),
                severity=Severity.ERROR,
            )


def source_classifier(ctx: LintContext) -> Callable[[str], tuple[str, str]]:
    """What an opt-in source value says: ``("invalid", term)`` when it can never be
    consent (bought, rented, scraped, pre-ticked...), ``("doubtful", term)`` when it
    proves nothing alone (an import, a trade show...), else ``("", "")``."""
    invalid_list = ctx.keywords["optin_source_invalid"]
    doubtful_list = ctx.keywords["optin_source_doubtful"]

    def classify(value: str) -> tuple[str, str]:
        if not value:
            return ("", "")
        hit = invalid_list.search(value)
        if hit:
            return ("invalid", hit)
        hit = doubtful_list.search(value)
        return ("doubtful", hit) if hit else ("", "")

    return classify


def invalid_source_rows(chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
    """Rows whose opt-in source can never be consent (MC205's errors; the campaign
    leaves them out)."""
    if "consent_source" not in chunk:
        return np.zeros(len(chunk), dtype=bool)
    classify = source_classifier(ctx)
    codes, uniques = pd.factorize(chunk["consent_source"])
    invalid = np.array([classify(value)[0] == "invalid" for value in uniques] + [False])
    return invalid[codes]  # a missing value's code, -1, reads the last: False


class InvalidOptinSource(Rule):
    """## What it does
    Reads the collection source / method of each subscribed row. Values that can never be
    consent -- purchased, rented, scraped, harvested, pre-checked, opt-out, implied
    (`fichier acheté`, `location de fichier`, `gekauft` ...) -- are errors. Doubtful
    values -- import, manual, partner, co-registration, trade show, unknown -- are
    warnings when the row has no opt-in date. B2B rows are left to MC206; for role
    addresses the severity is one level lower.

    ## Why it matters
    Consent must be freely given, specific, informed and unambiguous, by the person, to
    this sender: GDPR art. 4(11), recital 32; CJEU C-673/17 Planet49 (pre-ticked boxes);
    CPCE art. L34-5. The CNIL sanctioned list purchases and partner lists that did not
    name the advertiser (SAN-2023-015, SAN-2025-001, SAN-2024-003). Google and Yahoo: a
    purchased list is not opt-in.

    ## Example
    `contact@boulangerie-exemple.fr;;;;fichier acheté;abonné`

    ## Fix
    Stop mailing purchased, rented or scraped contacts; for imports and partner leads,
    recover the original consent date and wording or ask for a new opt-in.
    """

    code = "MC205"
    family = N_("proof of consent")
    name = "invalid-optin-source"
    severity = Severity.ERROR
    kinds = CONTACTS
    reference = "GDPR art. 4(11), recital 32; CJEU C-673/17 Planet49; CPCE L34-5"
    fix = "Do not mail contacts whose consent was bought, rented, scraped or pre-checked."

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        if not is_audience(doc):
            return None
        return lacks_all(self, doc, ("consent_source",), t("no opt-in source column found"))

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if "consent_source" not in chunk or not is_audience(doc) or "email_key" not in chunk:
            return
        classify = source_classifier(ctx)
        codes, uniques = pd.factorize(chunk["consent_source"])
        classified = [classify(value) for value in uniques] or [("", "")]
        # Per row through the distinct values' positions: integer compares, no object array.
        invalid_value = np.array([c == "invalid" for c, _ in classified], dtype=bool)
        doubtful_value = np.array([c == "doubtful" for c, _ in classified], dtype=bool)
        rows = (
            active(chunk, ctx)
            & ~column_in(chunk, "legal_basis", ("b2b",), ctx)
            & has_address(chunk, ctx)
        )
        undated = dates(chunk, "consent_at").isna().to_numpy()
        invalid = rows & invalid_value[codes]
        doubtful = rows & doubtful_value[codes] & undated
        mask = invalid | doubtful
        if not mask.any():
            return
        terms = np.array([t for _, t in classified], dtype=object)[codes[mask]]
        severity = np.where(invalid[mask], int(Severity.ERROR), int(Severity.WARNING))
        severity = _downgrade_roles(severity, chunk, mask, ctx)

        texts = SharedTexts()

        def message(data: dict) -> Text:
            value = data["consent_source"]
            kind, term = classify(value)  # the row's matched term: its value's
            return texts((kind, value, term), lambda: _source_message(kind, value, term))

        yield row_findings(
            self,
            doc,
            chunk,
            mask,
            message,
            columns=("consent_source", "matched_term", "consent_at"),
            severity=severity,
            computed={"matched_term": terms},
            message_by={"consent_source": chunk["consent_source"]},
        )


class DoubleOptinUnconfirmed(Rule):
    """## What it does
    Flags subscribed-list rows whose opt-in was requested but never confirmed: status
    pending / unconfirmed, or an opt-in date with an empty confirmation date in a file that
    has a confirmation column.

    ## Why it matters
    Not a legal requirement in most regimes (single opt-in is lawful), but Google's
    subscription guidelines ask for "double consent" and Yahoo recommends confirmed
    opt-in; in Germany double opt-in is how consent is documented in practice (UWG §7).
    An unconfirmed address may belong to someone else.

    ## Example
    `OPTIN_TIME` = `2025-02-01 10:00:00`, `CONFIRM_TIME` empty, status `pending`.

    ## Fix
    Do not mail unconfirmed contacts; resend the confirmation once, then drop them.
    """

    code = "MC211"
    family = N_("double opt-in")
    name = "double-optin-unconfirmed"
    severity = Severity.INFO
    kinds = CONTACTS
    reference = "Google e-mail subscription guidelines; Yahoo sender best practices; UWG §7 (DE)"
    fix = "Send only to confirmed contacts."

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        if not is_audience(doc):
            return None
        gap = lacks_address(self, doc)
        # pending rows are known by their status (an opt-out flag never says "pending"),
        # or by an opt-in date never confirmed
        pending_known = doc.has("status") or doc.file_status is not None
        if gap or pending_known or (doc.has("consent_at") and doc.has("confirmed_at")):
            return gap
        return self.not_checked(
            t("no status column, nor an opt-in and a confirmation date column, found"),
            mapping_hint("status", "confirmed_at"),
        )

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if not is_audience(doc) or "email_key" not in chunk:
            return
        pending = chunk["status"] == "pending"
        if "confirmed_at" in chunk and "consent_at" in chunk:
            pending |= (
                active(chunk, ctx) & chunk["consent_at"].notna() & chunk["confirmed_at"].isna()
            )
        mask = pending & has_address(chunk, ctx)
        yield row_findings(
            self,
            doc,
            chunk,
            mask,
            t("sign-up not confirmed yet (the confirmation e-mail was not clicked)"),
            columns=[c for c in ("status", "consent_at") if c in chunk],
        )


class ConsentNotGranular(Rule):
    """## What it does
    Looks at the header: one single consent / opt-in column while the file shows several
    purposes (newsletter, offers, partners, profiling, SMS ...) and no per-purpose consent
    column. A warning when one of those purposes is sharing with partners.

    ## Why it matters
    Consent is given "for one or more specific purposes" (GDPR art. 6(1)(a)); one consent
    for several purposes is not free (recital 43; EDPB Guidelines 05/2020 §3.1.3, Example
    7). The ICO asks for separate consent per channel (e-mail vs SMS); the CNIL's 2018
    recommendation requires a separate consent to transmit data to partners.

    ## Example
    Header `Email;Opt-in;Newsletter;Offres partenaires;SMS`.

    ## Fix
    Record one consent column per purpose (newsletter, own offers, partners, SMS) with its
    date.
    """

    code = "MC214"
    family = N_("consent per purpose")
    name = "consent-not-granular"
    severity = Severity.INFO
    kinds = CONTACTS
    reference = "GDPR art. 6(1)(a), recital 43; EDPB 05/2020 §3.1.3"
    fix = "Keep one consent column (and date) per purpose."
    purposes = (
        "purpose_newsletter",
        "purpose_offers",
        "purpose_partners",
        "purpose_profiling",
        "channel_sms",
    )
    consent_metadata = (
        "consent_at",
        "confirmed_at",
        "consent_ip",
        "confirm_ip",
        "consent_source",
        "unsubscribed_at",
    )

    def finish_file(self, doc, ctx: LintContext) -> Iterator[Finding]:
        if not is_audience(doc):
            return
        consent_words = ctx.keywords["consent_column"]
        # "Date opt-in", "IP opt-in", "Source opt-in" record the one consent, they are
        # not a second consent column.
        metadata = {doc.columns[c] for c in self.consent_metadata if c in doc.columns}
        generic, specific, shown = [], [], set()
        for name in doc.header:
            if name in metadata:
                continue
            folded = fold_header(name)
            categories = {
                p
                for p in self.purposes
                if p in ctx.keywords and ctx.keywords[p].search_folded(folded)
            }
            if consent_words.search_folded(folded):
                (specific if categories else generic).append(name)
            shown |= categories
        if len(generic) != 1 or specific or len(shown) < 2:
            return
        names = sorted(p.split("_", 1)[1] for p in shown)
        labels = joined([Text(_PURPOSES[n]) if n in _PURPOSES else n for n in names])
        severity = Severity.WARNING if "purpose_partners" in shown else Severity.INFO
        yield self.finding(
            doc,
            t(
                "one consent column ('{column}') for several purposes ({purposes}): each "
                "needs its own consent",
                column=generic[0],
                purposes=labels,
            ),
            line=header_line(doc),
            severity=severity,
        )


def _source_message(kind: str, value: str, term: str) -> Text:
    if kind == "invalid":
        return t("sign-up source '{source}' is not valid consent ({term})", source=value, term=term)
    return t("sign-up source '{source}' and no date of consent", source=value)


#: MC204's header finding, by the dimension of proof no column records.
_PARTIAL = {
    "when": N_(
        "no column gives the date of sign-up: the proof of consent is incomplete for every contact"
    ),
    "how": N_(
        "no column gives the source or IP of sign-up: the proof of consent is incomplete "
        "for every contact"
    ),
}
#: MC204's row message by ``proof_problem`` (the data keeps these English words).
_PROOF = {
    "no opt-in date, source or IP": N_("no proof of consent: no date, source or IP of sign-up"),
    "confirmation time only, no opt-in time or IP (looks like an import)": N_(
        "no proof of consent: only a confirmation date, no sign-up date or IP (looks like "
        "an import)"
    ),
    "no opt-in date": N_("no proof of consent: no date of sign-up"),
    "no collection source or IP": N_("no proof of consent: no source or IP of sign-up"),
}


_PROOF_TEXTS = {problem: RowText(msgid) for problem, msgid in _PROOF.items()}


def _proof_message(data: dict) -> Text:
    return _PROOF_TEXTS[data["proof_problem"]]


#: Purposes as MC214 names them (keyword lists ``purpose_*``, ``channel_*``).
_PURPOSES = {
    "newsletter": N_("newsletter"),
    "offers": N_("offers"),
    "partners": N_("partners"),
    "profiling": N_("profiling"),
    "sms": N_("SMS"),
}
