"""MC108-MC111: who is writing, where to find them, how to reach them, what rights apply."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from mailcheck.analysis.body import body_text, folded_text, in_part, tag_index
from mailcheck.analysis.kind import message_kind
from mailcheck.analysis.patterns import tag_name_finder
from mailcheck.analysis.phrases import phrase_in_body, text_position
from mailcheck.analysis.postal import address_line
from mailcheck.analysis.sender import contact_channel, sender_identity
from mailcheck.analysis.tags import tag_matcher
from mailcheck.context import LintContext
from mailcheck.documents import Body, Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.keywords import fold
from mailcheck.rule import Rule

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# Postcode shapes on folded (lower-case) text, where a dash is a space: the national
# formats MC109 documents (``mailcheck rule MC109``), Poland's "00-001", Sweden's,
# Czechia's, Slovakia's and Greece's "111 22", and Japan's "〒150-0001" (the postal mark
# before it, often right after a word: no word boundary there).
_POSTCODE = re.compile(
    r"〒 ?\d{3} ?\d{4}(?!\d)|"
    r"(?<![\w-])(?=[a-z]{0,2}\d)(?:\d{5}(?:[- ]\d{3,4})?|\d{2}[- ]\d{3}|\d{4}[- ]\d{3}|"
    r"\d{3} \d{2}|\d{4} ?[a-z]{2}|[a-z]\d[a-z] ?\d[a-z]\d|[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}|"
    r"\d{4})(?![\w-])"
)


def postal_address(body: Body, ctx: LintContext) -> str | None:
    """The postal address found in ``body`` (a street word near a postcode, or a provider's
    postal-address merge tag), or ``None``."""
    return ctx.memo.get("identity.postal_address", lambda: _find_postal_address(body, ctx), of=body)


def _find_postal_address(body: Body, ctx: LintContext) -> str | None:
    text = folded_text(body, ctx)
    street = ctx.keywords["postal_street"]
    suffixes = _suffix_pattern(tuple(ctx.keywords["postal_street_suffix"].terms))
    for match in _POSTCODE.finditer(text):
        before = text[max(0, match.start() - 90) : match.start()]
        # A 4-digit code may be a year ("© 2026 Acme, 12 rue ..."): require the street first.
        after = "" if len(match.group(0)) == 4 else text[match.end() : match.end() + 40]
        window = f"{before} {match.group(0)} {after}"
        word = street.search_folded(window) or suffixes.search(window)
        if word:
            start = max(0, match.start() - 60)
            return text[start : match.end() + 20].strip()
    line = address_line(body_text(body, ctx))  # "Damrak 1, 1012 LG Amsterdam"
    if line is not None:
        return fold(line)
    tag = tag_matcher(ctx, "postal_address").find(body.text)
    if tag is not None:
        return f"merge tag {tag[0]}"
    # a provider's address merge tag mailcheck does not list by name
    generic = tag_name_finder(ctx.keywords["address_tag_name"].terms).search(body.text)
    if generic is not None:  # {{Sender_Address}}, {{ site_settings.company_street_address_1 }}
        return f"merge tag {generic.group(0)}"
    return None


@cache
def _suffix_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"\w(?:{alternatives})(?!\w)")


def _first_body_line(doc: Document) -> int:
    return doc.bodies[0].line_offset + 1 if doc.bodies else 1


class SenderNotIdentified(Rule):
    """## What it does
    Checks that a marketing message names its advertiser in live text: the sender's
    display name or domain name (from the `.eml` `From`, a `<!-- mailcheck: sender
    "Acme" <news@acme.fr> -->` comment, or `sender` in config), a company form or
    registration wording (SAS, GmbH, Ltd, association, SIRET, "All rights reserved", ©...),
    or a postal address or provider address merge tag (an address line carries the name
    of whoever is at that address). A name present
    only as image `alt` text is reported as identity "only in an image".

    ## Why it matters
    ePrivacy art. 13(4) and CPCE L34-5 al. 5 forbid disguising or concealing the sender's
    identity; CASL s. 6(2)(a) and ECPR s. 2 require the sender's name; UK PECR reg. 23;
    UWG §7(2) Nr. 4 (DE); the CNIL asks each message to identify the advertiser.

    ## Example
    ```html
    <p>-50 % sur tout le site ce week-end !</p>
    <a href="*|UNSUB|*">Se désinscrire</a>
    ```

    ## Fix
    Name the company in the footer:
    ```html
    <p>Acme SAS – 12 rue de la Paix, 75002 Paris</p>
    ```
    """

    code = "MC108"
    name = "sender-not-identified"
    severity = Severity.WARNING
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = "ePrivacy art. 13(4); CPCE L34-5 al. 5; CASL s. 6(2)(a); PECR reg. 23"
    fix = "Name the advertiser (company name, legal form) in the footer, as live text."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if not doc.bodies or message_kind(doc, ctx).kind != "marketing":
            return
        name, address = sender_identity(doc, ctx)
        candidates = []
        if name and len(fold(name)) >= 3:
            candidates.append(fold(name))
        if address and "@" in address:
            domain = address.rpartition("@")[2].lower()
            labels = domain.split(".")
            if len(labels) >= 2 and len(labels[-2]) >= 3:
                candidates.append(fold(labels[-2]))
        texts = [folded_text(body, ctx) for body in doc.bodies]
        joined = " ".join(texts)
        squashed = joined.replace(" ", "")
        for candidate in candidates:
            if candidate in joined or candidate.replace(" ", "") in squashed:
                return
        if ctx.keywords["legal_identity"].search_folded(joined):
            return
        # A postal address (or a provider's address tag) comes with the company's name.
        if any(postal_address(body, ctx) for body in doc.bodies):
            return
        alts = " ".join(
            fold(str(img.get("alt", "")))
            for body in doc.bodies
            if body.soup is not None
            for img in tag_index(body, ctx).images
        )
        in_image = any(candidate in alts for candidate in candidates)
        known = t(" (sender: {sender})", sender=name or address) if (name or address) else ""
        how = (
            t("appears only in an image's alt text") if in_image else t("is not named in the text")
        )
        yield self.finding(
            doc,
            t(
                "the advertiser{sender} {how}: no company name, legal form or registration "
                "found, so readers cannot tell who is writing to them",
                sender=known,
                how=how,
            ),
            line=_first_body_line(doc),
        )


class PostalAddressMissing(Rule):
    """## What it does
    Looks for a physical postal address in a marketing message: a street word (rue,
    street, Straße, calle, via, straat, rua, PO Box, BP, Postfach ...) near a postcode
    (FR/DE/ES/IT 5 digits, US ZIP, UK, Canada, NL, PT, 4-digit codes); an address line
    known by its layout when no street word is written (a house number, then a postcode
    and a town: "Damrak 1, 1012 LG Amsterdam"; a town with a US state and ZIP code or a
    UK/Canadian postcode after a house number: "1 Infinite Loop, Cupertino, CA 95014");
    or a provider's address merge tag (`*|LIST:ADDRESS|*`, `%SENDER-INFO%` ...).

    Severity follows the profile: an error under `us` and `ca` (CAN-SPAM, CASL require
    it), info elsewhere (no general EU requirement in the e-mail itself, but the CNIL and
    consumer law expect the advertiser to be reachable).

    ## Why it matters
    CAN-SPAM 15 U.S.C. 7704(a)(5)(A)(iii) and 16 CFR 316.2(p) ("valid physical postal
    address"); CASL ECPR s. 2 and CRTC 2012-548 (mailing address). Mailchimp and
    ActiveCampaign add the list address to every campaign for this reason.

    ## Example
    ```html
    <p>Acme Inc. – <a href="*|UNSUB|*">Unsubscribe</a></p>
    ```

    ## Fix
    ```html
    <p>Acme Inc., 500 Market Street, Suite 300, San Francisco, CA 94105</p>
    ```
    """

    code = "MC109"
    name = "postal-address-missing"
    severity = Severity.INFO
    profile_severity = {"us": Severity.ERROR, "ca": Severity.ERROR}
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = "CAN-SPAM 7704(a)(5)(A)(iii); 16 CFR 316.2(p); CASL ECPR s. 2"
    fix = (
        "Add the sender's postal address (street, postcode, city) or your provider's "
        "address tag to the footer."
    )

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if not doc.bodies or message_kind(doc, ctx).kind != "marketing":
            return
        if any(postal_address(body, ctx) for body in doc.bodies):
            return
        yield self.finding(
            doc,
            t(
                "no postal address found (street and postcode, PO box, or an address merge "
                "tag): a commercial message must say where the sender can be reached by post"
            ),
            line=_first_body_line(doc),
        )


class ReplyDiscouraged(Rule):
    """## What it does
    Finds wording that tells the reader not to reply ("please do not reply", "merci de ne
    pas répondre", "Ne répondez pas à cet e-mail", "bitte nicht antworten" ...) when the
    message gives no other way to write to the sender: no `mailto:` or address that is not
    no-reply, no contact or support link or form. A privacy-policy link alone is not such
    a channel: it states the reader's rights without saying where to exercise them. A
    message that offers a channel next to the warning is fine. In
    transactional messages the finding is info.

    ## Why it matters
    GDPR art. 12(2) (the controller shall facilitate the exercise of rights) and art.
    21(4); ePrivacy art. 13(4) and CPCE L34-5 al. 5 (valid contact details to which a
    stop request can usefully be sent); Outlook's 2025 sender requirements (From or
    Reply-To able to receive replies).

    ## Example
    ```html
    <p>Ceci est un message automatique, merci de ne pas répondre.</p>
    ```

    ## Fix
    Give a channel next to it:
    ```html
    <p>Merci de ne pas répondre ; pour nous écrire :
       <a href="mailto:contact@acme.fr">contact@acme.fr</a></p>
    ```
    """

    code = "MC110"
    name = "reply-discouraged"
    severity = Severity.WARNING
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = "GDPR art. 12(2), 21(4); ePrivacy art. 13(4); CPCE L34-5 al. 5"
    fix = "Add a monitored contact address or a contact form link next to the no-reply notice."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        phrases = ctx.keywords["reply_discouraged"]
        for body in doc.bodies:
            phrase = phrases.search_folded(folded_text(body, ctx))
            if not phrase:
                continue
            if contact_channel(doc, ctx):
                return
            line, column = text_position(body, phrase)
            transactional = message_kind(doc, ctx).kind == "transactional"
            said = phrase_in_body(body, phrase, ctx)
            yield self.finding(
                doc,
                t(
                    "the message says {words!r}{where} and offers no other way to write to you: "
                    "readers cannot object or ask about their data",
                    words=said,
                    where=in_part(body),
                ),
                line=line,
                column=column,
                part=body.label,
                severity=Severity.INFO if transactional else None,
            )
            return


class RightsNoticeMissing(Rule):
    """## What it does
    Checks that a marketing message carries a link to a privacy notice or a sentence
    about the reader's rights ("you can unsubscribe at any time", "droit d'opposition",
    "Datenschutz", "RGPD" ...), in the text or in a link's text or URL.

    ## Why it matters
    GDPR art. 21(4): the right to object must be brought to the reader's attention
    clearly and separately, at the latest at the first communication; art. 13; the CNIL
    expects each message to remind the simple means to object. Not every message must
    repeat it, hence info.

    ## Example
    ```html
    <p><a href="*|UNSUB|*">Unsubscribe</a></p>
    ```

    ## Fix
    ```html
    <p>Vous pouvez vous désinscrire à tout moment.
       <a href="https://acme.fr/confidentialite">Politique de confidentialité</a></p>
    ```
    """

    code = "MC111"
    name = "rights-notice-missing"
    severity = Severity.INFO
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = "GDPR art. 21(4), 13; CNIL prospection commerciale"
    fix = "Link to your privacy notice and say the reader can unsubscribe or object at any time."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if not doc.bodies or message_kind(doc, ctx).kind != "marketing":
            return
        words = ctx.keywords["rights_notice"]
        for body in doc.bodies:
            if words.search_folded(folded_text(body, ctx)):
                return
            if body.soup is not None:
                for anchor in body.soup.find_all("a", href=True):
                    if words.search_folded(fold(str(anchor["href"]))):
                        return
        yield self.finding(
            doc,
            t(
                "no link to your privacy notice and no sentence saying readers can object or "
                "unsubscribe at any time"
            ),
            line=_first_body_line(doc),
        )
