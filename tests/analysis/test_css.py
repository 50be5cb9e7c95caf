"""The CSS cascade (src/mailcheck/analysis/css.py)."""

from __future__ import annotations

from mailcheck.analysis.body import tag_index
from mailcheck.analysis.css import Styles
from mailcheck.documents import Body


def body(html: str) -> Body:
    return Body(html)


def test_styles_specificity_important_and_media(ctx):
    doc = body(
        "<style>a { color: #111111; } .f a { color: #222222; } #x { color: #333333; }"
        " .g a { color: #444444 !important; }"
        " @media (max-width: 600px) { .f a { color: #ffffff; } }</style>"
        '<div class="f g"><a id="x" style="color:#555555">u</a></div>'
    )
    styles = Styles(tag_index(doc, ctx).styles)
    anchor = doc.soup.find("a")
    assert styles.declared(anchor)["color"] == "#444444"
