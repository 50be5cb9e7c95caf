"""A small CSS cascade for e-mail HTML, parsed with tinycss2: simple ``<style>`` rules on
tag, class and id
(``@media`` and other at-rules left out: what they hold applies to some screens only),
specificity and order, ``!important``, then inline ``style`` -- the properties declared on
one element, resolved once per element and cached per body."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import tinycss2

from mailcheck.analysis.body import tag_index
from mailcheck.analysis.mjml import MjmlAttributes, mjml_attributes
from mailcheck.documents import class_names
from mailcheck.lazy import bs4

if TYPE_CHECKING:
    from bs4 import Tag

    from mailcheck.context import LintContext
    from mailcheck.documents import Body

_COMPOUND = re.compile(r"^([a-z][a-z0-9]*)?((?:[.#][-\w]+)*)$", re.I)
_IGNORED_PSEUDO = re.compile(r":(link|visited)\b", re.I)


#: Declaration blocks already parsed, by their text: e-mail editors repeat the same
#: inline ``style`` on every cell and button of a template, and every template of a
#: sender shares them. Only short blocks are kept (a ``url(data:...)`` image is not).
_DECLARATIONS: dict[str, dict[str, tuple[str, bool]]] = {}
_DECLARATIONS_KEPT = 4096
_DECLARATION_SIZE_KEPT = 2048


def parse_declarations(style: str) -> dict[str, tuple[str, bool]]:
    """``prop -> (value, important)`` of a declaration block or ``style`` attribute, read
    with a CSS parser (tinycss2): a semicolon inside ``url(data:...;base64,...)`` or a
    string does not end the declaration, comments are dropped, broken declarations are
    skipped as a browser skips them. The dict may be shared by every caller asking for
    the same text: read it, never change it."""
    known = _DECLARATIONS.get(style)
    if known is not None:
        return known
    result = _parse_declarations(style)
    if len(style) <= _DECLARATION_SIZE_KEPT:
        if len(_DECLARATIONS) >= _DECLARATIONS_KEPT:
            _DECLARATIONS.clear()
        _DECLARATIONS[style] = result
    return result


def _parse_declarations(style: str) -> dict[str, tuple[str, bool]]:
    result: dict[str, tuple[str, bool]] = {}
    for item in tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True):
        if item.type != "declaration":
            continue
        value = tinycss2.serialize(item.value).strip()
        result[item.lower_name] = (value, bool(item.important))
    return result


@functools.lru_cache(maxsize=32)
def _style_rules(css: str) -> tuple[tuple[str, str], ...]:
    """``(selector list, declaration block)`` of each plain rule of a stylesheet.
    ``@media``/``@supports``/``@font-face``... are left out: what they hold is
    conditional (mobile, dark mode) and not what every client shows. Kept for the
    last few stylesheets: the templates of one sender share theirs."""
    rules = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        rules.append((tinycss2.serialize(rule.prelude), tinycss2.serialize(rule.content)))
    return tuple(rules)


@dataclass
class CssRule:
    compounds: list[tuple[str | None, set[str], str | None]]  # (tag, classes, id), outer -> inner
    specificity: tuple[int, int, int]
    order: int
    declarations: dict[str, tuple[str, bool]]


def _parse_compound(text: str) -> tuple[str | None, set[str], str | None] | None:
    match = _COMPOUND.match(text)
    if not match or not text:
        return None
    tag = match.group(1).lower() if match.group(1) else None
    classes: set[str] = set()
    ident = None
    for part in re.findall(r"[.#][-\w]+", match.group(2) or ""):
        if part[0] == ".":
            classes.add(part[1:])
        else:
            ident = part[1:]
    return tag, classes, ident


#: Elements the MJML compiler writes inside a component: ``.tiny div`` in an
#: ``<mj-style>`` styles the ``<div>`` that ``<mj-text css-class="tiny">`` becomes.
_RENDERED_INSIDE = frozenset({"div", "td", "tr", "th", "table", "tbody", "p", "span"})


class Styles:
    """Resolved CSS of one HTML body: simple ``<style>`` rules plus inline styles. For an
    MJML source (``mjml``), ``<mj-style>`` rules too, ``css-class`` names count as
    classes, and each component's attributes as its inline style."""

    def __init__(self, styles: list[Tag], mjml: MjmlAttributes | None = None) -> None:
        self.mjml = mjml
        self.by_key: dict[str, list[CssRule]] = {}
        self._computed: dict[int, dict[str, str]] = {}
        order = 0
        for style in styles:
            for selectors, block in _style_rules(style.get_text()):
                declarations = parse_declarations(block)
                if not declarations:
                    continue
                for selector in selectors.split(","):
                    selector = _IGNORED_PSEUDO.sub("", selector.strip()).replace(">", " ")
                    if not selector or any(c in selector for c in "[]+~*:()"):
                        continue
                    parts = selector.split()
                    while mjml is not None and len(parts) > 1 and parts[-1] in _RENDERED_INSIDE:
                        parts.pop()  # applies to the component that renders that element
                    compounds = [_parse_compound(p) for p in parts]
                    if not compounds or any(c is None for c in compounds):
                        continue
                    ids = sum(1 for c in compounds if c[2])  # type: ignore[index]
                    classes = sum(len(c[1]) for c in compounds)  # type: ignore[index]
                    tags = sum(1 for c in compounds if c[0])  # type: ignore[index]
                    order += 1
                    rule = CssRule(compounds, (ids, classes, tags), order, declarations)  # type: ignore[arg-type]
                    tag, cls, ident = compounds[-1]  # type: ignore[misc]
                    key = f"#{ident}" if ident else (f".{sorted(cls)[0]}" if cls else (tag or "*"))
                    self.by_key.setdefault(key, []).append(rule)

    def _classes(self, element: Tag) -> list[str]:
        own = class_names(element)
        if self.mjml is not None:
            own = [*own, *self.mjml.css_classes(element)]
        return own

    def _matches(self, compound, element: Tag) -> bool:
        tag, classes, ident = compound
        if tag and element.name != tag:
            return False
        if ident and element.get("id") != ident:
            return False
        return not classes or classes.issubset(self._classes(element))

    def _rule_matches(self, rule: CssRule, element: Tag) -> bool:
        if not self._matches(rule.compounds[-1], element):
            return False
        ancestor = element.parent
        for compound in reversed(rule.compounds[:-1]):
            while (
                ancestor is not None
                and isinstance(ancestor, bs4.Tag)
                and not self._matches(compound, ancestor)
            ):
                ancestor = ancestor.parent
            if (
                ancestor is None
                or not isinstance(ancestor, bs4.Tag)
                or ancestor.name == "[document]"
            ):
                return False
            ancestor = ancestor.parent
        return True

    def declared(self, element: Tag) -> dict[str, str]:
        """Properties declared on ``element`` itself (stylesheet rules, then inline)."""
        key = id(element)
        cached = self._computed.get(key)
        if cached is not None:
            return cached
        candidates: list[CssRule] = []
        if self.by_key:
            keys = [element.name, "*"]
            ident = element.get("id")
            if ident:
                keys.append(f"#{ident}")
            keys.extend(f".{c}" for c in self._classes(element))
            for k in keys:
                candidates.extend(
                    r for r in self.by_key.get(k, ()) if self._rule_matches(r, element)
                )
        normal: dict[str, str] = {}
        important: dict[str, str] = {}
        for rule in sorted(candidates, key=lambda r: (r.specificity, r.order)):
            for prop, (value, is_important) in rule.declarations.items():
                (important if is_important else normal)[prop] = value
        if self.mjml is not None:  # the component's attributes: inline in the HTML it becomes
            normal.update(self.mjml.declared(element))
        inline = element.get("style")
        if inline:
            for prop, (value, _imp) in parse_declarations(str(inline)).items():
                normal[prop] = value
        normal.update(important)
        self._computed[key] = normal
        return normal


def styles_of(body: Body, ctx: LintContext) -> Styles:
    """The body's stylesheets (and an MJML source's attributes), parsed once."""
    return ctx.memo.get(
        "css.styles",
        lambda: Styles(tag_index(body, ctx).styles, mjml_attributes(body.soup, body.text)),
        of=body,
    )
