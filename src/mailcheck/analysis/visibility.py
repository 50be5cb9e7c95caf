"""Can a reader see an element (a link)? The hiding techniques of e-mail HTML -- the
``hidden`` attribute, ``display``/``visibility``, opacity, zero sizes with overflow hidden,
off-screen positions, clipping, scale(0), tiny fonts, ``mso-hide`` -- walked from the text
up, then the contrast of the text colour with its background (the list MC102 documents:
``mailcheck rule MC102``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mailcheck.analysis.colours import TRANSPARENT, hex_colour, parse_colour, too_close
from mailcheck.analysis.css import Styles, styles_of
from mailcheck.i18n import Text, t
from mailcheck.lazy import bs4

if TYPE_CHECKING:
    from bs4 import Tag

    from mailcheck.context import LintContext
    from mailcheck.documents import Body


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

    hidden: Text | None = None
    uncertain: Text | None = None
    outlook_only: bool = False
    colours: tuple[str, str] | None = None


_DEFAULT_LINK = (0, 0, 238)
_WHITE = (255, 255, 255)


def visibility(element: Tag, body: Body, ctx: LintContext) -> Visibility:
    """Is ``element`` (a link) visible to a reader? The hiding techniques MC102 documents,
    in order, on the element and each ancestor; then a tiny font; then the contrast of its
    text with the background."""
    styles = styles_of(body, ctx)
    font_size: float | None = None
    # Start from the element that holds the text: a font-size:0 wrapper whose child sets
    # the size back (a common whitespace trick) must not count as hidden.
    for node in _ancestors(_text_holder(element)):
        props = styles.declared(node)
        hidden = _removed(node, props) or _squeezed(node, props) or _moved_or_clipped(node, props)
        if hidden is not None:
            return hidden
        if font_size is None:
            font_size = _font_size(node, props)
        if props.get("mso-hide", "").strip().lower() == "all":
            return Visibility(t("mso-hide:all on <{tag}>", tag=node.name), outlook_only=True)
    if font_size is not None and font_size < 6:
        size = f"{font_size:g}"
        return Visibility(t("a {size}px font", size=size))
    tiny = _only_tiny_images(element, styles)
    if tiny is not None:
        return tiny
    return _contrast(element, styles)


#: An image this many pixels wide or high, or less, shows nothing a reader can see or
#: click (a 1x1 pixel, a 1px line).
_TINY_IMAGE = 2


def _only_tiny_images(element: Tag, styles: Styles) -> Visibility | None:
    """A link with no text whose images are all 1x1 pixels (``width="1"``, CSS
    ``width:1px``, ``height:0``...) or hidden: invisible with images shown, not merely
    an image link (MC104)."""
    if element.name == "img":
        images = [element]
    else:
        if _text_holder(element) is not element or element.get_text(strip=True):
            return None
        images = element.find_all("img")
    if not images:
        return None
    sizes = []
    for image in images:
        props = styles.declared(image)
        if props.get("display", "").strip().lower() == "none":
            sizes.append("0x0")
            continue
        width, height = (
            _length_px(props.get(prop)) if props.get(prop) else _length_px(image.get(prop))
            for prop in ("width", "height")
        )
        if not any(size is not None and size <= _TINY_IMAGE for size in (width, height)):
            return None
        sizes.append(f"{_dimension(width)}x{_dimension(height)}")
    return Visibility(t("an image of {size} pixels", size=", ".join(sizes)))


def _dimension(size: float | None) -> str:
    return "?" if size is None else f"{size:g}"


def _removed(node: Tag, props: dict[str, str]) -> Visibility | None:
    """The ``hidden`` attribute, ``display:none``, ``visibility:hidden``, opacity under 0.2;
    a ``<template>``, whose content is never shown."""
    if node.has_attr("hidden"):
        return Visibility(t("the hidden attribute on <{tag}>", tag=node.name))
    if node.name == "template":
        return Visibility(t("inside <template>, never shown"))
    if props.get("display", "").strip().lower() == "none":
        return Visibility(t("display:none on <{tag}>", tag=node.name))
    if props.get("visibility", "").strip().lower() in ("hidden", "collapse"):
        return Visibility(t("visibility:hidden on <{tag}>", tag=node.name))
    opacity = props.get("opacity")
    if opacity is not None:
        try:
            if float(opacity.strip().rstrip("%")) < 0.2:
                return Visibility(
                    t("opacity:{opacity} on <{tag}>", opacity=opacity.strip(), tag=node.name)
                )
        except ValueError:
            pass
    return None


def _squeezed(node: Tag, props: dict[str, str]) -> Visibility | None:
    """A zero height, width or line height with ``overflow:hidden`` (or on an ``<svg>``)."""
    overflow = props.get("overflow", "").strip().lower() == "hidden"
    for prop in ("height", "max-height", "width", "max-width", "line-height"):
        size = _length_px(props.get(prop))
        if size is None and prop in ("height", "width") and node.has_attr(prop):
            size = _length_px(str(node.get(prop)))
        if size is not None and size <= 0 and node.name == "svg" and not overflow:
            # An <svg> clips what it draws to its own box: a zero-sized one shows nothing.
            return Visibility(t("{property}:0 on <svg>", property=prop))
        if size is not None and size <= 0 and overflow:
            return Visibility(
                t("{property}:0 with overflow:hidden on <{tag}>", property=prop, tag=node.name)
            )
    return None


def _moved_or_clipped(node: Tag, props: dict[str, str]) -> Visibility | None:
    """Positioned or indented off-screen, clipped to nothing, or scaled to zero."""
    position = props.get("position", "").strip().lower()
    if position in ("absolute", "fixed"):
        for prop in ("left", "top", "right"):
            offset = _length_px(props.get(prop))
            if offset is not None and offset <= -500:
                return Visibility(
                    t(
                        "positioned off-screen ({property}:{value}) on <{tag}>",
                        property=prop,
                        value=props[prop].strip(),
                        tag=node.name,
                    )
                )
    indent = _length_px(props.get("text-indent"))
    if indent is not None and indent <= -500:
        return Visibility(
            t(
                "text-indent:{value} on <{tag}>",
                value=props["text-indent"].strip(),
                tag=node.name,
            )
        )
    clip = (props.get("clip", "") + " " + props.get("clip-path", "")).replace(" ", "").lower()
    zero_rect = re.search(r"rect\(0(px)?,?0(px)?,?0(px)?,?0(px)?\)", clip)
    if zero_rect or "inset(50%" in clip or "circle(0" in clip:
        return Visibility(t("clipped to nothing on <{tag}>", tag=node.name))
    if re.search(r"scale\(\s*0(\.0+)?\s*[,)]", props.get("transform", "")):
        return Visibility(t("transform:scale(0) on <{tag}>", tag=node.name))
    return None


def _font_size(node: Tag, props: dict[str, str]) -> float | None:
    """The font size ``node`` declares, in px (``<font size="0">`` or a negative size is
    tiny), or ``None``."""
    size = _length_px(props.get("font-size"))
    if size is None and node.name == "font" and node.has_attr("size"):
        raw = str(node.get("size")).strip()
        if re.fullmatch(r"-[2-9]|0", raw):
            size = 0.0 if raw == "0" else 5.0
    return size


def _text_holder(element: Tag) -> Tag:
    """The innermost element around the link's first visible text."""
    for string in element.find_all(string=True):
        if isinstance(string, bs4.Comment) or not string.strip():
            continue
        parent = string.parent
        return parent if isinstance(parent, bs4.Tag) else element
    return element


def _body_link_colour(link: Tag) -> Any:
    """The colour ``<body link="...">`` gives every link that sets none itself (the
    HTML 3.2 attribute e-mail clients still honour)."""
    body = link.find_parent("body")
    if body is None or not body.has_attr("link"):
        return None
    return parse_colour(str(body.get("link")))


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
            colour = _body_link_colour(node) or _DEFAULT_LINK
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
                return Visibility(uncertain=t("a background image on <{tag}>", tag=node.name))
            # The fallback colour declared with the image (what clients that block images
            # show, chosen to match the image's tone) is the background to judge against.
            background = fallback
            break
        if parsed is not None and parsed != TRANSPARENT:
            background = parsed
            break
    background = background or _WHITE
    if colour == TRANSPARENT:
        return Visibility(t("color:transparent"))
    if too_close(colour, background):
        pair = (hex_colour(colour), hex_colour(background))
        return Visibility(
            t("text {colour} on background {background}", colour=pair[0], background=pair[1]),
            colours=pair,
        )
    return Visibility()
