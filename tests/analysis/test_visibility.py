"""Whether a reader sees a link (src/mailcheck/analysis/visibility.py)."""

from __future__ import annotations

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
