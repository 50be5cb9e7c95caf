"""MC320, MC325-MC327: who the message says it is from, and where replies go."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from email.utils import getaddresses

from mailcheck.analysis.addresses import is_noreply_address, organisational_domain
from mailcheck.analysis.directives import SETTING_COMMENT, template_setting
from mailcheck.analysis.kind import message_kind
from mailcheck.analysis.sender import contact_channel
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind, MessageDocument
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.i18n_extract import N_
from mailcheck.keywords import fold
from mailcheck.pii import clip
from mailcheck.rule import Rule


def _address(raw: str | None) -> tuple[str, str]:
    if not raw:
        return "", ""
    pairs = getaddresses([raw])
    return pairs[0] if pairs else ("", "")


def _setting_line(doc: Document, name: str) -> int:
    for body in doc.bodies:
        for match in SETTING_COMMENT.finditer(body.text):
            if match.group(1).lower() == name:
                return body.offset_position(match.start())[0]
    return 1


def sender_and_reply_to(doc: Document, ctx: LintContext):
    """((name, address), (name, address), from line, reply-to line) for a message or a template."""
    if isinstance(doc, MessageDocument):
        return (
            _address(doc.header("From")),
            _address(doc.header("Reply-To")),
            doc.header_line("From"),
            doc.header_line("Reply-To"),
        )
    sender = template_setting(doc, "sender")
    reply_to = template_setting(doc, "reply-to")
    return (
        _address(sender or ctx.config.sender),
        _address(reply_to or ctx.config.reply_to),
        _setting_line(doc, "sender") if sender else 1,
        _setting_line(doc, "reply-to") if reply_to else 1,
    )


def _configured_sender(doc: Document) -> bool:
    """Do the addresses come from ``sender`` / ``reply-to`` in config or a template's
    ``mailcheck: sender`` comment (not from a message's own headers)?"""
    return not isinstance(doc, MessageDocument)


class NoReplySender(Rule):
    """## What it does
    Reports a no-reply sender: the `From` local part (or a domain label) matches a no-reply
    pattern (`noreply`, `no-reply`, `ne-pas-repondre`, `keine-antwort`, `no-responder` ...,
    with separators, prefixes and suffixes, `+tags` ignored) and `Reply-To` is absent or
    no-reply too; or `Reply-To` itself is no-reply. For templates the addresses come from
    `sender` / `reply-to` in config or a `<!-- mailcheck: sender x@y -->` comment.

    A no-reply From with a monitored `Reply-To`, or a body that gives a contact channel,
    is info; transactional messages are info too -- except, under the EU profiles (`eu`,
    `eu-fr`), a no-reply `sender` set in config or in a template's `mailcheck: sender`
    comment: that address sends every mail of the project, and it stays a warning. No law
    names no-reply addresses: this is a warning, not an error, built on the "valid
    address" and "facilitate rights" duties.

    ## Why it matters
    GDPR art. 12(2) (facilitate the exercise of rights); ePrivacy art. 13(4) and CPCE
    L34-5 al. 5 (a valid address to which a stop request can be sent); UK PECR reg. 23;
    Outlook's 2025 requirements (From or Reply-To must receive replies). The CNIL asks
    senders not to use no-reply addresses, so that customers can easily ask for their
    data (GDPR art. 12(2), 15). CAN-SPAM accepts
    a working web opt-out instead, so this is not a US violation by itself.

    ## Example
    ```
    From: Acme <no-reply@acme.fr>
    ```

    ## Fix
    Send from a monitored address, or set `Reply-To: Acme <contact@acme.fr>`.
    """

    code = "MC320"
    name = "noreply-sender"
    severity = Severity.WARNING
    kinds = frozenset({Kind.MESSAGE, Kind.TEMPLATE})
    reference = "GDPR art. 12(2); ePrivacy art. 13(4); CPCE L34-5 al. 5; PECR reg. 23"
    fix = "Send from a monitored address, or add a Reply-To that people can write to."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        (_, sender), (_, reply_to), from_line, reply_line = sender_and_reply_to(doc, ctx)
        if not sender and not reply_to:
            return
        noreply = ctx.keywords["noreply"]
        sender_noreply = bool(sender) and is_noreply_address(sender, noreply)
        reply_noreply = bool(reply_to) and is_noreply_address(reply_to, noreply)
        transactional = bool(doc.bodies) and message_kind(doc, ctx).kind == "transactional"
        if sender_noreply and reply_to and not reply_noreply:
            yield self.finding(
                doc,
                t(
                    "From is a no-reply address ({sender}); replies go to Reply-To {reply_to}, "
                    "which is fine",
                    sender=sender,
                    reply_to=reply_to,
                ),
                line=from_line,
                severity=Severity.INFO,
            )
            return
        if not sender_noreply and not reply_noreply:
            return
        if sender_noreply:
            what = (
                t("From {sender} is a no-reply address and so is Reply-To", sender=sender)
                if reply_noreply
                else t(
                    "From {sender} is a no-reply address and there is no Reply-To", sender=sender
                )
            )
            line = from_line
        else:
            what = t("Reply-To {reply_to} is a no-reply address", reply_to=reply_to)
            line = reply_line
        channel = contact_channel(doc, ctx) if doc.bodies else None
        severity = Severity.INFO if (channel or transactional) else None
        if _configured_sender(doc) and ctx.profile.split("-")[0] == "eu":
            # The address every mail of the project is sent from: under the EU profiles the
            # CNIL asks for an address people can write to for their data requests.
            severity = None
        if channel:
            message = t(
                "{problem}; the body offers another channel ({channel}), but replies, the "
                "simplest way to object, are lost",
                problem=what,
                channel=channel,
            )
        else:
            message = t(
                "{problem}: readers cannot write back to object or to exercise their rights",
                problem=what,
            )
        yield self.finding(doc, message, line=line, severity=severity)


_EMOJI = re.compile("[\u2600-\u27bf\U0001f000-\U0001faff]")


def _starts_with_prefix(text: str, prefixes) -> str | None:
    match = re.match(r"\s*([^\s:]{1,7})\s*:", fold(text))
    if match and match.group(1) in prefixes.terms:
        return match.group(1)
    return None


class DeceptiveSenderOrSubject(Rule):
    """## What it does
    Checks the `From` display name and the `Subject` of an `.eml` for tricks: a missing
    `From` header (an error: nothing in the header says who sends the message, and a name
    in the body does not repair that); a subject
    starting with a reply or forward prefix (`RE:`, `Fwd:`, `TR:`, `AW:`, `RV:` ...) with
    no `In-Reply-To`/`References` header; a display name that imitates a reply, carries
    subject-like or urgent content ("Urgent", "Action required", "Dernier rappel"),
    emoji, or the recipient's own name.

    ## Why it matters
    CAN-SPAM 15 U.S.C. 7704(a)(1)-(2) (misleading header information -- the "from" line
    must accurately identify the person who initiated the message, 7704(a)(1)(B) --,
    deceptive subject headings); RFC 5322 §3.6 (From is mandatory); CPCE L34-5 al. 5
    (subject unrelated to the offer); Gmail's sender guidelines (the display name
    identifies the sender, no imitation of replies); Canada's Competition Act s. 52.01.

    ## Example
    ```
    From: "RE: votre commande" <news@acme.fr>
    Subject: RE: votre devis
    ```

    ## Fix
    Use your brand as display name and a subject that describes the content.
    """

    code = "MC325"
    name = "deceptive-sender-or-subject"
    severity = Severity.WARNING
    kinds = frozenset({Kind.MESSAGE})
    reference = "CAN-SPAM 7704(a)(1)-(2); RFC 5322 §3.6; CPCE L34-5 al. 5; Gmail sender guidelines"
    fix = (
        "Use the brand as display name and a subject that describes the message; no fake RE:/Fwd:."
    )

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if not isinstance(doc, MessageDocument):
            return
        if not (doc.header("From") or "").strip():
            # RFC 5322 §3.6 makes From mandatory; without it the header does not identify the
            # initiator, whatever the body says (CAN-SPAM 7704(a)(1)(B)).
            yield self.finding(
                doc,
                t(
                    "the message has no From header: the headers must say who sends it, and a "
                    "name in the body does not make up for it"
                ),
                line=1,
                severity=Severity.ERROR,
                fix=N_("Add a From header with your brand name and a monitored address."),
            )
        prefixes = ctx.keywords["reply_prefix"]
        subject = doc.header("Subject") or ""
        threaded = doc.header("In-Reply-To") or doc.header("References")
        prefix = _starts_with_prefix(subject, prefixes)
        if prefix and not threaded:
            yield self.finding(
                doc,
                t(
                    "subject '{subject}' starts like a reply or a forward but the message "
                    "answers nothing (no In-Reply-To/References): a misleading subject",
                    subject=clip(subject.strip(), 80),
                ),
                line=doc.header_line("Subject"),
            )
        name, _address_ = _address(doc.header("From"))
        if not name:
            return
        problem = None
        if _starts_with_prefix(name, prefixes):
            problem = t("imitates a reply or forward")
        elif (word := ctx.keywords["urgent"].search(name)) is not None:
            problem = t("carries subject-like content ('{word}')", word=word)
        elif _EMOJI.search(name) or any(unicodedata.category(c) == "So" for c in name):
            problem = t("uses emoji")
        else:
            to_name, _ = _address(doc.header("To"))
            words = re.findall(r"\w+", fold(to_name))
            first = words[0] if words else ""
            if len(first) >= 3 and first in re.findall(r"\w+", fold(name)):
                problem = t("contains the recipient's name ({name})", name=to_name.split()[0])
        if problem:
            yield self.finding(
                doc,
                t(
                    "From display name '{name}' {problem}: it must say who sends, not mislead",
                    name=name,
                    problem=problem,
                ),
                line=doc.header_line("From"),
            )


class ReplyToDomainMismatch(Rule):
    """## What it does
    Reports a `Reply-To` whose organisational domain differs from the `From` domain
    (`news@acme.fr` replying to `acme@gmail.com`), in `.eml` files and in templates with
    `sender` and `reply-to` configured. Info: help-desk platforms and ESP reply-tracking
    domains are common and legitimate.

    ## Why it matters
    CAN-SPAM 7704(a)(1) (header information must not be misleading); can-spam-auditor's
    header-accuracy check; recipients and filters trust a consistent identity.

    ## Example
    ```
    From: Acme <news@acme.fr>
    Reply-To: <acme.promo@gmail.com>
    ```

    ## Fix
    Use a Reply-To on your own domain, or ignore this finding for a known help-desk domain.
    """

    code = "MC326"
    name = "reply-to-domain-mismatch"
    severity = Severity.INFO
    kinds = frozenset({Kind.MESSAGE, Kind.TEMPLATE})
    reference = "CAN-SPAM 7704(a)(1)"
    fix = "Use a Reply-To address on the same domain as From."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        (_, sender), (_, reply_to), _from_line, reply_line = sender_and_reply_to(doc, ctx)
        if "@" not in sender or "@" not in reply_to:
            return
        from_domain = organisational_domain(sender.rpartition("@")[2])
        reply_domain = organisational_domain(reply_to.rpartition("@")[2])
        if from_domain != reply_domain:
            yield self.finding(
                doc,
                t(
                    "Reply-To domain {reply_domain} differs from the From domain {from_domain}: "
                    "replies leave the sender's domain",
                    reply_domain=reply_domain,
                    from_domain=from_domain,
                ),
                line=reply_line,
            )


class ListIdentityMissing(Rule):
    """## What it does
    Across the `.eml` files of one run: reports a marketing message without a `List-Id`
    header that shares its `From` address with a transactional message. Mailbox providers
    then cannot tell the subscription from the receipts. Needs several messages linted
    together; silent for a single file.

    ## Why it matters
    Google's e-mail subscription guidelines (identify each list with `List-Id` or a
    unique From; send subscription and other mail from different addresses); RFC 2919.

    ## Example
    `newsletter.eml` and `receipt.eml` both `From: shop@acme.fr`, the newsletter with no `List-Id`.

    ## Fix
    Add `List-Id: <newsletter.acme.fr>` to the newsletter, or send it from `news@acme.fr`.
    """

    code = "MC327"
    name = "list-identity-missing"
    severity = Severity.INFO
    kinds = frozenset({Kind.MESSAGE})
    reference = "Google e-mail subscription guidelines; RFC 2919"
    fix = "Add a List-Id header to subscription mail, or send it from a different address."

    def __init__(self, settings=None) -> None:
        super().__init__(settings)
        #: (sender, kind, has List-Id, display path, line of From) per message: only
        #: what the finding needs, not the message (a run may hold thousands).
        self.seen: list[tuple[str, str, bool, str, int]] = []

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        if isinstance(doc, MessageDocument):
            _, sender = _address(doc.header("From"))
            if sender:
                kind = message_kind(doc, ctx).kind
                has_list_id = bool(doc.header("List-Id"))
                where = (doc.display_path, doc.header_line("From"))
                self.seen.append((sender.lower(), kind, has_list_id, *where))
        return iter(())

    def take_session_state(self) -> list[tuple[str, str, bool, str, int]]:
        """What this process gathered since the last call (a worker's share of the run,
        see :mod:`mailcheck.parallel`), forgotten here."""
        taken, self.seen = self.seen, []
        return taken

    def merge_session_state(self, state: list[tuple[str, str, bool, str, int]]) -> None:
        """A worker's share, merged in the files' order."""
        self.seen.extend(state)

    def finish_session(self, ctx: LintContext) -> Iterator[Finding]:
        transactional = {sender for sender, kind, *_ in self.seen if kind == "transactional"}
        for sender, kind, has_list_id, path, from_line in self.seen:
            if kind == "marketing" and not has_list_id and sender in transactional:
                yield self.finding(
                    path,
                    t(
                        "marketing message from {sender} has no List-Id while transactional "
                        "mail uses the same From: mailbox providers cannot tell the "
                        "subscription apart",
                        sender=sender,
                    ),
                    line=from_line,
                )
