"""MC321-MC324: the List-Unsubscribe headers of an ``.eml`` (RFC 2369, RFC 8058)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mailcheck.analysis.kind import message_kind
from mailcheck.analysis.routes import unsubscribe_routes
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind, MessageDocument
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.pii import clip
from mailcheck.rule import Rule

_ALIASES = ("X-List-Unsubscribe", "X-Unsubscribe", "List-Unsubscribe-Url")
_URI = re.compile(r"<([^>]*)>")


def list_unsubscribe_uris(doc: MessageDocument) -> list[str]:
    """The URIs of the ``List-Unsubscribe`` header; an empty ``<>`` is none."""
    value = doc.header("List-Unsubscribe") or ""
    uris = [uri.strip() for uri in _URI.findall(value) if uri.strip()]
    if not uris and value.strip() and not _URI.search(value):
        uris = [part.strip() for part in value.split(",") if part.strip()]  # malformed: no <>
    return uris


def has_list_unsubscribe(doc: Document) -> bool:
    """Does the message carry a ``List-Unsubscribe`` header with at least one URI? An
    empty one (``List-Unsubscribe: <>``) gives mail apps nothing to act on: it is
    missing (MC321), not a header whose one-click is incomplete (MC322)."""
    return isinstance(doc, MessageDocument) and bool(list_unsubscribe_uris(doc))


def _one_click_marker(doc: MessageDocument) -> bool:
    value = doc.header("List-Unsubscribe-Post") or ""
    return re.sub(r"\s+", "", value).lower() == "list-unsubscribe=one-click"


def _marketing_message(doc: Document, ctx: LintContext) -> bool:
    return isinstance(doc, MessageDocument) and message_kind(doc, ctx).kind == "marketing"


class ListUnsubscribeMissing(Rule):
    """## What it does
    Reports a marketing `.eml` without a `List-Unsubscribe` header, or with an empty one
    (`List-Unsubscribe: <>`: no URI for mail apps to use). Vendor aliases
    (`X-List-Unsubscribe`, `X-Unsubscribe`) do not count: mailbox providers ignore them;
    the finding names the alias found. Transactional messages are not checked.

    ## Why it matters
    RFC 2369 §3.2 defines the header mail clients use for their "Unsubscribe" button;
    Gmail and Yahoo require it from bulk senders (with one-click, see MC322); SpamAssassin
    scores bulk mail without it (`FSL_BULK_SIG`).

    ## Example
    A newsletter exported from your tool with only `X-Unsubscribe: <https://...>`.

    ## Fix
    ```
    List-Unsubscribe: <https://acme.fr/u/abc123>, <mailto:unsub@acme.fr?subject=unsub>
    List-Unsubscribe-Post: List-Unsubscribe=One-Click
    ```
    """

    code = "MC321"
    name = "list-unsubscribe-missing"
    severity = Severity.WARNING
    kinds = frozenset({Kind.MESSAGE})
    reference = "RFC 2369 §3.2; Gmail and Yahoo bulk-sender requirements"
    fix = (
        "Add a List-Unsubscribe header (HTTPS URI) and List-Unsubscribe-Post: "
        "List-Unsubscribe=One-Click."
    )

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if not _marketing_message(doc, ctx) or has_list_unsubscribe(doc):
            return
        if doc.header("List-Unsubscribe") is not None:  # type: ignore[attr-defined]
            yield self.finding(
                doc,
                t(
                    "the unsubscribe header (List-Unsubscribe) is empty: it holds no URI, so "
                    "mail apps cannot show their Unsubscribe button, and Gmail and Yahoo "
                    "require it (with one-click) from bulk senders"
                ),
                line=doc.header_line("List-Unsubscribe"),  # type: ignore[attr-defined]
            )
            return
        alias = next((name for name in _ALIASES if doc.header(name)), None)  # type: ignore[attr-defined]
        if alias:
            yield self.finding(
                doc,
                t(
                    "no unsubscribe header (List-Unsubscribe), only the vendor alias {alias}: "
                    "mail apps, Gmail and Yahoo read List-Unsubscribe only",
                    alias=alias,
                ),
                line=doc.header_line(alias),  # type: ignore[attr-defined]
            )
            return
        yield self.finding(
            doc,
            t(
                "marketing message without an unsubscribe header (List-Unsubscribe): mail "
                "apps cannot show their Unsubscribe button, and Gmail and Yahoo require it "
                "(with one-click) from bulk senders"
            ),
            line=1,
        )


class OneClickMissing(Rule):
    """## What it does
    When `List-Unsubscribe` holds a URI (an empty one is MC321's), checks RFC 8058
    one-click: a `List-Unsubscribe-Post: List-Unsubscribe=One-Click` header and an
    `https://` URI in `List-Unsubscribe` (a `mailto:` or `http://` URI alone does not
    qualify).

    ## Why it matters
    RFC 8058 §3.1; Gmail requires one-click unsubscribe from senders of 5,000+ messages a
    day (body links or mailto alone do not meet it); Yahoo strongly recommends it.

    ## Example
    ```
    List-Unsubscribe: <mailto:unsubscribe@acme.fr>
    ```

    ## Fix
    ```
    List-Unsubscribe: <https://acme.fr/u/abc123>, <mailto:unsubscribe@acme.fr>
    List-Unsubscribe-Post: List-Unsubscribe=One-Click
    ```
    """

    code = "MC322"
    name = "one-click-missing"
    severity = Severity.WARNING
    kinds = frozenset({Kind.MESSAGE})
    reference = "RFC 8058 §3.1; Gmail sender guidelines (one-click unsubscribe)"
    fix = (
        "Add an https:// URI to List-Unsubscribe and List-Unsubscribe-Post: "
        "List-Unsubscribe=One-Click."
    )

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if not isinstance(doc, MessageDocument) or not has_list_unsubscribe(doc):
            return
        uris = list_unsubscribe_uris(doc)
        https = [uri for uri in uris if uri.lower().startswith("https://")]
        problems = []
        if not https:
            problems.append(
                t(
                    "no https:// URI in List-Unsubscribe ({uris})",
                    uris=clip(", ".join(uris), 100),
                )
            )
        if not _one_click_marker(doc):
            post = doc.header("List-Unsubscribe-Post")
            problems.append(
                t("List-Unsubscribe-Post is '{value}'", value=post.strip())
                if post
                else t("no List-Unsubscribe-Post: List-Unsubscribe=One-Click header")
            )
        if problems:
            listed = (
                problems[0]
                if len(problems) == 1
                else t("{one}; {other}", one=problems[0], other=problems[1])
            )
            yield self.finding(
                doc,
                t(
                    "no one-click unsubscribe (RFC 8058): {problems} (Gmail requires one-click "
                    "from bulk senders)",
                    problems=listed,
                ),
                line=doc.header_line("List-Unsubscribe"),
            )


class OneClickNotSigned(Rule):
    """## What it does
    When `List-Unsubscribe` is present, checks that a `DKIM-Signature` header lists
    `list-unsubscribe` (and `list-unsubscribe-post` when present) in its `h=` tag.
    mailcheck works offline: it checks coverage, not the signature itself. Messages
    captured before your provider signs them will show this finding: lint what is sent.

    ## Why it matters
    RFC 8058 §4: both headers MUST be covered by a valid DKIM signature, and receivers
    should not offer one-click otherwise (real-world pitfalls: signers whose default
    header list omits List-Unsubscribe-Post).

    ## Example
    ```
    DKIM-Signature: v=1; a=rsa-sha256; d=acme.fr; s=s1; h=from:to:subject:date; ...
    ```

    ## Fix
    Add both headers to the signer's list of signed headers:
    `h=from:to:subject:date:list-unsubscribe:list-unsubscribe-post`.
    """

    code = "MC323"
    name = "one-click-not-signed"
    severity = Severity.WARNING
    kinds = frozenset({Kind.MESSAGE})
    reference = "RFC 8058 §4"
    fix = "Sign List-Unsubscribe and List-Unsubscribe-Post with DKIM (add them to h=)."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if not isinstance(doc, MessageDocument) or not has_list_unsubscribe(doc):
            return
        needed = ["list-unsubscribe"]
        if doc.header("List-Unsubscribe-Post"):
            needed.append("list-unsubscribe-post")
        signatures = doc.message.get_all("DKIM-Signature") or []
        if not signatures:
            yield self.finding(
                doc,
                t(
                    "List-Unsubscribe is not signed by any DKIM-Signature: mailbox providers "
                    "should not offer one-click unsubscribe for unsigned headers"
                ),
                line=doc.header_line("List-Unsubscribe"),
            )
            return
        best: list[str] = needed
        for signature in signatures:
            match = re.search(r"(?:^|;)\s*h\s*=\s*([^;]*)", str(signature))
            covered = {h.strip().lower() for h in (match.group(1) if match else "").split(":")}
            missing = [name for name in needed if name not in covered]
            if not missing:
                return
            if len(missing) < len(best):
                best = missing
        yield self.finding(
            doc,
            t(
                "the DKIM-Signature h= tag does not cover {headers}: one-click unsubscribe "
                "needs both headers signed",
                headers=", ".join(best),
            ),
            line=doc.header_line("DKIM-Signature"),
        )


class HeaderBodyMismatch(Rule):
    """## What it does
    Compares the two opt-out channels of a marketing `.eml`: a `List-Unsubscribe` header
    with no working, visible unsubscribe link in the body, or a body link with no header.
    (A message with neither is MC101's and MC321's.)

    ## Why it matters
    Gmail: senders "must support one-click unsubscribe, and include a clearly visible
    unsubscribe link in the message body"; Yahoo asks for both. Readers who do not see
    the client's button need the body link, and vice versa.

    ## Example
    `List-Unsubscribe` set by the provider, but the template's footer link was removed.

    ## Fix
    Keep both: the header (with one-click) and a visible link in the footer.
    """

    code = "MC324"
    name = "header-body-mismatch"
    severity = Severity.INFO
    kinds = frozenset({Kind.MESSAGE})
    reference = "Gmail sender guidelines; Yahoo sender best practices"
    fix = "Offer both a List-Unsubscribe header and a visible unsubscribe link in the body."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if not _marketing_message(doc, ctx) or not doc.bodies:
            return
        visible = []
        for body in doc.bodies:
            for route in unsubscribe_routes(body, ctx).routes:
                if route.kind == "offline":
                    continue  # "call us to unsubscribe": nothing a mail client could link to
                seen = route.visibility(ctx)
                if not seen.hidden:
                    visible.append(route)
        header = has_list_unsubscribe(doc)
        if header and not visible:
            yield self.finding(
                doc,
                t(
                    "List-Unsubscribe header present but no visible, working unsubscribe link "
                    "in the body: Gmail and Yahoo expect both"
                ),
                line=doc.header_line("List-Unsubscribe"),  # type: ignore[attr-defined]
            )
        elif visible and not header:
            route = visible[0]
            line, column = route.position
            yield self.finding(
                doc,
                t(
                    "unsubscribe link '{link}' in the body but no List-Unsubscribe header: "
                    "mail apps cannot show their Unsubscribe button",
                    link=route.describe,
                ),
                line=line,
                column=column,
                part=route.body.label,
            )
