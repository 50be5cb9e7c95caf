"""MC112-MC114: Gmail clipping, tracking pixels, advertising label."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from mailcheck.analysis.body import folded_text, part_name, tag_index
from mailcheck.analysis.css import styles_of
from mailcheck.analysis.kind import message_kind
from mailcheck.analysis.patterns import substring_pattern
from mailcheck.analysis.phrases import phrase_in_body, text_position
from mailcheck.analysis.routes import unsubscribe_routes
from mailcheck.context import LintContext
from mailcheck.documents import Body, Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.keywords import fold
from mailcheck.pii import clip
from mailcheck.rule import Option, Rule

_KB = 1024


def _past_clip(body: Body, limit: int) -> Callable[[int, int], bool]:
    """Whether (line, column), in file coordinates, lies past the first ``limit`` UTF-8
    bytes of ``body.text``. The text is encoded and its lines found once per body
    (encoding the text before each link was quadratic on a 10 MB template)."""
    text = body.text
    fits = len(text.encode("utf-8")[:limit].decode("utf-8", "ignore"))  # characters
    starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def past(line: int, column: int) -> bool:
        line = min(max(line - body.line_offset, 1), len(starts))
        return starts[line - 1] + column - 1 > fits

    return past


class FooterClippingRisk(Rule):
    """## What it does
    Measures each HTML part: above the clip limit (102 KB, Gmail's threshold) Gmail shows
    "[Message clipped]" and hides the rest -- usually the footer with the unsubscribe link
    and the address. When an unsubscribe link sits after the limit the finding points at
    it; otherwise at the start of the part. The limit is the `limit-kb` option.

    ## Why it matters
    A clipped footer hides the opt-out that ePrivacy art. 13(2), CAN-SPAM 7704(a)(5) and
    Gmail's sender guidelines require to be visible (emaillint `HTML_SIZE_EXCEEDED` uses
    the same 102 KB limit).

    ## Example
    A 140 KB newsletter with inline CSS repeated on every cell.

    ## Fix
    Minify the HTML, move repeated inline styles to a `<style>` block, trim content, or
    move the unsubscribe link near the top.
    """

    code = "MC112"
    name = "footer-clipping-risk"
    severity = Severity.WARNING
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = "Gmail clipping at 102 KB; ePrivacy art. 13(2); CAN-SPAM 7704(a)(5)"
    fix = (
        "Keep the HTML under 102 KB (minify, remove repeated inline styles) or move the footer up."
    )
    options = {
        "limit-kb": Option(
            102,
            int,
            "Size in KB after which Gmail clips the HTML.",
            min=1,
            unit="KB",
        ),
    }

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        limit = int(self.settings["limit-kb"]) * _KB
        for body in doc.bodies:
            if not body.is_html:
                continue
            size = len(body.text.encode("utf-8"))
            if size <= limit:
                continue
            where = t(" ({part})", part=part_name(body.label)) if body.label else ""
            late = []
            past = _past_clip(body, limit) if body.exact_lines else None
            for route in unsubscribe_routes(body, ctx).routes:
                line, column = route.position
                if past is not None and past(line, column):
                    late.append((route, line, column))
            routes = unsubscribe_routes(body, ctx).routes
            if late and len(late) == len(routes):  # every opt-out is past the clip point
                route, line, column = late[0]
                yield self.finding(
                    doc,
                    t(
                        "the HTML{where} is {size} KB and the unsubscribe link {link!r} comes "
                        "after Gmail's {limit} KB clip point: Gmail hides it",
                        where=where,
                        size=size // _KB,
                        link=route.describe,
                        limit=limit // _KB,
                    ),
                    line=line,
                    column=column,
                    part=body.label,
                )
            else:
                yield self.finding(
                    doc,
                    t(
                        "the HTML{where} is {size} KB, over Gmail's {limit} KB clip limit: the "
                        "end of the message (footer, address) is hidden behind '[Message "
                        "clipped]'",
                        where=where,
                        size=size // _KB,
                        limit=limit // _KB,
                    ),
                    line=body.line_offset + 1,
                    part=body.label,
                )


def _pixel_size(value: str | None) -> float | None:
    if value is None:
        return None
    match = re.match(r"\s*([\d.]+)\s*(px)?\s*$", str(value))
    return float(match.group(1)) if match else None


class TrackingPixel(Rule):
    """## What it does
    Reports remote images that measure opens: 1x1 (or 0-sized) images, hidden remote
    images, and images whose URL looks like an open-tracking endpoint (`/track/open`,
    `/wf/open`, `pixel`, `beacon` ...). Layout spacers (`spacer.gif`, `blank.gif` ...)
    and local or `cid:` images are ignored. Info by default; raise it to warning for
    French audiences with `[severity] MC113 = "warning"` once the CNIL recommendation applies.

    ## Why it matters
    Reading terminal information needs consent unless strictly necessary (ePrivacy art.
    5(3), Loi Informatique et Libertés art. 82); the CNIL's 2025 draft recommendation on
    e-mail tracking pixels foresees consent for individual open measurement (draft --
    check whether adopted). Opening an e-mail is not a "contact" that renews a prospect.

    ## Example
    ```html
    <img src="https://t.example-esp.com/open?id=123" width="1" height="1" alt="">
    ```

    ## Fix
    Collect consent for individual open tracking, or measure opens only in aggregate.
    """

    code = "MC113"
    name = "tracking-pixel"
    severity = Severity.INFO
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = (
        "ePrivacy art. 5(3); Loi Informatique et Libertés art. 82; CNIL draft recommendation (2025)"
    )
    fix = "Ask consent for individual open tracking, or measure opens in aggregate only."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        hints = substring_pattern(ctx.keywords["tracking_pixel"].terms)
        spacers = substring_pattern(ctx.keywords["spacer_image"].terms)
        for body in doc.bodies:
            if body.soup is None:
                continue
            styles = None
            for image in tag_index(body, ctx).images:
                src = str(image.get("src", "")).strip()
                lowered = src.lower()
                if not lowered.startswith(("http://", "https://", "//")) or spacers.search(lowered):
                    continue
                width = _pixel_size(image.get("width"))
                height = _pixel_size(image.get("height"))
                style = str(image.get("style", "")).lower()
                if width is None:
                    match = re.search(r"(?<![-\w])width\s*:\s*([\d.]+)px", style)
                    width = float(match.group(1)) if match else None
                if height is None:
                    match = re.search(r"(?<![-\w])height\s*:\s*([\d.]+)px", style)
                    height = float(match.group(1)) if match else None
                reason = None
                if width is not None and height is not None and width <= 1 and height <= 1:
                    shown = {"width": f"{width:g}", "height": f"{height:g}"}
                    reason = t("a {width}x{height} image", **shown)
                elif hints.search(lowered):
                    reason = t("an open-tracking URL")
                elif "display" in style or image.get("class") or image.get("id"):
                    # Only an image with its own style or a class/id can be display:none.
                    styles = styles or styles_of(body, ctx)
                    if styles.declared(image).get("display", "").strip().lower() == "none":
                        reason = t("a hidden remote image")
                if reason:
                    line, column = body.position(image)
                    yield self.finding(
                        doc,
                        t(
                            "{what} ({src}) looks like an open-tracking pixel: measuring when "
                            "each reader opens your e-mails needs their consent",
                            what=reason,
                            src=clip(src, 80),
                        ),
                        line=line,
                        column=column,
                        part=body.label,
                        fingerprint=f"pixel|{src[:80]}",
                    )


def _commercial_purpose(doc: Document, ctx: LintContext) -> tuple[str, Body] | None:
    """The first sales word (``commercial``), else the first words promoting a product,
    service, class or event (``promotion``: "book now", "register now"), and its body."""
    for name in ("commercial", "promotion"):
        words = ctx.keywords[name]
        for body in doc.bodies:
            word = words.search_folded(folded_text(body, ctx))
            if word is not None:
                return word, body
    return None


class AdvertisingNotIdentified(Rule):
    """## What it does
    For profiles where the law asks for an advertising label (option `profiles`, default
    `["us"]`), reports a marketing message with a commercial purpose and no label such as
    "advertisement", "publicité", "Anzeige" in the subject, title or text. The purpose is
    read from sales words (offer, discount, promo code, shop now ...) and, without them,
    from what the message promotes: a product, a service, a class, an event ("book now",
    "register now", "join our masterclass": the `promotion` list).

    A warning under `us` (CAN-SPAM exempts only messages sent with the recipient's
    affirmative consent, which mailcheck cannot see in a message), info under other
    profiles listed in `profiles`. Elsewhere the rule stays silent: in the EU the
    commercial nature must be "clearly identifiable" (e-Commerce Directive art. 6(a)),
    which a shop's newsletter usually is from its sender and content -- a label is not
    required word for word.

    ## Why it matters
    CAN-SPAM 15 U.S.C. 7704(a)(5)(A)(i): a clear and conspicuous identification that the
    message is an advertisement or solicitation -- any message whose primary purpose is
    "the commercial advertisement or promotion of a commercial product or service"
    (7702(2), 16 CFR 316.3) (not needed when the recipient gave affirmative consent);
    e-Commerce Directive 2000/31/EC art. 6(a); LCEN art. 20 (FR).

    ## Example
    Subject "Flash sale: 40% off" with no "Advertisement" anywhere; or "Our beginner ski
    classes start December 5. Book now: https://..." with no label.

    ## Fix
    Add a short label, e.g. "Advertisement" / "Publicité" at the top or in the subject.
    """

    code = "MC114"
    name = "advertising-not-identified"
    severity = Severity.INFO
    profile_severity = {"us": Severity.WARNING}
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = "CAN-SPAM 7704(a)(5)(A)(i); e-Commerce Dir. 2000/31/EC art. 6(a); LCEN art. 20"
    fix = (
        'Label the message as an advertisement ("Advertisement", "Publicité") in the '
        "subject or at the top."
    )
    options = {
        "profiles": Option(["us"], list, "Profiles under which an advertising label is required.")
    }

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if ctx.profile not in self.settings["profiles"] or not doc.bodies:
            return
        if message_kind(doc, ctx).kind != "marketing":
            return
        labels = ctx.keywords["ad_label"]
        header = getattr(doc, "header", None)
        subject = (
            header("Subject") or "" if callable(header) and getattr(doc, "message", None) else ""
        )
        found = _commercial_purpose(doc, ctx)
        if found is None:
            return
        if labels.search_folded(fold(subject)) or any(
            labels.search_folded(folded_text(body, ctx)) for body in doc.bodies
        ):
            return
        word, body = found
        line, column = text_position(body, word)
        yield self.finding(
            doc,
            t(
                "commercial content ({words!r}) with no advertising label ('Advertisement', "
                "'Publicité'...): the message must say clearly that it is an advertisement",
                words=phrase_in_body(body, word, ctx),
            ),
            line=line,
            column=column,
            part=body.label,
        )
