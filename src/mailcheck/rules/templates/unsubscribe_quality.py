"""MC105-MC107: an opt-out that exists but is obstructed, too narrow, or points somewhere
suspicious."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from mailcheck.analysis.addresses import host_is_ip, organisational_domain
from mailcheck.analysis.body import block_text, folded_text, in_part
from mailcheck.analysis.kind import message_kind
from mailcheck.analysis.patterns import stem_pattern
from mailcheck.analysis.phrases import original_phrase
from mailcheck.analysis.routes import PREFERENCE, STRONG, Route, unsubscribe_routes
from mailcheck.analysis.sender import sender_identity
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import Text, t
from mailcheck.keywords import fold
from mailcheck.pii import clip
from mailcheck.rule import Rule


def _marketing_routes(doc: Document, ctx: LintContext) -> list[Route]:
    if not doc.bodies or message_kind(doc, ctx).kind != "marketing":
        return []
    return [route for body in doc.bodies for route in unsubscribe_routes(body, ctx).routes]


def _original(route: Route, folded: str) -> str:
    """The words as written around the link (the keyword lists match folded text)."""
    if route.element is not None:
        return original_phrase(block_text(route.element), folded)
    return original_phrase(route.label, folded)


def _where(route: Route) -> str | Text:
    return in_part(route.body)


def _us_error(ctx: LintContext, route: Route) -> Severity | None:
    """Under the ``us`` profile an opt-out with no link or reply address is an error:
    CAN-SPAM requires a return e-mail address or another Internet-based mechanism
    (15 U.S.C. 7704(a)(3)(A)); elsewhere the rule's severity."""
    if route.kind == "offline" and ctx.profile.split("-")[0] == "us":
        return Severity.ERROR
    return None


class UnsubscribeObstructed(Rule):
    """## What it does
    Looks at each unsubscribe link and the sentence around it for more than one simple
    step: a target inside an account or login area (`/login`, `/account`, `/mon-compte`,
    `/mein-konto` ...), wording that asks to log in first ("connectez-vous à votre
    espace client pour vous désinscrire"), a fee, information beyond the address (a phone
    number, a reason for leaving), an offline step (call us, write by post) or several
    steps ("log in, go to Settings, then untick..."). The sentence is read around a link,
    and in a plain-text part around the URL (from the unsubscribe phrase to the URL). An
    instruction with no link and no reply address ("To stop receiving these emails, call
    1-800-555-0199") is an opt-out too, but an obstructed one: reported here, not as a
    missing opt-out (MC101).

    An explicit login, a fee or extra information is an error; a login-looking URL, an
    offline step or several steps is a warning (tokenised preference pages under
    `/account/` may not need a login) -- an error under the `us` profile when no link or
    reply address is offered at all (CAN-SPAM requires an Internet-based mechanism).
    Wording that says the opt-out is free ("sans frais", "free of charge") cancels a fee cue.

    ## Why it matters
    16 CFR 316.5 forbids fees, data beyond the address and steps beyond a reply or one
    web page; 15 U.S.C. 7704(a)(3)(A) requires a return e-mail address or another
    Internet-based mechanism; CASL s. 11 requires an opt-out "readily performed" without
    login (CRTC); GDPR art. 7(3) makes withdrawing "as easy as" consenting, art. 12(2)
    makes the controller facilitate rights; Yahoo asks for no login.

    ## Example
    ```html
    <p>Pour vous désinscrire, connectez-vous à votre espace client :
       <a href="https://shop.example.fr/mon-compte/login">ici</a></p>
    ```

    ## Fix
    Link to a one-click page (or your provider's tag) that needs nothing but the click:
    ```html
    <p><a href="*|UNSUB|*">Se désinscrire en un clic</a></p>
    ```
    """

    code = "MC105"
    name = "unsubscribe-obstructed"
    severity = Severity.WARNING
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = (
        "16 CFR 316.5; 15 U.S.C. 7704(a)(3)(A); CASL s. 11; GDPR art. 7(3), 12(2); "
        "Yahoo sender practices"
    )
    fix = "Offer a one-step unsubscribe: one click (or one reply), no login, no fee."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        keywords = ctx.keywords
        login_url = stem_pattern(keywords["login_url"].terms)
        for route in _marketing_routes(doc, ctx):
            context = route.context or fold(route.label)
            line, column = route.position
            login = keywords["login_gate"].search_folded(context)
            fee = keywords["fee"].search_folded(context)
            if fee and keywords["fee_free"].search_folded(context):
                fee = None
            offline = keywords["unsubscribe_offline"].search_folded(context)
            extra = keywords["unsubscribe_extra_info"].search_folded(context)
            steps = sorted(set(keywords["unsubscribe_steps"].findall_folded(context)))
            path = ""
            if route.href.lower().startswith(("http://", "https://")):
                parts = urlsplit(route.href)
                path = fold(f"{parts.path} {parts.query}")
            url_login = login_url.search(path) if path else None
            if login or fee:
                shown = _original(route, login or fee)
                what = (
                    t("asks to log in ({words!r})", words=shown)
                    if login
                    else t("mentions a fee ({words!r})", words=shown)
                )
                yield self.finding(
                    doc,
                    t(
                        "unsubscribe{where} {what}: unsubscribing must be free and take one step",
                        where=_where(route),
                        what=what,
                    ),
                    line=line,
                    column=column,
                    part=route.body.label,
                    severity=Severity.ERROR,
                )
            elif url_login:
                yield self.finding(
                    doc,
                    t(
                        "unsubscribe link {link!r}{where} points into a login/account area "
                        "({href}): readers must not have to log in to unsubscribe",
                        link=route.describe,
                        where=_where(route),
                        href=clip(route.href, 80),
                    ),
                    line=line,
                    column=column,
                    part=route.body.label,
                )
            elif extra:
                yield self.finding(
                    doc,
                    t(
                        "unsubscribe{where} asks for information beyond the address "
                        "({words!r}): unsubscribing may require nothing but the e-mail address",
                        where=_where(route),
                        words=_original(route, extra),
                    ),
                    line=line,
                    column=column,
                    part=route.body.label,
                    severity=Severity.ERROR,
                )
            elif offline or route.kind == "offline":
                said = (
                    t(" ({words!r})", words=_original(route, offline))
                    if offline
                    else t(" (a phone number)")
                )
                no_link = (
                    t(" and no link or reply address is given") if route.kind == "offline" else ""
                )
                yield self.finding(
                    doc,
                    t(
                        "unsubscribe{where} requires an offline step{said}{no_link}: readers "
                        "must be able to unsubscribe online or by e-mail, the way the message "
                        "reached them",
                        where=_where(route),
                        said=said,
                        no_link=no_link,
                    ),
                    line=line,
                    column=column,
                    part=route.body.label,
                    severity=_us_error(ctx, route),
                )
            elif len(steps) >= 2:
                yield self.finding(
                    doc,
                    t(
                        "unsubscribe{where} takes several steps ({steps}): it may take no more "
                        "than one reply or one web page",
                        where=_where(route),
                        steps=", ".join(repr(_original(route, step)) for step in steps[:3]),
                    ),
                    line=line,
                    column=column,
                    part=route.body.label,
                    severity=_us_error(ctx, route),
                )


