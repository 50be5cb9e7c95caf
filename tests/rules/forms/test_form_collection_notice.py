"""MC307 collection-notice-missing."""

from __future__ import annotations

BARE = (
    '<!DOCTYPE html>\n<html lang="fr">\n<body>\n'
    '<form action="/newsletter" method="post">\n'  # 4
    '<input type="email" name="email">\n'
    "<button>S'inscrire</button>\n"
    "{extra}</form>\n</body>\n</html>\n"
)


def test_signup_without_notice(forms):
    html = BARE.format(extra="")
    assert forms.hits(html, "MC307") == [(4, "warning")]


def test_unsubscribe_statement_or_privacy_link_is_enough(forms):
    for extra in (
        "<p>Vous pouvez vous désinscrire à tout moment.</p>\n",
        '<a href="/datenschutz">Hinweise</a>\n',
        "<p>Vos données personnelles ne sont jamais revendues.</p>\n",
    ):
        assert forms.hits(BARE.format(extra=extra), "MC307") == [], extra


def test_login_form_needs_no_marketing_notice(forms):
    html = (
        "<!DOCTYPE html>\n<html>\n<body>\n"
        '<form action="/login" method="post">\n'
        '<input type="email" name="email">\n<input type="password" name="pw">\n'
        "<button>Log in</button>\n</form>\n</body>\n</html>\n"
    )
    assert forms.hits(html, "MC307") == []


def test_checkout_with_marketing_box_and_no_notice(forms):
    html = (
        "<!DOCTYPE html>\n<html>\n<body>\n"
        '<form action="/checkout" method="post">\n'  # 4
        '<input type="email" name="email">\n<input type="text" name="card_number">\n'
        '<label><input type="checkbox" name="nl"> Yes, you can email me</label>\n'
        "<button>Pay now</button>\n</form>\n</body>\n</html>\n"
    )
    assert forms.hits(html, "MC307") == [(4, "warning")]
    named = html.replace("Yes, you can email me", "Send me your newsletter")
    assert forms.hits(named, "MC307") == []  # the purpose is stated


def test_purpose_in_the_heading_counts(forms):
    html = BARE.replace("<form", "<h3>Notre newsletter mensuelle</h3>\n<form").format(extra="")
    assert forms.hits(html, "MC307") == []


def test_email_only_forms_that_are_not_signups(forms):
    for button in (
        "Réinitialiser mon mot de passe",
        "Notify me when available",
        "Se connecter",
        "Sendung verfolgen",
    ):
        html = BARE.replace("<button>S'inscrire</button>", f"<button>{button}</button>")
        assert forms.hits(html.format(extra=""), "MC307") == [], button


def test_privacy_url_extends_from_config(forms):
    html = BARE.format(extra='<a href="/schutz">Hinweise</a>\n')
    assert forms.hits(html, "MC307") == [(4, "warning")]
    forms.mailchecker.make_config('[keywords]\nprivacy_url = ["schutz"]\n')
    assert forms.hits(html, "MC307") == []
