"""Marketing or transactional, and why: forced in config or by a ``mailcheck: kind``
comment, else a scored decision on named evidence (the unsubscribe rules apply to marketing
messages only). Cached on the document.

The evidence, each item named in the decision and weighed where it is found:

* transactional side -- transactional wording (``transactional`` list) and account or
  service notices (``service_notice``): 3 in the subject, title, headings or opening
  lines, 1 further down; an identifier of the reader's own order, invoice, quote or
  ticket followed by a number ("Commande n°45821", ``order_identifier``): 3; a
  notification the reader asked for (``requested_notification``): 3; translation keys
  that name the mail (``{{ L.Ts "email.forgotPassword.subject" }}``, ``transactional_key``):
  3; an onboarding step ("Step 3 of 4"): 3; the action a link asks for (track, confirm,
  reset, activate, pay, manage an appointment: ``transactional_action``): 2; a
  notification-settings link (``notification_settings``): 2; a welcome title with no
  commercial wording and no bulk-mail header: 3.
* marketing side -- commercial wording (``commercial``), and a discount in any language
  ("-20 %", "20 % Rabatt", "sconto del 20%": a percentage next to a ``discount`` word):
  3 in the subject, title, headings or opening lines, 1 further down; words with a
  second, neutral meaning (``commercial_ambiguous``, German "Angebot"): 1 wherever
  found; promotion of a product, service, class or event (``promotion``: "book now",
  "register now"): 2 in the subject, title, headings or opening lines, 1 further down;
  bulk-mail headers (``List-Id``, ``Precedence: bulk``, ``List-Unsubscribe``): 3.

Each term counts once, at its heaviest place. A message is transactional when its
transactional score reaches 3 and is higher than its marketing score; everything else is
marketing -- the safe side for the unsubscribe rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mailcheck.analysis.body import anchor_texts, body_text, folded_text, tag_index
from mailcheck.analysis.directives import KIND_COMMENT
from mailcheck.analysis.phrases import original_phrase
from mailcheck.i18n import Text, t
from mailcheck.i18n_extract import N_
from mailcheck.keywords import fold

if TYPE_CHECKING:
    from mailcheck.context import LintContext
    from mailcheck.documents import Body, Document
    from mailcheck.keywords import KeywordList

TRANSACTIONAL, MARKETING = "transactional", "marketing"
#: The kinds, as a reason says them.
KIND_NAMES = (N_("transactional"), N_("marketing"))
#: The transactional score a message needs (and must exceed the marketing score by).
THRESHOLD = 3
HEAD, TEXT = 3, 1
_AMBIGUOUS = N_("ambiguous commercial word")
_COMMERCIAL = N_("commercial wording")
_DISCOUNT = N_("discount wording")
#: The labels of the commercial terms an offer up front is counted from.
_OFFER_LABELS = (_COMMERCIAL, _DISCOUNT)

# A translation key inside a template expression: ``"email.forgotPassword.subject"``.
_TRANSLATION_KEY = re.compile(r"""["']([A-Za-z][\w-]*(?:\.[\w-]+)+)["']""")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# "Step 3 of 4", "Étape 2 sur 5", "Schritt 1 von 3", "passo 2 di 4": the step word is data
# (``onboarding`` terms of ``service_notice`` would be too loose), the shape is here.
_STEP = re.compile(
    r"\b(step|etape|schritt|paso|passo|stap|etapa)\s+\d\s*(?:of|sur|von|de|di|van|/)\s*\d\b"
)


@dataclass(frozen=True)
class Evidence:
    """One named reason for a side, with its weight and the text to quote it from."""

    side: str  # TRANSACTIONAL | MARKETING
    label: str  # "commercial wording", "order identifier" ...
    term: str | None  # folded keyword or matched text, None for header evidence
    weight: int
    source: Any = None  # the text the term was found in (or a callable giving it)

    def describe(self) -> Text:
        """The evidence as a reason names it: its label and the words quoted."""
        if self.term is None:
            return Text(self.label)
        text = self.source() if callable(self.source) else str(self.source or "")
        return t(
            "{label} ({words!r})",
            label=Text(self.label),
            words=original_phrase(text, self.term),
        )


@dataclass
class KindDecision:
    """The kind of a message and the evidence that decided it."""

    kind: str  # "marketing" | "transactional"
    label: str
    #: The folded keyword that decided, and the text to quote it from (lazily: only a
    #: finding's message needs the original wording).
    term: str | None = None
    source: Any = None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def score(self) -> tuple[int, int]:
        """(transactional, marketing) scores."""
        return _total(self.evidence, TRANSACTIONAL), _total(self.evidence, MARKETING)

    @property
    def reason(self) -> str:
        """Why the message got its kind, in English (:attr:`explanation` in any language)."""
        return str(self.explanation)

    @property
    def explanation(self) -> Text:
        """Why the message got its kind: the strongest evidence for it, and for a marketing
        decision made against some transactional evidence, what it outweighed."""
        if not self.evidence:  # forced by config or a comment: one reason, no weights
            return Evidence(self.kind, self.label, self.term, 0, self.source).describe()
        own = _strongest(self.evidence, self.kind)
        other = _strongest(self.evidence, TRANSACTIONAL if self.kind == MARKETING else MARKETING)
        if own is None:
            if other is None:
                return t("no transactional markers (treated as marketing)")
            return t(
                "too little transactional evidence ({evidence}, score {score} < {threshold}; "
                "treated as marketing)",
                evidence=other.describe(),
                score=self.score[0],
                threshold=THRESHOLD,
            )
        said = own.describe()
        if other is None or self.kind != MARKETING:
            return said
        transactional, marketing = self.score
        scores = {"marketing": marketing, "transactional": transactional}
        if marketing > transactional:
            return t(
                "{own}; outweighs {other} ({marketing} to {transactional})",
                own=said,
                other=other.describe(),
                **scores,
            )
        if marketing < transactional and transactional >= THRESHOLD:
            return t(
                "{own}; an offer up front: the notice it also gives ({other}, {transactional} "
                "to {marketing}) does not make it transactional",
                own=said,
                other=other.describe(),
                **scores,
            )
        if marketing == transactional:
            return t(
                "{own}; ties with {other} ({marketing} to {transactional}: a tie stays marketing)",
                own=said,
                other=other.describe(),
                **scores,
            )
        # too little transactional evidence to count
        return t(
            "{own}; {other} scores {transactional}, under {threshold}",
            own=said,
            other=other.describe(),
            transactional=transactional,
            threshold=THRESHOLD,
        )


def _total(evidence: list[Evidence], side: str) -> int:
    return sum(item.weight for item in evidence if item.side == side)


def _strongest(evidence: list[Evidence], side: str) -> Evidence | None:
    # Alphabetical among equals, so that the same message always gives the same reason.
    mine = sorted((item for item in evidence if item.side == side), key=lambda i: i.term or "")
    # At equal weight a word with one meaning says more than an ambiguous one, and a word
    # more than a bare percentage.
    return (
        max(mine, key=lambda item: (item.weight, item.label != _AMBIGUOUS, item.label != _DISCOUNT))
        if mine
        else None
    )


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


@dataclass
class _Texts:
    """The places of a message the evidence is read from, folded (``raw_head`` and
    ``raw_text``: the same places unfolded, where a minus sign still reads as one)."""

    subject: str
    bulk_headers: bool
    head: str  # subject, title, headings, opening lines
    titles: str  # subject, title, headings
    text: str  # the opening 8,000 characters of each part
    links: str  # the text of every link, one per line
    source: Any  # the original wording, for quotes
    raw_head: str = ""
    raw_text: str = ""


def _texts(doc: Document, bodies: list[Body], ctx: LintContext) -> _Texts:
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
    first = bodies[:1]
    links = []
    for body in bodies:
        if body.soup is not None:
            links += [fold(text) for text in anchor_texts(body, ctx)]

    def source() -> str:
        return f"{subject} " + " ".join(body_text(b, ctx) for b in bodies[:2])

    raw_head = subject + " " + " ".join(_headings(b, ctx) for b in first)
    return _Texts(
        subject=subject,
        bulk_headers=bulk_headers,
        head=fold(raw_head),
        titles=fold(subject + " " + " ".join(_title_texts(b, ctx) for b in first)),
        # The opening of each part carries what the message is about (order details, offer);
        # scanning the first 8,000 characters keeps classification cheap on 100 KB newsletters.
        text=" ".join(folded_text(b, ctx)[:8000] for b in bodies),
        links="\n".join(links),
        source=source,
        raw_head=raw_head,
        raw_text=" ".join(body_text(b, ctx)[:8000] for b in bodies),
    )


class _Collector:
    """Evidence gathered once per term, at its heaviest place."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.items: dict[tuple[str, str], Evidence] = {}

    def add(self, side: str, label: str, term: str | None, weight: int) -> None:
        key = (side, term or label)
        known = self.items.get(key)
        if known is None or known.weight < weight:
            self.items[key] = Evidence(side, label, term, weight, self.source)

    def words(
        self, side: str, label: str, words: KeywordList, places: list[tuple[str, int]]
    ) -> set[str]:
        found: set[str] = set()
        for text, weight in places:
            for term in set(words.findall_folded(text)):
                self.add(side, label, term, weight)
                found.add(term)
        return found


def _decide_kind(doc: Document, ctx: LintContext) -> KindDecision:
    """Forced kind first (config ``[kinds]``, then a ``mailcheck: kind`` comment); else the
    scored decision the module docstring describes."""
    forced = ctx.config.message_kind(doc.path)
    if forced:
        return KindDecision(forced, N_("forced in config [kinds]"))
    if ctx.config.campaign_purpose:
        return KindDecision(MARKETING, N_("sent as a campaign for a marketing consent"))
    bodies = list(getattr(doc, "bodies", []))
    for body in bodies:
        match = KIND_COMMENT.search(body.text)
        if match:
            return KindDecision(match.group(1).lower(), N_("forced by a mailcheck: kind comment"))
    texts = _texts(doc, bodies, ctx)
    evidence = _Collector(texts.source)
    offers = _marketing_evidence(evidence, texts, ctx)
    _transactional_evidence(evidence, texts, bodies, ctx)
    if not offers and not texts.bulk_headers:
        # A welcome / onboarding message ("Welcome to Kraken Academy") with no offer in it is a
        # relationship message; with any commercial wording it stays marketing.
        welcome = _welcome_heading(texts.subject, bodies[:1], ctx)
        if welcome:
            evidence.add(TRANSACTIONAL, N_("welcome message"), welcome, HEAD)
    items = sorted(evidence.items.values(), key=lambda item: -item.weight)
    transactional, marketing = _total(items, TRANSACTIONAL), _total(items, MARKETING)
    kind = TRANSACTIONAL if transactional >= THRESHOLD and transactional > marketing else MARKETING
    if kind == TRANSACTIONAL and _offer_up_front(items):
        kind = MARKETING  # a notice carrying an offer: the offer follows the marketing rules
    label = kind if items else N_("no transactional markers (treated as marketing)")
    return KindDecision(kind, label, evidence=items)


#: Commercial terms in the subject, title, headings or opening lines that make a notice
#: with an offer ("Your order has shipped -- 30% off your next one") a marketing message.
OFFER_TERMS_UP_FRONT = 2


def _offer_up_front(items: list[Evidence]) -> bool:
    """Whether the message puts an offer up front (:data:`OFFER_TERMS_UP_FRONT` commercial
    terms in its subject, title, headings or opening lines): whatever notice it also
    gives, its promotion is marketing (the ePrivacy directive's art. 13 and CAN-SPAM's
    primary purpose look at what the message promotes)."""
    up_front = [
        item
        for item in items
        if item.side == MARKETING and item.label in _OFFER_LABELS and item.weight == HEAD
    ]
    return len(up_front) >= OFFER_TERMS_UP_FRONT


def _marketing_evidence(evidence: _Collector, texts: _Texts, ctx: LintContext) -> set[str]:
    """Commercial wording, promotion and bulk-mail headers; the commercial terms found."""
    ambiguous = set(ctx.keywords["commercial_ambiguous"].terms)
    found: set[str] = set()
    for place, weight in ((texts.head, HEAD), (texts.text, TEXT)):
        for term in set(ctx.keywords["commercial"].findall_folded(place)):
            found.add(term)
            if term in ambiguous:
                evidence.add(MARKETING, _AMBIGUOUS, term, TEXT)
            else:
                evidence.add(MARKETING, _COMMERCIAL, term, weight)
    counted = [term for term in ctx.keywords["commercial"].terms if "%" in term]
    for place, weight in ((texts.raw_head, HEAD), (texts.raw_text, TEXT)):
        for term in _discounts(place, ctx.keywords["discount"], counted):
            found.add(term)
            evidence.add(MARKETING, _DISCOUNT, term, weight)
    evidence.words(
        MARKETING,
        N_("promotion"),
        ctx.keywords["promotion"],
        [(texts.head, 2), (texts.text, TEXT)],
    )
    if texts.bulk_headers:
        evidence.add(
            MARKETING,
            N_("bulk-mail headers (List-Id / Precedence / List-Unsubscribe)"),
            None,
            HEAD,
        )
    return found


#: A percentage: "20 %", "20%", "12,5 %", with the minus sign of "-20 %" if written.
_PERCENT = re.compile(r"(?<![\w.,])([-−–]\s?)?\d{1,2}(?:[.,]\d{1,2})?\s?%(?!\w)")
#: How far from a percentage its discount word may be ("sconto del 20%": before;
#: "20 % de descuento": after).
_DISCOUNT_REACH = 24


def _discounts(text: str, words: KeywordList, counted: list[str]) -> list[str]:
    """The percentages of ``text`` that are discounts, folded ("20 %"): written with a
    minus sign ("-20 %"), or with a word of the ``discount`` list next to them ("20 %
    Rabatt", "sconto del 20%", "20% korting") -- the "% off" of every language. One
    already counted as a commercial term (``counted``: "% off", "%オフ") is left out."""
    found: list[str] = []
    if "%" not in text:
        return found
    for match in _PERCENT.finditer(text):
        after = fold(text[match.start() : match.end() + _DISCOUNT_REACH])
        if any(term in after for term in counted):
            continue
        near = fold(
            text[max(0, match.start() - _DISCOUNT_REACH) : match.start()]
            + " "
            + text[match.end() : match.end() + _DISCOUNT_REACH]
        )
        if match.group(1) or words.search_folded(near):
            found.append(fold(match.group(0)))
    return found


def _transactional_evidence(
    evidence: _Collector, texts: _Texts, bodies: list[Body], ctx: LintContext
) -> None:
    keywords = ctx.keywords
    places = [(texts.head, HEAD), (texts.text, TEXT)]
    evidence.words(TRANSACTIONAL, N_("transactional wording"), keywords["transactional"], places)
    evidence.words(
        TRANSACTIONAL, N_("account or service notice"), keywords["service_notice"], places
    )
    evidence.words(
        TRANSACTIONAL,
        N_("a notification the reader asked for"),
        keywords["requested_notification"],
        [(texts.text, HEAD)],
    )
    evidence.words(
        TRANSACTIONAL,
        N_("action asked of the reader"),
        keywords["transactional_action"],
        [(texts.links, 2)],
    )
    evidence.words(
        TRANSACTIONAL,
        N_("notification settings link"),
        keywords["notification_settings"],
        [(texts.links, 2)],
    )
    identifier = _identifier(texts.text, keywords["order_identifier"])
    if identifier:
        evidence.add(TRANSACTIONAL, N_("order or account identifier"), identifier, HEAD)
    step = _STEP.search(texts.head)
    if step:
        evidence.add(TRANSACTIONAL, N_("onboarding step"), step.group(0), HEAD)
    key = _translation_key(bodies, ctx)
    if key:
        evidence.add(TRANSACTIONAL, N_("translation key naming the mail"), key, HEAD)


def _identifier(folded: str, words: KeywordList) -> str | None:
    """``commande n°45821``, ``order #1234``, ``bestellung 40012345``, ``angebot nr. 2026-118``:
    an identifier word followed by a number of four or more digits (a price or a date has
    a currency sign, a comma or a dot before its last digits)."""
    alternatives = "|".join(re.escape(term) for term in sorted(words.terms, key=len, reverse=True))
    if not alternatives:
        return None
    pattern = re.compile(
        rf"(?<!\w)(?:{alternatives})\s*(?:n\s?[°o.]\s?|nr\.?\s?|no\.?\s?|#|:)?\s*"
        rf"#?[a-z]{{0,3}}\s?\d{{2,}}(?:[-/]?\d+)*(?![\d,.]\d)"
    )
    for match in pattern.finditer(folded):
        digits = sum(char.isdigit() for char in match.group(0))
        if digits >= 4:
            return match.group(0)
    return None


def _translation_key(bodies: list[Body], ctx: LintContext) -> str | None:
    """The first translation key whose words name a transactional mail
    (``email.forgotPassword.subject`` -> "email forgot password subject")."""
    lists = (ctx.keywords["transactional_key"], ctx.keywords["transactional"])
    for body in bodies:
        if "{" not in body.text and "%" not in body.text:
            continue
        for match in _TRANSLATION_KEY.finditer(body.text[:20000]):
            key = match.group(1)
            words = fold(_CAMEL.sub(" ", key).replace(".", " "))
            for words_list in lists:
                if words_list.search_folded(words):
                    return key
    return None


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
