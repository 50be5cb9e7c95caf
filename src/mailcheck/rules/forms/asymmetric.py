"""MC310 asymmetric-choice: a shaming or belittled refusal next to a prominent accept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mailcheck.analysis.forms.builder import analyse
from mailcheck.analysis.forms.text import clean, original, quote
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import Text, t
from mailcheck.keywords import fold
from mailcheck.lazy import bs4
from mailcheck.rule import Rule

if TYPE_CHECKING:
    from bs4 import Tag

_FONT_SIZE = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)\s*(px|pt|em|rem|%)", re.I)
_OPACITY = re.compile(r"opacity\s*:\s*(0?\.\d+|0)\b", re.I)
_CHOICES = ("a", "button", "input", "span", "div", "small", "p")


def _small(tag: Tag) -> str | Text | None:
    """Why the refusal is visually belittled (inline styles and <small> only)."""
    node: Tag | None = tag
    for _ in range(3):
        if not isinstance(node, bs4.Tag):
            break
        if node.name == "small":
            return t("<small> text")
        style = str(node.get("style", ""))
        size = _FONT_SIZE.search(style)
        if size:
            value, unit = float(size.group(1)), size.group(2).lower()
            pixels = {
                "px": value,
                "pt": value * 4 / 3,
                "em": value * 16,
                "rem": value * 16,
                "%": value * 0.16,
            }[unit]
            if pixels <= 11:
                return f"font-size {size.group(1)}{unit}"
        opacity = _OPACITY.search(style)
        if opacity and float(opacity.group(1)) <= 0.6:
            return f"opacity {opacity.group(1)}"
        node = node.parent
    return None


class AsymmetricChoice(Rule):
    """## What it does
    Finds refusal options that steer the user: a decline text that shames ("Non merci, je
    préfère payer plein tarif", "No thanks, I hate saving money"), or a refusal link made
    tiny or faded by inline style (`font-size` of 11px or less, `opacity` 0.6 or less,
    `<small>`) next to an accept button. Info level: styles in external CSS cannot be
    seen, so a plain "No thanks" link is not reported.

    ## Why it matters
    Consent must be free and refusing must be as easy as accepting. The CNIL fined FORIOU
    (SAN-2024-003) for highlighted accept buttons with small refusal links; EDPB
    Guidelines 03/2022 on deceptive design patterns name "confirmshaming" and
    unbalanced choices.

    ## Example
    ```html
    <button type="submit">Oui, je veux -10 %</button>
    <a href="#" class="close">Non merci, je préfère payer plein tarif</a>
    ```

    ## Fix
    Offer the refusal as a button of the same size and weight, worded neutrally ("Non
    merci").
    """

    code = "MC310"
    name = "asymmetric-choice"
    severity = Severity.INFO
    kinds = frozenset({Kind.FORM})
    reference = "GDPR art. 4(11), 7(3); CNIL SAN-2024-003 (FORIOU); EDPB Guidelines 03/2022"
    fix = "Show the refusal as a neutral button with the same prominence as the accept button."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        page = analyse(doc, ctx)  # type: ignore[arg-type]
        refusal = ctx.keywords["refusal"]
        shaming = ctx.keywords["confirmshaming"]
        reported: set[int] = set()
        for tag in page.doc.soup.find_all(_CHOICES):
            if tag.name == "input" and str(tag.get("type", "")).lower() not in ("submit", "button"):
                continue
            short = str(tag.get("value", "")) if tag.name == "input" else page.short_text(tag)
            text = clean(short) if short is not None else ""
            if not text or len(text) > 140:
                continue
            folded = fold(text)
            start = refusal.pattern.match(folded)
            if not start:
                continue
            if tag.name in ("span", "div", "small", "p") and page.holds_clickable(tag):
                continue  # the clickable element inside is judged instead
            # Tags come in document order: what was reported is before or above this one.
            if any(id(parent) in reported for parent in tag.parents):
                continue
            shame = shaming.search_folded(folded)
            if shame:
                reason = t('the refusal shames the person ("{words}")', words=original(text, shame))
            else:
                small = _small(tag)
                if small is None or not self._accept_button_near(tag):
                    continue
                reason = t("the refusal is made small ({how}) next to an accept button", how=small)
            reported.add(id(tag))
            line, column = page.position(tag)
            yield self.finding(
                doc,
                t('unbalanced choice "{label}": {reason}', label=quote(text), reason=reason),
                line=line,
                column=column,
                data={"label": text},
            )

    @staticmethod
    def _accept_button_near(tag: Tag) -> bool:
        node = tag.parent
        for _ in range(4):
            if not isinstance(node, bs4.Tag):
                return False
            if node.find("button") or node.find(
                "input", attrs={"type": re.compile("^submit$", re.I)}
            ):
                return True
            node = node.parent
        return False
