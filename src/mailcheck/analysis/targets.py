"""Why an opt-out link's target cannot work: no or empty ``href``, a placeholder
(``#``, ``[Unsubscribe link]``, an example host), an image file, a merge tag that prints a
whole link inside ``href``, or a merge tag of another provider than the configured one.

The words that say so (placeholder hosts, template-pack words, tags that print a link)
are keyword lists, so a user or a plugin can extend them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mailcheck.analysis.addresses import EMAIL_ADDRESS
from mailcheck.analysis.patterns import placeholder_host_pattern, tag_with_text_pattern
from mailcheck.analysis.tags import TEMPLATE_EXPRESSION, tag_matcher
from mailcheck.context import GENERIC
from mailcheck.i18n import Text, t
from mailcheck.keywords import fold
from mailcheck.pii import clip

if TYPE_CHECKING:
    from mailcheck.context import LintContext


def target_problem(href: str | None, ctx: LintContext) -> Text | None:
    """Why a link target cannot work, or ``None``."""
    if href is None:
        return t("the link has no href")
    raw = href.strip()
    if not raw:
        return t("the href is empty")
    if raw.startswith("#"):
        return t("the href is {href!r} (a placeholder)", href=raw)
    lowered = raw.lower()
    if lowered.startswith(("javascript:", "about:blank", "data:")):
        return t("the href is {href!r}", href=raw[:40])
    if lowered.startswith("mailto:"):
        address = lowered[7:].split("?", 1)[0].strip()
        if not EMAIL_ADDRESS.fullmatch(address):
            return t("the mailto: link has no valid address ({href!r})", href=clip(raw, 60))
        return None
    if TEMPLATE_EXPRESSION.search(raw):
        return block_tag_problem(raw, ctx) or foreign_tag_problem(raw, ctx)
    if not lowered.startswith(("http://", "https://", "//")) and _human_placeholder(raw, ctx):
        return t("the href is {href!r} (a placeholder left for a human)", href=clip(raw, 60))
    if lowered in ("http://", "https://", "http:", "https:", "url", "link", "unsubscribe"):
        return t("the href is {href!r}", href=raw)
    if lowered.startswith(("http://", "https://", "//")):
        host = (
            urlsplit(raw if not raw.startswith("//") else "https:" + raw).hostname or ""
        ).lower()
        if not host or "." not in host and host != "localhost":
            return t("the link has no real host ({href!r})", href=clip(raw, 60))
        if _placeholder_host(host, ctx):
            return t("the link points at the placeholder host {host}", host=host)
        path = urlsplit(raw if not raw.startswith("//") else "https:" + raw).path.lower()
        if path.endswith((".gif", ".png", ".jpg", ".jpeg", ".webp", ".svg")):
            return t(
                "the link points at an image file, not an unsubscribe page ({href})",
                href=clip(raw, 60),
            )
    return None


def _placeholder_host(host: str, ctx: LintContext) -> bool:
    """A host that only stands in for the real one (the ``placeholder_host`` and
    ``placeholder_host_word`` keyword lists: example domains, "yourdomain", "votre-site")."""
    pattern = placeholder_host_pattern(
        ctx.keywords["placeholder_host"].terms, ctx.keywords["placeholder_host_word"].terms
    )
    return bool(pattern.search(host))


def _human_placeholder(raw: str, ctx: LintContext) -> bool:
    """``[Unsubscribe link]`` (brackets around words: no template language puts spaces in a
    tag name) or a token saying it is to be filled in (``INSERT_UNSUBSCRIBE_LINK_HERE``)."""
    inner = raw.strip()
    if inner[:1] in "[<" and inner[-1:] in "]>" and re.search(r"\s", inner.strip("[]<> ")):
        return True
    return bool(ctx.keywords["placeholder_target"].search_folded(fold(inner)))


def block_tag_problem(href: str, ctx: LintContext) -> Text | None:
    """A tag that prints a whole link, used as a URL: the output nests <a> in an href."""
    found = tag_matcher(ctx, "unsubscribe_block").find(href)
    if found is None and tag_with_text_pattern(ctx.keywords["link_tag_with_text"].terms).search(
        href
    ):
        found = (href.strip(), "klaviyo")
    if found is None:
        return None
    return t(
        "the merge tag {tag} prints a whole link, so inside href it nests a link that does "
        "not work; use the provider's URL-only tag (Klaviyo: {example})",
        tag=found[0],
        example="{% unsubscribe_link %}",
    )


def foreign_tag_problem(href: str, ctx: LintContext) -> Text | None:
    """A merge tag of another provider than the one configured will never be replaced."""
    configured = ctx.config.provider
    if not configured:
        return None
    for role in ("unsubscribe", "preferences"):
        found = tag_matcher(ctx, role).find(href)
        if found is None:
            continue
        tag, provider = found
        owners = provider.lower().split(",")
        if len(owners) > 1:
            continue  # a syntax several providers share ([unsubscribe]) proves nothing
        if not any(o == GENERIC or configured.lower() in o for o in owners):
            return t(
                "the merge tag {tag} belongs to {owner}, not to {configured}: it will not be "
                "replaced",
                tag=tag,
                owner=provider.replace(",", " / "),
                configured=configured,
            )
    return None
