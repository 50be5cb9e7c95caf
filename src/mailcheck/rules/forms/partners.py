"""MC308 partners-unnamed: consent to "partners" with no list of who they are."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mailcheck.analysis.forms.builder import analyse
from mailcheck.analysis.forms.page import FormPage
from mailcheck.analysis.forms.sentences import implied_consent
from mailcheck.analysis.forms.text import original, quote
from mailcheck.analysis.patterns import substring_pattern
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind, class_names
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.keywords import fold
from mailcheck.lazy import bs4
from mailcheck.rule import Rule

if TYPE_CHECKING:
    from bs4 import Tag

#: "partners (Acme, Foo)" / "partenaires : Acme, Foo" -- names right after the word.
_NAMES_AFTER = re.compile(r"\s*[(:]\s*\S+[^)]*,")


def _partner_markup(ctx: LintContext) -> re.Pattern[str]:
    """The ``partner_markup`` stems, found anywhere in an href, id or class, any case."""
    return substring_pattern(ctx.keywords["partner_markup"].terms, ignore_case=True)


def named_nearby(element: Tag | None, term: str, text: str, ctx: LintContext) -> bool:
    """Partners listed in the label ("partenaires : A, B") or a link to the list next to it."""
    folded = fold(text)
    at = folded.find(term)
    if at != -1 and _NAMES_AFTER.match(folded[at + len(term) :]):
        return True
    markup = _partner_markup(ctx)
    node = element
    for _ in range(3):
        if not isinstance(node, bs4.Tag):
            break
        for anchor in node.find_all("a"):
            words = f"{anchor.get_text(' ')} {anchor.get('href', '')} {anchor.get('title', '')}"
            if ctx.keywords["partners_named"].search(words) or markup.search(words):
                return True
        node = (
            node.parent if isinstance(node.parent, bs4.Tag) and node.parent.name != "form" else None
        )
    return False


def named_on_page(page: FormPage, ctx: LintContext) -> bool:
    """A partner list on the page: a link "liste de nos partenaires" or to a partners
    page, or an element whose id/class says partners holding several items or logos."""
    markup = _partner_markup(ctx)
    for anchor in page.doc.soup.find_all("a"):
        if ctx.keywords["partners_named"].search(anchor.get_text(" ")):
            return True
        if markup.search(str(anchor.get("href", ""))):
            return True  # a page of partners: /partenaires, /partners.html
    for element in page.doc.soup.find_all(True):
        marker = " ".join([str(element.get("id", "")), *class_names(element)])
        if markup.search(marker) and len(element.find_all(["li", "img"])) >= 2:
            return True
    return False


class PartnersUnnamed(Rule):
    """## What it does
    Finds consent to share data with, or receive offers from, "partners", "third
    parties", "sociétés partenaires", "Partnerunternehmen"... when the partners are not
    named: no names in the label ("nos partenaires : A, B, C"), no link to a partner
    list next to the control, no partner list on the page. Checks consent boxes and
    "by subscribing you agree to receive offers from our partners" sentences.

    ## Why it matters
    Consent is informed only if the person knows who will rely on it (GDPR art. 4(11),
    recital 42; EDPB Guidelines 05/2020 §3.3.1: the identity of each controller). The
    CNIL fined Groupe Canal+ (SAN-2023-015) and Solocal (SAN-2025-001) because the list
    of partners was not available when consent was collected (recommendation of 28
    December 2018 on transmitting prospects' data to partners).

    ## Example
    ```html
    <label><input type="checkbox" name="partners">
      J'accepte de recevoir les offres de nos partenaires</label>
    ```

    ## Fix
    Link the list next to the box: `... de nos partenaires (<a href="/partenaires">voir
    la liste</a>)`, keep it up to date, and record which list was shown.
    """

    code = "MC308"
    name = "partners-unnamed"
    severity = Severity.WARNING
    kinds = frozenset({Kind.FORM})
    reference = "GDPR art. 4(11), recital 42; EDPB 05/2020 §3.3.1; CNIL SAN-2023-015, SAN-2025-001"
    fix = "Name the partners or link their list right next to the consent box."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        page = analyse(doc, ctx)  # type: ignore[arg-type]
        candidates = []
        for control in page.controls:
            if (
                control.role == "consent"
                and control.visible
                and "partners" in control.match.purposes
            ):
                container = control.tag.find_parent("label") or control.tag.parent
                candidates.append(
                    (
                        control.line,
                        control.column,
                        container,
                        control.match.purposes["partners"],
                        control.decided_by,
                        control.describe(),
                    )
                )
        for sentence in implied_consent(page, ctx):
            if "partners" in sentence.purposes:
                line, column = page.position(sentence.tag)
                candidates.append(
                    (
                        line,
                        column,
                        sentence.tag,
                        sentence.purposes["partners"],
                        sentence.text,
                        t('sentence "{sentence}"', sentence=quote(sentence.text)),
                    )
                )
        if not candidates or named_on_page(page, ctx):
            return
        for line, column, element, term, text, described in candidates:
            if named_nearby(element, term, text, ctx):
                continue
            yield self.finding(
                doc,
                t(
                    'consent to "{words}" in {control}: the partners are not named and their '
                    "list is not linked",
                    words=original(text, term),
                    control=described,
                ),
                line=line,
                column=column,
                data={"label": text},
            )
