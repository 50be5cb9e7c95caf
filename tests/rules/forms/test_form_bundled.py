"""MC302 bundled-purposes."""

from __future__ import annotations

from .conftest import page


def _one_box(label: str, lang: str = "fr") -> str:
    return page(
        '<form action="/signup" method="post">\n'  # 4
        '<input type="email" name="email">\n'  # 5
        f'<label><input type="checkbox" name="optin"> {label}</label>\n'  # 6
        "<button>OK</button>\n</form>",
        lang,
    )


def test_newsletter_and_partners_is_an_error(forms):
    html = _one_box("Je souhaite recevoir la newsletter et les offres de nos partenaires")
    assert forms.hits(html, "MC302") == [(6, "error")]
    (message,) = forms.messages(html, "MC302")
    assert '"newsletter"' in message and '"partenaires"' in message


def test_offers_and_profiling_is_an_error(forms):
    html = _one_box("Ich möchte personalisierte Angebote auf Basis meines Surfverhaltens", "de")
    assert forms.hits(html, "MC302") == [(6, "error")]


def test_own_offers_and_partner_offers_is_an_error(forms):
    html = _one_box("Recevez nos offres et celles de nos partenaires")
    assert forms.hits(html, "MC302") == [(6, "error")]


def test_email_and_sms_is_a_warning(forms):
    html = _one_box("Quiero recibir ofertas por correo electrónico y SMS", "es")
    assert forms.hits(html, "MC302") == [(6, "warning")]
    assert 'SMS ("SMS")' in forms.messages(html, "MC302")[0]


def test_newsletter_and_own_offers_is_a_warning_that_can_be_turned_off(forms, mailchecker):
    html = _one_box("Desidero ricevere la newsletter e le offerte", "it")
    assert forms.hits(html, "MC302") == [(6, "warning")]
    mailchecker.make_config('[rules.MC302]\n"newsletter-offers" = false\n')
    assert forms.hits(html, "MC302") == []


def test_single_purposes_are_not_bundling(forms):
    for label in (
        "J'accepte de recevoir les offres de nos partenaires",  # partner offers: one purpose
        "I'd like to receive news and updates about your products",
        "Ik wil de nieuwsbrief per e-mail ontvangen",
        "Je souhaite recevoir vos bons plans par SMS",
    ):
        assert forms.hits(_one_box(label), "MC302") == [], label


def test_separate_boxes_are_fine(forms):
    html = page(
        '<form>\n<input type="email" name="email">\n'
        '<label><input type="checkbox" name="nl"> Recevoir la newsletter</label>\n'
        '<label><input type="checkbox" name="sms"> Recevoir les offres par SMS</label>\n'
        '<label><input type="checkbox" name="p"> Recevoir les offres de nos partenaires '
        '(<a href="/partenaires">liste</a>)</label>\n'
        "<button>OK</button>\n</form>"
    )
    assert forms.hits(html, "MC302") == []


def test_overlapping_keywords_count_once(forms):
    # "por correo electrónico" is e-mail only (not also "por correo", post)
    html = _one_box("Sí, quiero recibir ofertas por correo electrónico", "es")
    assert forms.hits(html, "MC302") == []


def test_own_information_and_partners_with_possessive(forms):
    html = _one_box(
        "Je souhaite recevoir des informations sur les produits et services de la société "
        "Durand et de ses partenaires"
    )
    assert forms.hits(html, "MC302") == [(6, "error")]


def test_company_and_third_parties_in_one_box(forms):
    html = _one_box("Acepto recibir comunicaciones comerciales de la empresa y de terceros", "es")
    assert forms.hits(html, "MC302") == [(6, "error")]
