"""MC305 hidden-preset-consent."""

from __future__ import annotations

from .conftest import page


def test_hidden_optin_on_account_form(forms):
    html = page(
        '<form action="/register" method="post">\n'  # 4
        '<input type="email" name="email">\n'
        '<input type="password" name="password">\n'
        '<input type="hidden" name="optin" value="1">\n'  # 7
        '<input type="hidden" name="rgpd_partenaires" value="oui">\n'  # 8
        "<button>Créer mon compte</button>\n</form>"
    )
    assert forms.hits(html, "MC305") == [(7, "error"), (8, "error")]
    assert 'hidden input "optin"' in forms.messages(html, "MC305")[0]


def test_css_hidden_ticked_box(forms):
    html = page(
        '<form action="/checkout" method="post">\n'  # 4
        '<input type="email" name="email">\n'
        '<div style="display:none">\n'
        '<label><input type="checkbox" name="nl" checked> Newsletter abonnieren</label>\n'  # 7
        "</div>\n"
        "<button>Bestellen</button>\n</form>",
        "de",
    )
    assert forms.hits(html, "MC305") == [(7, "error")]
    assert forms.hits(html, "MC301") == []  # reported once, as hidden


def test_technical_hidden_fields_are_fine(forms):
    html = page(
        '<form action="/register" method="post">\n'
        '<input type="email" name="email">\n'
        '<input type="password" name="password">\n'
        '<input type="hidden" name="newsletter_list_id" value="1">\n'
        '<input type="hidden" name="double_optin" value="true">\n'
        '<input type="hidden" name="customer[accepts_marketing]" value="false">\n'
        '<input type="hidden" name="consent_text" value="J\'accepte de recevoir la newsletter">\n'
        '<input type="hidden" name="tags" value="newsletter">\n'
        "<button>Créer mon compte</button>\n</form>"
    )
    assert forms.hits(html, "MC305") == []


def test_hidden_newsletter_flag_on_newsletter_form_is_fine(forms):
    html = page(
        '<form action="/newsletter" method="post">\n'
        '<input type="email" name="email">\n'
        '<input type="hidden" name="newsletter" value="1">\n'
        "<button>Je m'inscris</button>\n</form>"
    )
    assert forms.hits(html, "MC305") == []


def test_custom_styled_box_with_label_is_visible(forms):
    html = page(
        "<form>\n"  # 4
        '<input type="email" name="email">\n'
        '<input type="checkbox" id="nl" name="nl" style="display:none" checked>\n'  # 6
        '<label for="nl" class="fancy-box">Je souhaite recevoir la newsletter</label>\n'
        "<button>OK</button>\n</form>"
    )
    assert forms.hits(html, "MC305") == []
    assert forms.hits(html, "MC301") == [(6, "error")]
