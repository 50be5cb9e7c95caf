"""MC306 opt-out-wording."""

from __future__ import annotations

from .conftest import page


def test_opt_out_box_on_signup_form_is_a_warning(forms):
    html = page(
        '<form action="/inscription" method="post">\n'  # 4
        '<input type="email" name="email">\n'
        '<input type="checkbox" id="x" name="no_offers">\n'  # 6
        '<label for="x">Cochez cette case si vous ne souhaitez pas recevoir nos offres</label>\n'
        "<button>Je m'inscris</button>\n</form>"
    )
    assert forms.hits(html, "MC306") == [(6, "warning")]


def test_opt_out_box_on_checkout_is_info(forms):
    html = page(
        '<form action="/checkout" method="post">\n'  # 4
        '<input type="email" name="email">\n'
        '<input type="text" name="card_number">\n'
        '<label><input type="checkbox" name="x"> Non desidero ricevere comunicazioni '  # 7
        "commerciali</label>\n"
        "<button>Paga ora</button>\n</form>",
        "it",
    )
    assert forms.hits(html, "MC306") == [(7, "info")]
    assert "customer exception" in forms.messages(html, "MC306")[0]


def test_positive_wording_is_fine(forms):
    html = page(
        "<form>\n"
        '<input type="email" name="email">\n'
        '<label><input type="checkbox" name="x"> I want to receive your offers</label>\n'
        "<button>OK</button>\n</form>",
        "en",
    )
    assert forms.hits(html, "MC306") == []
