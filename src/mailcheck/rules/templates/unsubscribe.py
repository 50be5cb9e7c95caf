"""MC101 missing-unsubscribe: a marketing message must carry an opt-out route."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck.context import LintContext
from mailcheck.documents import Body, Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.rule import Rule


def find_unsubscribe(body: Body, ctx: LintContext) -> str | None:
    """A short description of the first opt-out route in ``body``, or ``None``.

    Routes: a provider merge tag; a link whose text, ``title``, ``aria-label``, image
    ``alt`` or URL says unsubscribe; in plain text, an unsubscribe phrase.
    """
    tag = ctx.merge_tags.find(body.text, "unsubscribe")
    if tag is not None:
        return f"merge tag {tag[0]}"
    phrases = ctx.keywords["unsubscribe"]
    url_hints = ctx.keywords["unsubscribe_url"]
    if body.soup is None:
        hit = phrases.search(body.text)
        return f"text {hit!r}" if hit else None
    for anchor in body.soup.find_all("a"):
        label = " ".join(
            [anchor.get_text(" ")]
            + [str(anchor.get(attr, "")) for attr in ("title", "aria-label")]
            + [str(img.get("alt", "")) for img in anchor.find_all("img")]
        )
        hit = phrases.search(label) or url_hints.search(str(anchor.get("href", "")))
        if hit:
            return f"link {hit!r}"
    return None


class MissingUnsubscribe(Rule):
    """## What it does
    Checks that a marketing e-mail (HTML template, plain-text template, or the HTML and
    text parts of an `.eml`) offers a way to unsubscribe: a link whose text, title,
    image alt text or URL says so, a provider's unsubscribe merge tag (`*|UNSUB|*`,
    `{{ unsubscribe }}`, `[[UNSUB_LINK_FR]]` ...), or an unsubscribe instruction in text.
    Transactional messages (forced with `[kinds]` in config) are not checked.

    ## Why it matters
    Every marketing message must let the recipient object "on the occasion of each
    message", free and simply: ePrivacy Directive 2002/58/EC art. 13(2); in France CPCE
    art. L34-5 (CNIL); GDPR art. 21(2)-(3); CAN-SPAM 15 U.S.C. 7704(a)(3); CASL s. 6(2)(c).
    Gmail and Yahoo also require a visible unsubscribe link from bulk senders.

    ## Example
    ```html
    <p>Découvrez nos offres de printemps !</p>
    <p>Acme SAS, 12 rue de la Paix, 75002 Paris</p>
    ```

    ## Fix
    Add a visible link in the footer, or your provider's merge tag:
    ```html
    <a href="*|UNSUB|*">Se désabonner</a>
    ```
    """

    code = "MC101"
    name = "missing-unsubscribe"
    severity = Severity.ERROR
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = "ePrivacy 2002/58/EC art. 13(2); CPCE L34-5; GDPR art. 21; CAN-SPAM 7704(a)(3)"
    fix = "Add a visible unsubscribe link (or your provider's unsubscribe merge tag) in the footer."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if ctx.config.message_kind(doc.path) == "transactional":
            return
        bodies = doc.bodies
        if not bodies:
            return
        if any(find_unsubscribe(body, ctx) for body in bodies):
            return
        for body in bodies:
            where = f" ({body.label})" if body.label else ""
            yield self.finding(
                doc,
                f"marketing message with no unsubscribe link or merge tag{where}",
                line=body.line_offset + 1,
                part=body.label,
            )
