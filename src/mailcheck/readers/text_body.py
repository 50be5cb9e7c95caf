"""Whether a plain-text file reads like an e-mail body.

A ``.txt`` beside the templates may be a plain-text e-mail (``newsletter-mars.txt``), but
most are not: ``requirements.txt``, ``LICENSE.txt``, ``robots.txt``, a French ``A-LIRE.txt``,
notes. Only a text with the marks of a message is linted as one:

- a strong mark alone: a ``Subject:`` / ``Objet :`` line at the top, or a merge tag
  (``*|FNAME|*``, ``{{ first_name }}``, ``[[UNSUB]]``, ``%%unsub%%``...);
- else two weak ones, one of them the shape of a message (a greeting, a sign-off or a
  link): a greeting opening a line (``Bonjour Jeanne,``), a sign-off on a
  line of its own (``Cordialement,``), a link or an address to write to, an unsubscribe
  sentence, a discount (``-30 %``, ``20% off``), commercial wording in the first lines
  (``Soldes``, ``Promo``: only at the top, where a promotion says it; a licence's
  "offer" further down is no promotion).

The words are keyword lists (``email_greeting``, ``email_signoff``, ``email_subject_label``,
``unsubscribe``, ``commercial``), in the seven languages, extended by ``[keywords]`` and plugins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailcheck.i18n import Text, t
from mailcheck.keywords import KeywordList, fold
from mailcheck.pii import clip

#: Merge tags of the e-mail template languages, strict enough that a note's ``[x]`` or a
#: path's ``%APPDATA%`` is not one.
MERGE_TAG = re.compile(
    r"\*\|\s*[A-Za-z][\w:\-]*\s*\|\*"  # Mailchimp *|FNAME|*
    r"|\{\{\{?\s*[#/^>!]?\s*[A-Za-z_][\w.\-: ]*\}\}\}?"  # Handlebars, Liquid, Twig
    r"|\{%-?\s*[a-z]\w*[^%]{0,80}%\}"  # Liquid, Twig, Jinja blocks
    r"|\[\[\s*[A-Za-z_][\w:\-]*\s*\]\]"  # Mailjet
    r"|%%[A-Za-z_][\w\-:]*%%"  # Salesforce
    r"|\{\$[A-Za-z_][\w.]*\}"  # Smarty, Sendinblue legacy
    r"|<%=?\s*[A-Za-z_][\w.\[\]'\" ]*%>"  # ERB, SendGrid
)
#: A link, or an address to write to (a contact route, as a link is).
_LINK = re.compile(r"https?://\S+|\bwww\.[a-z0-9\-]+\.[a-z]+|[\w.+\-]+@[\w\-]+\.[\w.\-]+", re.I)
#: A discount figure: "-30 %", "−20%", "20% off", "15 % de réduction", "10% Rabatt".
_DISCOUNT = re.compile(
    r"(?<![\w.])[-\u2212]\s?\d{1,2}(?:[.,]\d)?\s?%"
    r"|\b\d{1,2}\s?%\s?(?:off|de r[ée]duction|de remise|rabatt|sconto|de descuento|korting"
    r"|de desconto)\b",
    re.I,
)
#: Lines looked at for the greeting and the subject line, at the top of the text.
_TOP_LINES = 15
#: A greeting or sign-off line is short; a longer line is a sentence that starts alike.
_SHORT_LINE = 60


@dataclass(frozen=True)
class BodyMarks:
    """The marks of an e-mail found in a text (each the matched words, or ``""``)."""

    subject: str = ""
    merge_tag: str = ""
    greeting: str = ""
    signoff: str = ""
    link: str = ""
    unsubscribe: str = ""
    discount: str = ""
    commercial: str = ""
    #: Most lines open with a date or a version number: a changelog, a journal.
    log_shaped: bool = False

    @property
    def is_email(self) -> bool:
        shape = (self.greeting, self.signoff, self.link, self.discount)
        weak = sum(bool(mark) for mark in (*shape, self.unsubscribe, self.commercial))
        # Words alone do not make a message: a changelog line may say "lien de
        # désinscription mis à jour, promo Noël". A message has someone addressed,
        # someone signing, somewhere to go or an offer; and a log is no message.
        if self.subject or self.merge_tag:
            return True
        return weak >= 2 and any(shape) and not self.log_shaped

    def evidence(self) -> Text:
        """What was found, in words (``greeting 'bonjour', link``), or ``nothing``."""
        named = [
            (t("Subject: line '{value}'", value=self.subject), self.subject),
            (t("merge tag '{value}'", value=self.merge_tag), self.merge_tag),
            (t("greeting '{value}'", value=self.greeting), self.greeting),
            (t("sign-off '{value}'", value=self.signoff), self.signoff),
            (t("link '{value}'", value=self.link), self.link),
            (t("unsubscribe sentence '{value}'", value=self.unsubscribe), self.unsubscribe),
            (t("discount '{value}'", value=self.discount), self.discount),
            (t("commercial wording '{value}'", value=self.commercial), self.commercial),
        ]
        found = [label for label, value in named if value]
        if not found:
            return t("nothing")
        listed = found[-1]
        for label in reversed(found[:-1]):
            listed = t("{item}, {more}", item=label, more=listed)
        return listed


@dataclass(frozen=True)
class BodyWords:
    """The keyword lists a text is looked at with."""

    greeting: KeywordList
    signoff: KeywordList
    subject_label: KeywordList
    unsubscribe: KeywordList
    commercial: KeywordList


def body_marks(text: str, words: BodyWords) -> BodyMarks:
    """The marks of an e-mail in ``text`` (see the module docstring)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    top = [fold(line) for line in lines[:_TOP_LINES]]
    tag = MERGE_TAG.search(text)
    link = _LINK.search(text)
    discount = _DISCOUNT.search(text)
    return BodyMarks(
        subject=next((t for t in map(_subject(words.subject_label), top) if t), ""),
        merge_tag=tag.group(0)[:40] if tag else "",
        greeting=next((t for t in map(_greeting(words.greeting), top) if t), ""),
        signoff=next(
            (t for line in lines if len(line) <= _SHORT_LINE for t in [_signoff(words, line)] if t),
            "",
        ),
        link=clip(link.group(0), 60) if link else "",
        unsubscribe=words.unsubscribe.search(text) or "",
        discount=discount.group(0) if discount else "",
        commercial=next((t for t in map(words.commercial.search_folded, top) if t), ""),
        log_shaped=_log_shaped(lines),
    )


