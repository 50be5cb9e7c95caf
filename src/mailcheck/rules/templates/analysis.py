"""Shared analysis of what a recipient reads, computed once per body and reused by every
MC1xx / MC32x rule.

* :func:`unsubscribe_routes` -- every opt-out route of a body (links scored by text,
  ``title``/``aria-label``/image ``alt``, URL, the sentence around a generic "click here";
  provider merge tags; plain-text "reply STOP" / "send an e-mail to" instructions), each
  with its position, target problems and visibility;
* :class:`Styles` -- a small CSS resolver for e-mail HTML (inline styles, simple ``<style>``
  rules on tag/class/id, legacy ``bgcolor``/``<font>`` attributes, inheritance) that decides
  whether an element is hidden or its colour is too close to its background;
* :func:`message_kind` -- marketing or transactional (config, ``<!-- mailcheck: kind ... -->``
  comment, headers, vocabulary vote).

Everything is cached on the :class:`~mailcheck.documents.Body` (parsed once, styles resolved
once per document), so twenty rules cost one parse.
"""

from __future__ import annotations

import ipaddress
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mailcheck.context import GENERIC, TagMatcher
from mailcheck.keywords import COMBINING_MARKS, fold
from mailcheck.lazy import bs4

if TYPE_CHECKING:
    from bs4 import Tag

    from mailcheck.context import LintContext
    from mailcheck.documents import Body, Document

# -- text folding ---------------------------------------------------------------------------


def cached_on(body: Body, key: str, ctx: LintContext, compute):
    """Per-body cache that is invalidated when the run (``ctx``) changes."""
    store = body.__dict__.setdefault("_mailcheck_cache", {})
    entry = store.get(key)
    if entry is not None and entry[0] is ctx:
        return entry[1]
    value = compute()
    store[key] = (ctx, value)
    return value


def body_text(body: Body) -> str:
    """The text a recipient reads (tags, scripts, styles and comments removed)."""
    store = body.__dict__.setdefault("_mailcheck_cache", {})
    if "text" not in store:
        store["text"] = body.soup.get_text(" ") if body.soup is not None else body.text
    return store["text"]


def folded_text(body: Body) -> str:
    store = body.__dict__.setdefault("_mailcheck_cache", {})
    if "folded" not in store:
        store["folded"] = fold(body_text(body))
    return store["folded"]


@dataclass
class TagIndex:
    """The elements the rules look at, collected in one walk of the tree."""

    anchors: list[Tag] = field(default_factory=list)  # a, area, <unsubscribe>, <preferences>
    images: list[Tag] = field(default_factory=list)
    styles: list[Tag] = field(default_factory=list)
    headings: list[Tag] = field(default_factory=list)  # title, then the first h1/h2
    images_in: dict[int, list[Tag]] = field(default_factory=dict)  # id(anchor) -> its images


_ANCHOR_NAMES = frozenset({"a", "area", "unsubscribe", "preferences"})
#: Elements that carry an ``href`` without being links themselves.
_NOT_LINKS = frozenset({"link", "base"})


def _is_link(node: Tag) -> bool:
    """``<a>``/``<area>``, Campaign Monitor's ``<unsubscribe>``, or a component of an e-mail
    template language that becomes a link when compiled: Foundation's Inky ``<item href>`` /
    ``<button href>``, MJML's ``<mj-button href>`` / ``<mj-social-element href>``... A
    footer ``<item href="#">Unsubscribe</item>`` is a broken link, not a missing one."""
    return node.name in _ANCHOR_NAMES or (
        node.name not in _NOT_LINKS and node.attrs.get("href") is not None
    )


def tag_index(body: Body) -> TagIndex:
    """One walk of the parsed body (cached): every rule reuses it instead of its own
    ``find_all`` over the whole tree."""
    store = body.__dict__.setdefault("_mailcheck_cache", {})
    index = store.get("index")
    if index is not None:
        return index
    index = TagIndex()
    if body.soup is not None:
        for node in body.soup.descendants:
            if not isinstance(node, bs4.Tag):
                continue
            name = node.name
            if _is_link(node):
                index.anchors.append(node)
            elif name == "img":
                index.images.append(node)
                parent = node.parent
                for _ in range(8):  # images sit a few levels under their link at most
                    if parent is None or not isinstance(parent, bs4.Tag):
                        break
                    if parent.name == "a" or _is_link(parent):
                        index.images_in.setdefault(id(parent), []).append(node)
                        break
                    parent = parent.parent
            elif name == "style":
                index.styles.append(node)
            elif name == "title" or (name in ("h1", "h2") and len(index.headings) < 5):
                index.headings.append(node)
    store["index"] = index
    return index


def stem_pattern(terms: list[str]) -> re.Pattern[str]:
    """Stems that must start a word but may end anywhere (URL path hints)."""
    return _stem_pattern(tuple(sorted(set(terms), key=len, reverse=True)))


@cache
def _stem_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    if not terms:
        return re.compile(r"(?!)")
    return re.compile("(?<![a-z0-9])(?:" + "|".join(re.escape(t) for t in terms) + ")")


def substring_pattern(terms: list[str]) -> re.Pattern[str]:
    return _substring_pattern(tuple(sorted(set(terms), key=len, reverse=True)))


@cache
def _substring_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    if not terms:
        return re.compile(r"(?!)")
    return re.compile("|".join(re.escape(t) for t in terms))


# -- merge tags ------------------------------------------------------------------------------


def tag_matcher(ctx: LintContext, role: str) -> TagMatcher:
    """The run's matcher for one merge-tag role (see :class:`mailcheck.context.MergeTags`)."""
    return ctx.merge_tags.matcher(role)


#: Template expressions of the common template languages (Mailchimp ``*|X|*``, Liquid and
#: Handlebars ``{{ }}``/``{% %}``, Mailjet ``[[X]]``, SendGrid ``<%x%>``, ``%x%``, ``$x``...).
TEMPLATE_EXPRESSION = re.compile(
    r"\*\|.+?\|\*|\{\{.+?\}\}|\{%.+?%\}|\[\[.+?\]\]|<%.+?%>|%%.+?%%|%[A-Za-z_:\-]+%|"
    r"\$\{.+?\}|\{\$.+?\}|#\[.+?\]#|\$\[.+?\]\$|\{!.+?\}|::\w+::|\[[A-Za-z_]+\]",
    re.S,
)


# -- colours ---------------------------------------------------------------------------------

