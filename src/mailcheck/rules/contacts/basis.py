"""Rows relying on another basis than consent: B2B (MC206), customer soft opt-in
(MC207), CASL implied consent (MC213)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from mailcheck.context import LintContext
from mailcheck.documents import ContactListDocument, Kind
from mailcheck.findings import Finding, NotChecked, Severity
from mailcheck.i18n import Date, Days, Text, t
from mailcheck.i18n_extract import N_
from mailcheck.keywords import fold
from mailcheck.lazy import np, pd
from mailcheck.rule import Option, Rule
from mailcheck.rules.contacts.common import (
    RowText,
    SharedTexts,
    active,
    column_in,
    dates,
    distinct_mask,
    domain_pattern,
    filled,
    has_address,
    is_audience,
    map_column,
    map_unique,
    row_findings,
    text,
)
from mailcheck.rules.contacts.gaps import lacks_address, mapping_hint

CONTACTS = frozenset({Kind.CONTACTS})


def lacks_legal_basis(rule: Rule, doc: ContactListDocument) -> NotChecked | None:
    """Why the exceptions to consent (B2B, customers) cannot be checked on ``doc``."""
    gap = lacks_address(rule, doc)
    if gap or doc.has("legal_basis"):
        return gap
    return rule.not_checked(
        t(
            "no legal-basis or contact-type column found: every contact is judged as "
            "relying on consent"
        ),
        mapping_hint("legal_basis"),
    )


_CANADA = frozenset({"ca", "can", "canada"})


def canadian_rows(chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
    """Rows of Canadian recipients: country column `CA` / `Canada`, or no country under
    profile `ca` / `audience-country = "CA"`."""
    default_ca = (
        ctx.profile == "ca"
        or str(getattr(ctx.config, "audience_country", "") or "").upper() == "CA"
    )

    def compute() -> np.ndarray:
        country = text(chunk, "country")
        if "country" in chunk:
            canadian = map_column(chunk, "country", lambda v: fold(v) in _CANADA, ctx, bool)
        else:
            canadian = map_unique(country, lambda v: fold(v) in _CANADA, dtype=bool)
        if default_ca:
            canadian |= (country == "").to_numpy()
        return canadian

    # for MC207 and MC213
    return ctx.memo.get(("contacts.canadian", default_ca), compute, of=chunk)


class B2bExceptionUnsupported(Rule):
    """## What it does
    For rows whose legal basis is B2B / professional prospecting, checks that the address
    looks professional: not on a consumer or free-mail domain (gmail.com, orange.fr,
    web.de ...), and with a company or a job title on the row.

    ## Why it matters
    In France, prospecting professionals without prior consent is allowed only when the
    message relates to their job, they were informed and can object (CNIL prospection
    guidance; CPCE L34-5 protects natural persons). A free-mail address or a row with no
    company and no job is a consumer until proven otherwise: prior consent applies.

    ## Example
    `jean.dupont@gmail.com;B2B;;` (no company, no job title)

    ## Fix
    Keep the company and job title that justify the professional link, or treat the
    contact as a consumer and ask for consent.
    """

    code = "MC206"
    family = N_("legal basis")
    name = "b2b-exception-unsupported"
    severity = Severity.WARNING
    kinds = CONTACTS
    reference = "CPCE L34-5; CNIL prospection commerciale (B2B)"
    fix = "Record the company and job title, or get consent as for a consumer."

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        if not is_audience(doc):
            return None
        return lacks_legal_basis(self, doc)

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if not is_audience(doc) or "domain" not in chunk:
            return
        rows = (
            active(chunk, ctx)
            & column_in(chunk, "legal_basis", ("b2b",), ctx)
            & has_address(chunk, ctx)
        )
        if not rows.any():
            return
        pattern = domain_pattern(ctx.keywords["freemail_domain"])
        freemail = distinct_mask(chunk, "domain", pattern, ctx)
        unidentified = ~(filled(chunk, "company") | filled(chunk, "job_title"))
        mask = rows & (freemail | unidentified)
        if not mask.any():
            return
        reason = np.where(freemail[mask], _B2B_FREEMAIL, _B2B_UNIDENTIFIED)
        yield row_findings(
            self,
            doc,
            chunk,
            mask,
            _b2b_message,
            columns=("b2b_problem", "legal_basis", "company", "job_title"),
            computed={"b2b_problem": reason},
            message_by={"b2b_problem": reason},
        )


class SoftOptinUnsupported(Rule):
    """## What it does
    For rows whose legal basis is customer (soft opt-in), checks that a purchase backs it:
    a last purchase / order date, no older than `retention-days` (default 1095). Canadian
    recipients are left to MC213 (CASL: a purchase within two years or an inquiry within
    six months).

    ## Why it matters
    The customer exception to prior consent requires that the address was collected from
    the person at a sale of a product or service, for similar products of the same
    company, with an opt-out offered at collection and in every message: ePrivacy art.
    13(2); CPCE L34-5 al. 4; UK PECR reg. 22(3); UWG §7(3). Without a purchase there is
    no customer, and the CNIL counts customer retention from the end of the relationship.

    ## Example
    `marie@example.fr;client;` (no last purchase date)

    ## Fix
    Record the purchase date; for contacts without a purchase, ask for consent.
    """

    code = "MC207"
    family = N_("legal basis")
    name = "soft-optin-unsupported"
    severity = Severity.WARNING
    kinds = CONTACTS
    reference = "ePrivacy art. 13(2); CPCE L34-5 al. 4; PECR reg. 22(3)"
    fix = "Keep the purchase date, or ask these contacts for consent."
    options = {
        "retention-days": Option(
            1095,
            int,
            "Age of the last purchase after which soft opt-in lapses.",
            min=1,
            unit="days",
        ),
    }

    def __init__(self, settings=None) -> None:
        super().__init__(settings)
        # One message function for the run: its texts are remembered from chunk to chunk.
        self.customer_message = _customer_message(self.settings["retention-days"])

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        if not is_audience(doc):
            return None
        return lacks_legal_basis(self, doc)

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if not is_audience(doc) or "email_key" not in chunk:
            return
        rows = (
            active(chunk, ctx)
            & column_in(chunk, "legal_basis", ("customer",), ctx)
            & has_address(chunk, ctx)
        )
        # Canadian recipients are judged by CASL's own test (MC213): an inquiry in the last
        # six months is an existing business relationship too, without any purchase.
        rows &= ~canadian_rows(chunk, ctx)
        if not rows.any():
            return
        purchase = dates(chunk, "last_purchase_at")
        cutoff = pd.Timestamp(ctx.today) - pd.Timedelta(days=self.settings["retention-days"])
        mask = rows & (purchase.isna() | (purchase < cutoff))
        yield row_findings(
            self,
            doc,
            chunk,
            mask,
            self.customer_message,
            columns=[c for c in ("legal_basis", "last_purchase_at") if c in chunk],
            message_by={"purchase": purchase.to_numpy(dtype="datetime64[D]")},
        )


class CaslImpliedConsentExpired(Rule):
    """## What it does
    For Canadian recipients (country column `CA` / `Canada`, or profile `ca` /
    `audience-country = "CA"` when the row has no country) relying on implied consent
    (legal basis customer / implied), checks the existing business relationship: a
    purchase or contract in the last two years, or an inquiry in the last six months.

    ## Why it matters
    CASL s. 10(9)-(10): implied consent from an existing business relationship lasts two
    years after a purchase or contract and six months after an inquiry; after that,
    express consent is needed (CRTC guidance on implied consent). CASL s. 13 puts the
    burden of proof on the sender.

    ## Example
    `ann@example.ca;CA;implied;2022-01-10` linted on 2026-11-22.

    ## Fix
    Ask these contacts for express consent before the implied consent expires.
    """

    code = "MC213"
    family = N_("legal basis")
    name = "casl-implied-consent-expired"
    severity = Severity.WARNING
    kinds = CONTACTS
    reference = "CASL s. 10(9)-(10), s. 13; CRTC implied-consent guidance"
    fix = "Get express consent from these Canadian contacts."
    options = {
        "purchase-days": Option(
            730,
            int,
            "Days a purchase or contract keeps implied consent.",
            min=1,
            unit="days",
        ),
        "inquiry-days": Option(
            183,
            int,
            "Days an inquiry keeps implied consent.",
            min=1,
            unit="days",
        ),
    }

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        # only where Canadian recipients may be: CASL is not asked of a French list
        canadian = (
            ctx.profile == "ca"
            or doc.has("country")
            or (str(getattr(ctx.config, "audience_country", "") or "").upper() == "CA")
        )
        if not is_audience(doc) or not canadian:
            return None
        return lacks_legal_basis(self, doc)

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if not is_audience(doc) or "email_key" not in chunk:
            return
        rows = (
            canadian_rows(chunk, ctx)
            & active(chunk, ctx)
            & column_in(chunk, "legal_basis", ("customer",), ctx)
            & has_address(chunk, ctx)
        )
        if not rows.any():
            return
        mask = rows & ~casl_consent_kept(chunk, pd.Timestamp(ctx.today), self.settings)
        yield row_findings(
            self,
            doc,
            chunk,
            mask,
            _casl_message(self.settings["purchase-days"], self.settings["inquiry-days"]),
            columns=[
                c
                for c in ("country", "legal_basis", "last_purchase_at", "last_inquiry_at")
                if c in chunk
            ],
        )


def casl_consent_kept(
    chunk: pd.DataFrame, today: pd.Timestamp, settings: dict[str, Any]
) -> np.ndarray:
    """Rows whose implied consent still holds under CASL s. 10(10) on ``today``: a
    purchase within ``purchase-days`` or an inquiry within ``inquiry-days`` (MC213's
    settings; the campaign asks it on the send date)."""
    purchase = dates(chunk, "last_purchase_at")
    inquiry = dates(chunk, "last_inquiry_at")
    purchase_ok = purchase.notna() & (
        purchase >= today - pd.Timedelta(days=settings["purchase-days"])
    )
    inquiry_ok = inquiry.notna() & (inquiry >= today - pd.Timedelta(days=settings["inquiry-days"]))
    return (purchase_ok | inquiry_ok).to_numpy()


#: Why a B2B row is reported (``b2b_problem`` in its data, kept in English).
_B2B_FREEMAIL = "on a consumer / free-mail domain"
_B2B_UNIDENTIFIED = "with no company or job title"
_B2B_MESSAGES = {
    _B2B_FREEMAIL: N_(
        "marked as a business contact (B2B) but the address is a personal one (Gmail, Orange...)"
    ),
    _B2B_UNIDENTIFIED: N_("marked as a business contact (B2B) but no company or job title"),
}


_B2B_TEXTS = {problem: RowText(msgid) for problem, msgid in _B2B_MESSAGES.items()}


def _b2b_message(data: dict) -> Text:
    return _B2B_TEXTS[data["b2b_problem"]]


def _customer_message(retention_days: int) -> Callable[[dict], Text]:
    limit = Days(retention_days)
    texts = SharedTexts()

    def message(key: dict) -> Text:
        purchase = key["purchase"]  # the day of the last purchase, or ""
        return texts(purchase, lambda: _customer(purchase, limit))

    return message


def _customer(purchase: str, limit: Days) -> Text:
    if not purchase:
        return t("mailed as a customer (soft opt-in) but no purchase date")
    return t(
        "mailed as a customer (soft opt-in) but the last purchase was on {date}, more "
        "than {limit} ago",
        date=Date(dt.date.fromisoformat(purchase)),
        limit=limit,
    )


def _casl_message(purchase_days: int, inquiry_days: int) -> Text:
    """The MC213 message, CASL's periods in words when they are the law's."""
    return t(
        "Canadian contact mailed on implied consent, but no purchase in {purchase} and no "
        "inquiry in {inquiry}",
        purchase=_period(purchase_days),
        inquiry=_period(inquiry_days),
    )


def _period(days: int) -> Text | Days:
    """CASL's periods in words when they are the law's (730 -> 2 years, 183 -> 6 months)."""
    law = {730: N_("2 years"), 183: N_("6 months")}.get(days)
    return Text(law) if law else Days(days)
