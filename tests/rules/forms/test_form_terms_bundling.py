"""MC303 consent-bundled-with-terms."""

from __future__ import annotations

import pytest

from .conftest import page

CHECKOUT_TOP = (
    '<form action="/checkout" method="post">\n'  # 4
    '<input type="email" name="email">\n'  # 5
    '<input type="text" name="card" autocomplete="cc-number">\n'  # 6
)


def test_terms_and_offers_in_one_box(forms):
    html = page(
        CHECKOUT_TOP + '<label><input type="checkbox" name="cgv" required> '  # 7
        "J'accepte les conditions générales de vente et de recevoir vos offres</label>\n"
        "<button>Payer</button>\n</form>"
    )
    assert forms.hits(html, "MC303") == [(7, "error")]
    assert '"conditions générales de vente"' in forms.messages(html, "MC303")[0]


def test_consent_implied_by_ordering(forms):
    html = page(
        CHECKOUT_TOP
        + "<p>Door je bestelling te plaatsen ga je akkoord met onze voorwaarden.</p>\n"  # 7
        "<p>Door te bestellen ontvang je ook onze nieuwsbrief en aanbiedingen.</p>\n"  # 8
        "<button>Bestellen</button>\n</form>",
        "nl",
    )
    assert forms.hits(html, "MC303") == [(8, "error")]


def test_implied_sentence_after_the_form_counts(forms):
    html = page(
        '<form action="/account/create" method="post">\n'  # 4
        '<input type="email" name="email">\n'
        '<input type="password" name="password">\n'
        "<button>Create account</button>\n</form>\n"  # 8
        "<p>By creating an account you agree to receive marketing emails from us.</p>",  # 9
        "en",
    )
    assert forms.hits(html, "MC303") == [(9, "error")]


def test_newsletter_form_subscribing_is_the_consent(forms):
    html = page(
        '<form action="/newsletter" method="post">\n'
        '<input type="email" name="email">\n'
        "<button>Abonnieren</button>\n"
        "<p>Mit Ihrer Anmeldung erklären Sie sich einverstanden, unseren Newsletter zu "
        "erhalten.</p>\n"
        '<label><input type="checkbox" name="dsgvo" required> Ich möchte den Newsletter '
        "erhalten und akzeptiere die Datenschutzerklärung</label>\n</form>",
        "de",
    )
    assert forms.hits(html, "MC303") == []


FORM_TOPS = {
    "newsletter": '<form action="/newsletter" method="post">\n<input type="email" name="email">',
    # an account form without a password field reads as a signup: the kind does not matter
    "account": '<form action="/compte" method="post">\n<input type="email" name="email">',
    "signup": '<form action="/signup" method="post">\n<input type="text" name="name">'
    '<input type="email" name="email">',
    "password": '<form action="/register" method="post">\n<input type="email" name="email">'
    '<input type="password" name="pw">',
}


@pytest.mark.parametrize("kind", sorted(FORM_TOPS))
@pytest.mark.parametrize(
    ("lang", "label", "terms"),
    [
        (
            "fr",
            "J'accepte les conditions générales de vente et de recevoir les offres "
            "commerciales de Bougies Lumière",
            "conditions générales de vente",
        ),
        ("fr", "J'ai lu et j'accepte les CGV et j'accepte de recevoir la newsletter", "CGV"),
        (
            "en",
            "I agree to the Terms of Service and to receive marketing emails",
            "Terms of Service",
        ),
        ("de", "Ich akzeptiere die AGB und möchte den Newsletter erhalten", "AGB"),
        (
            "es",
            "Acepto los términos y condiciones y recibir ofertas comerciales",
            "términos y condiciones",
        ),
        (
            "it",
            "Accetto i termini e condizioni e di ricevere la newsletter",
            "termini e condizioni",
        ),
        (
            "nl",
            "Ik ga akkoord met de algemene voorwaarden en wil de nieuwsbrief ontvangen",
            "algemene voorwaarden",
        ),
        (
            "pt",
            "Aceito os termos e condições e receber ofertas promocionais por e-mail",
            "termos e condições",
        ),
    ],
)
def test_terms_and_marketing_in_one_box_on_every_form(forms, kind, lang, label, terms):
    html = page(
        FORM_TOPS[kind] + "\n"  # 4-5
        f'<label><input type="checkbox" name="terms" required> {label}</label>\n'  # 6
        "<button>OK</button>\n</form>",
        lang,
    )
    assert forms.hits(html, "MC303") == [(6, "error")]
    assert f'"{terms}"' in forms.messages(html, "MC303")[0]


