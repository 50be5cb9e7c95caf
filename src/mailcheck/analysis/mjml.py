"""What MJML renders, as CSS: the attributes of MJML components mapped to the styles the
compiled HTML carries, so that the visibility analysis judges an ``.mjml`` source as the
e-mail it becomes.

MJML styles its components with attributes, not CSS: ``<mj-text font-size="1px">``
becomes ``<div style="font-size:1px">``, ``<mj-button background-color="#fff"
color="#fff">`` a white button with white text. An attribute's value comes, from the
weakest to the strongest, from MJML's own defaults (a button is ``#414141`` with
``#ffffff`` text), ``<mj-all>`` in ``<mj-attributes>``, the component's own defaults in
``<mj-attributes>`` (``<mj-text color="#fff"/>``), the ``mj-class`` names it uses
(``<mj-class name="legal" .../>``, in their order), and the attribute written on it.
``css-class`` names are classes the ``<mj-style>`` rules apply through (see
:class:`~mailcheck.analysis.css.Styles`).

Only what decides whether a text can be seen is mapped: colour, font size, line height,
the component's background (its ``background-color``, else the ``container-background-color``
of the cell around it) and a background image.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mailcheck.lazy import bs4

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

#: Components that show text and take MJML's text attributes.
_TEXT = frozenset(
    {
        "mj-text",
        "mj-button",
        "mj-navbar-link",
        "mj-social-element",
        "mj-table",
        "mj-accordion-title",
        "mj-accordion-text",
        "mj-accordion-element",
        "mj-accordion",
    }
)
_TEXT_ATTRIBUTES = ("color", "font-size", "line-height")
#: Components whose ``background-color`` paints their own box.
_BACKGROUND = frozenset(
    {
        "mj-body",
        "mj-wrapper",
        "mj-section",
        "mj-column",
        "mj-group",
        "mj-hero",
        "mj-button",
        "mj-social-element",
        "mj-accordion-title",
        "mj-accordion-text",
        "mj-accordion-element",
        "mj-navbar",
    }
)
#: MJML's defaults that make a difference to what is seen (mjml 4).
_DEFAULTS: dict[str, dict[str, str]] = {
    "mj-button": {"background-color": "#414141", "color": "#ffffff"},
    "mj-text": {"color": "#000000"},
    "mj-navbar-link": {"color": "#000000"},
}


def is_mjml(text: str) -> bool:
    """An MJML source (``<mjml>`` or ``<mj-body>``), not compiled HTML: asked of the text
    (a search in C), not of the tree (a ``find`` over every element of every template)."""
    return _MJML_ROOT.search(text) is not None


_MJML_ROOT = re.compile(r"<mj(?:ml|-body)\b", re.I)


class MjmlAttributes:
    """The ``<mj-attributes>`` of one MJML source, and the CSS each component renders."""

    def __init__(self, soup: BeautifulSoup) -> None:
        #: ``<mj-all>``'s attributes, each component's defaults, each ``mj-class``.
        self.all: dict[str, str] = {}
        self.components: dict[str, dict[str, str]] = {}
        self.classes: dict[str, dict[str, str]] = {}
        self._resolved: dict[int, dict[str, str]] = {}
        for block in soup.find_all("mj-attributes"):
            for item in block.find_all(True):
                attributes = {k.lower(): _text(v) for k, v in item.attrs.items()}
                if item.name == "mj-all":
                    self.all.update(attributes)
                elif item.name == "mj-class":
                    name = attributes.pop("name", "")
                    if name:
                        self.classes.setdefault(name, {}).update(attributes)
                elif item.name.startswith("mj-"):
                    self.components.setdefault(item.name, {}).update(attributes)

    def attributes(self, element: Tag) -> dict[str, str]:
        """The attributes MJML gives ``element``, from its defaults up to its own."""
        known = self._resolved.get(id(element))
        if known is not None:
            return known
        name = element.name
        found = dict(_DEFAULTS.get(name, {}))
        found.update(self.all)
        found.update(self.components.get(name, {}))
        for cls in _text(element.get("mj-class", "")).split():
            found.update(self.classes.get(cls, {}))
        found.update({k.lower(): _text(v) for k, v in element.attrs.items()})
        self._resolved[id(element)] = found
        return found

    def declared(self, element: Tag) -> dict[str, str]:
        """The CSS ``element`` renders with (empty for an element that is not MJML's)."""
        name = element.name or ""
        if not name.startswith("mj-"):
            return {}
        attributes = self.attributes(element)
        css: dict[str, str] = {}
        if name in _TEXT:
            css.update({k: attributes[k] for k in _TEXT_ATTRIBUTES if attributes.get(k)})
        background = attributes.get("background-color") if name in _BACKGROUND else None
        background = background or attributes.get("container-background-color")
        if background:
            css["background-color"] = background
        image = attributes.get("background-url")
        if image:
            css["background-image"] = f"url({image})"
        return css

    def css_classes(self, element: Tag) -> list[str]:
        """The ``css-class`` names of ``element`` (from ``mj-class`` and ``mj-all`` too)."""
        if not (element.name or "").startswith("mj-"):
            return []
        return self.attributes(element).get("css-class", "").split()


def _text(value: object) -> str:
    if isinstance(value, list):  # bs4 splits multi-valued attributes it knows
        return " ".join(str(v) for v in value)
    return str(value)


def mjml_attributes(soup: BeautifulSoup | None, text: str) -> MjmlAttributes | None:
    """The MJML attributes of a source (``soup``, parsed from ``text``), ``None`` when it
    is not MJML."""
    if soup is None or not isinstance(soup, bs4.BeautifulSoup) or not is_mjml(text):
        return None
    return MjmlAttributes(soup)
