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

How a label is built, first non-empty source wins: ``<label for=id>``, the wrapping
``<label>``, ``aria-labelledby``, ``aria-label``, the text next to the control
(siblings up to the next control or ``<br>``, else the closest ancestor holding only this
control), ``title``. When that text names no purpose and no consent wording, the
control's ``name`` and ``id`` split into words ("customer[accepts_marketing]" ->
"customer accepts marketing") decide instead. Radios and selects also read their
question (fieldset legend, or the text around the group) so "Oui" under "Recevoir nos
offres ?" is understood.

Checked state is ``on``, ``off`` or ``dynamic``: ``dynamic`` when ``checked`` depends on a
template expression (``{% if ... %}checked{% endif %}``, ``checked="{{ ... }}"``,
``:checked="form.optin"``, ``defaultChecked={x}``) or the ticked input sits inside a
``{% if %}`` / ``{{#if}}`` block, which cannot be judged statically.

The role a control takes from its label is decided in :mod:`mailcheck.analysis.forms.wording`.
The words that decide a form's kind are keyword lists (``form_*``, ``email_field_name``,
``payment_field_name``, ``address_field_name``); providers' widget markup is data
(:mod:`mailcheck.analysis.forms.widgets`).

This module stays long (about 790 lines) because :class:`_Builder` is one walk of the page
whose steps share its indexes (ids, ``<label for>``, names, fieldsets): labels, questions,
states and form kinds read from the same tree and the same caches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mailcheck.analysis.forms.page import Control, FormInfo, FormPage
from mailcheck.analysis.forms.text import clean, name_words
from mailcheck.analysis.forms.widgets import widget_provider
from mailcheck.analysis.forms.wording import Match, control_role, read_text
from mailcheck.analysis.patterns import word_pattern
from mailcheck.context import LintContext
from mailcheck.documents import HtmlDocument, class_names
from mailcheck.i18n import Text, t
from mailcheck.keywords import fold
from mailcheck.lazy import bs4

if TYPE_CHECKING:
    from bs4 import NavigableString, Tag

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
# A script that ticks a box by its id when the page loads: ``getElementById("c").checked =
# true``, ``querySelector("#c").checked = true``, jQuery's ``$("#c").prop("checked", true)``.
_SCRIPT_TICK = re.compile(
    r"""(?:getElementById\(\s*["']([\w:.-]+)["']\s*\)|"""
    r"""querySelector\(\s*["']#([\w:.-]+)["']\s*\))\s*\.\s*checked\s*=\s*(?:true|1|!0)\b"""
    r"""|\$\(\s*["']#([\w:.-]+)["']\s*\)\s*\.\s*(?:prop|attr)\(\s*["']checked["']\s*,"""
    r"""\s*(?:true|["']checked["'])\s*\)"""
)
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$)", re.I
)
_MAX_LABEL = 400


# -- building -------------------------------------------------------------------------------


def analyse(doc: HtmlDocument, ctx: LintContext) -> FormPage:
    """The :class:`FormPage` of ``doc`` (computed once per document and run)."""
    return ctx.memo.get("forms.page", lambda: _Builder(doc, ctx).build(), of=doc)