@pytest.mark.parametrize("kind", sorted(FORM_TOPS))
@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("fr", "Je souhaite recevoir la newsletter"),
        ("fr", "J'accepte les conditions générales de vente"),
        ("en", "I agree to the Terms of Service"),
        ("de", "Ich möchte den Newsletter erhalten"),
        (
            "it",
            "Acconsento al trattamento dei dati ai sensi del Regolamento UE 2016/679 per "
            "ricevere la newsletter",
        ),
        (
            "fr",
            "Je souhaite recevoir la newsletter, conformément au règlement général sur la "
            "protection des données",
        ),
        (
            "pt",
            "Quero receber a newsletter nos termos do Regulamento Geral sobre a Proteção de Dados",
        ),
    ],
)
def test_newsletter_alone_or_terms_alone_are_not_bundled(forms, kind, lang, label):
    html = page(
        FORM_TOPS[kind] + "\n"
        f'<label><input type="checkbox" name="c"> {label}</label>\n'
        "<button>OK</button>\n</form>",
        lang,
    )
    assert forms.hits(html, "MC303") == []


def test_newsletter_form_that_adds_partners_is_reported(forms):
    html = page(
        '<form action="/newsletter" method="post">\n'  # 4
        '<input type="email" name="email">\n'
        "<button>Suscribirme</button>\n"
        "<p>Al suscribirte aceptas recibir ofertas de terceros.</p>\n</form>",  # 7
        "es",
    )
    assert forms.hits(html, "MC303") == [(7, "error")]


def test_separate_box_and_terms_sentence_are_fine(forms):
    html = page(
        CHECKOUT_TOP
        + '<label><input type="checkbox" name="offers"> Je souhaite recevoir vos offres</label>\n'
        '<div><input type="checkbox" name="sms"> <small>En cochant cette case ou en cliquant '
        "ici, vous acceptez de recevoir nos bons plans par SMS.</small></div>\n"
        "<p>En validant votre commande, vous acceptez nos CGV.</p>\n"
        "<button>Valider ma commande</button>\n</form>"
    )
    assert forms.hits(html, "MC303") == []


def test_ordering_sentence_is_reported_even_with_a_newsletter_box(forms):
    html = page(
        CHECKOUT_TOP
        + '<label><input type="checkbox" name="nl"> Ja, ich möchte den Newsletter</label>\n'
        "<p>Mit Klick auf „Zahlungspflichtig bestellen“ stimmen Sie zu, dass wir Ihnen "  # 8
        "Produktempfehlungen per E-Mail senden.</p>\n"
        "<button>Zahlungspflichtig bestellen</button>\n</form>",
        "de",
    )
    assert forms.hits(html, "MC303") == [(8, "error")]


def test_provider_transfer_sentence_is_not_partner_consent(forms):
    html = page(
        '<form action="https://x.us1.list-manage.com/subscribe/post?u=1&amp;id=2" method="post">\n'
        '<input type="email" name="EMAIL">\n<input type="submit" value="S\'abonner">\n'
        "<p>En vous inscrivant, vous acceptez que vos données soient transférées à Mailchimp, "
        "notre prestataire tiers, pour traitement.</p>\n</form>"
    )
    assert forms.hits(html, "MC303") == []
    assert forms.hits(html, "MC308") == []
