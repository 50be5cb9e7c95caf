"""MC301 pre-ticked-consent."""

from __future__ import annotations

from .conftest import page


def test_checked_partner_box_is_an_error_on_its_line(forms):
    html = page(
        '<form action="/inscription" method="post">\n'  # line 4
        '<input type="email" name="email">\n'
        '<input type="checkbox" id="p" name="p" checked>\n'  # line 6
        '<label for="p">J\'accepte de recevoir les offres de nos partenaires</label>\n'
        "<button>Je m'inscris</button>\n</form>"
    )
    assert forms.hits(html, "MC301") == [(6, "error")]
    (message,) = forms.messages(html, "MC301")
    assert "J'accepte de recevoir les offres de nos partenaires" in message
    assert "is not consent" in message  # the law (Planet49) is in the reference, not here


def test_yes_radio_and_yes_select_and_toggle_on(forms):
    html = page(
        '<form action="/register" method="post">\n'  # 4
        '<input type="email" name="email">\n'  # 5
        "<p>Would you like to receive our offers by email?</p>\n"  # 6
        '<label><input type="radio" name="offers" value="yes" checked> Yes</label>\n'  # 7
        '<label><input type="radio" name="offers" value="no"> No</label>\n'  # 8
        '<label for="sms">Texto-Angebote erhalten?</label>\n'  # 9
        '<select id="sms" name="sms_optin"><option value="1">Ja</option>'  # 10
        '<option value="0">Nein</option></select>\n'
        '<button type="button" role="switch" aria-checked="true" '  # 11
        'aria-label="Quiero recibir ofertas por WhatsApp"></button>\n'
        '<button type="submit">Sign up</button>\n</form>',
        "en",
    )
    assert forms.hits(html, "MC301") == [(7, "error"), (10, "error"), (11, "error")]


def test_jsx_default_checked_and_template_condition(forms):
    html = page(
        "<form>\n"  # 4
        '<input type="email" name="email">\n'
        '<label><input type="checkbox" name="newsletter" defaultChecked> '  # 6
        "Iscrivimi alla newsletter</label>\n"
        '<label><input type="checkbox" name="promo" {% if optin %}checked{% endif %}> '  # 7
        "Desejo receber promoções</label>\n"
        "<button>OK</button>\n</form>"
    )
    assert forms.hits(html, "MC301") == [(6, "error"), (7, "info")]
    assert "does not tell whether it starts ticked" in forms.messages(html, "MC301")[1]


def test_non_consent_ticked_boxes_are_left_alone(forms):
    html = page(
        '<form action="/checkout" method="post">\n'
        '<input type="email" name="email">\n'
        '<label><input type="checkbox" name="remember" checked> Se souvenir de moi</label>\n'
        '<label><input type="checkbox" name="same" checked> Same as billing address</label>\n'
        '<label><input type="checkbox" name="gift" checked> Geschenkverpackung</label>\n'
        '<label><input type="checkbox" name="cgv" checked> J\'accepte les CGV</label>\n'
        '<label><input type="checkbox" name="n" checked> Je ne souhaite pas recevoir '
        "d'offres</label>\n"
        '<label><input type="checkbox" name="nl"> Je souhaite recevoir la newsletter</label>\n'
        "<p>Recevoir nos offres ?</p>\n"
        '<label><input type="radio" name="o" value="1"> Oui</label>\n'
        '<label><input type="radio" name="o" value="0" checked> Non</label>\n'
        '<select name="newsletter"><option value="">-- Choisir --</option>'
        '<option value="1">Oui</option></select>\n'
        "<button>Commander</button>\n</form>"
    )
    assert forms.hits(html, "MC301") == []


def test_italian_consent_radios_read_their_question(forms):
    html = page(
        '<form action="/registrazione" method="post">\n'  # 4
        '<input type="email" name="email"><input type="password" name="password">\n'
        "<p>Consenso al trattamento dei dati per finalità di marketing</p>\n"
        '<label><input type="radio" name="mkt" value="1" checked> Acconsento</label>\n'  # 7
        '<label><input type="radio" name="mkt" value="0"> Non acconsento</label>\n'
        "<p>Comunicazione dei dati a società terze</p>\n"
        '<label><input type="radio" name="terzi" value="1"> Acconsento</label>\n'
        '<label><input type="radio" name="terzi" value="0" checked> Non acconsento</label>\n'
        "<button>Registrati</button>\n</form>",
        "it",
    )
    assert forms.hits(html, "MC301") == [(7, "error")]
    assert forms.hits(html, "MC306") == []  # "Non acconsento" radios are a real choice


