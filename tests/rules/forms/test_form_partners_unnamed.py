"""MC308 partners-unnamed."""

from __future__ import annotations

from .conftest import page


def _box(label: str) -> str:
    return page(
        '<form action="/inscription" method="post">\n'  # 4
        '<input type="email" name="email">\n'
        f'<label><input type="checkbox" name="p"> {label}</label>\n'  # 6
        "<button>Valider</button>\n</form>"
    )


def test_unnamed_partners(forms):
    html = _box("J'accepte que mes données soient transmises à des sociétés partenaires")
    assert forms.hits(html, "MC308") == [(6, "warning")]
    assert '"sociétés partenaires"' in forms.messages(html, "MC308")[0]


def test_link_to_partner_list_next_to_the_box(forms):
    html = _box(
        'J\'accepte de recevoir les offres de nos partenaires (<a href="/partenaires">'
        "voir la liste</a>)"
    )
    assert forms.hits(html, "MC308") == []


def test_partners_named_in_the_label(forms):
    html = _box("Ich möchte Angebote unserer Partner (Acme GmbH, Globex AG) erhalten")
    assert forms.hits(html, "MC308") == []


def test_partner_list_elsewhere_on_the_page(forms):
    html = page(
        '<form action="/inscription" method="post">\n'
        '<input type="email" name="email">\n'
        '<label><input type="checkbox" name="p"> Offers from third parties</label>\n'
        "<button>Join</button>\n</form>\n"
        '<ul class="partners-list"><li>Acme</li><li>Globex</li><li>Initech</li></ul>',
        "en",
    )
    assert forms.hits(html, "MC308") == []


def test_partner_markup_extends_from_config(forms):
    html = _box('J\'accepte de recevoir les offres de nos partenaires (<a href="/reseau">ici</a>)')
    assert forms.hits(html, "MC308") == [(6, "warning")]
    forms.mailchecker.make_config('[keywords]\npartner_markup = ["reseau"]\n')
    assert forms.hits(html, "MC308") == []