class UnsubscribeScopeLimited(Rule):
    """## What it does
    Reports a marketing message whose only way out is a preference centre ("manage your
    preferences", `*|UPDATE_PROFILE|*`) or an unsubscribe limited to "this list / this
    category" (or a SendGrid *group* unsubscribe tag), with no wording for leaving every
    list ("unsubscribe from all", "ne plus rien recevoir", ...).

    This rule applies the project's global position (an objection to direct marketing
    covers every list, GDPR art. 21(3)). When a scoped unsubscribe sits next to a
    preference-centre link the centre may offer "all": the finding is then info ("cannot
    confirm"). A plain "Unsubscribe" link or a provider's global tag is not scoped.

    ## Why it matters
    CAN-SPAM 15 U.S.C. 7704(a)(3)(B) allows a menu only if it includes an option to stop
    all commercial mail from the sender; GDPR art. 21(3): after an objection the data are
    no longer processed for direct marketing; CNIL "liste repoussoir" guidance.

    ## Example
    ```html
    <a href="{{ preferences }}">Gérer mes préférences</a>
    ```

    ## Fix
    Add a global opt-out next to the preference centre:
    ```html
    <a href="*|UNSUB|*">Se désinscrire de toutes nos communications</a>
    ```
    """

    code = "MC106"
    name = "unsubscribe-scope-limited"
    severity = Severity.WARNING
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = "CAN-SPAM 7704(a)(3)(B); GDPR art. 21(3); CNIL liste repoussoir"
    fix = "Offer a way to unsubscribe from all lists, not only this one or a preference centre."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        routes = _marketing_routes(doc, ctx)
        if not routes:
            return
        global_words = ctx.keywords["unsubscribe_global"]
        if any(global_words.search_folded(folded_text(body, ctx)) for body in doc.bodies):
            return
        strong = [r for r in routes if r.strength == STRONG]
        preferences = [r for r in routes if r.strength == PREFERENCE]
        if not strong:
            route = preferences[0]
            line, column = route.position
            yield self.finding(
                doc,
                t(
                    "the only way out{where} is a preference centre ({link!r}), with no "
                    "wording for unsubscribing from all lists",
                    where=_where(route),
                    link=route.describe,
                ),
                line=line,
                column=column,
                part=route.body.label,
            )
            return
        if all(route.scoped for route in strong):
            route = strong[0]
            line, column = route.position
            if preferences:
                yield self.finding(
                    doc,
                    t(
                        "unsubscribe{where} covers only this list ({link!r}); the preference "
                        "centre may offer 'all lists' but the message does not say so",
                        where=_where(route),
                        link=route.describe,
                    ),
                    line=line,
                    column=column,
                    part=route.body.label,
                    severity=Severity.INFO,
                )
            else:
                yield self.finding(
                    doc,
                    t(
                        "unsubscribe{where} covers only this list ({link!r}) and no way out of "
                        "all lists is offered",
                        where=_where(route),
                        link=route.describe,
                    ),
                    line=line,
                    column=column,
                    part=route.body.label,
                )


