"""Who a message or template says it is from, and how else a reader can reach the
sender than by replying (shared by the template identity, unsubscribe and message sender rules)."""

from __future__ import annotations

from email.utils import getaddresses
from typing import TYPE_CHECKING

from mailcheck.analysis.addresses import EMAIL_ADDRESS, is_noreply_address
from mailcheck.analysis.directives import template_setting
from mailcheck.analysis.patterns import stem_pattern
from mailcheck.i18n import Text, t
from mailcheck.keywords import fold
from mailcheck.pii import clip

if TYPE_CHECKING:
    from mailcheck.context import LintContext
    from mailcheck.documents import Document


def sender_identity(doc: Document, ctx: LintContext) -> tuple[str | None, str | None]:
    """(display name, address) of the sender: ``From`` of an ``.eml``, else the template's
    ``<!-- mailcheck: sender ... -->`` setting, else ``sender`` in config."""
    header = getattr(doc, "header", None)
    if callable(header) and getattr(doc, "message", None) is not None:
        raw = header("From")
        if raw:
            pairs = getaddresses([raw])
            if pairs:
                name, address = pairs[0]
                return (name or None), (address or None)
    setting = template_setting(doc, "sender") or ctx.config.sender
    if setting:
        pairs = getaddresses([setting])
        if pairs:
            return (pairs[0][0] or None), (pairs[0][1] or None)
    return None, None


def contact_channel(doc: Document, ctx: LintContext) -> str | Text | None:
    """Another way to write to the sender than replying: a ``mailto:`` or address that is
    not no-reply, or a contact or support link or form (its words: the ``contact_channel``
    list; its URL stems: ``contact_url``). A privacy-policy link alone is not one: it
    tells the reader their rights, not where to write (GDPR art. 12(2))."""
    noreply = ctx.keywords["noreply"]
    contact_words = ctx.keywords["contact_channel"]
    # "/contact", "/aide", "support.acme.fr": a stem that follows no letter ("/2contact" counts)
    contact_url = stem_pattern(ctx.keywords["contact_url"].terms, preceded_by_none_of="a-z")
    for body in doc.bodies:
        if body.soup is not None:
            for anchor in body.soup.find_all("a", href=True):
                href = str(anchor["href"]).strip()
                if href.lower().startswith("mailto:"):
                    address = href[7:].split("?", 1)[0]
                    if EMAIL_ADDRESS.fullmatch(address) and not is_noreply_address(
                        address, noreply
                    ):
                        return f"mailto:{address}"
                    continue
                label = fold(f"{anchor.get_text(' ')} {anchor.get('title', '')}")
                hit = contact_words.search_folded(label)
                if hit:
                    return t("link {words!r}", words=hit)
                if contact_url.search(href.lower()):
                    return t("link {href}", href=clip(href, 60))
        for address in EMAIL_ADDRESS.findall(
            body.soup.get_text(" ") if body.soup is not None else body.text
        ):
            if not is_noreply_address(address, noreply):
                return address
    return None
