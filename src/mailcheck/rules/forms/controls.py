"""Finding the consent controls of a form page and what their labels say.

Every form rule (MC301-MC310) starts from :func:`analyse`, which reads a form page once
(the result is cached on the document) and returns a :class:`FormPage`:

* one :class:`FormInfo` per ``<form>`` (plus one for controls outside any ``<form>``, as
  in a widget snippet), with the form's main purpose and the evidence for it:
  ``checkout`` (payment fields, "Commander"/"zahlungspflichtig bestellen"), ``contest``,
  ``account`` / ``login`` (a password field), ``contact`` (a message field, a quote or a
  download), ``newsletter`` (an e-mail field and nothing that says otherwise, or a
  Mailchimp/Brevo/MailerLite/Mailjet widget), ``preferences`` (a preference centre:
  ticks there may be the subscriber's own choices), ``filter`` (search and product-filter
  forms: never consent), ``other``;
* one :class:`Control` per checkbox, radio, select, toggle (``role=switch`` /
  ``role=checkbox``) and hidden input, with the label text that describes it and what
  that text names: consent wording, purposes, channels, terms, opt-out phrasing.

How a label is built (rules.md §2), first non-empty source wins: ``<label for=id>``, the
wrapping ``<label>``, ``aria-labelledby``, ``aria-label``, the text next to the control
(siblings up to the next control or ``<br>``, else the closest ancestor holding only this
control), ``title``. When that text names no purpose and no consent wording, the
control's ``name`` and ``id`` split into words ("customer[accepts_marketing]" ->
"customer accepts marketing") decide instead. Radios and selects also read their
question (fieldset legend, or the text around the group) so "Oui" under "Recevoir nos
offres ?" is understood.

A control's role (:func:`_role`), in this order: ``opt-out`` when worded negatively
(§3.9); ``other`` when it matches non-consent wording ("remember me", "same as billing
address", "facture", §3.10b) and names no purpose; ``consent`` when it names a purpose
(§3.11: newsletter, own offers, partners, profiling); ``terms`` when it only accepts terms
(§3.10a); ``consent`` on strong consent wording ("je consens", "ich willige ein", §3.8);
``terms`` for a privacy-notice acknowledgement; ``consent`` for a generic wish ("je
souhaite", "I want") only together with a channel (SMS, phone...); else ``other``. So "Je
souhaite créer un compte" or "I accept" alone are not consent boxes. "Offers from our
partners" is one purpose; the sender's own offers count beside partners only when the
label says so ("nos offres et celles de nos partenaires", "de la empresa y de terceros").
Keyword lists come from ``ctx.keywords`` (data under ``mailcheck/data/keywords``), never
from here.

Checked state is ``on``, ``off`` or ``dynamic``: ``dynamic`` when ``checked`` depends on a
template expression (``{% if ... %}checked{% endif %}``, ``checked="{{ ... }}"``,
``:checked="form.optin"``, ``defaultChecked={x}``) or the ticked input sits inside a
``{% if %}`` / ``{{#if}}`` block, which cannot be judged statically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from mailcheck.context import LintContext
from mailcheck.documents import HtmlDocument
from mailcheck.keywords import fold
from mailcheck.lazy import bs4

if TYPE_CHECKING:
    from bs4 import NavigableString, Tag

#: Purpose categories (rules.md §3.11) -> keyword list.
PURPOSE_LISTS = {
    "newsletter": "purpose_newsletter",
    "offers": "purpose_offers",
    "partners": "purpose_partners",
    "profiling": "purpose_profiling",
}
#: Channels (rules.md §3.11, "consent per channel") -> keyword list.
CHANNEL_LISTS = {
    "email": "channel_email",
    "SMS": "channel_sms",
    "phone": "channel_phone",
    "post": "channel_post",
    "push": "channel_push",
}
PURPOSE_NAMES = {
    "newsletter": "newsletter",
    "offers": "own offers",
    "partners": "partners / third parties",
    "profiling": "profiling",
}

_CONTROL_TAGS = ("input", "select", "textarea")
_NOT_FIELDS = {"hidden", "submit", "button", "image", "reset"}
_BLOCK_TAGS = (
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "legend",
    "label",
    "li",
    "td",
    "th",
    "fieldset",
    "section",
    "span",
    "strong",
    "b",
)
_TEMPLATE = re.compile(r"\{[{%#]|\{\{-|<%|\$\{")
_CHECKED_WORD = re.compile(r"\bchecked\b", re.I)
#: Opening (group 1) and closing template conditions: Jinja/Twig/Liquid, Handlebars.
_CONDITION = re.compile(
    r"\{%-?\s*(?:(if|unless)\b|(?:endif|endunless)\b)|\{\{\s*(?:(#if|#unless)\b|/(?:if|unless)\b)"
)
_SELECTED_WORD = re.compile(r"\bselected\b", re.I)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NAME_SPLIT = re.compile(r"[\W_]+")
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$)", re.I
)
_WS = re.compile(r"\s+")
_FILTER = re.compile(
    r"\b(filters?|facets?|search|sort|recherche|suche|busca|ricerca|zoeken|pesquisa)\b", re.I
)
_TIGHT_BEFORE = re.compile(r"\s+([),.])")
_TIGHT_AFTER = re.compile(r"([(])\s+")
_MAX_LABEL = 400
_PROVIDERS = {
    "Mailchimp": ("list-manage.com", "mc-embedded-subscribe", "mc_embed_signup"),
    "Brevo": ("sibforms.com", "sib-form", "sendinblue", "brevo"),
    "MailerLite": ("mailerlite", "ml-form", "ml-subscribe"),
    "Mailjet": ("mailjet", "mjt.lu", "mj-w-"),
}


def clean(text: str) -> str:
    """Collapse whitespace (labels are quoted in messages); no space inside brackets or
    before a comma or full stop (``get_text(" ")`` adds them around inline tags)."""
    text = _WS.sub(" ", text).strip()
    return _TIGHT_AFTER.sub(r"\1", _TIGHT_BEFORE.sub(r"\1", text))


def name_words(*values: str) -> str:
    """``name``/``id`` values split into words: ``optinPartners[1]`` -> ``optin partners 1``."""
    words = []
    for value in values:
        value = _CAMEL.sub(" ", value or "")
        words.extend(part for part in _NAME_SPLIT.split(value) if part)
    return " ".join(words)


def original(text: str, folded_term: str) -> str:
    """The words of ``text`` that a folded keyword matched, as written (for messages):
    ``original("Offres personnalisées", "personnalisees")`` -> ``"personnalisées"``."""
    folded: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        piece = " " if _WS.fullmatch(char) or char in "-_\u00a0" else fold(char)
        for folded_char in piece:
            if folded_char == " " and (not folded or folded[-1] == " "):
                continue
            folded.append(folded_char)
            where.append(index)
    at = "".join(folded).find(folded_term)
    if at == -1 or not folded_term:
        return folded_term
    return text[where[at] : where[at + len(folded_term) - 1] + 1]


def quote(text: str, width: int = 90) -> str:
    """A label shortened for a message."""
    text = clean(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@dataclass
class Match:
    """What one piece of text names (folded-text keyword hits)."""

    purposes: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    consent: str | None = None
    weak: str | None = None
    terms: str | None = None
    privacy: str | None = None
    non_consent: str | None = None
    opt_out: str | None = None
    special: str | None = None

    @property
    def says_something(self) -> bool:
        return bool(self.purposes or self.consent or self.opt_out)


def read_text(text: str, ctx: LintContext) -> Match:
    """Classify ``text`` with the form keyword lists."""
    folded = fold(text)
    words = ctx.keywords
    match = Match(
        consent=words["consent"].search_folded(folded),
        weak=words["consent_weak"].search_folded(folded),
        terms=words["terms"].search_folded(folded),
        privacy=words["collection_notice"].search_folded(folded),
        non_consent=words["non_consent"].search_folded(folded),
        opt_out=words["opt_out_wording"].search_folded(folded),
        special=words["special_category"].search_folded(folded),
    )
    match.purposes, match.channels = categorise(folded, ctx)
    return match


def categorise(folded: str, ctx: LintContext) -> tuple[dict[str, str], dict[str, str]]:
    """Purpose categories and channels named in ``folded`` text, with the term that
    matched. A hit inside a longer hit of another list does not count ("publicité
    ciblée" is profiling, not also offers; "direct mail" is post, not also e-mail)."""
    spans: list[tuple[int, int, str, str]] = []
    for category, name in {**PURPOSE_LISTS, **CHANNEL_LISTS}.items():
        for hit in ctx.keywords[name].pattern.finditer(folded):
            spans.append((hit.start(), hit.end(), category, hit.group(0)))
    kept: list[tuple[int, int, str, str]] = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):  # longest first
        if not any(span[0] < other[1] and other[0] < span[1] for other in kept):
            kept.append(span)
    purposes: dict[str, str] = {}
    channels: dict[str, str] = {}
    for _start, _end, category, term in sorted(kept):
        target = purposes if category in PURPOSE_LISTS else channels
        target.setdefault(category, term)
    # "Offers from our partners" is one purpose; the sender's own offers are only
    # bundled in when the label says so ("nos offres et celles de nos partenaires").
    own = ctx.keywords["purpose_own"].search_folded(folded)
    if "partners" in purposes and "offers" in purposes and not own:
        del purposes["offers"]
    if "newsletter" in purposes and channels and "email" not in channels:
        channels = {"email": purposes["newsletter"], **channels}  # a newsletter is e-mail
    return purposes, channels


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
    state_detail: str  # what set the state (``checked``, option "Oui" ...)
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

    def describe(self) -> str:
        """``checkbox "label"`` for messages."""
        text = self.decided_by or self.label or self.names
        where = f" ({self.label_source})" if self.label_source not in ("", "label") else ""
        return f'{self.kind} "{quote(text)}"{where}'


