"""What a piece of label text names -- purposes, channels, consent wording, terms,
privacy notice, non-consent and opt-out wording, special categories -- and the role a
control takes from it.

A control's role (:func:`control_role`), in this order: ``opt-out`` when worded negatively
(what MC306 reports: ``mailcheck rule MC306``); ``other`` when it matches non-consent
wording ("remember me", "same as billing address", "facture") and names no purpose;
``consent`` when it names a purpose (newsletter, own offers, partners, profiling: consent
is given per purpose, GDPR art. 4(11) and 6(1)(a), EDPB Guidelines 05/2020 §3.1.3, §3.2);
``terms`` when it only accepts terms (MC303); ``consent`` on strong consent wording ("je
consens", "ich willige ein"); ``terms`` for a privacy-notice acknowledgement; ``consent``
for a generic wish ("je souhaite", "I want") only together with a channel (SMS, phone...);
else ``other``. So "Je souhaite créer un compte" or "I accept" alone are not consent boxes.
"Offers from our partners" is one purpose; the sender's own offers count beside partners
only when the label says so ("nos offres et celles de nos partenaires", "de la empresa y
de terceros"). Keyword lists come from ``ctx.keywords`` (data under
``mailcheck/data/keywords``), never from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mailcheck.context import LintContext
from mailcheck.i18n import Text, t
from mailcheck.keywords import fold

#: Purpose categories (consent is given per purpose: GDPR art. 6(1)(a), EDPB Guidelines
#: 05/2020 §3.1.3 and §3.2) -> keyword list.
PURPOSE_LISTS = {
    "newsletter": "purpose_newsletter",
    "offers": "purpose_offers",
    "partners": "purpose_partners",
    "profiling": "purpose_profiling",
}
#: Channels (the CNIL asks for consent per channel: e-mail, SMS, phone, post) -> keyword list.
CHANNEL_LISTS = {
    "email": "channel_email",
    "SMS": "channel_sms",
    "phone": "channel_phone",
    "post": "channel_post",
    "push": "channel_push",
}
#: Purposes and channels as messages name them.
PURPOSE_NAMES = {
    "newsletter": t("newsletter"),
    "offers": t("your own offers"),
    "partners": t("partners / third parties"),
    "profiling": t("profiling"),
}
CHANNEL_NAMES = {
    "email": t("e-mail"),
    "SMS": t("SMS"),
    "phone": t("phone"),
    "post": t("post"),
    "push": t("push notifications"),
}


def listing(items: list[Text]) -> Text | str:
    """Several texts as one: ``a, b and c`` (each part rendered in the report's language)."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return t("{one} and {other}", one=items[0], other=items[1])
    return t("{one}, {others}", one=items[0], others=listing(items[1:]))


@dataclass
class Match:
    """What one piece of text names (folded-text keyword hits)."""

    purposes: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    consent: str | None = None
    weak: str | None = None
    terms: str | None = None
    privacy: str | None = None
    non_consent: str | None = None
    opt_out: str | None = None
    special: str | None = None

    @property
    def says_something(self) -> bool:
        return bool(self.purposes or self.consent or self.opt_out)


def read_text(text: str, ctx: LintContext) -> Match:
    """Classify ``text`` with the form keyword lists."""
    folded = fold(text)
    words = ctx.keywords
    match = Match(
        consent=words["consent"].search_folded(folded),
        weak=words["consent_weak"].search_folded(folded),
        terms=_contract_terms(folded, ctx),
        privacy=words["collection_notice"].search_folded(folded),
        non_consent=words["non_consent"].search_folded(folded),
        opt_out=words["opt_out_wording"].search_folded(folded),
        special=words["special_category"].search_folded(folded),
    )
    match.purposes, match.channels = categorise(folded, ctx)
    return match


def _contract_terms(folded: str, ctx: LintContext) -> str | None:
    """The first terms word of ``folded`` that is not part of a law's name: "règlement"
    in "règlement général sur la protection des données" cites the GDPR, it does not
    accept a contract (a consent box that says so is not bundled with terms, MC303)."""
    words = ctx.keywords
    if words["terms"].search_folded(folded) is None:
        return None  # the common case: one search
    laws = [(hit.start(), hit.end()) for hit in words["law_name"].pattern.finditer(folded)]
    for hit in words["terms"].pattern.finditer(folded):
        if not any(start <= hit.start() and hit.end() <= end for start, end in laws):
            return hit.group(0)
    return None


def categorise(folded: str, ctx: LintContext) -> tuple[dict[str, str], dict[str, str]]:
    """Purpose categories and channels named in ``folded`` text, with the term that
    matched. A hit inside a longer hit of another list does not count ("publicité
    ciblée" is profiling, not also offers; "direct mail" is post, not also e-mail)."""
    spans: list[tuple[int, int, str, str]] = []
    for category, name in {**PURPOSE_LISTS, **CHANNEL_LISTS}.items():
        for hit in ctx.keywords[name].pattern.finditer(folded):
            spans.append((hit.start(), hit.end(), category, hit.group(0)))
    kept: list[tuple[int, int, str, str]] = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):  # longest first
        if not any(span[0] < other[1] and other[0] < span[1] for other in kept):
            kept.append(span)
    purposes: dict[str, str] = {}
    channels: dict[str, str] = {}
    for _start, _end, category, term in sorted(kept):
        target = purposes if category in PURPOSE_LISTS else channels
        target.setdefault(category, term)
    # "Offers from our partners" is one purpose; the sender's own offers are only
    # bundled in when the label says so ("nos offres et celles de nos partenaires").
    own = ctx.keywords["purpose_own"].search_folded(folded)
    if "partners" in purposes and "offers" in purposes and not own:
        del purposes["offers"]
    if "newsletter" in purposes and channels and "email" not in channels:
        channels = {"email": purposes["newsletter"], **channels}  # a newsletter is e-mail
    return purposes, channels


def control_role(match: Match) -> str:
    """consent / opt-out / terms / other, from what a label says (see the module docstring)."""
    if match.opt_out:
        return "opt-out"
    if match.non_consent and not match.purposes:
        return "other"
    if match.purposes:
        return "consent"
    if match.terms:
        return "terms"
    if match.consent:
        return "consent"  # e.g. "je consens au traitement de mes données"
    if match.privacy:
        return "terms"
    if match.weak and match.channels:
        return "consent"  # "je souhaite être contacté par téléphone"
    return "other"
