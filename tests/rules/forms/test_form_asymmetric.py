"""MC310 asymmetric-choice."""

from __future__ import annotations

from .conftest import page


def test_confirmshaming_refusal(forms):
    html = page(
        '<div class="popup">\n'  # 4
        '<form action="/nl" method="post"><input type="email" name="email">'  # 5
        "<button>Oui, je veux -10 %</button></form>\n"
        '<a href="#" class="close">Non merci, je préfère payer plein tarif</a>\n'  # 6
        "</div>"
    )
    assert forms.hits(html, "MC310") == [(6, "info")]


def test_tiny_refusal_link_next_to_button(forms):
    html = page(
        "<div>\n"  # 4
        '<form action="/nl" method="post"><input type="email" name="email">'
        "<button>Subscribe</button>\n"
        '<a href="#" style="font-size:9px;color:#ccc">No thanks</a></form>\n'  # 6
        "</div>",
        "en",
    )
    assert forms.hits(html, "MC310") == [(6, "info")]


def test_plain_refusal_is_fine(forms):
    html = page(
        '<div class="popup">\n'
        '<form action="/nl" method="post"><input type="email" name="email">'
        "<button>Je m'inscris</button></form>\n"
        '<button type="button" class="close">Non merci</button>\n'
        "</div>"
    )
    assert forms.hits(html, "MC310") == []