NAMED_COLOURS = {
    "white": (255, 255, 255),
    "black": (0, 0, 0),
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "silver": (192, 192, 192),
    "whitesmoke": (245, 245, 245),
    "gainsboro": (220, 220, 220),
    "lightgray": (211, 211, 211),
    "lightgrey": (211, 211, 211),
    "darkgray": (169, 169, 169),
    "darkgrey": (169, 169, 169),
    "dimgray": (105, 105, 105),
    "snow": (255, 250, 250),
    "ivory": (255, 255, 240),
    "beige": (245, 245, 220),
    "linen": (250, 240, 230),
    "floralwhite": (255, 250, 240),
    "ghostwhite": (248, 248, 255),
    "aliceblue": (240, 248, 255),
    "navy": (0, 0, 128),
    "orange": (255, 165, 0),
    "purple": (128, 0, 128),
    "maroon": (128, 0, 0),
    "olive": (128, 128, 0),
    "teal": (0, 128, 128),
    "aqua": (0, 255, 255),
    "cyan": (0, 255, 255),
    "fuchsia": (255, 0, 255),
    "magenta": (255, 0, 255),
    "lime": (0, 255, 0),
    "darkblue": (0, 0, 139),
    "darkred": (139, 0, 0),
    "darkgreen": (0, 100, 0),
    "lightyellow": (255, 255, 224),
    "lightblue": (173, 216, 230),
    "pink": (255, 192, 203),
}
_HEX = re.compile(r"#([0-9a-f]{3}|[0-9a-f]{6})\b")
_RGB = re.compile(
    r"rgba?\(\s*([\d.]+)%?\s*[, ]\s*([\d.]+)%?\s*[, ]\s*([\d.]+)%?\s*(?:[,/]\s*([\d.]+%?)\s*)?\)"
)
TRANSPARENT = "transparent"


def parse_colour(value: str | None) -> tuple[int, int, int] | str | None:
    """``(r, g, b)``, ``"transparent"`` or ``None`` (unknown, inherit, currentColor...)."""
    if not value:
        return None
    value = value.strip().lower().replace("!important", "").strip()
    if value == TRANSPARENT:
        return TRANSPARENT
    match = _HEX.search(value)
    if match:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    match = _RGB.search(value)
    if match:
        alpha = match.group(4)
        if alpha is not None:
            level = float(alpha.rstrip("%")) / (100 if alpha.endswith("%") else 1)
            if level < 0.15:
                return TRANSPARENT
        return tuple(min(255, int(float(match.group(i)))) for i in (1, 2, 3))  # type: ignore[return-value]
    if re.fullmatch(r"[0-9a-f]{6}", value):  # bgcolor="ffffff" without '#'
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    first = value.split()[0] if value.split() else ""
    return NAMED_COLOURS.get(first)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def colour_distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """SpamAssassin's luminance-weighted RGB distance (HTML_FONT_LOW_CONTRAST)."""
    dr, dg, db = (x - y for x, y in zip(a, b, strict=True))
    return math.sqrt((0.2126 * dr) ** 2 + (0.7152 * dg) ** 2 + (0.0722 * db) ** 2)