@dataclass(frozen=True)
class _FormEvidence:
    """What one form's fields, buttons and headings say, read once to decide its kind."""

    field_count: int
    passwords: int
    payment: bool
    address: bool
    textarea: bool
    method: str
    submit: str
    form_attrs: str
    headings: str
    heading_before: str

    @property
    def context(self) -> str:
        return f"{self.submit} {self.form_attrs} {self.headings} {self.heading_before}"


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
        self._script_ticked: set[str] | None = None
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
        """Set the form's kind and evidence: read the fields and texts, then decide."""
        evidence = self._form_evidence(info)
        info.provider = self._provider(info)
        decided = self._distinctive_kind(info, evidence) or self._fallback_kind(info, evidence)
        info.kind, info.evidence = decided

    def _mine(self, info: FormInfo, tags: list[Tag]) -> list[Tag]:
        """``tags`` that belong to ``info``: controls outside any ``<form>`` are judged on
        what is outside the forms too."""
        if info.tag is not None:
            return tags
        return [t for t in tags if t.find_parent("form") is None]

    def _form_evidence(self, info: FormInfo) -> _FormEvidence:
        """What the form's fields, buttons and headings say (sets ``collects_email``)."""
        root = info.tag if info.tag is not None else self.soup
        fields = [
            t
            for t in self._mine(info, root.find_all(_CONTROL_TAGS))
            if str(t.get("type", "")).lower() not in _NOT_FIELDS
        ]
        attrs = lambda t, *names: name_words(*(str(t.get(n, "")) for n in names)).lower()  # noqa: E731
        info.collects_email = any(
            str(t.get("type", "")).lower() == "email"
            or "email" in str(t.get("autocomplete", "")).lower()
            or self._field_word("email_field_name", attrs(t, "name", "id"))
            for t in fields
            if t.name == "input" and str(t.get("type", "text")).lower() in ("email", "text", "")
        )
        passwords = [t for t in fields if str(t.get("type", "")).lower() == "password"]
        autocompletes = " ".join(str(t.get("autocomplete", "")).lower() for t in fields)
        field_names = " ".join(attrs(t, "name", "id") for t in fields)
        # autocomplete tokens are the HTML standard's vocabulary, not words of a language
        payment = "cc-" in autocompletes or self._field_word("payment_field_name", field_names)
        address = re.search(
            r"street|address-line|postal-code|shipping|billing", autocompletes
        ) or self._field_word("address_field_name", field_names)
        submit = " ".join(
            clean(t.get_text(" ")) if t.name == "button" else str(t.get("value", ""))
            for t in self._mine(info, root.find_all(["button", "input"]))
            if t.name == "button" or str(t.get("type", "")).lower() in ("submit", "image")
        )
        form_attrs = (
            name_words(
                *(str(info.tag.get(n, "")) for n in ("id", "name", "action")),
                *class_names(info.tag),
            )
            if info.tag is not None
            else ""
        )
        headings = " ".join(
            clean(t.get_text(" "))
            for t in self._mine(info, root.find_all(["h1", "h2", "h3", "h4", "legend"]))
        )
        heading_before = self._heading_before(info.tag) if info.tag is not None else ""
        return _FormEvidence(
            field_count=len(fields),
            passwords=len(passwords),
            payment=bool(payment),
            address=bool(address),
            textarea=bool(self._mine(info, root.find_all("textarea"))),
            method=str(info.tag.get("method", "")).lower() if info.tag is not None else "",
            submit=submit,
            form_attrs=form_attrs,
            headings=headings,
            heading_before=heading_before,
        )

    def _provider(self, info: FormInfo) -> str | None:
        """The provider whose signup widget the form's markup names, if any."""
        root = info.tag if info.tag is not None else self.soup
        markup = (
            " ".join(
                " ".join(class_names(info.tag)) if n == "class" else str(info.tag.get(n, ""))
                for n in ("action", "id", "class", "name")
            )
            if info.tag is not None
            else ""
        )
        markup += " " + " ".join(
            " ".join(class_names(t)) + " " + str(t.get("id", ""))
            for t in root.find_all(["div"], limit=20)
        )
        return widget_provider(markup)

    def _hit(self, list_name: str, text: str) -> str | None:
        return self.ctx.keywords[list_name].search(text)

    def _field_word(self, list_name: str, words: str) -> bool:
        """A term of ``list_name`` among the lower-cased words of a name/id (as written,
        not folded: ``name_words`` already split them)."""
        return bool(
            word_pattern(self.ctx.keywords[list_name].terms, ignore_case=False).search(words)
        )

    def _distinctive_kind(
        self, info: FormInfo, seen: _FormEvidence
    ) -> tuple[str, str | Text] | None:
        """The kinds a form shows by itself: filter, preference centre, checkout, contest,
        account / login, contact form (the first that applies wins)."""
        hit = self._hit
        checkout_word = hit("form_checkout", f"{seen.submit} {seen.form_attrs}")
        filter_words = word_pattern(self.ctx.keywords["form_filter"].terms)
        if filter_words.search(seen.form_attrs) or (
            seen.method == "get" and not info.collects_email
        ):
            # product filters and search forms: "Promotions" there is a facet, not consent
            return "filter", t("search / filter form")
        if term := hit(
            "form_preferences",
            f"{seen.submit} {seen.headings} {seen.heading_before} {seen.form_attrs}",
        ):
            return "preferences", t('"{term}"', term=term)
        if seen.payment:
            return "checkout", t("payment fields")
        if checkout_word and (
            seen.address or seen.passwords or not info.collects_email or seen.field_count > 3
        ):
            return "checkout", t('"{term}"', term=checkout_word)
        if term := hit("form_contest", seen.context):
            return "contest", t('"{term}"', term=term)
        if seen.passwords:
            login_word = hit("form_login", seen.submit)
            if seen.passwords == 1 and login_word and not hit("form_account", seen.submit):
                return "login", t('"{term}"', term=login_word)
            return "account", t("password field")
        if seen.textarea:
            return "contact", t("message field")
        if term := hit("form_contact", f"{seen.submit} {seen.headings} {seen.form_attrs}"):
            return "contact", t('"{term}"', term=term)
        return None

    def _fallback_kind(self, info: FormInfo, seen: _FormEvidence) -> tuple[str, str | Text]:
        """A provider widget, address fields, another purpose, a passwordless login, a
        newsletter signup, or ``other``."""
        hit = self._hit
        if info.provider and info.collects_email:
            return "newsletter", t("{provider} signup form", provider=info.provider)
        if seen.address and (term := hit("form_checkout", seen.context)):
            return "checkout", t('address fields and "{term}"', term=term)
        if seen.address and seen.field_count > 4:
            return "other", t("address fields")
        if info.collects_email and (term := hit("form_other_purpose", seen.context)):
            return "other", t('"{term}"', term=term)
        if (
            info.collects_email
            and (term := hit("form_login", seen.submit))
            and not hit("form_newsletter", seen.submit)
        ):
            return "login", t('"{term}" (passwordless)', term=term)
        if info.collects_email:
            term = hit("form_newsletter", seen.context)
            return "newsletter", (
                t('"{term}"', term=term) if term else t("an e-mail field and nothing else")
            )
        return "other", ""

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
            control.choice = str(detail).split('" (')[0].strip('"') if state == "on" else ""
        control.answer = self._answer(control)
        self._decidecontrol_role(control)
        return control

    def _decidecontrol_role(self, control: Control) -> None:
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
        control.role = control_role(match)
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

    def _state(self, tag: Tag, kind: str) -> tuple[str, str | Text]:
        state, detail = self._static_state(tag, kind)
        if state == "on" and self._in_condition(tag):
            # {% if user.optin %}<input checked>{% else %}<input>{% endif %}
            return "dynamic", t("{detail} inside a template {{% if %}} block", detail=detail)
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

    def _static_state(self, tag: Tag, kind: str) -> tuple[str, str | Text]:
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
                    return "dynamic", t("checked inside a template condition")
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
            return "dynamic", t("checked inside a template condition")
        ident = tag.get("id")
        if isinstance(ident, str) and ident in self._ticked_by_script():
            return "on", t("ticked by a script when the page loads")
        return "off", ""

    def _ticked_by_script(self) -> set[str]:
        """The ids of the boxes the page's scripts tick (:data:`_SCRIPT_TICK`)."""
        if self._script_ticked is None:
            self._script_ticked = {
                next(group for group in match.groups() if group)
                for script in self.soup.find_all("script")
                for match in _SCRIPT_TICK.finditer(script.get_text())
            }
        return self._script_ticked

    def _select_state(self, tag: Tag) -> tuple[str, str | Text]:
        options = tag.find_all("option")
        if not options:
            return "off", ""
        chosen = [o for o in options if "selected" in o.attrs]
        for option in options:
            raw = self.raw_tag(option)
            if _TEMPLATE.search(raw) and _SELECTED_WORD.search(raw) and option not in chosen:
                return (
                    "dynamic",
                    t(
                        '"{option}" selected inside a template condition',
                        option=clean(option.get_text(" ")),
                    ),
                )
        if tag.get("multiple") is not None:
            return (
                ("on", t('"{option}"', option=clean(chosen[0].get_text(" "))))
                if chosen
                else ("off", "")
            )
        option = chosen[0] if chosen else options[0]
        text = clean(option.get_text(" ")) or str(option.get("value", ""))
        value = str(option.get("value", text))
        if not value.strip() or option.get("disabled") is not None:
            return "off", ""  # a placeholder such as "-- choisir --"
        if chosen:
            return "on", t('"{option}" (selected)', option=text)
        return "on", t('"{option}" (first option, selected by default)', option=text)

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
            name.lower() for name in class_names(tag)
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


def _inside_template(raw: str, word: str) -> bool:
    """True when ``word`` only appears between template tags (``{% if %}checked{% endif %}``)."""
    outside = re.sub(r"\{%.*?%\}.*?\{%\s*end\w*\s*%\}|\{\{.*?\}\}", " ", raw, flags=re.S)
    return not re.search(rf"\b{word}\b", outside, re.I)
