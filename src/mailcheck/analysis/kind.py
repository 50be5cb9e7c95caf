"""Marketing or transactional, and why: forced in config or by a ``mailcheck: kind``
comment, else a vote on keyword hits in the subject, headings and opening text (the
unsubscribe rules apply to marketing messages only). Cached on the document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mailcheck.analysis.body import body_text, folded_text, tag_index
from mailcheck.analysis.directives import KIND_COMMENT
from mailcheck.analysis.phrases import original_phrase
from mailcheck.keywords import fold

if TYPE_CHECKING:
    from mailcheck.context import LintContext
    from mailcheck.documents import Body, Document


@dataclass
class KindDecision:
    kind: str  # "marketing" | "transactional"
    label: str
    #: The folded keyword that decided, and the text to quote it from (lazily: only a
    #: finding's message needs the original wording).
    term: str | None = None
    source: Any = None

    @property
    def reason(self) -> str:
        if self.term is None:
            return self.label
        text = self.source() if callable(self.source) else str(self.source or "")
        return f"{self.label} ({original_phrase(text, self.term)!r})"


def message_kind(doc: Document, ctx: LintContext) -> KindDecision:
    """Marketing or transactional, and why (once per document)."""
    return ctx.memo.get("kind.decision", lambda: _decide_kind(doc, ctx), of=doc)


def _headings(body: Body, ctx: LintContext) -> str:
    if body.soup is None:
        return body.text[:300]
    parts = []
    for heading in tag_index(body, ctx).headings:
        parts.append(heading.get_text(" "))
    parts.append(body_text(body, ctx).strip()[:300])
    return " ".join(parts)


def _title_texts(body: Body, ctx: LintContext) -> str:
    """The title and first headings of an HTML body (the first line of a text one)."""
    if body.soup is None:
        return body.text.strip().split("\n", 1)[0]
    return " ".join(heading.get_text(" ") for heading in tag_index(body, ctx).headings)


def _decide_kind(doc: Document, ctx: LintContext) -> KindDecision:
    """Forced kind first (config ``[kinds]``, then a ``mailcheck: kind`` comment); else a
    vote on distinct keyword hits: transactional wording in the subject, title, first
    headings or opening lines wins unless commercial wording outnumbers it or the subject,
    title and headings present an offer ("30% off your order"); a welcome heading with no
    commercial wording at all (not a newsletter welcome) is a relationship message; three
    or more transactional terms in the body win when commercial terms are at least two
    fewer and no bulk-mail header is present. Everything else is marketing -- the safe
    side for the unsubscribe rules."""
    forced = ctx.config.message_kind(doc.path)
    if forced:
        return KindDecision(forced, "forced in config [kinds]")
    bodies = list(getattr(doc, "bodies", []))
    for body in bodies:
        match = KIND_COMMENT.search(body.text)
        if match:
            return KindDecision(match.group(1).lower(), "forced by a mailcheck: kind comment")
    transactional = ctx.keywords["transactional"]
    commercial = ctx.keywords["commercial"]
    subject = ""
    bulk_headers = False
    header = getattr(doc, "header", None)
    if callable(header) and getattr(doc, "message", None) is not None:
        subject = header("Subject") or ""
        precedence = (header("Precedence") or "").strip().lower()
        bulk_headers = (
            bool(header("List-Id"))
            or precedence in ("bulk", "list")
            or bool(header("List-Unsubscribe"))
        )
    head = fold(subject + " " + " ".join(_headings(b, ctx) for b in bodies[:1]))
    head_hits = set(transactional.pattern.findall(head))
    # The opening of each part carries what the message is about (order details, offer);
    # scanning the first 8,000 characters keeps classification cheap on 100 KB newsletters.
    texts = " ".join(folded_text(b, ctx)[:8000] for b in bodies)
    body_hits = set(transactional.pattern.findall(texts))
    offers = set(commercial.pattern.findall(texts))

    def decided(kind: str, label: str, terms: set[str]) -> KindDecision:
        def source() -> str:
            return f"{subject} " + " ".join(body_text(b, ctx) for b in bodies[:2])

        return KindDecision(kind, label, sorted(terms)[0], source)

    # The subject, title and headings say what the message is about (CAN-SPAM's "primary
    # purpose" test looks at the subject line first): "Last chance: 30% off your order" or
    # "Les soldes commencent" is an offer even when the opening mentions an order.
    titles = fold(subject + " " + " ".join(_title_texts(b, ctx) for b in bodies[:1]))
    title_offers = set(commercial.pattern.findall(titles))
    presented_as_offer = bool(title_offers) and len(title_offers) >= len(
        set(transactional.pattern.findall(titles))
    )
    if head_hits and len(offers) <= len(body_hits) and not presented_as_offer:
        return decided("transactional", "transactional wording", head_hits)
    if not offers and not bulk_headers:
        # A welcome / onboarding message ("Welcome to Kraken Academy") with no offer in it is a
        # relationship message; with any commercial wording it stays marketing.
        welcome = _welcome_heading(subject, bodies[:1], ctx)
        if welcome:
            return decided("transactional", "welcome message", {welcome})
    if len(body_hits) >= 3 and len(offers) <= len(body_hits) - 2 and not bulk_headers:
        return decided("transactional", "transactional wording", body_hits)
    if bulk_headers:
        return KindDecision(
            "marketing", "bulk-mail headers (List-Id / Precedence / List-Unsubscribe)"
        )
    if offers:
        return decided("marketing", "commercial wording", offers)
    return KindDecision("marketing", "no transactional markers (treated as marketing)")


def _welcome_heading(subject: str, bodies: list[Body], ctx: LintContext) -> str | None:
    """The welcome word (folded) that opens the subject, the title or a first heading."""
    openers = ctx.keywords["welcome"]
    candidates = [subject]
    for body in bodies:
        if body.soup is not None:
            candidates += [heading.get_text(" ") for heading in tag_index(body, ctx).headings]
        else:
            candidates.append(body.text.strip().split("\n", 1)[0])
    newsletter = ctx.keywords["purpose_newsletter"]
    for candidate in candidates:
        folded = fold(candidate)
        hit = openers.search_folded(folded)
        # "Welcome to the Acme newsletter" opens a marketing relationship: not this case.
        if hit and folded.startswith(hit) and not newsletter.search_folded(folded):
            return hit
    return None


def is_marketing(doc: Document, ctx: LintContext) -> bool:
    return message_kind(doc, ctx).kind == "marketing"