#: A line opening with a date (``2026-11-30``, ``30/11/2026``) or a version (``v2.3``,
#: ``1.4.0``, ``## 2.1``): an entry of a changelog or a journal.
_DATED_LINE = re.compile(
    r"^(?:[#*\-\s]*)(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\[?v?\d+\.\d+(?:\.\d+)?\b)"
)


_BULLET = re.compile(r"^[-*•]\s")


def _log_shaped(lines: list[str]) -> bool:
    """Dated entries and their bullet points make most of the lines: a changelog."""
    dated = sum(_DATED_LINE.match(line) is not None for line in lines)
    bullets = sum(_BULLET.match(line) is not None for line in lines)
    return len(lines) >= 2 and dated >= 1 and (dated + bullets) * 5 >= len(lines) * 3


def _subject(labels: KeywordList):
    def find(folded: str) -> str:
        label, colon, rest = folded.partition(":")
        if colon and rest.strip() and labels.search_folded(label.strip()) == label.strip():
            return label.strip()
        return ""

    return find


def _greeting(greetings: KeywordList):
    """A greeting opens the line, and the line is short and ends as a greeting does
    (``Bonjour Jeanne,`` ``Hello!`` ``Dear {{ first_name }},`` or the word alone)."""

    def find(folded: str) -> str:
        if len(folded) > _SHORT_LINE:
            return ""
        match = greetings.pattern.match(folded)
        if match is None:
            return ""
        rest = folded[match.end() :].strip()
        return match.group(0) if not rest or rest[-1] in ",!:" else ""

    return find


def _signoff(words: BodyWords, line: str) -> str:
    """A sign-off is the whole line, or the line's start before a comma and a name
    (``Cordialement,`` ``Best regards, Marie``); ``Merci d'avoir téléchargé`` is not."""
    folded = fold(line)
    match = words.signoff.pattern.match(folded)
    if match is None:
        return ""
    rest = folded[match.end() :].strip()
    if not rest or rest[0] in ",!." or re.fullmatch(r"[,!.\s]*", rest):
        return match.group(0)
    return ""
