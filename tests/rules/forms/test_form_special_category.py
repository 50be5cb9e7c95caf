"""MC309 special-category-field."""

from __future__ import annotations

from .conftest import page


def test_religion_select_on_newsletter_signup(forms):
    html = page(
        '<form action="/boletin" method="post">\n'  # 4
        '<input type="email" name="email">\n'
        '<label for="rel">Religión</label>\n'
        '<select id="rel" name="religion"><option>Católica</option><option>Otra</option>'  # 7
        "</select>\n"
        "<button>Suscribirme</button>\n</form>",
        "es",
    )
    assert forms.hits(html, "MC309") == [(7, "warning")]


def test_health_question_radio_group_reported_once(forms):
    html = page(
        '<form action="/newsletter" method="post">\n'  # 4
        '<input type="email" name="email">\n'
        "<p>Do you have diabetes?</p>\n"
        '<label><input type="radio" name="diab" value="y"> Yes</label>\n'  # 7
        '<label><input type="radio" name="diab" value="n"> No</label>\n'
        "<button>Subscribe</button>\n</form>",
        "en",
    )
    assert forms.hits(html, "MC309") == [(7, "warning")]


def test_interest_topics_and_explicit_consent_are_fine(forms):
    topics = page(
        '<form action="/newsletter" method="post">\n'
        '<input type="email" name="email">\n'
        "<fieldset><legend>Vos thèmes préférés</legend>\n"
        '<label><input type="checkbox" name="t" value="mode"> Mode</label>\n'
        '<label><input type="checkbox" name="t" value="sante"> Santé</label>\n'
        "</fieldset>\n<button>S'inscrire</button>\n</form>"
    )
    assert forms.hits(topics, "MC309") == []
    explicit = page(
        '<form action="/newsletter" method="post">\n'
        '<input type="email" name="email">\n'
        '<label for="g">Êtes-vous enceinte ?</label><input id="g" name="grossesse">\n'
        '<label><input type="checkbox" name="c9"> J\'accepte que mes données de santé '
        "soient utilisées pour personnaliser la newsletter</label>\n"
        "<button>S'inscrire</button>\n</form>"
    )
    assert forms.hits(explicit, "MC309") == []


def test_contact_form_without_marketing_is_out_of_scope(forms):
    html = page(
        '<form action="/contact" method="post">\n'
        '<input type="email" name="email">\n'
        '<label for="m">Décrivez votre handicap pour adapter votre visite</label>\n'
        '<textarea id="m" name="message"></textarea>\n'
        "<button>Envoyer</button>\n</form>"
    )
    assert forms.hits(html, "MC309") == []
