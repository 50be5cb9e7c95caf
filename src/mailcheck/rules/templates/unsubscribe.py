"""MC101-MC104: is there an opt-out, does it work, can the reader see it?

Detection lives in :mod:`mailcheck.analysis.routes` (one pass per body, shared with the
other rules).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mailcheck.analysis.body import in_part, part_name
from mailcheck.analysis.kind import message_kind
from mailcheck.analysis.routes import Route, Routes, has_outlook_copy, unsubscribe_routes
from mailcheck.context import LintContext
from mailcheck.documents import Body, Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import Text, t
from mailcheck.i18n_extract import N_
from mailcheck.rule import Option, Rule
from mailcheck.rules.messages.headers import has_list_unsubscribe

if TYPE_CHECKING:
    from mailcheck.analysis.visibility import Visibility


def find_unsubscribe(body: Body, ctx: LintContext) -> str | None:
    """A short description of the first working opt-out route in ``body``, or ``None``."""
    routes = unsubscribe_routes(body, ctx).routes
    if not routes:
        return None
    route = routes[-1]
    return f"{route.kind} {route.describe!r} ({route.how})"


def _where(body: Body) -> str | Text:
    return in_part(body)


def _routes_by_body(doc: Document, ctx: LintContext) -> list[tuple[Body, Routes]]:
    return [(body, unsubscribe_routes(body, ctx)) for body in doc.bodies]


class MissingUnsubscribe(Rule):
    """## What it does
    Checks that a marketing e-mail (HTML template, plain-text template, or the HTML and
    text parts of an `.eml`) offers a way to unsubscribe: a link whose text, image `alt`,
    URL path or surrounding sentence ("to stop receiving our emails, click here", also
    around a link whose text is only a template variable: "... vom Newsletter abmelden:
    {{ $deleteLink }}") says so -- or its `title`/`aria-label` when its text says nothing
    by itself (an icon, an image, "click here"); a provider's unsubscribe
    merge tag (`*|UNSUB|*`, `{{ unsubscribe }}`, `[[UNSUB_LINK_FR]]`,
    `<%asm_global_unsubscribe_raw_url%>` ..., tolerant of inner spaces); a
    preference-centre link, or the notification settings of a notification mail ("Manage
    notifications", "Gérer mes notifications", "Benachrichtigungen verwalten"); or, in
    plain text, a URL next to an unsubscribe phrase, "send an e-mail to ..." or "reply
    STOP". An instruction that only offers a phone call, a letter, several steps or a reply
    with more than the address is an opt-out, but an obstructed one: MC105 reports it.

    What the reader never sees does not count: template-language comments (`{# #}`,
    `{{!-- --}}`, `{% comment %}`, an `{% if false %}` branch), HTML comments, and the
    content of `<title>`, `<style>` (CSS comments), `<script>`, `<template>` and
    `<textarea>`; nor does a link or line that says not to unsubscribe ("Ne vous
    désinscrivez pas : devenez VIP", "Don't unsubscribe": the `unsubscribe_negated` list).

    Transactional messages are not checked. The kind is forced with `[kinds]` in config or
    `<!-- mailcheck: kind transactional -->`, else decided on named, weighed evidence,
    each term counted once at its heaviest place:

    - transactional wording (the `transactional` list) and account or service notices
      (`service_notice`: "session expired", "wurde storniert", "nuovo accesso"): 3 in the
      subject, title, headings or opening lines, 1 further down;
    - an identifier of the reader's order, invoice, quote or ticket followed by a number
      ("Commande n°45821", "Order #1234", "Bestellnummer 4001", "ordine n. 100234"): 3;
    - a notification the reader asked for ("du wolltest benachrichtigt werden"): 3;
    - translation keys that name the mail (`{{ L.Ts "email.forgotPassword.subject" }}`): 3;
    - an onboarding step ("Step 3 of 4"): 3;
    - a welcome title, with no commercial wording and no bulk-mail header: 3;
    - the action a link asks for (track, confirm, reset, activate, pay, manage an
      appointment the reader made): 2; a notification-settings link: 2;
    - on the marketing side: commercial wording ("% off", "soldes", "Rabatt") and a
      discount in any language ("-20 %", "20 % de descuento": a percentage next to a
      `discount` word): 3 in the subject, title, headings or opening lines, 1 further
      down; a word with a second, neutral meaning (German "Angebot": an offer, a range or
      a quote): 1; promotion of a product, service, class or event ("book now", "register
      now", "masterclass"): 2 at the top, 1 further down; bulk-mail headers (`List-Id`,
      `Precedence: bulk`, `List-Unsubscribe`): 3.

    A message is transactional when its transactional score reaches 3 and beats the
    marketing score; otherwise it is marketing (the safe side). The finding says why:
    "marketing message (commercial wording ('% off'); outweighs transactional wording
    ('your order') (6 to 3))", or "no transactional markers (treated as marketing)".

    A link that exists but is broken or hidden is reported by MC103/MC102 instead. When
    one part of an `.eml` has an opt-out and another has none, the part without is
    reported as a warning; when the message carries a `List-Unsubscribe` header (with a
    URI) but no body link, as a warning too (the header is a working route, but the law and Gmail
    expect a visible link in the message). With `provider` set to a provider that appends
    its own footer at send time (GetResponse, Constant Contact, Klaviyo, Mailchimp: the
    `footer_provider` list) the finding is a warning; set `esp-footer = true` under
    `[rules.MC101]` to silence it when you know the footer is on.

    ## Why it matters
    Every marketing message must let the recipient object "on the occasion of each
    message", free and simply: ePrivacy Directive 2002/58/EC art. 13(2) and 13(4); in
    France CPCE art. L34-5 (CNIL); GDPR art. 21(2)-(3); CAN-SPAM 15 U.S.C. 7704(a)(3);
    CASL s. 6(2)(c). Gmail and Yahoo also require a visible unsubscribe link from bulk
    senders.

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
    options = {
        "esp-footer": Option(
            False, bool, "Your provider adds its own unsubscribe footer when sending."
        ),
    }

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if self.settings["esp-footer"] or not doc.bodies:
            return
        decision = message_kind(doc, ctx)
        if decision.kind != "marketing":
            return
        per_body = _routes_by_body(doc, ctx)
        elsewhere = [body for body, routes in per_body if routes.routes]
        header = has_list_unsubscribe(doc)
        provider = ctx.config.provider
        footer_provider = bool(provider) and ctx.keywords["footer_provider"].search(provider)
        for body, routes in per_body:
            if routes.routes or routes.broken or routes.conditional_only:
                continue
            if elsewhere:
                label = elsewhere[0].label
                other = t("the {part}", part=part_name(label)) if label else t("another part")
                yield self.finding(
                    doc,
                    t(
                        "no unsubscribe link{where}, while {other} has one: readers of this "
                        "version cannot unsubscribe",
                        where=_where(body),
                        other=other,
                    ),
                    line=body.line_offset + 1,
                    part=body.label,
                    severity=Severity.WARNING,
                    fix=N_("Add the same unsubscribe link or merge tag to this part."),
                )
            elif header:
                yield self.finding(
                    doc,
                    t(
                        "no unsubscribe link{where}: only the List-Unsubscribe header offers a "
                        "way out; Gmail and the CNIL expect a visible link in the message itself",
                        where=_where(body),
                    ),
                    line=body.line_offset + 1,
                    part=body.label,
                    severity=Severity.WARNING,
                )
            elif footer_provider:
                yield self.finding(
                    doc,
                    t(
                        "no unsubscribe link or merge tag{where}: {provider} adds its own "
                        "unsubscribe footer when sending, check that it is on for this message",
                        where=_where(body),
                        provider=provider,
                    ),
                    line=body.line_offset + 1,
                    part=body.label,
                    severity=Severity.WARNING,
                )
            else:
                yield self.finding(
                    doc,
                    t(
                        "no unsubscribe link, merge tag or instruction{where}: readers of this "
                        "marketing message cannot stop receiving your e-mails (seen as marketing: "
                        "{reason})",
                        where=_where(body),
                        reason=decision.explanation,
                    ),
                    line=body.line_offset + 1,
                    part=body.label,
                    fingerprint=f"{body.label or 'template'}",
                )


class UnsubscribeHidden(Rule):
    """## What it does
    Finds unsubscribe links a reader cannot see: `display:none`, `visibility:hidden`, the
    `hidden` attribute, `opacity` under 0.2, a font under 6px, zero height/width with
    `overflow:hidden` (or on an `<svg>`), a link that is only a 1x1 image (2px or less
    either way), `mso-hide:all` (hidden in Outlook), off-screen positioning or
    `text-indent`, clipping, `color:transparent`, or a text colour equal or close to the
    background (SpamAssassin's weighted distance under 12, or a contrast ratio under
    1.25:1). Styles are read with a CSS parser and resolved from inline `style`, simple
    `<style>` rules on tags, classes and ids (rules inside `@media` are ignored: they apply
    to some screens only), `bgcolor`, `<font color>`, `<body link>` and inheritance; in an
    MJML source, the components' attributes (`color`, `font-size`, `background-color`,
    MJML's defaults, `<mj-attributes>` and `mj-class`) and `<mj-style>` rules applied
    through `css-class`, as the compiled HTML carries them; colours in any CSS
    syntax (`#rgb` to `#rrggbbaa`, `rgb()` with numbers or percentages, `hsl()`, names),
    and a `url(data:...;base64,...)` background read whole. A link that exists only
    inside an Outlook conditional comment (`<!--[if mso]>`) is hidden everywhere else.

    When another visible unsubscribe link exists (responsive duplicates), the hidden copy
    is reported as info; `mso-hide:all` alone is a warning (Outlook users only), and
    nothing when an `<!--[if mso]>` block gives Outlook its own unsubscribe link; a
    background image under the link makes the contrast unknown (info).

    ## Why it matters
    The opt-out must be "clear and conspicuous" (CAN-SPAM 15 U.S.C. 7704(a)(5)(A)(ii)),
    "clearly and prominently" set out (CASL, CRTC 2012-548), and "clear and distinct"
    (ePrivacy art. 13(2)); Gmail, Yahoo and Outlook require a clearly visible link. Hiding
    the provider's mandatory tag to pass its send gate defeats all of them.

    ## Example
    ```html
    <td bgcolor="#ffffff"><a href="*|UNSUB|*" style="color:#fefefe">unsubscribe</a></td>
    ```

    ## Fix
    Give the link a readable size and a colour that contrasts with its background:
    ```html
    <td bgcolor="#ffffff"><a href="*|UNSUB|*" style="color:#555555">Se désabonner</a></td>
    ```
    """

    code = "MC102"
    name = "unsubscribe-hidden"
    severity = Severity.ERROR
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = "CAN-SPAM 7704(a)(5)(A)(ii); CASL/CRTC 2012-548; ePrivacy art. 13(2); Gmail/Yahoo"
    fix = (
        "Make the unsubscribe link visible: readable size (12px+) and a colour that "
        "contrasts with its background."
    )

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if not doc.bodies or message_kind(doc, ctx).kind != "marketing":
            return
        per_body = _routes_by_body(doc, ctx)
        visible: list[Route] = []
        hidden: list[tuple[Route, object]] = []
        for _body, routes in per_body:
            for route in routes.routes:
                seen = route.visibility(ctx)
                if seen.hidden or seen.uncertain:
                    hidden.append((route, seen))
                else:
                    visible.append(route)
        for route, seen in hidden:
            said = _hidden_said(route, seen, visible, ctx)
            if said is None:
                continue
            message, severity, data = said
            line, column = route.position
            yield self.finding(
                doc,
                message,
                line=line,
                column=column,
                part=route.body.label,
                severity=severity,
                data=data,
            )
        for _body, routes in per_body:
            for route in routes.conditional_only:
                if visible:
                    continue
                line, column = route.position
                yield self.finding(
                    doc,
                    t(
                        "the unsubscribe link exists only inside an Outlook conditional comment "
                        "(<!--[if mso]>){where}: every other mail app hides it",
                        where=_where(route.body),
                    ),
                    line=line,
                    column=column,
                    part=route.body.label,
                    fix=N_("Move the unsubscribe link out of the <!--[if mso]> block."),
                )


def _hidden_said(
    route: Route, seen: Visibility, visible: list[Route], ctx: LintContext
) -> tuple[Text, Severity | None, dict] | None:
    """What MC102 says of a hidden (or uncertain) route, at which severity (``None``: the
    rule's) and with which data, given the routes readers can see; ``None``: nothing."""
    link, where = route.describe, _where(route.body)
    if seen.uncertain:
        if visible:
            return None
        message = t(
            "cannot tell whether the unsubscribe link {link!r}{where} is readable: "
            "it sits on {cause}; check the contrast by hand",
            link=link,
            where=where,
            cause=seen.uncertain,
        )
        return message, Severity.INFO, {}
    if any(other.body is route.body for other in visible):
        message = t(
            "unsubscribe link {link!r}{where} is hidden ({cause}); another visible "
            "unsubscribe link exists, so this is likely a responsive duplicate",
            link=link,
            where=where,
            cause=seen.hidden,
        )
        return message, Severity.INFO, {}
    if visible:  # shown in another part only (the text/plain one): not to its readers
        message = t(
            "unsubscribe link {link!r}{where} is hidden ({cause}) and this part "
            "shows no other: its readers see none (only another part of the "
            "message shows one)",
            link=link,
            where=where,
            cause=seen.hidden,
        )
        return message, Severity.WARNING, {}
    if seen.outlook_only and has_outlook_copy(route.body, ctx):
        return None  # Outlook gets its own copy inside <!--[if mso]>
    message = t(
        "unsubscribe link {link!r}{where} is hidden: {cause}{outlook}, and no "
        "visible unsubscribe link exists: readers cannot see how to unsubscribe",
        link=link,
        where=where,
        cause=seen.hidden,
        outlook=t(" (Outlook desktop hides it)") if seen.outlook_only else "",
    )
    severity = Severity.WARNING if seen.outlook_only else None
    return message, severity, {"colours": seen.colours} if seen.colours else {}


class UnsubscribeLinkBroken(Rule):
    """## What it does
    Finds unsubscribe links that cannot work: `href` missing, empty, `#` or another
    in-page anchor, `javascript:`, `about:blank`, a placeholder host (`example.com`,
    `localhost`, `yourdomain` ...), a `mailto:` without a valid address, or -- when a
    `provider` is configured -- a merge tag of another provider that will never be
    replaced. A merge tag or `<unsubscribe>` element inside a dead link
    (`<a href="#"><unsubscribe>Unsubscribe</unsubscribe></a>`) is dead with it, unless
    `provider` is Campaign Monitor, whose own template language builds the link from the
    element. Free template packs ship their footer with `href="#"`; this rule catches
    them before they are sent. It checks every message, transactional ones included: a
    dead "unsubscribe" link is a defect wherever it appears.

    ## Why it matters
    The opt-out must be a *functioning* return address or Internet mechanism: CAN-SPAM
    15 U.S.C. 7704(a)(3)(A); CASL s. 11(1) (valid for 60 days); ePrivacy art. 13(4) and
    CPCE L34-5 ("coordonnées valables"); Outlook's sender requirements ("functional
    unsubscribe links").

    ## Example
    ```html
    <a href="#">Unsubscribe</a>
    ```

    ## Fix
    Point the link at your provider's unsubscribe merge tag or your real unsubscribe page:
    ```html
    <a href="{{ unsubscribe }}">Unsubscribe</a>
    ```
    """

    code = "MC103"
    name = "unsubscribe-link-broken"
    severity = Severity.ERROR
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = "CAN-SPAM 7704(a)(3)(A); CASL s. 11(1); ePrivacy art. 13(4); CPCE L34-5"
    fix = "Point the link at your provider's unsubscribe merge tag or a real unsubscribe page."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        for body in doc.bodies:
            for route in unsubscribe_routes(body, ctx).broken:
                line, column = route.position
                yield self.finding(
                    doc,
                    t(
                        "unsubscribe link {link!r}{where} cannot work: {problem}",
                        link=route.describe,
                        where=_where(body),
                        problem=route.problems[0],
                    ),
                    line=line,
                    column=column,
                    part=body.label,
                    fingerprint=f"{route.describe}|{route.href}",
                )


class UnsubscribeImageOnly(Rule):
    """## What it does
    Reports a marketing message whose only unsubscribe links are images (no live text),
    and says so more strongly when the image has no `alt` text.

    ## Why it matters
    Many clients block images by default: the opt-out disappears, which fails the "clear
    and conspicuous" / "clearly and prominently" standards (CAN-SPAM 7704(a)(5)(A)(ii),
    CASL/CRTC 2012-548) and the "clear and distinct" opportunity of ePrivacy art. 13(2).

    ## Example
    ```html
    <a href="*|UNSUB|*"><img src="footer-unsub.png"></a>
    ```

    ## Fix
    Use a text link (an image is fine next to it):
    ```html
    <a href="*|UNSUB|*">Se désabonner</a>
    ```
    """

    code = "MC104"
    name = "unsubscribe-image-only"
    severity = Severity.WARNING
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = "CAN-SPAM 7704(a)(5)(A)(ii); CASL/CRTC 2012-548; ePrivacy art. 13(2)"
    fix = "Add a text unsubscribe link; keep meaningful alt text on images."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if not doc.bodies or message_kind(doc, ctx).kind != "marketing":
            return
        html_routes = [
            route
            for body, routes in _routes_by_body(doc, ctx)
            if body.is_html
            for route in routes.routes
        ]
        if not html_routes or any(not route.image_only for route in html_routes):
            return
        # A 1x1 image is not an image link readers see when images load: MC102 says it.
        shown = [route for route in html_routes if not route.visibility(ctx).hidden]
        if not shown:
            return
        route = shown[0]
        line, column = route.position
        if route.has_alt:
            message = t(
                "the unsubscribe link{where} is only an image (alt {alt!r}): with images "
                "blocked, readers see no way to unsubscribe",
                where=_where(route.body),
                alt=route.describe,
            )
        else:
            message = t(
                "the unsubscribe link{where} is only an image without alt text ({href}): with "
                "images blocked it is invisible",
                where=_where(route.body),
                href=route.href or t("no href"),
            )
        yield self.finding(doc, message, line=line, column=column, part=route.body.label)