@dataclass(eq=False)
class FormInfo:
    """One ``<form>`` (``tag`` is ``None`` for controls outside any form)."""

    tag: Tag | None
    line: int
    column: int
    kind: str = "other"
    evidence: str = ""
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
    def described(self) -> str:
        """ "a checkout form", "an account form" (for messages)."""
        article = "an" if self.kind[0] in "aeiou" else "a"
        return f"{article} {self.kind} form"

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


# -- building -------------------------------------------------------------------------------


def analyse(doc: HtmlDocument, ctx: LintContext) -> FormPage:
    """The :class:`FormPage` of ``doc`` (computed once per document and run)."""
    cached = doc.meta.get("mailcheck.forms")
    if cached is not None and cached[0] is ctx:
        return cached[1]
    page = _Builder(doc, ctx).build()
    doc.meta["mailcheck.forms"] = (ctx, page)
    return page


class _Builder:
    def __init__(self, doc: HtmlDocument, ctx: LintContext) -> None:
        self.doc = doc
        self.ctx = ctx
        self.soup = doc.soup
        self.by_id: dict[str, Tag] = {}
        self.labels_for: dict[str, list[Tag]] = {}
        for tag in self.soup.find_all(True):
            ident = tag.get("id")
            if isinstance(ident, str) and ident not in self.by_id:
                self.by_id[ident] = tag
            if tag.name == "label" and tag.get("for"):
                self.labels_for.setdefault(str(tag["for"]), []).append(tag)
        self._named: dict[int, dict[tuple[str, str], list[Tag]]] = {}
        self._fieldset_sizes: dict[tuple[int, str], int] = {}
        self._control_counts: dict[int, int] = {}
        self._conditions: list[tuple[int, int]] | None = None
        self.line_starts = [0]
        for index, char in enumerate(doc.text):
            if char == "\n":
                self.line_starts.append(index + 1)

    # -- forms ------------------------------------------------------------------------

    def build(self) -> FormPage:
        forms: list[FormInfo] = []
        form_of: dict[int, FormInfo] = {}
        for tag in self.soup.find_all("form"):
            line, column = self.doc.body.position(tag)
            info = FormInfo(tag, line, column)
            forms.append(info)
            form_of[id(tag)] = info
        loose: FormInfo | None = None
        controls: list[Control] = []
        for tag in self._control_tags():
            control = self._control(tag)
            if control is None:
                continue
            owner = tag.find_parent("form")
            info = form_of.get(id(owner)) if owner is not None else None
            if info is None:
                if loose is None:
                    loose = FormInfo(None, *self.doc.body.position(tag))
                info = loose
            control.form = info
            info.controls.append(control)
            controls.append(control)
        if loose is not None:
            forms.append(loose)
        for info in forms:
            self._classify_form(info)
            if info.kind == "filter":
                for control in info.controls:
                    control.role = "other"
        return FormPage(self.doc, forms, controls)

    def _control_tags(self):
        for tag in self.soup.find_all(True):
            if tag.name == "input":
                kind = str(tag.get("type", "text")).lower()
                if kind in ("checkbox", "radio", "hidden"):
                    yield tag
            elif (
                tag.name == "select"
                or str(tag.get("role", "")).lower() in ("switch", "checkbox")
                and tag.name != "input"
            ):
                yield tag

    def _classify_form(self, info: FormInfo) -> None:
        root = info.tag if info.tag is not None else self.soup

        def mine(tags: list[Tag]) -> list[Tag]:
            # controls outside any <form> are judged on what is outside the forms too
            if info.tag is not None:
                return tags
            return [t for t in tags if t.find_parent("form") is None]

        words = self.ctx.keywords
        fields = [
            t
            for t in mine(root.find_all(_CONTROL_TAGS))
            if str(t.get("type", "")).lower() not in _NOT_FIELDS
        ]
        attrs = lambda t, *names: name_words(*(str(t.get(n, "")) for n in names)).lower()  # noqa: E731
        info.collects_email = any(
            str(t.get("type", "")).lower() == "email"
            or "email" in str(t.get("autocomplete", "")).lower()
            or re.search(r"\b(e ?mail|courriel|mail)\b", attrs(t, "name", "id"))
            for t in fields
            if t.name == "input" and str(t.get("type", "text")).lower() in ("email", "text", "")
        )
        passwords = [t for t in fields if str(t.get("type", "")).lower() == "password"]
        autocompletes = " ".join(str(t.get("autocomplete", "")).lower() for t in fields)
        field_names = " ".join(attrs(t, "name", "id") for t in fields)
        payment = "cc-" in autocompletes or re.search(
            r"\b(card ?number|cardnumber|cc ?number|cvc|cvv|iban|expiry|exp ?date)\b", field_names
        )
        address = re.search(r"street|address-line|postal-code|shipping|billing", autocompletes) or (
            re.search(
                r"\b(street|address|adresse|strasse|zip|postcode|postal|plz|cp|ville|city)\b",
                field_names,
            )
        )
        submit = " ".join(
            clean(t.get_text(" ")) if t.name == "button" else str(t.get("value", ""))
            for t in mine(root.find_all(["button", "input"]))
            if t.name == "button" or str(t.get("type", "")).lower() in ("submit", "image")
        )
        form_attrs = (
            name_words(
                *(str(info.tag.get(n, "")) for n in ("id", "name", "action")),
                *info.tag.get("class", []),
            )
            if info.tag is not None
            else ""
        )
        headings = " ".join(
            clean(t.get_text(" ")) for t in mine(root.find_all(["h1", "h2", "h3", "h4", "legend"]))
        )
        heading_before = self._heading_before(info.tag) if info.tag is not None else ""
        context = f"{submit} {form_attrs} {headings} {heading_before}"
        markup = (
            " ".join(str(info.tag.get(n, "")) for n in ("action", "id", "class", "name"))
            if info.tag is not None
            else ""
        )
        markup += " " + " ".join(
            " ".join(t.get("class", [])) + " " + str(t.get("id", ""))
            for t in root.find_all(["div"], limit=20)
        )
        for provider, hints in _PROVIDERS.items():
            if any(hint in markup.lower() for hint in hints):
                info.provider = provider
                break

        def hit(list_name: str, text: str) -> str | None:
            return words[list_name].search(text)

        checkout_word = hit("form_checkout", f"{submit} {form_attrs}")
        method = str(info.tag.get("method", "")).lower() if info.tag is not None else ""
        textarea = bool(mine(root.find_all("textarea")))
        if _FILTER.search(form_attrs) or (method == "get" and not info.collects_email):
            # product filters and search forms: "Promotions" there is a facet, not consent
            info.kind, info.evidence = "filter", "search / filter form"
        elif term := hit("form_preferences", f"{submit} {headings} {heading_before} {form_attrs}"):
            info.kind, info.evidence = "preferences", f'"{term}"'
        elif payment:
            info.kind, info.evidence = "checkout", "payment fields"
        elif checkout_word and (address or passwords or not info.collects_email or len(fields) > 3):
            info.kind, info.evidence = "checkout", f'"{checkout_word}"'
        elif term := hit("form_contest", context):
            info.kind, info.evidence = "contest", f'"{term}"'
        elif passwords:
            login_word = hit("form_login", submit)
            if len(passwords) == 1 and login_word and not hit("form_account", submit):
                info.kind, info.evidence = "login", f'"{login_word}"'
            else:
                info.kind, info.evidence = "account", "password field"
        elif textarea:
            info.kind, info.evidence = "contact", "message field"
        elif term := hit("form_contact", f"{submit} {headings} {form_attrs}"):
            info.kind, info.evidence = "contact", f'"{term}"'
        elif info.provider and info.collects_email:
            info.kind, info.evidence = "newsletter", f"{info.provider} signup form"
        elif address and (term := hit("form_checkout", context)):
            info.kind, info.evidence = "checkout", f'address fields and "{term}"'
        elif address and len(fields) > 4:
            info.kind, info.evidence = "other", "address fields"
        elif info.collects_email and (term := hit("form_other_purpose", context)):
            info.kind, info.evidence = "other", f'"{term}"'
        elif (
            info.collects_email
            and (term := hit("form_login", submit))
            and not hit("form_newsletter", submit)
        ):
            info.kind, info.evidence = "login", f'"{term}" (passwordless)'
        elif info.collects_email:
            term = hit("form_newsletter", context)
            info.kind = "newsletter"
            info.evidence = f'"{term}"' if term else "an e-mail field and nothing else"
        else:
            info.kind, info.evidence = "other", ""

    def _heading_before(self, tag: Tag) -> str:
        """The heading just before a form (a popup title, a section heading)."""
        node: Tag | None = tag
        for _ in range(3):
            if node is None:
                break
            previous = node.find_previous_sibling(["h1", "h2", "h3", "h4", "p"])
            if previous is not None:
                return clean(previous.get_text(" "))[:200]
            node = node.parent if isinstance(node.parent, bs4.Tag) else None
        return ""

    # -- controls ---------------------------------------------------------------------

    def _control(self, tag: Tag) -> Control | None:
        if tag.name == "input":
            kind = str(tag.get("type", "text")).lower()
        elif tag.name == "select":
            kind = "select"
        else:
            kind = "toggle"
        line, column = self.doc.body.position(tag)
        names = name_words(str(tag.get("name", "")), str(tag.get("id", "")))
        required = self._required(tag)
        if kind == "hidden":
            value = str(tag.get("value", ""))
            return Control(
                tag,
                kind,
                line,
                column,
                label=value,
                label_source="value",
                names=names,
                question="",
                state="on",
                state_detail=f'value="{value}"',
                required=False,
                css_hidden=True,
                match=read_text(names, self.ctx),
            )
        label, source = self._label(tag)
        question = self._question(tag, kind)
        state, detail = self._state(tag, kind)
        control = Control(
            tag,
            kind,
            line,
            column,
            label=label,
            label_source=source,
            names=names,
            question=question,
            state=state,
            state_detail=detail,
            required=required,
            css_hidden=self._css_hidden(tag),
            match=read_text(label, self.ctx),
        )
        control.group_size = self._group_size(tag, kind)
        if kind == "select":
            control.choice = detail.split('" (')[0].strip('"') if state == "on" else ""
        control.answer = self._answer(control)
        self._decide_role(control)
        return control

    def _decide_role(self, control: Control) -> None:
        words = self.ctx.keywords
        match = control.match
        text = control.label
        if control.kind in ("radio", "select", "checkbox") and not match.purposes:
            question = read_text(control.question, self.ctx) if control.question else Match()
            asks = question.purposes or question.consent or question.channels
            own_words = control.kind == "checkbox" and (match.consent or match.opt_out)
            if control.answer and asks and not own_words:
                # "Oui" / "Non" / "Acconsento" under a consent question: read the question.
                if control.answer == "no":
                    control.role = "refusal"
                    return
                answer_text = control.choice or text or str(control.tag.get("value", ""))
                control.match = match = question
                control.decided_by = text = f"{control.question} — {answer_text}".strip(" —")
        if not match.says_something and control.names:
            # No readable wording: the control's name/id decide ("newsletter", "optin").
            by_name = read_text(control.names, self.ctx)
            field_word = words["consent_field_names"].search(control.names)
            if field_word and not words["field_name_exclusions"].search(control.names):
                by_name.consent = by_name.consent or field_word
            if by_name.says_something and not match.non_consent:
                if match.channels and not by_name.channels:
                    by_name.channels = match.channels  # Mailchimp: label "Email", name gdpr[...]
                control.match = match = by_name
                control.decided_by = text or control.names
                control.label_source = control.label_source if text else "name/id"
        control.role = _role(match)
        if control.role in ("consent", "opt-out") and not control.decided_by:
            control.decided_by = text

    def _answer(self, control: Control) -> str | None:
        """``yes``/``no`` for a radio, an option or a checkbox labelled "Oui"."""
        words = self.ctx.keywords
        texts = [control.label, str(control.tag.get("value", ""))]
        if control.kind == "select":
            texts = [control.choice]
        for text in texts:
            folded = fold(text)
            if not folded:
                continue
            if words["answer_no"].pattern.match(folded):
                return "no"
            if words["answer_yes"].pattern.match(folded):
                return "yes"
        return None

    # -- labels -----------------------------------------------------------------------

    def _label(self, tag: Tag) -> tuple[str, str]:
        ident = tag.get("id")
        if isinstance(ident, str) and ident in self.labels_for:
            text = clean(" ".join(label.get_text(" ") for label in self.labels_for[ident]))
            if text:
                return text[:_MAX_LABEL], "label"
        wrapping = tag.find_parent("label")
        if wrapping is not None:
            text = self._text_without_options(wrapping)
            if text:
                return text[:_MAX_LABEL], "label"
        labelledby = str(tag.get("aria-labelledby", "")).split()
        if labelledby:
            text = clean(
                " ".join(self.by_id[i].get_text(" ") for i in labelledby if i in self.by_id)
            )
            if text:
                return text[:_MAX_LABEL], "aria-labelledby"
        if tag.get("aria-label"):
            return clean(str(tag["aria-label"]))[:_MAX_LABEL], "aria-label"
        if tag.name not in ("input", "select") and clean(tag.get_text(" ")):
            return clean(tag.get_text(" "))[:_MAX_LABEL], "text"
        text = self._nearby_text(tag)
        if text:
            return text[:_MAX_LABEL], "nearby text"
        if tag.get("title"):
            return clean(str(tag["title"]))[:_MAX_LABEL], "title"
        return "", ""

    def _text_without_options(self, element: Tag) -> str:
        """Visible text of ``element``, without option lists, scripts and comments."""
        parts = [
            str(piece)
            for piece in element.find_all(string=True)
            if type(piece) is bs4.NavigableString
            and piece.parent is not None
            and piece.parent.name not in ("option", "script", "style", "select", "textarea")
        ]
        return clean(" ".join(parts))

    def _nearby_text(self, tag: Tag) -> str:
        # boxes are labelled after (or before) them, selects before them
        if tag.name == "select":
            text = self._sibling_text(tag, forward=False)
        else:
            text = self._sibling_text(tag, forward=True) or self._sibling_text(tag, forward=False)
        if text:
            return text
        node = tag
        for _ in range(3):
            parent = node.parent
            if not isinstance(parent, bs4.Tag) or parent.name in (
                "form",
                "body",
                "html",
                "[document]",
            ):
                break
            if self._count_controls(parent) > 1:
                break
            text = self._text_without_options(parent)
            if text:
                return text
            node = parent
        return ""

    def _sibling_text(self, tag: Tag, forward: bool) -> str:
        parts: list[str] = []
        siblings = tag.next_siblings if forward else tag.previous_siblings
        for sibling in siblings:
            if isinstance(sibling, bs4.Tag):
                if (
                    sibling.name in ("br", "hr")
                    or sibling.name in _CONTROL_TAGS
                    or sibling.name in ("button", "form")
                ):
                    break
                if self._count_controls(sibling):
                    break
                if sibling.name in ("script", "style"):
                    continue
                parts.append(sibling.get_text(" "))
            elif type(sibling) is bs4.NavigableString:
                parts.append(str(sibling))
            if sum(len(p) for p in parts) > _MAX_LABEL:
                break
        if not forward:
            parts.reverse()
        return clean(" ".join(parts))

    def _count_controls(self, element: Tag) -> int:
        """Visible fields inside ``element`` (cached: the tree does not change)."""
        count = self._control_counts.get(id(element))
        if count is None:
            count = sum(
                1
                for t in element.find_all(_CONTROL_TAGS)
                if str(t.get("type", "")).lower() != "hidden"
            )
            self._control_counts[id(element)] = count
        return count

    def _question(self, tag: Tag, kind: str) -> str:
        """The question a radio group, a select or a box answers: the text around the
        group (its own block, else the text just before it), else the fieldset legend."""
        if kind not in ("radio", "select", "checkbox"):
            return ""
        fieldset = tag.find_parent("fieldset")
        legend = fieldset.find("legend") if fieldset is not None else None
        legend_text = clean(legend.get_text(" "))[:_MAX_LABEL] if legend is not None else ""
        if kind == "select":
            return legend_text
        group = self._same_name(tag, "radio") if kind == "radio" else [tag]
        container = tag.parent
        while isinstance(container, bs4.Tag) and not all(container in g.parents for g in group):
            container = container.parent
        if isinstance(container, bs4.Tag) and self._count_controls(container) == len(group):
            # the block holds only this group: its text minus the options' own labels
            text = self._text_without_options(container)
            for label in {clean(self._label(g)[0]) for g in group}:
                if label:
                    text = text.replace(label, " ")
            if clean(text) and container.name not in ("form", "body", "[document]"):
                return clean(text)[:_MAX_LABEL]
        return self._text_before(group[0]) or legend_text

    def _text_before(self, tag: Tag) -> str:
        """The block of text just before ``tag`` (its question), up to the previous control."""
        start = tag.find_parent("label") or tag
        strings: list[NavigableString] = []
        for element in start.previous_elements:
            if isinstance(element, bs4.Tag):
                if element.name == "form":
                    break
                if element.name in _CONTROL_TAGS or element.name == "button":
                    # drop the previous control's own label text
                    owner = element.find_parent("label") or element.parent
                    strings = [s for s in strings if owner not in s.parents]
                    break
                if element.name in _BLOCK_TAGS and any(clean(s) for s in strings):
                    break
                continue
            if type(element) is bs4.NavigableString and element.parent is not None:
                if element.parent.name in ("option", "script", "style"):
                    continue
                strings.append(element)
                if sum(len(s) for s in strings) > _MAX_LABEL:
                    break
        return clean(" ".join(reversed(strings)))[:_MAX_LABEL]

    def _same_name(self, tag: Tag, kind: str) -> list[Tag]:
        """Inputs of ``kind`` sharing ``tag``'s name in its form (indexed once per form)."""
        scope = tag.find_parent("form") or self.soup
        index = self._named.get(id(scope))
        if index is None:
            index = {}
            for element in scope.find_all("input"):
                key = (str(element.get("type", "text")).lower(), str(element.get("name", "")))
                index.setdefault(key, []).append(element)
            self._named[id(scope)] = index
        return index.get((kind, str(tag.get("name", ""))), [tag]) if tag.get("name") else [tag]

    def _group_size(self, tag: Tag, kind: str) -> int:
        if kind not in ("checkbox", "radio"):
            return 1
        fieldset = tag.find_parent("fieldset")
        if fieldset is not None:
            key = (id(fieldset), kind)
            if key not in self._fieldset_sizes:
                found = fieldset.find_all("input", attrs={"type": kind})
                self._fieldset_sizes[key] = max(1, len(found))
            return self._fieldset_sizes[key]
        return max(1, len(self._same_name(tag, kind)))

    # -- state ------------------------------------------------------------------------

    def raw_tag(self, tag: Tag) -> str:
        """The tag's source text from ``<`` to its closing ``>`` (template blocks skipped)."""
        line = tag.sourceline or 1
        if line - 1 >= len(self.line_starts):
            return ""
        text = self.doc.text
        start = self.line_starts[line - 1] + (tag.sourcepos or 0)
        index, quote_char, end = start, "", min(len(text), start + 4000)
        while index < end:
            char = text[index]
            pair = text[index : index + 2]
            if not quote_char and pair in ("{%", "{{", "{#"):
                close = {"{%": "%}", "{{": "}}", "{#": "#}"}[pair]
                found = text.find(close, index + 2, end)
                index = (found + 2) if found != -1 else end
                continue
            if quote_char:
                if char == quote_char:
                    quote_char = ""
            elif char in "\"'":
                quote_char = char
            elif char == ">" and index > start:
                return text[start : index + 1]
            index += 1
        return text[start:end]

    def _state(self, tag: Tag, kind: str) -> tuple[str, str]:
        state, detail = self._static_state(tag, kind)
        if state == "on" and self._in_condition(tag):
            # {% if user.optin %}<input checked>{% else %}<input>{% endif %}
            return "dynamic", f"{detail} inside a template {{% if %}} block"
        return state, detail

    def _in_condition(self, tag: Tag) -> bool:
        """True when ``tag`` sits inside an open ``{% if %}`` / ``{{#if}}`` block."""
        if self._conditions is None:
            self._conditions = [
                (match.start(), 1 if match.group(1) or match.group(2) else -1)
                for match in _CONDITION.finditer(self.doc.text)
            ]
        if not self._conditions:
            return False
        line = tag.sourceline or 1
        if line - 1 >= len(self.line_starts):
            return False
        offset = self.line_starts[line - 1] + (tag.sourcepos or 0)
        depth = 0
        for position, step in self._conditions:
            if position >= offset:
                break
            depth = max(0, depth + step)
        return depth > 0

    def _static_state(self, tag: Tag, kind: str) -> tuple[str, str]:
        if kind == "select":
            return self._select_state(tag)
        if kind == "toggle":
            value = str(tag.get("aria-checked", tag.get("aria-pressed", ""))).lower()
            if _TEMPLATE.search(value):
                return "dynamic", f'aria-checked="{value}"'
            return ("on", 'aria-checked="true"') if value == "true" else ("off", "")
        raw = self.raw_tag(tag)
        for attr in ("checked", "defaultchecked"):
            if attr in tag.attrs:
                value = str(tag.attrs[attr] or "")
                if _TEMPLATE.search(value) or (
                    value.startswith("{") and value not in ("{true}", "{ true }")
                ):
                    if value.strip("{} ").lower() == "false":
                        return "off", ""
                    return "dynamic", f'{attr}="{value}"'
                if attr == "checked" and _TEMPLATE.search(raw) and _inside_template(raw, "checked"):
                    return "dynamic", "checked inside a template condition"
                return "on", "defaultChecked" if attr == "defaultchecked" else "checked"
        for attr in (":checked", "v-bind:checked", "[checked]", "checked.bind", "th:checked"):
            if attr in tag.attrs:
                value = str(tag.attrs[attr] or "").strip().lower()
                if value == "true":
                    return "on", f'{attr}="true"'
                if value in ("false", ""):
                    return "off", ""
                return "dynamic", f'{attr}="{tag.attrs[attr]}"'
        if _TEMPLATE.search(raw) and _CHECKED_WORD.search(raw):
            return "dynamic", "checked inside a template condition"
        return "off", ""

    def _select_state(self, tag: Tag) -> tuple[str, str]:
        options = tag.find_all("option")
        if not options:
            return "off", ""
        chosen = [o for o in options if "selected" in o.attrs]
        for option in options:
            raw = self.raw_tag(option)
            if _TEMPLATE.search(raw) and _SELECTED_WORD.search(raw) and option not in chosen:
                return (
                    "dynamic",
                    f'"{clean(option.get_text(" "))}" selected inside a template condition',
                )
        if tag.get("multiple") is not None:
            return ("on", f'"{clean(chosen[0].get_text(" "))}"') if chosen else ("off", "")
        option = chosen[0] if chosen else options[0]
        text = clean(option.get_text(" ")) or str(option.get("value", ""))
        value = str(option.get("value", text))
        if not value.strip() or option.get("disabled") is not None:
            return "off", ""  # a placeholder such as "-- choisir --"
        how = "selected" if chosen else "first option, selected by default"
        return "on", f'"{text}" ({how})'

    def _required(self, tag: Tag) -> bool:
        if "required" in tag.attrs:
            return str(tag.attrs["required"]).lower() not in ("false", "{false}")
        for attr in (
            "aria-required",
            "data-required",
            "data-parsley-required",
            "data-rule-required",
        ):
            if str(tag.get(attr, "")).lower() in ("true", "required", "1"):
                return True
        return bool(tag.get("data-val-required")) or "required" in [
            str(c).lower() for c in tag.get("class", [])
        ]

    def _css_hidden(self, tag: Tag) -> bool:
        """Hidden by inline style or the ``hidden`` attribute. A control hidden itself but
        with a ``<label for>`` is a custom-styled box the user sees through its label."""
        node: Tag | None = tag
        while isinstance(node, bs4.Tag) and node.name not in ("form", "body", "html"):
            hidden = node.get("hidden") is not None or _HIDDEN_STYLE.search(
                str(node.get("style", ""))
            )
            if node is not tag and str(node.get("aria-hidden", "")).lower() == "true":
                hidden = True
            if hidden:
                if node is tag and tag.get("id") and self.labels_for.get(str(tag["id"])):
                    return any(self._css_hidden(label) for label in self.labels_for[str(tag["id"])])
                return True
            node = node.parent
        return False


def _role(match: Match) -> str:
    """consent / opt-out / terms / other, from what a label says (see module docstring)."""
    if match.opt_out:
        return "opt-out"
    if match.non_consent and not match.purposes:
        return "other"
    if match.purposes:
        return "consent"
    if match.terms:
        return "terms"
    if match.consent:
        return "consent"  # e.g. "je consens au traitement de mes données"
    if match.privacy:
        return "terms"
    if match.weak and match.channels:
        return "consent"  # "je souhaite être contacté par téléphone"
    return "other"


def _inside_template(raw: str, word: str) -> bool:
    """True when ``word`` only appears between template tags (``{% if %}checked{% endif %}``)."""
    outside = re.sub(r"\{%.*?%\}.*?\{%\s*end\w*\s*%\}|\{\{.*?\}\}", " ", raw, flags=re.S)
    return not re.search(rf"\b{word}\b", outside, re.I)
