"""MC309 special-category-field: a marketing signup asking for art. 9 data."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck.analysis.forms.builder import analyse
from mailcheck.analysis.forms.text import clean, name_words, original, quote
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.keywords import fold
from mailcheck.rule import Rule

_FIELDS = ("input", "select", "textarea")
_SKIP_TYPES = {"hidden", "submit", "button", "image", "reset", "email", "password", "tel", "date"}


class SpecialCategoryField(Rule):
    """## What it does
    On a marketing signup (a newsletter form, or any form with a marketing consent box),
    finds fields that ask for special categories of data (GDPR art. 9): health,
    pregnancy, disability, religion, political opinion, trade-union membership, sexual
    orientation, ethnic origin, biometric or genetic data (list: `special_category`),
    when no separate consent box mentions that data explicitly. Checkbox and radio
    groups are judged on their question, not on each option, so an interest list
    ("Mode, Santé, Sport") is only reported when its own question names such data.

    ## Why it matters
    Processing special categories is forbidden unless an exception applies; for
    marketing that is explicit consent to that processing (GDPR art. 9(2)(a)), separate
    from the newsletter consent. Dietary preferences or a pharmacy's own services may
    have other bases: check before dismissing.

    ## Example
    ```html
    <label for="health">Avez-vous des problèmes de santé ?</label>
    <input id="health" name="health">
    ```

    ## Fix
    Drop the field, or add a separate unticked box: "J'accepte que mes données de santé
    soient utilisées pour ..." and make the field optional.
    """

    code = "MC309"
    name = "special-category-field"
    severity = Severity.WARNING
    kinds = frozenset({Kind.FORM})
    reference = "GDPR art. 9(1), 9(2)(a)"
    fix = (
        "Remove the field, or ask explicit, separate consent for this data and make the "
        "field optional."
    )

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        page = analyse(doc, ctx)  # type: ignore[arg-type]
        special = ctx.keywords["special_category"]
        controls = {id(c.tag): c for c in page.controls}
        for form in page.forms:
            if not form.is_marketing and not (
                form.kind in ("newsletter", "contest") or form.marketing_controls
            ):
                continue
            if any(c.role == "consent" and c.match.special for c in form.controls):
                continue  # an explicit consent for that data exists
            root = form.tag if form.tag is not None else page.doc.soup
            groups_seen: set[str] = set()
            for tag in root.find_all(_FIELDS):
                kind = str(tag.get("type", "text")).lower() if tag.name == "input" else tag.name
                if kind in _SKIP_TYPES:
                    continue
                control = controls.get(id(tag))
                if control is not None and control.role in ("consent", "opt-out", "terms"):
                    continue
                if (
                    control is not None
                    and control.kind in ("checkbox", "radio")
                    and control.group_size > 1
                ):
                    key = f"{control.kind}:{tag.get('name') or control.question}"
                    if key in groups_seen:
                        continue
                    groups_seen.add(key)
                    text = control.question
                elif control is not None:
                    text = control.label
                else:
                    text = _field_label(page, tag)
                text = (
                    f"{text} ({name_words(str(tag.get('name', '')))})"
                    if text
                    else name_words(str(tag.get("name", "")))
                )
                hit = special.search_folded(fold(text))
                if not hit:
                    continue
                line, column = page.position(tag)
                yield self.finding(
                    doc,
                    t(
                        'marketing signup asks for sensitive data ("{words}") in the field '
                        '"{field}" without a separate, explicit consent for it',
                        words=original(text, hit),
                        field=quote(clean(text)),
                    ),
                    line=line,
                    column=column,
                    data={"label": text, "term": hit},
                )


def _field_label(page, tag) -> str:
    """Label of a plain field (text input, textarea): ``<label for>``, wrapping label,
    ``aria-label``, ``placeholder``."""
    ident = tag.get("id")
    if ident:
        label = page.doc.soup.find("label", attrs={"for": ident})
        if label is not None:
            return clean(label.get_text(" "))
    wrapping = tag.find_parent("label")
    if wrapping is not None:
        return clean(wrapping.get_text(" "))
    for attr in ("aria-label", "placeholder", "title"):
        if tag.get(attr):
            return clean(str(tag[attr]))
    previous = tag.find_previous_sibling()
    if previous is not None and previous.name in ("span", "p", "div", "strong", "b"):
        return clean(previous.get_text(" "))
    return ""