def test_generic_wishes_without_a_purpose_are_not_consent(forms):
    html = page(
        '<form action="/kasse" method="post">\n'
        '<input type="email" name="email"><input name="strasse"><input name="plz">\n'
        '<label><input type="checkbox" name="konto" checked> Ich möchte ein Kundenkonto '
        "anlegen</label>\n"
        '<label><input type="checkbox" name="c" checked> Je souhaite être livré en point '
        "relais</label>\n"
        '<label><input type="checkbox" name="copy" checked> Send me a copy by email</label>\n'
        '<label><input type="checkbox" name="ship" checked> ¿Enviar a una dirección '
        "diferente?</label>\n"
        "<button>Zahlungspflichtig bestellen</button>\n</form>",
        "de",
    )
    assert forms.hits(html, "MC301") == []


def test_personalised_ads_toggle_is_one_purpose(forms):
    html = page(
        '<form id="cookie-prefs">\n'  # 4
        '<label><input type="checkbox" name="necessary" checked disabled> Cookies strictement '
        "nécessaires</label>\n"
        '<label><input type="checkbox" name="ads" checked> Publicité personnalisée</label>\n'  # 6
        "<button>Enregistrer</button>\n</form>"
    )
    assert forms.hits(html, "MC301") == [(6, "error")]
    assert forms.hits(html, "MC302") == []


def test_filter_forms_are_not_consent(forms):
    html = page(
        '<form class="product-filters" method="get" action="/catalogue">\n'
        '<label><input type="checkbox" name="promo" checked> Promotions</label>\n'
        '<label><input type="checkbox" name="news" checked> Nouveautés</label>\n'
        "<button>Filtrer</button>\n</form>"
    )
    assert forms.hits(html, "MC301") == []


def test_preference_centre_ticks_are_info(forms):
    html = page(
        '<form action="/preferences" method="post">\n'  # 4
        "<h2>Gérer mes abonnements</h2>\n"
        '<input type="email" name="email" value="">\n'
        '<label><input type="checkbox" name="nl" checked> Newsletter mensuelle</label>\n'  # 7
        "<button>Enregistrer mes préférences</button>\n</form>"
    )
    assert forms.hits(html, "MC301") == [(7, "info")]
    assert "preference centre" in forms.messages(html, "MC301")[0]


def test_mailchimp_gdpr_channel_box_ticked(forms):
    html = page(
        '<form action="https://a.us21.list-manage.com/subscribe/post?u=1&amp;id=2" method="post">\n'
        '<input type="email" name="EMAIL">\n'
        "<p>Please select all the ways you would like to hear from Acme:</p>\n"
        '<label class="checkbox subfield" for="gdpr_1"><input type="checkbox" id="gdpr_1" '  # 7
        'name="gdpr[1]" value="Y" class="av-checkbox" checked><span>Email</span></label>\n'
        '<input type="submit" value="Subscribe">\n</form>',
        "en",
    )
    assert forms.hits(html, "MC301") == [(7, "error")]


def test_a_box_ticked_by_a_script_and_a_select_set_to_a_tick_mark(forms):
    """A consent box unticked in the markup but ticked by the page's script when it
    loads is pre-ticked; so is a drop-down list whose selected option is a tick mark."""
    html = page(
        '<form action="/inscription" method="post">\n'  # 4
        '<input type="email" name="email">\n'  # 5
        '<input type="checkbox" id="c" name="optin">\n'  # 6
        '<label for="c">J\'accepte de recevoir la newsletter</label>\n'  # 7
        '<label for="s">J\'accepte de recevoir les offres commerciales</label>\n'  # 8
        '<select id="s" name="offres"><option value="1" selected>✔</option>'  # 9
        '<option value="0">✘</option></select>\n'
        '<input type="checkbox" id="r" name="remember">\n'  # 10
        '<label for="r">Se souvenir de moi</label>\n'  # 11
        "<button>OK</button>\n</form>\n"
        '<script>document.getElementById("c").checked = true;'
        '$("#r").prop("checked", true);</script>'
    )
    assert forms.hits(html, "MC301") == [(6, "error"), (9, "error")]
    messages = forms.messages(html, "MC301")
    assert "ticked by a script when the page loads" in messages[0]
