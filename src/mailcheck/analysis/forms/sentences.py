"""Implied consent in the text around a form: "by clicking Order you agree to receive
our offers" (submitting a form is no clear affirmative act of consent: GDPR art. 4(11),
recital 32). Shared by MC303 (consent implied by submitting) and MC308 (partners named in
such a sentence)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mailcheck.analysis.forms.page import FormInfo, FormPage
from mailcheck.analysis.forms.text import clean
from mailcheck.analysis.forms.wording import categorise
from mailcheck.context import LintContext
from mailcheck.keywords import fold
from mailcheck.lazy import bs4

if TYPE_CHECKING:
    from bs4 import Tag

_BLOCKS = (
    "p",
    "div",
    "span",
    "small",
    "label",
    "li",
    "td",
    "section",
    "footer",
    "legend",
    "em",
    "strong",
    "i",
    "b",
)
_SENTENCE_END = re.compile(r"[.!?;]\s|[.!?;]$")


@dataclass(eq=False)
class ImpliedSentence:
    """A sentence that makes submitting the form a consent to ``purposes``."""

    tag: Tag
    form: FormInfo
    text: str
    trigger: str
    purposes: dict[str, str]
    channels: dict[str, str]


def implied_consent(page: FormPage, ctx: LintContext) -> list[ImpliedSentence]:
    """Every implied-consent sentence of the page, once each, on its form (once per page)."""
    return ctx.memo.get("forms.implied", lambda: _implied_sentences(page, ctx), of=page.doc)


def _implied_sentences(page: FormPage, ctx: LintContext) -> list[ImpliedSentence]:
    triggers = ctx.keywords["implied_consent"]
    found: list[ImpliedSentence] = []
    seen: set[int] = set()
    for form in page.forms:
        roots = (
            [form.tag, *form.tag.find_next_siblings(limit=2)]
            if form.tag is not None
            else [page.doc.soup]
        )
        candidates: list[ImpliedSentence] = []
        for root in roots:
            if not isinstance(root, bs4.Tag) or not triggers.search(root.get_text(" ")):
                continue
            for element in [root, *root.find_all(_BLOCKS)]:
                folded = fold(element.get_text(" "))
                if not triggers.search_folded(folded):
                    continue
                for sentence in _SENTENCE_END.split(folded):
                    trigger = triggers.search_folded(sentence)
                    if not trigger:
                        continue
                    tail = sentence[sentence.find(trigger) :]
                    purposes, channels = categorise(tail, ctx)
                    if "partners" in purposes and ctx.keywords["processor"].search_folded(tail):
                        del purposes["partners"]  # "transferred to our provider": a processor
                    if purposes:
                        candidates.append(
                            ImpliedSentence(
                                element,
                                form,
                                clean(element.get_text(" ")),
                                trigger,
                                purposes,
                                channels,
                            )
                        )
                        break
        elements = {id(c.tag) for c in candidates}
        for candidate in candidates:
            # keep the innermost element holding the whole sentence
            if any(id(inner) in elements for inner in candidate.tag.find_all(_BLOCKS)):
                continue
            if id(candidate.tag) in seen:
                continue
            seen.add(id(candidate.tag))
            found.append(candidate)
    return found
