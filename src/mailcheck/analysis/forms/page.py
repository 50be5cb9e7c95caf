"""What the form rules read from a page: one :class:`FormInfo` per ``<form>`` (plus one
for controls outside any form), one :class:`Control` per consent-like control with its
label and state, and the :class:`FormPage` that holds them with its page-wide helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from mailcheck.analysis.forms.text import quote
from mailcheck.analysis.forms.wording import Match
from mailcheck.documents import HtmlDocument
from mailcheck.i18n import Text, t
from mailcheck.keywords import fold
from mailcheck.lazy import bs4

if TYPE_CHECKING:
    from bs4 import Tag


@dataclass(eq=False)
class Control:
    """One checkbox, radio, select, toggle or hidden input and what its label says."""

    tag: Tag
    kind: str  # checkbox, radio, select, toggle, hidden
    line: int
    column: int
    label: str
    label_source: str
    names: str  # name and id split into words
    question: str  # fieldset legend / text around a radio group or select
    state: str  # on, off, dynamic
    state_detail: str | Text  # what set the state (``checked``, option "Oui" ...)
    required: bool
    css_hidden: bool
    match: Match
    choice: str = ""  # the selected option's text (selects)
    answer: str | None = None  # "yes"/"no" for radios, options and "Oui" boxes
    role: str = "other"  # consent, opt-out, terms, refusal, other
    decided_by: str = ""  # the text that made it a consent control
    group_size: int = 1
    form: FormInfo | None = None

    @property
    def marketing(self) -> bool:
        """A consent control about marketing (a purpose, or a channel)."""
        return self.role in ("consent", "opt-out") and bool(
            self.match.purposes or self.match.channels
        )

    @property
    def visible(self) -> bool:
        return self.kind != "hidden" and not self.css_hidden

    def describe(self) -> Text:
        """``checkbox "label"`` for messages (``checkbox "label" (nearby text)`` when the
        label is not a ``<label>``)."""
        text = quote(self.decided_by or self.label or self.names)
        kind = CONTROL_KINDS.get(self.kind, self.kind)
        if self.label_source in ("", "label"):
            return t('{kind} "{label}"', kind=kind, label=text)
        source = LABEL_SOURCES.get(self.label_source, self.label_source)
        return t('{kind} "{label}" ({source})', kind=kind, label=text, source=source)


@dataclass(eq=False)
class FormInfo:
    """One ``<form>`` (``tag`` is ``None`` for controls outside any form)."""

    tag: Tag | None
    line: int
    column: int
    kind: str = "other"
    evidence: str | Text = ""
    provider: str | None = None
    collects_email: bool = False
    controls: list[Control] = field(default_factory=list)

    @property
    def marketing_controls(self) -> list[Control]:
        return [c for c in self.controls if c.marketing and c.visible]

    @property
    def is_marketing(self) -> bool:
        """Collects an address for marketing: a signup form, or marketing boxes."""
        if self.kind in ("preferences", "filter"):
            return False
        return self.collects_email and (self.kind == "newsletter" or bool(self.marketing_controls))

    @property
    def described(self) -> Text:
        """ "a checkout form", "an account form" (for messages)."""
        return FORM_KINDS.get(self.kind) or t("a form")

    @property
    def customer_form(self) -> bool:
        """Checkout and account forms: existing customers (soft opt-in territory)."""
        return self.kind in ("checkout", "account")


@dataclass(eq=False)
class FormPage:
    """Everything the form rules need from one document."""

    doc: HtmlDocument
    forms: list[FormInfo]
    controls: list[Control]

    @cached_property
    def folded_text(self) -> str:
        return fold(self.doc.soup.get_text(" "))

    def position(self, tag: Tag) -> tuple[int, int]:
        return self.doc.body.position(tag)

    def short_text(self, tag: Tag) -> str | None:
        """``tag.get_text(" ")``, or ``None`` when it holds more than
        :data:`SHORT_TEXT` characters that are not spaces (a button or a link, not a
        section). All elements' texts come from one walk of the page: calling
        ``get_text`` on each element walks its descendants again, which is quadratic in
        the nesting depth."""
        return self._short_texts.get(id(tag))

    @cached_property
    def _short_texts(self) -> dict[int, str | None]:
        return short_texts(self.doc.soup)

    def holds_clickable(self, tag: Tag) -> bool:
        """Whether a link or a button is inside ``tag`` (``tag.find(["a", "button"])``,
        answered for all elements by one walk of the page)."""
        return id(tag) in self._clickable_holders

    @cached_property
    def _clickable_holders(self) -> set[int]:
        holders: set[int] = set()
        for tag in reversed(self.doc.soup.find_all(True)):  # children before parents
            if any(
                isinstance(child, bs4.Tag)
                and (child.name in ("a", "button") or id(child) in holders)
                for child in tag.contents
            ):
                holders.add(id(tag))
        return holders


#: A control's kind as messages name it.
CONTROL_KINDS = {
    "checkbox": t("checkbox"),
    "radio": t("radio button"),
    "select": t("drop-down list"),
    "toggle": t("toggle switch"),
    "hidden": t("hidden field"),
}
#: Where a control's label came from, when not a ``<label>`` (attribute names stay).
LABEL_SOURCES = {
    "text": t("its own text"),
    "nearby text": t("nearby text"),
    "name/id": t("its name/id"),
}
#: A form's kind as messages name it.
FORM_KINDS = {
    "checkout": t("a checkout form"),
    "account": t("an account form"),
    "contest": t("a contest form"),
    "contact": t("a contact form"),
    "newsletter": t("a newsletter form"),
    "preferences": t("a preference centre"),
    "login": t("a login form"),
    "filter": t("a search or filter form"),
    "other": t("a form"),
}

#: Characters (not counting spaces) past which :meth:`FormPage.short_text` gives up.
SHORT_TEXT = 140


def short_texts(soup, most: int = SHORT_TEXT) -> dict[int, str | None]:
    """``id(element)`` -> its ``get_text(" ")`` (the strings ``get_text`` joins: plain
    text and CDATA, not comments or script; whitespace-only strings are left out, which
    :func:`clean` makes no difference), ``None`` past ``most`` non-space characters, for
    every element, children before parents. Linear: an element joins at most ``most``
    strings of its children, each holding a character that is not a space."""
    kept = (bs4.NavigableString, bs4.CData)
    found: dict[int, tuple[list[str], int] | None] = {}
    for tag in reversed(soup.find_all(True)):
        pieces: list[str] = []
        length = 0
        for child in tag.contents:
            if isinstance(child, bs4.Tag):
                inner = found.get(id(child))
                if inner is None:
                    length = most + 1
                    break
                pieces.extend(inner[0])
                length += inner[1]
            elif type(child) in kept:
                solid = sum(map(len, child.split()))
                if solid:
                    pieces.append(child)
                    length += solid
            if length > most:
                break
        found[id(tag)] = (pieces, length) if length <= most else None
    return {key: None if value is None else " ".join(value[0]) for key, value in found.items()}
