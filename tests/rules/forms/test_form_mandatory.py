"""MC304 mandatory-marketing-consent."""

from __future__ import annotations

from .conftest import page


def test_required_marketing_box_on_checkout(forms):
    html = page(
        '<form action="/encomenda" method="post">\n'  # 4
        '<input type="email" name="email">\n'
        '<input type="text" name="cc" autocomplete="cc-number">\n'
        '<input type="checkbox" id="m" name="marketing" aria-required="true">\n'  # 7
        '<label for="m">Quero receber promoções por e-mail</label>\n'
        "<button>Pagar</button>\n</form>",
        "pt",
    )
    assert forms.hits(html, "MC304") == [(7, "error")]
    assert "checkout form" in forms.messages(html, "MC304")[0]


def test_required_newsletter_box_on_newsletter_form_is_fine(forms):
    html = page(
        '<form action="/newsletter" method="post">\n'
        '<input type="email" name="email">\n'
        '<label><input type="checkbox" name="OPT_IN" value="1" required> '
        "J'accepte de recevoir vos newsletters</label>\n"
        "<button>S'inscrire</button>\n</form>"
    )
    assert forms.hits(html, "MC304") == []


def test_required_partner_box_on_newsletter_form_is_reported(forms):
    html = page(
        '<form action="/newsletter" method="post">\n'  # 4
        '<input type="email" name="email">\n'
        '<label><input type="checkbox" name="p" required> '  # 6
        "I agree to receive offers from selected partners (Acme, Globex)</label>\n"
        "<button>Subscribe</button>\n</form>",
        "en",
    )
    assert forms.hits(html, "MC304") == [(6, "error")]


def test_required_terms_box_is_not_marketing(forms):
    html = page(
        '<form action="/checkout" method="post">\n'
        '<input type="email" name="email">\n'
        '<input type="text" name="cardnumber">\n'
        '<label><input type="checkbox" name="terms" required> I accept the terms and conditions'
        "</label>\n"
        "<button>Place order</button>\n</form>",
        "en",
    )
    assert forms.hits(html, "MC304") == []


def test_required_yes_no_radio_lets_the_user_refuse(forms):
    html = page(
        '<form action="/registrazione" method="post">\n'
        '<input type="email" name="email"><input type="password" name="password">\n'
        "<p>Consenso al trattamento per finalità di marketing</p>\n"
        '<label><input type="radio" name="mkt" value="1" required> Acconsento</label>\n'
        '<label><input type="radio" name="mkt" value="0" required> Non acconsento</label>\n'
        "<button>Registrati</button>\n</form>",
        "it",
    )
    assert forms.hits(html, "MC304") == []


def test_callback_about_the_request_is_not_marketing(forms):
    html = page(
        '<form action="/devis" method="post">\n'
        '<input type="email" name="email"><textarea name="projet"></textarea>\n'
        '<label><input type="checkbox" name="rappel" required> Je souhaite être recontacté '
        "par e-mail ou par téléphone au sujet de ma demande</label>\n"
        "<button>Demander un devis</button>\n</form>"
    )
    assert forms.hits(html, "MC304") == []
    assert forms.hits(html, "MC302") == []