class UnsubscribeSuspiciousTarget(Rule):
    """## What it does
    Checks where each unsubscribe link points: a site's bare home page (no path, no
    query: nothing says whom to unsubscribe), a URL shortener (bit.ly ...), a generic
    form host (Google Forms, Typeform ...), a raw IP address or a non-standard port are
    warnings; plain `http://` is info (one-click unsubscribe needs HTTPS), and so is a
    domain unrelated to the sender's (From, `sender` in config or the template's
    `mailcheck: sender` comment) that is not a known provider's tracking domain (the
    `esp_domain` list). Provider merge
    tags are not checked (the provider fills them with its own HTTPS URL). The lists of
    hosts are data (`suspicious_host` keyword list), extendable from config.

    ## Why it matters
    Spam filters score these targets (SpamAssassin `UNSUB_GOOG_FORM`, `URI_UNSUBSCRIBE`),
    so the message may land in spam and the opt-out may not be trusted; RFC 8058 requires
    an HTTPS URI for one-click unsubscribe; Yahoo advises domains, not IPs or ports.

    ## Example
    ```html
    <a href="https://forms.gle/AbCdEf">Se désinscrire</a>
    ```

    ## Fix
    Host the unsubscribe page on your own domain over HTTPS, or use your provider's tag.
    """

    code = "MC107"
    name = "unsubscribe-suspicious-target"
    severity = Severity.WARNING
    kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
    reference = (
        "RFC 8058 §3.1; SpamAssassin UNSUB_GOOG_FORM / URI_UNSUBSCRIBE; Yahoo sender practices"
    )
    fix = "Use an HTTPS unsubscribe page on your own domain, or your provider's merge tag."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        hosts = ctx.keywords["suspicious_host"].terms
        esps = ctx.keywords["esp_domain"].terms
        _name, address = sender_identity(doc, ctx)
        sender_domain = (
            organisational_domain(address.rpartition("@")[2]) if address and "@" in address else ""
        )
        for route in _marketing_routes(doc, ctx):
            href = route.href.strip()
            if route.tag is not None or not href.lower().startswith(("http://", "https://")):
                continue
            try:
                parts = urlsplit(href)
                port = parts.port
            except ValueError:
                continue
            host = (parts.hostname or "").lower()
            host_path = f"{host}{parts.path}".lower()
            line, column = route.position
            problem = None
            severity = None
            message = None
            if host and parts.path in ("", "/") and not parts.query and not parts.fragment:
                message = t(
                    "unsubscribe link {link!r}{where} points at the home page of {host}: "
                    "nothing there says whom to unsubscribe, so it unsubscribes nobody",
                    link=route.describe,
                    where=_where(route),
                    host=host,
                )
            for term in hosts:
                if (
                    host == term
                    or host.endswith("." + term)
                    or ("/" in term and host_path.startswith(term))
                ):
                    problem = t("a URL shortener or form host ({host})", host=term)
                    break
            if problem is None and host_is_ip(host):
                problem = t("a raw IP address ({host})", host=host)
            if problem is None and port not in (None, 80, 443):
                problem = t("a non-standard port ({port})", port=str(port))
            if problem is None and parts.scheme == "http":
                problem = t("plain http:// (no HTTPS)")
                severity = Severity.INFO
            if problem is None and sender_domain and host:
                target = organisational_domain(host)
                # Keyword terms are folded ("list-manage.com" -> "list manage.com").
                folded_host, folded_target = fold(host), fold(target)
                known = target == sender_domain or any(
                    folded_target == d or folded_host.endswith("." + d) for d in esps
                )
                if not known:
                    problem = t(
                        "{domain}, a domain unrelated to the sender ({sender})",
                        domain=target,
                        sender=sender_domain,
                    )
                    severity = Severity.INFO
            if message is not None:
                severity = None  # the home page: the rule's own warning, whatever the host
            elif problem:
                message = t(
                    "unsubscribe link {link!r}{where} points at {problem}: spam filters "
                    "distrust it and one-click unsubscribe needs HTTPS on your domain",
                    link=route.describe,
                    where=_where(route),
                    problem=problem,
                )
            if message is not None:
                yield self.finding(
                    doc,
                    message,
                    line=line,
                    column=column,
                    part=route.body.label,
                    severity=severity,
                )
