"""Form analysis stays linear in the nesting depth (issue 12): a form of nested,
unclosed tags ran past 60 s because MC310 took every element's text with ``get_text``,
which walks the element's descendants again."""

from __future__ import annotations

import pytest

from mailcheck.analysis.forms.page import short_texts
from mailcheck.analysis.forms.text import clean

from .conftest import page


def _deep_form(levels: int, refusal: str = "Non merci, je préfère payer plein tarif") -> str:
    return page(
        '<form action="/nl" method="post"><input type="email" name="email">'
        "<button>Oui, je veux -10 %</button>"
        + "<div><span>" * levels
        + f'<a href="#" class="close">{refusal}</a>'
        + "</span></div>" * levels
        + "</form>"
    )


def test_a_deep_form_is_judged_with_one_walk_of_the_page(forms, monkeypatch):
    from bs4 import Tag

    forms.mailchecker.make_config("[limits]\nmax-html-depth = 5000\n")
    calls = []
    real = Tag.get_text

    def counted(self, *args, **kwargs):
        calls.append(self.name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Tag, "get_text", counted)
    # The refusal is still found at the bottom of 1,500 levels (3,000 elements).
    assert forms.hits(_deep_form(1500), "MC310") == [(4, "info")]
    assert calls.count("div") + calls.count("span") == 0, len(calls)


@pytest.mark.parametrize(
    "html",
    [
        "<p>Non <b>merci</b>,<br> je <!-- caché --> préfère <i>payer</i> plein tarif</p>",
        "<div><script>var x = 1;</script><span>  Non merci  </span>\n\n<a>ok</a></div>",
        "<div>" + "<span>mot </span>" * 200 + "</div>",
        "<button><![CDATA[Non]]> merci</button>",
    ],
)
def test_short_texts_are_the_texts_get_text_gives(html):
    from mailcheck.documents import parse_html

    soup = parse_html(html)
    texts = short_texts(soup)
    for tag in soup.find_all(True):
        if tag.name in ("script", "style"):
            continue
        full = clean(tag.get_text(" "))
        mine = texts[id(tag)]
        if mine is None:
            assert len("".join(full.split())) > 140
        else:
            assert clean(mine) == full
