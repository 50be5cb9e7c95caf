"""The CSS cascade (src/mailcheck/analysis/css.py)."""

from __future__ import annotations

from mailcheck.analysis.body import tag_index
from mailcheck.analysis.css import Styles, parse_declarations
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


def test_data_url_is_not_cut_at_its_semicolon(ctx):
    doc = body(
        "<style>.f { background: url(data:image/png;base64,iVBORw0KGgo=) #fefefe; "
        "color: #ffffff; } /* a; comment */</style>"
        '<p class="f"><a style="background-image:url(\'data:image/gif;base64,R0lGOD\');'
        'color:hsl(0, 0%, 99%)">u</a></p>'
    )
    styles = Styles(tag_index(doc, ctx).styles)
    paragraph, anchor = doc.soup.find("p"), doc.soup.find("a")
    assert styles.declared(paragraph) == {
        "background": "url(data:image/png;base64,iVBORw0KGgo=) #fefefe",
        "color": "#ffffff",
    }
    assert styles.declared(anchor) == {
        "background-image": 'url("data:image/gif;base64,R0lGOD")',
        "color": "hsl(0, 0%, 99%)",
    }


def test_parse_declarations_important_and_broken_declarations():
    assert parse_declarations("color: red !important; ; width 10px; height:1px") == {
        "color": ("red", True),
        "height": ("1px", False),
    }
