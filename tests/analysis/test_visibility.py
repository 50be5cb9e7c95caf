"""Whether a reader sees a link (src/mailcheck/analysis/visibility.py)."""

from __future__ import annotations

import pytest

from mailcheck.analysis.visibility import visibility
from mailcheck.documents import Body


def body(html: str) -> Body:
    return Body(html)


def test_descendant_selector_needs_the_ancestor(ctx):
    doc = body('<style>.footer a { display: none; }</style><div><a href="x">Unsubscribe</a></div>')
    assert visibility(doc.soup.find("a"), doc, ctx).hidden is None
    doc = body(
        '<style>.footer a { display: none; }</style><div class="footer"><a href="x">U</a></div>'
    )
    assert "display:none" in str(visibility(doc.soup.find("a"), doc, ctx).hidden)


def _unsubscribe(doc: Body):
    return doc.soup.find("a", href="https://shop.example/u")


@pytest.mark.parametrize(
    "image",
    [
        '<img src="p.gif" width="1" height="1" alt="Unsubscribe">',
        '<img src="p.gif" width="0" height="0" alt="Se désinscrire">',
        '<img src="p.gif" style="width:1px;height:1px" alt="Abmelden">',
        '<img src="p.gif" width="600" style="height:1px" alt="Afmelden">',
        '<img src="p.gif" width="120" height="40" style="display:none" alt="Darse de baja">',
    ],
)
def test_a_link_that_is_only_a_tiny_image_is_hidden(ctx, image):
    doc = body(f'<p><a href="https://shop.example/u">{image}</a></p>')
    assert "image of" in str(visibility(_unsubscribe(doc), doc, ctx).hidden)


@pytest.mark.parametrize(
    "content",
    [
        '<img src="u.png" width="120" height="30" alt="Unsubscribe">',
        '<img src="u.png" alt="Unsubscribe">',  # size unknown: an ordinary image link
        '<img src="p.gif" width="1" height="1" alt="">Unsubscribe',  # the text is seen
        '<img src="p.gif" width="1" height="1"><img src="u.png" width="90" height="20">',
    ],
)
def test_an_image_link_of_a_real_size_is_not_hidden(ctx, content):
    doc = body(f'<p><a href="https://shop.example/u">{content}</a></p>')
    assert visibility(_unsubscribe(doc), doc, ctx).hidden is None


def test_the_body_link_colour_paints_links_that_set_none(ctx):
    page = (
        '<body bgcolor="#ffffff" link="{link}"><table bgcolor="#ffffff"><tr><td>'
        '<a href="https://shop.example/u">{text}</a></td></tr></table></body>'
    )
    doc = body(page.format(link="#ffffff", text="Se désinscrire"))
    assert "#ffffff on background #ffffff" in str(visibility(_unsubscribe(doc), doc, ctx).hidden)
    doc = body(page.format(link="#fefefe", text='<span style="color:#333">Unsubscribe</span>'))
    assert visibility(_unsubscribe(doc), doc, ctx).hidden is None
    doc = body(page.format(link="#1a0dab", text="Unsubscribe"))
    assert visibility(_unsubscribe(doc), doc, ctx).hidden is None