def too_close(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    """Same colour, SpamAssassin distance under 12, or WCAG contrast under 1.25:1."""
    return a == b or colour_distance(a, b) < 12 or contrast_ratio(a, b) < 1.25


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


# -- CSS -------------------------------------------------------------------------------------

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_DECLARATION = re.compile(r"([-\w]+)\s*:\s*([^;]+)")
_COMPOUND = re.compile(r"^([a-z][a-z0-9]*)?((?:[.#][-\w]+)*)$", re.I)
_IGNORED_PSEUDO = re.compile(r":(link|visited)\b", re.I)


def parse_declarations(style: str) -> dict[str, tuple[str, bool]]:
    """``prop -> (value, important)`` of a declaration block or ``style`` attribute."""
    result: dict[str, tuple[str, bool]] = {}
    for prop, value in _DECLARATION.findall(style):
        value = value.strip()
        important = "!important" in value.lower()
        if important:
            value = re.sub(r"(?i)\s*!important", "", value).strip()
        result[prop.lower()] = (value, important)
    return result


def _strip_at_rules(css: str) -> str:
    """Remove ``@media``/``@supports``/``@font-face``... blocks: what they hold is
    conditional (mobile, dark mode) and not what every client shows."""
    out = []
    index = 0
    while True:
        at = css.find("@", index)
        if at < 0:
            out.append(css[index:])
            break
        out.append(css[index:at])
        brace = css.find("{", at)
        semicolon = css.find(";", at)
        if brace < 0 or (0 <= semicolon < brace):
            index = semicolon + 1 if semicolon >= 0 else len(css)
            continue
        depth, cursor = 0, brace
        while cursor < len(css):
            if css[cursor] == "{":
                depth += 1
            elif css[cursor] == "}":
                depth -= 1
                if depth == 0:
                    break
            cursor += 1
        index = cursor + 1
    return "".join(out)


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


class Styles:
    """Resolved CSS of one HTML body: simple ``<style>`` rules plus inline styles."""

    def __init__(self, styles: list[Tag]) -> None:
        self.by_key: dict[str, list[CssRule]] = {}
        self._computed: dict[int, dict[str, str]] = {}
        order = 0
        for style in styles:
            css = _strip_at_rules(_CSS_COMMENT.sub("", style.get_text()))
            for selectors, block in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
                declarations = parse_declarations(block)
                if not declarations:
                    continue
                for selector in selectors.split(","):
                    selector = _IGNORED_PSEUDO.sub("", selector.strip()).replace(">", " ")
                    if not selector or any(c in selector for c in "[]+~*:()"):
                        continue
                    compounds = [_parse_compound(p) for p in selector.split()]
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

    @staticmethod
    def _matches(compound, element: Tag) -> bool:
        tag, classes, ident = compound
        if tag and element.name != tag:
            return False
        if ident and element.get("id") != ident:
            return False
        if classes:
            own = element.get("class") or []
            if isinstance(own, str):
                own = own.split()
            if not classes.issubset(own):
                return False
        return True

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
            classes = element.get("class") or []
            if isinstance(classes, str):
                classes = classes.split()
            keys.extend(f".{c}" for c in classes)
            for k in keys:
                candidates.extend(
                    r for r in self.by_key.get(k, ()) if self._rule_matches(r, element)
                )
        normal: dict[str, str] = {}
        important: dict[str, str] = {}
        for rule in sorted(candidates, key=lambda r: (r.specificity, r.order)):
            for prop, (value, is_important) in rule.declarations.items():
                (important if is_important else normal)[prop] = value
        inline = element.get("style")
        if inline:
            for prop, (value, _imp) in parse_declarations(str(inline)).items():
                normal[prop] = value
        normal.update(important)
        self._computed[key] = normal
        return normal


def styles_of(body: Body) -> Styles:
    store = body.__dict__.setdefault("_mailcheck_cache", {})
    if "styles" not in store:
        store["styles"] = Styles(tag_index(body).styles)
    return store["styles"]


def _length_px(value: str | None) -> float | None:
    if value is None:
        return None
    match = re.match(r"\s*(-?[\d.]+)\s*(px|pt|em|rem|%)?", value)
    if not match:
        return None
    try:
        number = float(match.group(1))
    except ValueError:
        return None
    unit = match.group(2) or "px"
    if unit == "pt":
        return number * 4 / 3
    if unit in ("em", "rem"):
        return number * 16
    if unit == "%":
        return number * 0.16
    return number


def _ancestors(element: Tag):
    node = element
    while node is not None and isinstance(node, bs4.Tag) and node.name != "[document]":
        yield node
        node = node.parent


@dataclass
class Visibility:
    """Why an element is invisible (``hidden``), or why we cannot be sure (``uncertain``)."""

    hidden: str | None = None
    uncertain: str | None = None
    outlook_only: bool = False
    colours: tuple[str, str] | None = None


_DEFAULT_LINK = (0, 0, 238)
_WHITE = (255, 255, 255)


def visibility(element: Tag, body: Body) -> Visibility:
    """Is ``element`` (a link) visible to a reader? §3.17 techniques, in order."""
    styles = styles_of(body)
    font_size: float | None = None
    # Start from the element that holds the text: a font-size:0 wrapper whose child sets
    # the size back (a common whitespace trick) must not count as hidden.
    for node in _ancestors(_text_holder(element)):
        props = styles.declared(node)
        if node.has_attr("hidden"):
            return Visibility(f"the hidden attribute on <{node.name}>")
        if props.get("display", "").strip().lower() == "none":
            return Visibility(f"display:none on <{node.name}>")
        if props.get("visibility", "").strip().lower() in ("hidden", "collapse"):
            return Visibility(f"visibility:hidden on <{node.name}>")
        opacity = props.get("opacity")
        if opacity is not None:
            try:
                if float(opacity.strip().rstrip("%")) < 0.2:
                    return Visibility(f"opacity:{opacity.strip()} on <{node.name}>")
            except ValueError:
                pass
        overflow = props.get("overflow", "").strip().lower() == "hidden"
        for prop in ("height", "max-height", "width", "max-width", "line-height"):
            size = _length_px(props.get(prop))
            if size is None and prop in ("height", "width") and node.has_attr(prop):
                size = _length_px(str(node.get(prop)))
            if size is not None and size <= 0 and overflow:
                return Visibility(f"{prop}:0 with overflow:hidden on <{node.name}>")
        position = props.get("position", "").strip().lower()
        if position in ("absolute", "fixed"):
            for prop in ("left", "top", "right"):
                offset = _length_px(props.get(prop))
                if offset is not None and offset <= -500:
                    return Visibility(
                        f"positioned off-screen ({prop}:{props[prop].strip()}) on <{node.name}>"
                    )
        indent = _length_px(props.get("text-indent"))
        if indent is not None and indent <= -500:
            return Visibility(f"text-indent:{props['text-indent'].strip()} on <{node.name}>")
        clip = (props.get("clip", "") + " " + props.get("clip-path", "")).replace(" ", "").lower()
        zero_rect = re.search(r"rect\(0(px)?,?0(px)?,?0(px)?,?0(px)?\)", clip)
        if zero_rect or "inset(50%" in clip or "circle(0" in clip:
            return Visibility(f"clipped to nothing on <{node.name}>")
        if re.search(r"scale\(\s*0(\.0+)?\s*[,)]", props.get("transform", "")):
            return Visibility(f"transform:scale(0) on <{node.name}>")
        if font_size is None:
            size = _length_px(props.get("font-size"))
            if size is None and node.name == "font" and node.has_attr("size"):
                raw = str(node.get("size")).strip()
                if re.fullmatch(r"-[2-9]|0", raw):
                    size = 0.0 if raw == "0" else 5.0
            if size is not None:
                font_size = size
        if props.get("mso-hide", "").strip().lower() == "all":
            return Visibility(f"mso-hide:all on <{node.name}>", outlook_only=True)
    if font_size is not None and font_size < 6:
        return Visibility(f"a {font_size:g}px font")
    return _contrast(element, styles)


def _text_holder(element: Tag) -> Tag:
    """The innermost element around the link's first visible text."""
    for string in element.find_all(string=True):
        if isinstance(string, bs4.Comment) or not string.strip():
            continue
        parent = string.parent
        return parent if isinstance(parent, bs4.Tag) else element
    return element


def _contrast(element: Tag, styles: Styles) -> Visibility:
    holder = _text_holder(element)
    colour: Any = None
    # Text colour: the closest colour declared from the text up. A link does not inherit
    # its parent's colour unless told to ("inherit"): clients paint it blue.
    for node in _ancestors(holder):
        value = styles.declared(node).get("color")
        if value is None and node.name == "font" and node.has_attr("color"):
            value = str(node.get("color"))
        lowered = value.strip().lower() if value else None
        if lowered and lowered not in ("inherit", "currentcolor"):
            colour = parse_colour(value)
            break
        if node.name == "a" and lowered is None:
            colour = _DEFAULT_LINK
            break
    else:
        colour = (0, 0, 0)
    if colour is None:
        return Visibility()
    background: Any = None
    for node in _ancestors(holder):
        props = styles.declared(node)
        image = props.get("background-image", "") + props.get("background", "")
        value = (
            props.get("background-color")
            or props.get("background")
            or (str(node.get("bgcolor")) if node.has_attr("bgcolor") else None)
        )
        parsed = parse_colour(value)
        if "url(" in image or node.has_attr("background"):
            fallback = parsed if parsed is None or parsed != TRANSPARENT else None
            if (
                fallback is None
                and props.get("background-color") is None
                and node.has_attr("bgcolor")
            ):
                fallback = parse_colour(str(node.get("bgcolor")))
            if fallback is None or fallback == TRANSPARENT:
                return Visibility(uncertain=f"a background image on <{node.name}>")
            # The fallback colour declared with the image (what clients that block images
            # show, chosen to match the image's tone) is the background to judge against.
            background = fallback
            break
        if parsed is not None and parsed != TRANSPARENT:
            background = parsed
            break
    background = background or _WHITE
    if colour == TRANSPARENT:
        return Visibility("color:transparent")
    if too_close(colour, background):
        pair = (hex_colour(colour), hex_colour(background))
        return Visibility(f"text {pair[0]} on background {pair[1]}", colours=pair)
    return Visibility()


# -- unsubscribe routes ---------------------------------------------------------------------

STRONG, PREFERENCE = "unsubscribe", "preferences"
_BLOCKS = {
    "p",
    "td",
    "th",
    "div",
    "li",
    "tr",
    "table",
    "body",
    "center",
    "section",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "dd",
    "dt",
}
_SENTENCE_END = re.compile(r"[.!?|·•]\s")
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+|www\.\S+")
#: Hosts that only stand in for the real one: the bare RFC 2606 example domains (a
#: sub-domain such as shop.example.com is how documentation names a real site), localhost,
#: and template-pack words (yourdomain, votredomaine, yourcompany...).
_PLACEHOLDER_HOSTS = re.compile(
    r"^(www\.)?(example\.(com|org|net|fr|de)|localhost|domain\.(com|tld)|test\.com|website\.com|"
    r"mysite\.com|company\.com|url\.com|site\.com|link\.com|brand\.com|yourlink\.com)$|"
    r"(^|\.)(your-?(domain|site|company|website|brand|url)|votre-?(domaine|site|entreprise)|"
    r"mon-?site|ihre-?(domain|firma|webseite)|tu-?dominio|placeholder)(\.|-|$)"
)


@dataclass
class Route:
    """One way out found in a body."""

    kind: str  # "link", "tag", "text", "reply", "email"
    strength: str  # STRONG or PREFERENCE
    label: str  # what was found, for messages
    body: Body
    element: Tag | None = None
    href: str = ""
    offset: int | None = None
    how: str = ""  # "text", "url", "merge tag", "context"...
    tag: tuple[str, str] | None = None  # (merge tag, provider)
    image_only: bool = False
    has_alt: bool = True
    scoped: bool = False
    context: str = ""  # folded sentence around the link
    problems: list[str] = field(default_factory=list)

    @property
    def position(self) -> tuple[int, int]:
        if self.element is not None:
            return self.body.position(self.element)
        if self.offset is not None:
            return self.body.offset_position(self.offset)
        return self.body.line_offset + 1, 1

    def visibility(self) -> Visibility:
        if self.element is None or self.body.soup is None:
            return Visibility()
        store = self.body.__dict__.setdefault("_mailcheck_cache", {}).setdefault("visibility", {})
        key = id(self.element)
        if key not in store:
            store[key] = visibility(self.element, self.body)
        return store[key]

    @property
    def describe(self) -> str:
        text = " ".join(self.label.split())
        if len(text) > 60:
            text = text[:57] + "..."
        return text


def _label(anchor: Tag, images: list[Tag]) -> tuple[str, str, list[Tag]]:
    """(visible text, title/aria-label/alt text, images) of a link."""
    text = anchor.get_text(" ").strip()
    extra = " ".join(
        [str(anchor.get(attr, "")) for attr in ("title", "aria-label")]
        + [str(img.get("alt", "")) for img in images]
        + [str(img.get("title", "")) for img in images]
    ).strip()
    return text, extra, images


def _in_provider_module(anchor: Tag) -> bool:
    """Is the link part of a provider's unsubscribe module, whose URL the provider writes at
    send time (SendGrid's design editor: ``data-type="unsubscribe"`` module and
    ``Unsubscribe--unsubscribeLink`` class)?"""
    classes = anchor.get("class") or []
    if any(str(c).startswith("Unsubscribe--") for c in classes):
        return True
    node = anchor.parent
    for _ in range(5):
        if not isinstance(node, bs4.Tag):
            return False
        if node.get("data-type") == "unsubscribe" or node.get("data-role") == "module-unsubscribe":
            return True
        node = node.parent
    return False


def block_text(element: Tag) -> str:
    """Text of the block (paragraph, cell...) that holds ``element``."""
    return " ".join(_block_of(element).get_text(" ").split())


def _block_of(element: Tag) -> Tag:
    node = element.parent
    while isinstance(node, bs4.Tag) and node.name not in _BLOCKS:
        node = node.parent
    return node if isinstance(node, bs4.Tag) else element


def sentence_around(anchor: Tag, text: str) -> str:
    """Folded sentence that holds the link, ~150 characters either side at most."""
    block = _block_of(anchor)
    whole = block.get_text(" ")
    if len(whole) > 4000:
        whole = whole[:4000]
    # Source newlines are plain spaces in HTML: normalise before cutting sentences.
    whole = " ".join(whole.split())
    text = " ".join(text.split())
    where = whole.find(text) if text else -1
    if where < 0:
        return fold(whole[:300])
    before = whole[max(0, where - 150) : where]
    after = whole[where + len(text) : where + len(text) + 150]
    # Keep the sentence before too: "Don't want these emails? Click here."
    ends = list(_SENTENCE_END.finditer(before))
    if len(ends) >= 2:
        before = before[ends[-2].end() :]
    end = _SENTENCE_END.search(after)
    if end:
        after = after[: end.start() + 1]
    return fold(f"{before} {text} {after}")


def target_problem(href: str | None, ctx: LintContext) -> str | None:
    """Why a link target cannot work, or ``None``."""
    if href is None:
        return "the link has no href"
    raw = href.strip()
    if not raw:
        return "the href is empty"
    if raw.startswith("#"):
        return f"the href is {raw!r} (a placeholder)"
    lowered = raw.lower()
    if lowered.startswith(("javascript:", "about:blank", "data:")):
        return f"the href is {raw[:40]!r}"
    if lowered.startswith("mailto:"):
        address = lowered[7:].split("?", 1)[0].strip()
        if not _EMAIL.fullmatch(address):
            return f"the mailto: link has no valid address ({raw[:60]!r})"
        return None
    if TEMPLATE_EXPRESSION.search(raw):
        return _block_tag_problem(raw, ctx) or _foreign_tag_problem(raw, ctx)
    if not lowered.startswith(("http://", "https://", "//")) and _human_placeholder(raw, ctx):
        return f"the href is {raw[:60]!r} (a placeholder left for a human)"
    if lowered in ("http://", "https://", "http:", "https:", "url", "link", "unsubscribe"):
        return f"the href is {raw!r}"
    if lowered.startswith(("http://", "https://", "//")):
        host = (
            urlsplit(raw if not raw.startswith("//") else "https:" + raw).hostname or ""
        ).lower()
        if not host or "." not in host and host != "localhost":
            return f"the link has no real host ({raw[:60]!r})"
        if _PLACEHOLDER_HOSTS.search(host):
            return f"the link points at the placeholder host {host}"
        path = urlsplit(raw if not raw.startswith("//") else "https:" + raw).path.lower()
        if path.endswith((".gif", ".png", ".jpg", ".jpeg", ".webp", ".svg")):
            return f"the link points at an image file, not an unsubscribe page ({raw[:60]})"
    return None


def _human_placeholder(raw: str, ctx: LintContext) -> bool:
    """``[Unsubscribe link]`` (brackets around words: no template language puts spaces in a
    tag name) or a token saying it is to be filled in (``INSERT_UNSUBSCRIBE_LINK_HERE``)."""
    inner = raw.strip()
    if inner[:1] in "[<" and inner[-1:] in "]>" and re.search(r"\s", inner.strip("[]<> ")):
        return True
    return bool(ctx.keywords["placeholder_target"].search_folded(fold(inner)))


_KLAVIYO_LINK_WITH_TEXT = re.compile(r"\{%\s*unsubscribe\s+['\"]", re.I)


def _block_tag_problem(href: str, ctx: LintContext) -> str | None:
    """A tag that prints a whole link, used as a URL: the output nests <a> in an href."""
    found = tag_matcher(ctx, "unsubscribe_block").find(href)
    if found is None and _KLAVIYO_LINK_WITH_TEXT.search(href):
        found = (href.strip(), "klaviyo")
    if found is None:
        return None
    return (
        f"the merge tag {found[0]} prints a whole link, so inside href it nests a link that does "
        f"not work; use the provider's URL-only tag (Klaviyo: {{% unsubscribe_link %}})"
    )


def _foreign_tag_problem(href: str, ctx: LintContext) -> str | None:
    """A merge tag of another provider than the one configured will never be replaced."""
    configured = ctx.config.provider
    if not configured:
        return None
    for role in ("unsubscribe", "preferences"):
        found = tag_matcher(ctx, role).find(href)
        if found is None:
            continue
        tag, provider = found
        owners = provider.lower().split(",")
        if len(owners) > 1:
            continue  # a syntax several providers share ([unsubscribe]) proves nothing
        if not any(o == GENERIC or configured.lower() in o for o in owners):
            return (
                f"the merge tag {tag} belongs to {provider.replace(',', ' / ')}, not to "
                f"{configured}: it will not be replaced"
            )
    return None


@dataclass
class Routes:
    """Every opt-out route of one body, plus links that *look* like opt-outs but cannot work."""

    body: Body
    routes: list[Route] = field(default_factory=list)
    broken: list[Route] = field(default_factory=list)
    conditional_only: list[Route] = field(default_factory=list)

    @property
    def working(self) -> list[Route]:
        return self.routes

    @property
    def strong(self) -> list[Route]:
        return [r for r in self.routes if r.strength == STRONG]

    @property
    def all_links(self) -> list[Route]:
        return [*self.routes, *self.broken]


def unsubscribe_routes(body: Body, ctx: LintContext) -> Routes:
    """All opt-out routes of ``body`` (cached)."""
    return cached_on(body, "routes", ctx, lambda: _find_routes(body, ctx))


def _find_routes(body: Body, ctx: LintContext) -> Routes:
    result = Routes(body)
    unsub_tags = tag_matcher(ctx, "unsubscribe")
    pref_tags = tag_matcher(ctx, "preferences")
    if body.soup is not None:
        _html_routes(body, ctx, result, unsub_tags, pref_tags)
    # Merge tags outside links (text parts, Campaign Monitor <unsubscribe>, HubSpot sections).
    if not result.routes:
        for matcher, strength in (
            (unsub_tags, STRONG),
            (pref_tags, PREFERENCE),
        ):
            for offset, tag, provider in matcher.find_all(body.text):
                if _in_comment(body, offset):
                    continue
                element = _element_at(body, offset) if body.soup is not None else None
                result.routes.append(
                    Route(
                        "tag",
                        strength,
                        tag,
                        body,
                        element=element,
                        offset=offset,
                        how="merge tag",
                        tag=(tag, provider),
                    )
                )
                break
            if result.routes:
                break
    if not result.routes and not result.broken:
        _unknown_tag_route(body, result)
    if not result.routes:
        _text_routes(body, ctx, result)
    return result


def _html_routes(
    body: Body, ctx: LintContext, result: Routes, unsub_tags: TagMatcher, pref_tags: TagMatcher
) -> None:
    keywords = ctx.keywords
    strong_words = keywords["unsubscribe"]
    pref_words = keywords["preferences"]
    generic_words = keywords["generic_link"]
    scope_words = keywords["unsubscribe_scope"]
    url_hints = stem_pattern(keywords["unsubscribe_url"].terms)
    pref_url_hints = stem_pattern(keywords["preferences_url"].terms)
    index = tag_index(body)
    for anchor in index.anchors:
        if anchor.name in ("unsubscribe", "preferences"):  # Campaign Monitor / Sendy elements
            strength = STRONG if anchor.name == "unsubscribe" else PREFERENCE
            result.routes.append(
                Route(
                    "tag",
                    strength,
                    f"<{anchor.name}>",
                    body,
                    element=anchor,
                    how="merge tag",
                    tag=(f"<{anchor.name}>", "generic"),
                )
            )
            continue
        href_value = anchor.get("href")
        href = str(href_value) if href_value is not None else None
        sparkpost = anchor.has_attr("data-msys-unsubscribe")
        text, extra, images = _label(anchor, index.images_in.get(id(anchor), []))
        folded_label = fold(f"{text} {extra}")
        strength = None
        how = ""
        tag = None
        if href:
            found = unsub_tags.find(href)
            if found:
                strength, how, tag = STRONG, "merge tag", found
            else:
                found = pref_tags.find(href)
                if found:
                    strength, how, tag = PREFERENCE, "merge tag", found
        if strength is None and sparkpost:
            strength, how = STRONG, "data-msys-unsubscribe"
        label_hit = strong_words.search_folded(folded_label) if folded_label else None
        if strength is None and label_hit:
            strength, how = STRONG, "text"
        folded_href = fold(href) if href else ""
        if strength is None and folded_href and url_hints.search(folded_href):
            strength, how = STRONG, "URL"
        generic = (
            not folded_label
            or generic_words.pattern.fullmatch(folded_label) is not None
            or len(folded_label) <= 4
        )
        context = ""
        if strength is None and folded_label and pref_words.search_folded(folded_label):
            strength, how = PREFERENCE, "text"
        if strength is None and generic and text:
            context = sentence_around(anchor, text)
            if strong_words.search_folded(context):
                strength, how = STRONG, "context"
            elif pref_words.search_folded(context) or (
                folded_href and pref_url_hints.search(folded_href)
            ):
                strength, how = PREFERENCE, "context"
        if strength is None:
            continue
        label = text or extra or (href or "")
        if not context and text:
            context = sentence_around(anchor, text)
        route = Route(
            "link",
            strength,
            label,
            body,
            element=anchor,
            href=href or "",
            how=how,
            tag=tag,
            image_only=not text and bool(images),
            has_alt=any(str(img.get("alt", "")).strip() for img in images)
            or bool(anchor.get("title"))
            or bool(anchor.get("aria-label")),
            scoped=bool(scope_words.search_folded(f"{folded_label} {context}"))
            or bool(tag and "group" in tag[0].lower()),
            context=context,
        )
        problem = None if (tag or sparkpost) else target_problem(href, ctx)
        if problem and not (href or "").strip() and _in_provider_module(anchor):
            problem = None  # SendGrid's unsubscribe module: the provider fills the href
        if tag:
            problem = _block_tag_problem(href or "", ctx) or _foreign_tag_problem(href or "", ctx)
        if problem:
            route.problems.append(problem)
            result.broken.append(route)
        else:
            result.routes.append(route)
    if not result.routes:
        # A link that exists only inside an Outlook conditional comment (<!--[if mso]>).
        for comment in body.soup.find_all(
            string=lambda s: isinstance(s, bs4.Comment) and "[if" in s
        ):
            inner = str(comment)
            if "<a" in inner.lower() and (
                strong_words.search(inner) or url_hints.search(fold(inner))
            ):
                found = body.text.find(inner[:40])
                result.conditional_only.append(
                    Route(
                        "link",
                        STRONG,
                        "link inside <!--[if mso]>",
                        body,
                        offset=max(0, found - 4) if found >= 0 else None,
                        how="conditional comment",
                    )
                )
                break


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _in_comment(body: Body, offset: int) -> bool:
    """Is ``offset`` inside an HTML comment (an Outlook ``<!--[if mso]>`` block...)?"""
    if not body.is_html:
        return False
    return any(start <= offset < end for start, end in _comment_spans(body))


def has_outlook_copy(body: Body, ctx: LintContext) -> bool:
    """Does an ``<!--[if mso]>`` block hold an unsubscribe link (the Outlook copy of a link
    hidden from Outlook with ``mso-hide:all``)?"""
    strong_words = ctx.keywords["unsubscribe"]
    for start, end in _comment_spans(body):
        inner = body.text[start:end]
        if "[if" in inner and "<a" in inner.lower() and strong_words.search(inner):
            return True
    return False


def _comment_spans(body: Body) -> list[tuple[int, int]]:
    store = body.__dict__.setdefault("_mailcheck_cache", {})
    if "comments" not in store:
        store["comments"] = [m.span() for m in _HTML_COMMENT.finditer(body.text)]
    return store["comments"]


def _element_at(body: Body, offset: int) -> Tag | None:
    """The element whose text or attribute holds the character at ``offset`` of the source."""
    line, column = _line_col(body.text, offset)
    best = None
    for tag in body.soup.find_all(True):
        position = (tag.sourceline or 0, (tag.sourcepos or 0) + 1)
        if position <= (line, column):
            best = tag
        else:
            break
    return best


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


#: A template expression of any language whose name says unsubscribe: ``{unsubscribe_text}``
#: (Mautic), ``{$unsubscribe}`` (MailerLite), ``$[LI:UNSUBSCRIBE]$`` (Zoho), ``$UNSUB$``
#: (dotdigital), ``%%unsub_center_url%%`` (Marketing Cloud)... Counted as a working route when
#: no known tag or link was found: a provider tag mailcheck does not know yet must not
#: produce a false "missing unsubscribe".
# Two-character delimiters may hold arguments (``{% unsubscribe 'Quitter' %}``); a single
# character (``%name%``, ``{name}``, ``$NAME$``) only a bare name, so "100% unsubscribe 20%"
# in a sentence is not a tag.
_TAG_OPENERS = r"(?:\*\||\{\{\{?|\{%|\{\$|\{!|\[%|\[\[|<%|%%|\$\[|#\[|::)"
_TAG_CLOSERS = r"(?:\|\*|\}\}\}?|%\}|\}|%\]|\]\]|\]|%>|%%|\]\$|\]#|::)"


@dataclass
class TemplateTagFinder:
    """Finds template expressions whose name matches ``names``: a fast literal search for
    the names first, the full expression pattern only in a window around each hit (the
    full pattern over 100 KB of HTML costs several milliseconds)."""

    names: re.Pattern[str]
    pattern: re.Pattern[str]

    def finditer(self, text: str):
        last_end = -1
        for hit in self.names.finditer(text):
            start = max(0, hit.start() - 50, last_end)
            match = self.pattern.search(text, start, hit.end() + 70)
            if match is not None and match.start() <= hit.start():
                last_end = match.end()
                yield match

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


def template_tag_finder(names: str) -> TemplateTagFinder:
    return TemplateTagFinder(re.compile(names, re.I), template_tag_pattern(names))


def template_tag_pattern(names: str) -> re.Pattern[str]:
    """A template expression of any language whose name contains one of ``names`` (a regex
    alternation), arguments allowed: ``{% unsubscribe 'Se désinscrire' %}``,
    ``*|UNSUB:https://acme.fr/bye|*``, ``%%=RedirectTo(@unsub)=%%``, ``{unsubscribe_text}``."""
    loose = (
        _TAG_OPENERS
        + r"\s*[^\s{}\[\]<>|*\"']{0,40}?(?:"
        + names
        + r")[^\n{}\[\]<>|*]{0,60}?\s*"
        + _TAG_CLOSERS
    )
    strict = r"(?:%|\$|#|\{|\[)[\w.:\-]{0,40}?(?:" + names + r")[\w.:\-]{0,40}?(?:%|\$|#|\}|\])"
    return re.compile(f"{loose}|{strict}", re.I)


#: A template expression whose name says unsubscribe: ``{unsubscribe_text}`` (Mautic),
#: ``{$unsubscribe}`` (MailerLite), ``$[LI:UNSUBSCRIBE]$`` (Zoho), ``$UNSUB$`` (dotdigital),
#: ``%%unsub_center_url%%`` (Marketing Cloud)... Counted as a working route when no known
#: tag or link was found: a provider tag mailcheck does not know yet must not produce a
#: false "missing unsubscribe".
_UNKNOWN_UNSUB_TAG = template_tag_finder(r"unsub|opt_?out|remove_web")


def _unknown_tag_route(body: Body, result: Routes) -> None:
    for match in _UNKNOWN_UNSUB_TAG.finditer(body.text):
        if _in_comment(body, match.start()):
            continue
        tag = match.group(0)
        element = _element_at(body, match.start()) if body.soup is not None else None
        result.routes.append(
            Route(
                "tag",
                STRONG,
                tag,
                body,
                element=element,
                offset=match.start(),
                how="merge tag",
                tag=(tag, "generic"),
            )
        )
        return


def _command_patterns(ctx: LintContext) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(capitals, quoted) patterns of the ``reply_command`` words, cached per run."""
    cached = ctx.shared.get("_mailcheck_command_patterns")
    if cached is None:
        words = sorted(ctx.keywords["reply_command"].terms, key=len, reverse=True)
        alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) or "(?!)"
        capitals = re.compile(rf"(?<![\w])(?:{alternatives.upper()})(?![\w])")
        quoted = re.compile(rf"[\"'«“‘]\s*(?:{alternatives})\s*[\"'»”’]", re.I)
        cached = ctx.shared["_mailcheck_command_patterns"] = (capitals, quoted)
    return cached


def _strip_accents(text: str) -> str:
    """Accents removed, case kept (capitals matter for command words)."""
    if text.isascii():
        return text
    return COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))


def _text_routes(body: Body, ctx: LintContext, result: Routes) -> None:
    """Plain-text routes: a URL near an unsubscribe phrase, "send an e-mail to", "reply STOP"."""
    strong_words = ctx.keywords["unsubscribe"]
    noreply = ctx.keywords["noreply"]
    verbs = ctx.keywords["reply_verb"]
    preference_words = ctx.keywords["preferences"]
    capitals, quoted = _command_patterns(ctx)
    text = body.text if body.soup is None else body.soup.get_text("\n")
    lines = text.split("\n")
    offsets = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line) + 1
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        folded = fold(line)
        phrase = strong_words.search_folded(folded)
        plain = _strip_accents(line)
        command = capitals.search(plain) or quoted.search(plain)
        if command and verbs.search_folded(folded):
            result.routes.append(
                Route(
                    "reply",
                    STRONG,
                    line.strip(),
                    body,
                    offset=_source_offset(body, text, offsets[index], line),
                    how="reply instruction",
                )
            )
            return
        strength = STRONG
        if not phrase:
            # "Manage your preferences: https://..." in a text part is an opt-out too (MC106
            # then checks its scope); not via e-mail, where the phrase must be explicit.
            phrase = preference_words.search_folded(folded)
            strength = PREFERENCE
        if not phrase:
            continue
        window = "\n".join(lines[index : index + 3])
        email = _EMAIL.search(window)
        if strength == STRONG and email and not is_noreply_address(email.group(0), noreply):
            result.routes.append(
                Route(
                    "email",
                    STRONG,
                    f"{phrase} → {email.group(0)}",
                    body,
                    offset=_source_offset(body, text, offsets[index], line),
                    how="e-mail instruction",
                )
            )
            return
        # A bare URL next to the phrase (clients turn it into a link, in HTML too).
        url = _URL.search(window)
        if not url:
            continue
        route = Route(
            "text",
            strength,
            url.group(0),
            body,
            offset=_source_offset(body, text, offsets[index], line),
            href=url.group(0),
            how="text URL",
        )
        problem = target_problem(url.group(0), ctx)
        if problem:
            route.problems.append(problem)
            result.broken.append(route)
        else:
            result.routes.append(route)
            return


def _source_offset(body: Body, text: str, offset: int, line: str) -> int | None:
    if body.soup is None:
        return offset
    found = body.text.find(line.strip()[:60])
    return found if found >= 0 else None


# -- addresses -------------------------------------------------------------------------------


def is_noreply_address(address: str, noreply_words) -> bool:
    """No-reply local part (§3.7, separators and +tags ignored, prefixes/suffixes allowed) or a
    ``noreply`` label in the domain."""
    address = address.strip().strip("<>").lower()
    if "@" not in address:
        return False
    local, _, domain = address.rpartition("@")
    local = local.split("+", 1)[0]
    squashed = re.sub(r"[-_.]", "", local)
    terms = {re.sub(r"[-_. ]", "", t) for t in noreply_words.terms}
    if any(term and term in squashed for term in terms):
        return True
    return any(re.sub(r"[-_]", "", label) in terms for label in domain.split("."))


_MULTI_SUFFIXES = {
    "co.uk",
    "org.uk",
    "ac.uk",
    "gov.uk",
    "com.au",
    "com.br",
    "co.jp",
    "com.mx",
    "co.nz",
    "com.es",
    "com.pt",
    "co.za",
    "gouv.fr",
    "com.tr",
    "co.in",
}


def organisational_domain(domain: str) -> str:
    labels = domain.lower().strip(".").split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _MULTI_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def host_is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


# -- marketing vs transactional --------------------------------------------------------------

KIND_COMMENT = re.compile(r"<!--\s*mailcheck\s*:\s*kind\s+(marketing|transactional)\b", re.I)
SETTING_COMMENT = re.compile(r"<!--\s*mailcheck\s*:\s*(sender|reply-to)\s+(.+?)\s*-->", re.I)


@dataclass
class KindDecision:
    kind: str  # "marketing" | "transactional"
    label: str
    #: The folded keyword that decided, and the text to quote it from (lazily: only a
    #: finding's message needs the original wording).
    term: str | None = None
    source: Any = None

    @property
    def reason(self) -> str:
        if self.term is None:
            return self.label
        text = self.source() if callable(self.source) else str(self.source or "")
        return f"{self.label} ({original_phrase(text, self.term)!r})"


def message_kind(doc: Document, ctx: LintContext) -> KindDecision:
    """Marketing or transactional, and why (cached on the document)."""
    cached = doc.meta.get("_mailcheck_kind")
    if cached is not None and cached[0] is ctx:
        return cached[1]
    decision = _decide_kind(doc, ctx)
    doc.meta["_mailcheck_kind"] = (ctx, decision)
    return decision


def _headings(body: Body) -> str:
    if body.soup is None:
        return body.text[:300]
    parts = []
    for heading in tag_index(body).headings:
        parts.append(heading.get_text(" "))
    parts.append(body_text(body).strip()[:300])
    return " ".join(parts)


def _title_texts(body: Body) -> str:
    """The title and first headings of an HTML body (the first line of a text one)."""
    if body.soup is None:
        return body.text.strip().split("\n", 1)[0]
    return " ".join(heading.get_text(" ") for heading in tag_index(body).headings)


def _decide_kind(doc: Document, ctx: LintContext) -> KindDecision:
    """Forced kind first (config ``[kinds]``, then a ``mailcheck: kind`` comment); else a
    vote on distinct keyword hits: transactional wording in the subject, title, first
    headings or opening lines wins unless commercial wording outnumbers it or the subject,
    title and headings present an offer ("30% off your order"); a welcome heading with no
    commercial wording at all (not a newsletter welcome) is a relationship message; three
    or more transactional terms in the body win when commercial terms are at least two
    fewer and no bulk-mail header is present. Everything else is marketing -- the safe
    side for the unsubscribe rules."""
    forced = ctx.config.message_kind(doc.path)
    if forced:
        return KindDecision(forced, "forced in config [kinds]")
    bodies = list(getattr(doc, "bodies", []))
    for body in bodies:
        match = KIND_COMMENT.search(body.text)
        if match:
            return KindDecision(match.group(1).lower(), "forced by a mailcheck: kind comment")
    transactional = ctx.keywords["transactional"]
    commercial = ctx.keywords["commercial"]
    subject = ""
    bulk_headers = False
    header = getattr(doc, "header", None)
    if callable(header) and getattr(doc, "message", None) is not None:
        subject = header("Subject") or ""
        precedence = (header("Precedence") or "").strip().lower()
        bulk_headers = (
            bool(header("List-Id"))
            or precedence in ("bulk", "list")
            or bool(header("List-Unsubscribe"))
        )
    head = fold(subject + " " + " ".join(_headings(b) for b in bodies[:1]))
    head_hits = set(transactional.pattern.findall(head))
    # The opening of each part carries what the message is about (order details, offer);
    # scanning the first 8,000 characters keeps classification cheap on 100 KB newsletters.
    texts = " ".join(folded_text(b)[:8000] for b in bodies)
    body_hits = set(transactional.pattern.findall(texts))
    offers = set(commercial.pattern.findall(texts))

    def decided(kind: str, label: str, terms: set[str]) -> KindDecision:
        def source() -> str:
            return f"{subject} " + " ".join(body_text(b) for b in bodies[:2])

        return KindDecision(kind, label, sorted(terms)[0], source)

    # The subject, title and headings say what the message is about (CAN-SPAM's "primary
    # purpose" test looks at the subject line first): "Last chance: 30% off your order" or
    # "Les soldes commencent" is an offer even when the opening mentions an order.
    titles = fold(subject + " " + " ".join(_title_texts(b) for b in bodies[:1]))
    title_offers = set(commercial.pattern.findall(titles))
    presented_as_offer = bool(title_offers) and len(title_offers) >= len(
        set(transactional.pattern.findall(titles))
    )
    if head_hits and len(offers) <= len(body_hits) and not presented_as_offer:
        return decided("transactional", "transactional wording", head_hits)
    if not offers and not bulk_headers:
        # A welcome / onboarding message ("Welcome to Kraken Academy") with no offer in it is a
        # relationship message; with any commercial wording it stays marketing.
        welcome = _welcome_heading(subject, bodies[:1], ctx)
        if welcome:
            return decided("transactional", "welcome message", {welcome})
    if len(body_hits) >= 3 and len(offers) <= len(body_hits) - 2 and not bulk_headers:
        return decided("transactional", "transactional wording", body_hits)
    if bulk_headers:
        return KindDecision(
            "marketing", "bulk-mail headers (List-Id / Precedence / List-Unsubscribe)"
        )
    if offers:
        return decided("marketing", "commercial wording", offers)
    return KindDecision("marketing", "no transactional markers (treated as marketing)")


def _welcome_heading(subject: str, bodies: list[Body], ctx: LintContext) -> str | None:
    """The welcome word (folded) that opens the subject, the title or a first heading."""
    openers = ctx.keywords["welcome"]
    candidates = [subject]
    for body in bodies:
        if body.soup is not None:
            candidates += [heading.get_text(" ") for heading in tag_index(body).headings]
        else:
            candidates.append(body.text.strip().split("\n", 1)[0])
    newsletter = ctx.keywords["purpose_newsletter"]
    for candidate in candidates:
        folded = fold(candidate)
        hit = openers.search_folded(folded)
        # "Welcome to the Acme newsletter" opens a marketing relationship: not this case.
        if hit and folded.startswith(hit) and not newsletter.search_folded(folded):
            return hit
    return None


def is_marketing(doc: Document, ctx: LintContext) -> bool:
    return message_kind(doc, ctx).kind == "marketing"


def template_setting(doc: Document, name: str) -> str | None:
    """A per-template ``<!-- mailcheck: sender x@y -->`` / ``reply-to`` setting."""
    for body in getattr(doc, "bodies", []):
        for match in SETTING_COMMENT.finditer(body.text):
            if match.group(1).lower() == name:
                return match.group(2)
    return None


def element_for_text(body: Body, folded_phrase: str) -> Tag | None:
    """The innermost element whose text holds ``folded_phrase`` (for positions)."""
    if body.soup is None:
        return None
    for string in body.soup.find_all(string=True):
        if isinstance(string, bs4.Comment) or not isinstance(string, bs4.NavigableString):
            continue
        if string.parent is not None and string.parent.name in ("style", "script", "title"):
            continue
        if folded_phrase in fold(str(string)):
            return string.parent if isinstance(string.parent, bs4.Tag) else None
    for block in body.soup.find_all(list(_BLOCKS - {"body", "table", "tr"})):
        if folded_phrase in fold(block.get_text(" ")):
            inner = [
                b for b in block.find_all(list(_BLOCKS)) if folded_phrase in fold(b.get_text(" "))
            ]
            return inner[-1] if inner else block
    return None


# Words, and punctuation other than the separators fold() turns into spaces.
_TOKEN = re.compile(r"[^\W_]+|[^\w\s\-\u00a0\u2010-\u2015]", re.U)


def original_phrase(text: str, folded_phrase: str) -> str:
    """The words of ``text`` that fold to ``folded_phrase`` ("Désabonnez-vous" for
    "desabonnez vous"), so messages quote what the reader sees; the folded phrase if not
    found."""
    wanted = _TOKEN.findall(folded_phrase)
    if not wanted:
        return folded_phrase
    tokens = [(m.start(), m.end(), fold(m.group(0))) for m in _TOKEN.finditer(text)]
    size = len(wanted)
    for index in range(len(tokens) - size + 1):
        if all(tokens[index + k][2] == wanted[k] for k in range(size)):
            return text[tokens[index][0] : tokens[index + size - 1][1]]
    return folded_phrase


def phrase_in_body(body: Body, folded_phrase: str) -> str:
    return original_phrase(body_text(body), folded_phrase)


def text_position(body: Body, folded_phrase: str) -> tuple[int, int]:
    """(line, column) of a phrase found in the body's folded text."""
    if body.soup is not None:
        element = element_for_text(body, folded_phrase)
        if element is not None:
            return body.position(element)
        return body.line_offset + 1, 1
    lines = body.text.split("\n")
    for number, line in enumerate(lines, start=1):
        if folded_phrase in fold(line):
            return body.offset_position(sum(len(x) + 1 for x in lines[: number - 1]))
    return body.line_offset + 1, 1
