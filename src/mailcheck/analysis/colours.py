"""CSS colours: parsing (hex, ``rgb()``/``rgba()``, bare ``bgcolor`` hex, common names),
and whether two colours are too close to read one on the other (SpamAssassin's weighted
distance, WCAG contrast ratio)."""

from __future__ import annotations

import math
import re

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
