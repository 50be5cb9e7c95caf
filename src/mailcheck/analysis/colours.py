"""CSS colours: parsing (through tinycss2: hex, ``rgb()``, ``hsl()``, names, bare
``bgcolor`` hex), and whether two colours are too close to read one on the other
(SpamAssassin's weighted distance, WCAG contrast ratio)."""

from __future__ import annotations

import math
import re
from typing import Any

import tinycss2
from tinycss2 import color4

TRANSPARENT = "transparent"
#: Under this alpha a colour is treated as transparent (the text or background it paints
#: is not seen); above it, as the opaque colour (the contrast test is already lenient).
_MIN_ALPHA = 0.15
_BARE_HEX = re.compile(r"[0-9a-f]{6}")


def parse_colour(value: str | None) -> tuple[int, int, int] | str | None:
    """``(r, g, b)``, ``"transparent"`` or ``None`` (unknown, inherit, currentColor...).

    Read with a CSS parser (tinycss2, CSS Color Level 4): hex of 3, 4, 6 or 8 digits,
    ``rgb()``/``rgba()`` with numbers or percentages, comma or space syntax, ``hsl()``/
    ``hsla()``, ``hwb()``, every named colour and ``transparent``; in a shorthand
    (``background: url(data:...;base64,...) #fff no-repeat``) the first colour among its
    values, ``url()`` skipped whole. A bare ``bgcolor="ffffff"`` (no ``#``) is read too."""
    if not value:
        return None
    text = re.sub(r"(?i)!\s*important", "", value).strip()
    if _BARE_HEX.fullmatch(text.lower()):  # bgcolor="ffffff" without '#'
        text = "#" + text
    for token in tinycss2.parse_component_value_list(text, skip_comments=True):
        if (
            token.type == "whitespace"
            or (token.type == "url")
            or (token.type == "function" and token.lower_name == "url")
        ):
            continue
        colour = _colour_of(token)
        if colour is not None:
            return colour
    return None


def _colour_of(token: Any) -> tuple[int, int, int] | str | None:
    parsed = color4.parse_color(token)
    if parsed is None or isinstance(parsed, str):  # unknown, or "currentcolor"
        return None
    if parsed.alpha < _MIN_ALPHA:
        return TRANSPARENT
    srgb = parsed.to("srgb")
    red, green, blue = (round(min(1.0, max(0.0, channel)) * 255) for channel in srgb.coordinates)
    return red, green, blue


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
