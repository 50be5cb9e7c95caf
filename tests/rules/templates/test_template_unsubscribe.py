"""MC101-MC104 (src/mailcheck/rules/templates/unsubscribe.py): detection of opt-out routes,
broken, hidden and image-only unsubscribe links."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[3] / "fixtures" / "templates"
MESSAGES = Path(__file__).parents[3] / "fixtures" / "messages"

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
<p>{intro}</p>
<p>Acme SAS, 12 rue de la Paix, 75002 Paris</p>
{footer}
</body>
</html>
"""


def page(
    footer: str,
    *,
    intro: str = "Profitez de -20 % sur la collection d'hiver.",
    title: str = "Soldes",
    lang: str = "fr",
) -> str:
    return PAGE.format(footer=footer, intro=intro, title=title, lang=lang)


def run(mailchecker, name: str, text: str, select: str = "MC101,MC102,MC103,MC104", *extra: str):
    mailchecker.make_file(name, text)
    return mailchecker.run(name, "--select", select, *extra)


def fixture(mailchecker, name: str, folder: Path = FIXTURES, select: str = "MC1"):
    mailchecker.make_file(name, (folder / name).read_bytes())
    return mailchecker.run(name, "--select", select)


# -- MC101: what counts as an opt-out ------------------------------------------------------


@pytest.mark.parametrize(
    "footer",
    [
        '<a href="*|UNSUB|*">Se désinscrire</a>',
        '<a href="*|unsub|*">x</a>',
        '<a href="{{ unsubscribe }}">lien</a>',
        '<a href="{{unsubscribe}}">lien</a>',
        '<a href="{{  unsubscribe_url  }}">lien</a>',
        '<a href="[[UNSUB_LINK_FR]]">lien</a>',
        '<a href="<%asm_global_unsubscribe_raw_url%>">lien</a>',
        "{% unsubscribe_link %}",
        '<a href="{{{ pm:unsubscribe }}}">lien</a>',
        '<a href="%unsubscribe_url%">lien</a>',
        "<unsubscribe>Unsubscribe</unsubscribe>",
        '<a href="https://acme.fr/u/1" title="Se désabonner"><img src="x.png" alt="x"></a>',
        '<a href="https://acme.fr/u/1" aria-label="Unsubscribe">×</a>',
        '<a href="https://acme.fr/newsletter/desinscription?u=1">Ne plus rien recevoir</a>',
        '<a href="https://acme.fr/abmeldung?u=1">Link</a>',
        '<a href="https://acme.fr/unsubscribe/ab12">Manage</a>',
        '<p>Pour ne plus recevoir nos e-mails, <a href="https://acme.fr/x?id=1">cliquez '
        "ici</a>.</p>",
        "<p>Wenn Sie keine E-Mails mehr erhalten möchten, klicken Sie <a "
        'href="https://acme.de/q">hier</a>.</p>',
        '<p>Si no deseas recibir más correos, <a href="https://acme.es/q">haz clic aquí</a> para '
        "darte de baja.</p>",
        '<p>Per non ricevere più le nostre email, <a href="https://acme.it/q">clicca qui</a>.</p>',
        '<p>Wil je je afmelden? <a href="https://acme.nl/q">Klik hier</a>.</p>',
        '<p>Para cancelar a inscrição, <a href="https://acme.pt/q">clique aqui</a>.</p>',
        '<p>Aby zrezygnować z subskrypcji, <a href="https://acme.pl/q">kliknij tutaj</a>.</p>',
        '<p>Vill du avsluta prenumerationen? <a href="https://acme.se/q">Klicka här</a>.</p>',
        '<p>Ingen flere mails? <a href="https://acme.dk/q">Afmeld dig her</a>.</p>',
        '<p>Vil du ikke motta flere e-poster, <a href="https://acme.no/q">meld deg av</a>.</p>',
        '<p>Jos haluat peruuttaa, <a href="https://acme.fi/q">peruuta tilaus tästä</a>.</p>',
        '<p>Pro zrušení odběru <a href="https://acme.cz/q">klikněte zde</a>.</p>',
        '<a href="https://acme.gr/q">Διαγραφή από το ενημερωτικό δελτίο</a>',
        '<a href="https://acme.jp/q">配信停止</a>',
        '<a href="https://acme.cn/q">退订</a>',
        '<a href="https://acme.kr/q">수신거부</a>',
        '<a href="https://acme.com.tr/q">Bülten aboneliğinden çık</a>',
        '<a href="https://sklep.acme.pl/newsletter/wypisz?id=7">Zobacz</a>',
        '<a href="https://acme.se/nyhetsbrev/avregistrera?id=7">Här</a>',
        '<a href="https://acme.fr/prefs">Gérer mes préférences</a>',
        "<p>Pour vous désinscrire, écrivez à <a "
        'href="mailto:stop@acme.fr?subject=STOP">stop@acme.fr</a>.</p>',
        "<p>Pour vous désinscrire, écrivez à desinscription@acme.fr</p>",
        '<a href="https://acme.fr/x" data-msys-unsubscribe="1">Quitter</a>',
    ],
)
def test_opt_out_routes_are_recognised(mailchecker, footer):
    run(mailchecker, "news.html", page(footer), "MC101").assert_findings({"MC101": 0})


RAILS_PAGE = (
    "<p>Voici la sélection de la semaine : -10 % avec le code SEMAINE10.</p>\n"
    "<p>Bougies Céleste SARL, 5 impasse des Tilleuls, 44000 Nantes</p>\n<p>{footer}</p>\n"
)
RAILS_TEXT = (
    "Voici la sélection : -10 % avec le code SEMAINE10.\n"
    "Bougies Céleste SARL, 5 impasse des Tilleuls, 44000 Nantes\n{footer}\n"
)


@pytest.mark.parametrize(
    ("name", "footer", "expected"),
    [
        ("weekly.html.erb", '<%= link_to "Se désabonner", unsubscribe_url(token: @t) %>', {}),
        ("weekly.html.erb", '<%= link_to("Unsubscribe", @unsubscribe_url) %>', {}),
        ("weekly.html.erb", "<%= link_to t('.unsub'), unsubscribe_url %>", {}),
        ("weekly.html.erb", "<%= link_to edit_unsubscribe_url do %>Abmelden<% end %>", {}),
        ("weekly.html.erb", '<%= link_to "Gérer mes préférences", preferences_url %>', {}),
        ("weekly.html.erb", '<%= link_to "Se désabonner", "#" %>', {"MC103": 1}),
        ("weekly.html.erb", '<%= link_to "Voir le site", root_url %>', {"MC101": 1}),
        ("weekly.text.erb", "Se désabonner : <%= unsubscribe_url(token: @t) %>", {}),
        ("weekly.text.erb", "Pour vous désinscrire : <%== @unsub_link %>", {}),
        ("weekly.text.erb", "Le site : <%= root_url %>", {"MC101": 1}),
    ],
)
def test_rails_mailer_links_and_output_tags(mailchecker, name, footer, expected):
    """``link_to TEXT, URL`` is a link with that text; ``<%= unsubscribe_url %>`` an
    unsubscribe merge tag, as ``{{ unsubscribe_url }}`` is."""
    page_text = (RAILS_TEXT if ".text." in name else RAILS_PAGE).format(footer=footer)
    result = run(mailchecker, f"app/views/newsletter_mailer/{name}", page_text, "MC101,MC103")
    result.assert_findings({"MC101": 0, "MC103": 0, **expected})


@pytest.mark.parametrize(
    ("name", "footer"),
    [
        ("templates/emails/n.html", "<a href=\"{{ url_for('unsubscribe', token=t) }}\">ici</a>"),
        (
            "templates/emails/n.html",
            "{{ url_for('newsletter.unsubscribe', token=t, _external=True) }}",
        ),
        ("templates/emails/n.html", "<a href=\"{% url 'news:unsubscribe' token %}\">ici</a>"),
        (
            "resources/views/emails/n.blade.php",
            "{{ URL::signedRoute('unsubscribe', ['u' => $u]) }}",
        ),
        (
            "resources/views/emails/n.blade.php",
            "{!! link_to_route('unsubscribe', 'Se désabonner') !!}",
        ),
    ],
)
def test_url_helpers_naming_the_unsubscribe_route(mailchecker, name, footer):
    run(mailchecker, name, RAILS_PAGE.format(footer=footer), "MC101").assert_findings({"MC101": 0})


def test_missing_unsubscribe_is_an_error_at_line_1(mailchecker):
    result = run(
        mailchecker, "promo.html", page('<a href="https://acme.fr/boutique">La boutique</a>')
    )
    result.assert_findings({"MC101": 1})
    assert result.lines("MC101") == [1]
    finding = result.findings[0]
    assert finding["severity"] == "error"
    assert "commercial wording" in finding["message"] and "cannot stop" in finding["message"]
    assert result.exit_code == 1


def test_subscribe_and_contact_address_are_not_opt_outs(mailchecker):
    footer = (
        '<a href="https://acme.fr/newsletter">Subscribe</a> '
        "<p>Écrivez-nous à contact@acme.fr pour toute question.</p>"
        '<a href="https://acme.fr/abonnements">Abonnements</a>'
    )
    run(mailchecker, "promo.html", page(footer), "MC101").assert_findings({"MC101": 1})


def test_generic_click_here_without_context_is_not_an_opt_out(mailchecker):
    footer = '<p>Pour voir la collection, <a href="https://acme.fr/c">cliquez ici</a>.</p>'
    run(mailchecker, "promo.html", page(footer), "MC101").assert_findings({"MC101": 1})


def test_merge_tag_inside_outlook_comment_is_not_a_visible_route(mailchecker):
    result = fixture(mailchecker, "hidden-mso-only.html", select="MC101,MC102")
    result.assert_findings({"MC101": 0, "MC102": 1})
    assert result.lines("MC102") == [12]


@pytest.mark.parametrize(
    "name",
    [
        "transactional-password-reset-en.html",
        "transactional-commande-fr.html",
        "transactional-rechnung-de.html",
        "kind-comment-transactional.html",
    ],
)
def test_transactional_messages_are_not_asked_for_an_unsubscribe(mailchecker, name):
    fixture(mailchecker, name, select="MC101").assert_findings({"MC101": 0})


def test_kind_forced_in_config(mailchecker):
    mailchecker.make_config('[kinds]\n"receipts/*" = "transactional"\n"promos/*" = "marketing"\n')
    mailchecker.make_file("receipts/r.html", page("", intro="Merci pour votre visite."))
    mailchecker.make_file("promos/p.html", page("", intro="Votre commande n° 12 est expédiée."))
    result = mailchecker.run(".", "--select", "MC101")
    assert [f["path"] for f in result.findings] == ["promos/p.html"]


def test_kind_comment_is_not_a_bad_suppression(mailchecker):
    result = fixture(mailchecker, "kind-comment-transactional.html", select="MC101,MC901")
    result.assert_findings({"MC101": 0, "MC901": 0})


def test_esp_footer_option_silences_mc101(mailchecker):
    mailchecker.make_config("[rules.MC101]\nesp-footer = true\n")
    run(mailchecker, "promo.html", page(""), "MC101").assert_findings({"MC101": 0})


def test_demo_fixtures(mailchecker):
    fixture(mailchecker, "newsletter-fr.html", select="MC101").assert_findings({"MC101": 0})
    result = fixture(mailchecker, "promo-fr-sans-desinscription.html", select="MC101")
    result.assert_findings({"MC101": 1})


@pytest.mark.parametrize(
    "name",
    [
        "mailchimp-en-newsletter.html",
        "brevo-fr-newsletter.html",
        "mailjet-de-newsletter.html",
        "sendgrid-en-promo.html",
        "klaviyo-en-newsletter.html",
        "hubspot-en-newsletter.html",
        "campaign-monitor-en.html",
        "plain-text-fr.txt",
        "newsletter-fr.html",
    ],
)
def test_provider_templates_have_no_unsubscribe_problem(mailchecker, name):
    result = fixture(mailchecker, name, select="MC101,MC102,MC103,MC104")
    result.assert_clean()


def test_plain_text_without_route_is_reported(mailchecker):
    text = (
        "Les soldes commencent !\n-30 % avec le code HIVER.\n\n"
        "Acme SAS, 12 rue de la Paix, 75002 Paris\n"
    )
    result = run(mailchecker, "promo.txt", text, "MC101")
    result.assert_findings({"MC101": 1})


def test_plain_text_reply_stop_counts(mailchecker):
    text = "Promo -30 % ce week-end.\nPour ne plus recevoir nos SMS et e-mails, répondez STOP.\n"
    run(mailchecker, "promo.txt", text, "MC101").assert_findings({"MC101": 0})


def test_stop_in_lower_case_is_not_a_command(mailchecker):
    text = "Promo -30 % ce week-end.\nReply if you want us to stop by your shop.\n"
    run(mailchecker, "promo.txt", text, "MC101").assert_findings({"MC101": 1})


def test_eml_part_without_link_while_other_part_has_one(mailchecker):
    eml = (
        "From: Acme <news@acme.fr>\nTo: a@example.org\nSubject: Soldes\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="b"\n\n'
        "--b\nContent-Type: text/plain; charset=utf-8\n\nSoldes -30 % sur tout le site.\n\n"
        "--b\nContent-Type: text/html; charset=utf-8\n\n"
        '<html><body><p>Soldes -30 %</p><a href="*|UNSUB|*">Se désinscrire</a></body></html>\n'
        "--b--\n"
    )
    result = run(mailchecker, "m.eml", eml, "MC101")
    result.assert_findings({"MC101": 1})
    finding = result.findings[0]
    assert finding["severity"] == "warning" and finding["part"] == "text/plain part 1"
    assert finding["line"] == 10  # the first line of the text part's body


def test_a_link_hidden_in_the_html_part_is_not_excused_by_the_text_part(mailchecker):
    """Readers of the HTML part see no opt-out when its only link is hidden, whatever the
    text/plain part shows: a warning (as a part with none), not a responsive duplicate."""
    eml = (
        "From: Acme <news@acme.fr>\nTo: a@example.org\nSubject: Soldes\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="b"\n\n'
        "--b\nContent-Type: text/plain; charset=utf-8\n\nSoldes -30 % sur tout le site.\n"
        "Se désinscrire : https://acme.fr/desinscription?u=1\n\n"
        "--b\nContent-Type: text/html; charset=utf-8\n\n"
        '<html><body><p>Soldes -30 %</p><p style="display:none">'
        '<a href="https://acme.fr/desinscription?u=1">Se désinscrire</a></p></body></html>\n'
        "--b--\n"
    )
    result = run(mailchecker, "m.eml", eml, "MC101,MC102")
    result.assert_findings({"MC101": 0, "MC102": 1})
    finding = result.findings[0]
    assert finding["severity"] == "warning" and finding["part"] == "text/html part 2"
    assert "its readers see none" in finding["message"]


def test_header_only_message_is_a_warning(mailchecker):
    result = fixture(mailchecker, "header-only-fr.eml", MESSAGES, select="MC101")
    result.assert_findings({"MC101": 1})
    assert result.findings[0]["severity"] == "warning" and result.lines("MC101") == [15]


# -- MC103 ----------------------------------------------------------------------------------


def test_placeholder_targets_are_broken(mailchecker):
    result = fixture(mailchecker, "free-pack-en-hash-links.html", select="MC101,MC103")
    result.assert_findings({"MC101": 0, "MC103": 1})
    assert result.lines("MC103") == [23]
    assert "'#'" in result.findings[0]["message"]


def test_empty_javascript_and_placeholder_host(mailchecker):
    result = fixture(mailchecker, "free-pack-fr-liens-vides.html", select="MC103")
    assert result.lines("MC103") == [12, 13, 14]
    messages = " ".join(f["message"] for f in result.findings)
    assert "empty" in messages and "javascript" in messages and "votredomaine" in messages


@pytest.mark.parametrize(
    "href",
    [
        "https://example.com/unsubscribe",
        "http://localhost:8000/unsub",
        "mailto:?subject=unsubscribe",
        "about:blank",
        "https://www.yourdomain.com/unsubscribe",
    ],
)
def test_broken_targets(mailchecker, href):
    result = run(mailchecker, "p.html", page(f'<a href="{href}">Unsubscribe</a>'), "MC103")
    result.assert_findings({"MC103": 1})
    assert result.lines("MC103") == [7]


def test_working_targets_are_not_broken(mailchecker):
    footer = (
        '<a href="https://shop.example.com/unsubscribe?u=1">Unsubscribe</a> '
        '<a href="mailto:unsub@acme.fr?subject=unsubscribe">Unsubscribe by e-mail</a>'
    )
    run(mailchecker, "p.html", page(footer), "MC103").assert_findings({"MC103": 0})


def test_tag_of_another_provider_is_broken_when_provider_is_configured(mailchecker):
    import types

    from mailcheck import hookimpl

    plugin = types.SimpleNamespace(
        mailcheck_merge_tags=hookimpl(lambda: {"unsubscribe": ["[[UNSUB_LINK_FR]]"]})
    )
    mailchecker.register(plugin, "mailjet")
    mailchecker.make_config('provider = "mailchimp"\n')
    result = run(
        mailchecker, "p.html", page('<a href="[[UNSUB_LINK_FR]]">Se désinscrire</a>'), "MC103"
    )
    result.assert_findings({"MC103": 1})
    assert "mailjet" in result.findings[0]["message"]


def test_broken_link_in_transactional_mail_is_still_reported(mailchecker):
    text = page(
        '<a href="#">Unsubscribe</a>',
        intro="Reset your password: use this verification code.",
        title="Password reset",
    )
    run(mailchecker, "t.html", text, "MC101,MC103").assert_findings({"MC101": 0, "MC103": 1})


# -- MC102 ----------------------------------------------------------------------------------


def test_same_colour_from_class_rule(mailchecker):
    result = fixture(mailchecker, "hidden-same-colour-class.html", select="MC102")
    result.assert_findings({"MC102": 1})
    assert result.lines("MC102") == [19]
    assert "#fefefe on background #ffffff" in result.findings[0]["message"]


def test_hidden_tricks(mailchecker):
    result = fixture(mailchecker, "hidden-tricks-en.html", select="MC102")
    assert result.lines("MC102") == [20, 23, 24, 25]
    messages = [f["message"] for f in result.findings]
    assert "1px font" in messages[0] and "display:none" in messages[1]
    assert "max-height:0" in messages[2] and "off-screen" in messages[3]


@pytest.mark.parametrize(
    ("style", "reason"),
    [
        ("visibility:hidden", "visibility:hidden"),
        ("opacity:0", "opacity"),
        ("color:transparent", "transparent"),
        ("text-indent:-9999px", "text-indent"),
        ("font-size:0", "0px font"),
        ("color:#ffffff", "#ffffff on background #ffffff"),
        ("position:absolute;clip:rect(0 0 0 0)", "clipped"),
        ("transform:scale(0)", "scale(0)"),
        ("display:inline-block;height:0;overflow:hidden", "height:0"),
        ("font-size:3pt", "4px font"),
    ],
)
def test_inline_hiding(mailchecker, style, reason):
    result = run(
        mailchecker, "p.html", page(f'<a href="*|UNSUB|*" style="{style}">Unsubscribe</a>'), "MC102"
    )
    result.assert_findings({"MC102": 1})
    assert reason in result.findings[0]["message"]


def test_a_hidden_opt_out_in_polish_is_hidden_not_missing(mailchecker):
    """A Polish footer whose only unsubscribe link is 1px white text: reported as hidden
    (the route is known by its sentence), not as missing."""
    footer = (
        '<p style="font-size:1px;color:#ffffff">Aby zrezygnować z subskrypcji <a '
        'href="https://sklep.acme.pl/q" style="color:#ffffff">kliknij tutaj</a></p>'
    )
    result = run(mailchecker, "p.html", page(footer), "MC101,MC102")
    result.assert_findings({"MC101": 0, "MC102": 1})
    assert "1px font" in result.findings[0]["message"]


def test_an_opt_out_inside_a_template_element_is_hidden(mailchecker):
    """``<template>`` content is never shown: its unsubscribe link is no route."""
    footer = '<template><a href="https://acme.example/unsubscribe?u=1">Unsubscribe</a></template>'
    result = run(mailchecker, "p.html", page(footer), "MC101,MC102")
    result.assert_findings({"MC101": 0, "MC102": 1})
    assert "inside <template>" in result.findings[0]["message"]


def test_inherited_background_and_font_colour(mailchecker):
    footer = (
        '<table bgcolor="#000000"><tr><td><a href="*|UNSUB|*">'
        '<font color="#010101">Se désinscrire</font></a></td></tr></table>'
    )
    result = run(mailchecker, "p.html", page(footer), "MC102")
    result.assert_findings({"MC102": 1})
    assert "#010101 on background #000000" in result.findings[0]["message"]


def test_mso_hide_is_a_warning(mailchecker):
    footer = '<div style="mso-hide:all"><a href="*|UNSUB|*">Unsubscribe</a></div>'
    result = run(mailchecker, "p.html", page(footer), "MC102")
    result.assert_findings({"MC102": 1})
    assert result.findings[0]["severity"] == "warning"


def test_hidden_duplicate_next_to_visible_link_is_info(mailchecker):
    footer = (
        '<a href="*|UNSUB|*" style="color:#666666">Unsubscribe</a>'
        '<div style="display:none"><a href="*|UNSUB|*">Unsubscribe</a></div>'
    )
    result = run(mailchecker, "p.html", page(footer), "MC102")
    result.assert_findings({"MC102": 1})
    assert result.findings[0]["severity"] == "info"


def test_visible_links_are_not_hidden(mailchecker):
    footer = (
        "<style>.f a { color: #777777; } @media (prefers-color-scheme: dark) "
        "{ .f a { color: #ffffff !important; } }</style>"
        '<td class="f" style="font-size:0"><a href="*|UNSUB|*"><span style="font-size:12px">'
        "Se désinscrire</span></a></td>"
        '<span style="display:none">Votre aperçu du mois</span>'
    )
    run(mailchecker, "p.html", page(footer), "MC102").assert_findings({"MC102": 0})


def test_background_image_makes_contrast_uncertain(mailchecker):
    footer = (
        '<td background="bg.jpg" style="color:#ffffff">'
        '<a href="*|UNSUB|*" style="color:#ffffff">Unsubscribe</a></td>'
    )
    result = run(mailchecker, "p.html", page(footer), "MC102")
    result.assert_findings({"MC102": 1})
    assert result.findings[0]["severity"] == "info"


# -- MC104 ----------------------------------------------------------------------------------


def test_image_only_without_alt(mailchecker):
    result = fixture(mailchecker, "image-only-unsubscribe.html", select="MC101,MC104")
    result.assert_findings({"MC101": 0, "MC104": 1})
    assert result.lines("MC104") == [13]
    assert "without alt" in result.findings[0]["message"]


def test_image_with_alt_is_still_image_only(mailchecker):
    footer = '<a href="*|UNSUB|*"><img src="u.png" alt="Se désinscrire"></a>'
    result = run(mailchecker, "p.html", page(footer), "MC104")
    result.assert_findings({"MC104": 1})
    assert "alt 'Se désinscrire'" in result.findings[0]["message"]


def test_image_next_to_text_link_is_fine(mailchecker):
    footer = (
        '<a href="*|UNSUB|*"><img src="u.png" alt="Se désinscrire"></a> '
        '<a href="*|UNSUB|*">Se désinscrire</a>'
    )
    run(mailchecker, "p.html", page(footer), "MC104").assert_findings({"MC104": 0})


@pytest.mark.parametrize(
    "footer",
    [
        "<p>{unsubscribe_text}</p>",
        '<a href="{$unsubscribe}">Se désinscrire</a>',
        "<p>$[LI:UNSUBSCRIBE]$</p>",
        '<a href="%%unsub_center_url%%">Gérer</a>',
        '<a href="{{system.unsubscribeLink}}">Quitter</a>',
        '<a href="[link:subscription_unsubscribe_url]">Quitter</a>',
    ],
)
def test_unknown_provider_tags_count_as_opt_out(mailchecker, footer):
    run(mailchecker, "news.html", page(footer), "MC101").assert_findings({"MC101": 0})


def test_quoted_lower_case_reply_command(mailchecker):
    text = 'Promo -30 %.\nTo stop, reply to this email with "unsubscribe" in the subject.\n'
    run(mailchecker, "promo.txt", text, "MC101").assert_findings({"MC101": 0})


def test_mso_hidden_link_with_outlook_copy_is_fine(mailchecker):
    footer = (
        '<div style="mso-hide:all"><a href="*|UNSUB|*">Unsubscribe</a></div>'
        '<!--[if mso]><a href="*|UNSUB|*">Unsubscribe</a><![endif]-->'
    )
    run(mailchecker, "p.html", page(footer), "MC102").assert_findings({"MC102": 0})


def test_unsubscribe_link_to_an_image_is_broken(mailchecker):
    footer = 'Don\'t like these emails? <a href="http://i.imgur.com/CScmqnj.gif">Unsubscribe</a>.'
    result = run(mailchecker, "p.html", page(footer), "MC101,MC103")
    result.assert_findings({"MC101": 0, "MC103": 1})
    assert "image file" in result.findings[0]["message"]


POSTMARK_WELCOME = """<!DOCTYPE html>
<html><head><title></title></head><body>
<span class="preheader">Thanks for trying out {{ product_name }}.
We've pulled together some information.</span>
<h1>Welcome, {{name}}!</h1>
<p>Thanks for trying {{ product_name }}. We're thrilled to have you on board. To get the most out of
{{ product_name }}, do this primary next step:</p>
<a href="{{action_url}}" class="f-fallback button">Do this Next</a>
<p>For reference, here's your login information:</p>
<p><strong>Login Page:</strong> {{login_url}}<br><strong>Username:</strong> {{username}}</p>
<p>If you have any questions, feel free to <a href="mailto:{{support_email}}">email our customer
success team</a>. We also offer <a href="{{live_chat_url}}">live chat</a> during business hours.</p>
<p>Thanks,<br>{{sender_name}} and the {{ product_name }} Team</p>
<p>&copy; 2026 {{ product_name }}. All rights reserved.<br>
{{company_name}}<br>{{company_address}}</p>
</body></html>
"""


def test_service_welcome_mail_is_transactional(mailchecker):
    run(mailchecker, "welcome.html", POSTMARK_WELCOME, "MC101").assert_findings({"MC101": 0})


def test_free_delivery_promo_stays_marketing(mailchecker):
    text = page(
        "", intro="Free delivery this weekend on our new collection.", title="Free delivery"
    )
    run(mailchecker, "p.html", text, "MC101").assert_findings({"MC101": 1})


@pytest.mark.parametrize(
    "footer",
    [
        '<a href="https://acme.example/account">Manage your subscription plan and billing</a>',
        '<a href="https://acme.example/account">Gérer mes abonnements et ma facturation</a>',
        "<p>To manage your subscription and payment method, "
        '<a href="https://acme.example/account">click here</a>.</p>',
    ],
)
def test_a_paid_subscription_link_is_not_an_opt_out(mailchecker, footer):
    """ "Manage your subscription" about a plan, billing or payment manages what the
    reader pays for, not the mailing."""
    run(mailchecker, "p.html", page(footer), "MC101").assert_findings({"MC101": 1})


def test_an_order_cancellation_link_is_not_an_opt_out(mailchecker):
    """Polish "rezygnacja" alone is any cancellation (of an order, a booking): only
    "rezygnacja z subskrypcji" is an opt-out."""
    footer = (
        '<p><a href="https://sklep.example.pl/polityka-rezygnacji">Rezygnacja z zamówienia</a></p>'
    )
    run(mailchecker, "p.html", page(footer), "MC101").assert_findings({"MC101": 1})


def test_product_url_with_a_stem_lookalike_is_not_an_opt_out(mailchecker):
    footer = '<a href="https://surf.example.es/tienda/baja-california-tee">Camiseta</a>'
    run(mailchecker, "p.html", page(footer), "MC101").assert_findings({"MC101": 1})


@pytest.mark.parametrize(
    "footer",
    [
        "<p>{% unsubscribe 'Se désinscrire' %}</p>",
        '<a href="*|UNSUB:https://acme.fr/au-revoir|*">Quitter</a>',
        '<a href="%%=RedirectTo(@unsubscribe)=%%">Quitter</a>',
        "<p>[% unsubscribe %]</p>",
        '<a class="Unsubscribe--unsubscribeLink" href="{{{unsubscribe}}}">Unsubscribe</a>',
    ],
)
def test_tags_with_arguments_count(mailchecker, footer):
    run(mailchecker, "news.html", page(footer), "MC101").assert_findings({"MC101": 0})


def test_percent_sentence_is_not_a_tag(mailchecker):
    text = page("<p>100% unsubscribe 20% of the time</p>")
    run(mailchecker, "p.html", text, "MC101").assert_findings({"MC101": 1})


def test_plain_text_template_mentioning_mailcheck_does_not_crash(mailchecker):
    text = "Promo -30 %.\nVérifié avec mailcheck avant envoi.\n"
    result = run(mailchecker, "promo.txt", text, "MC101,MC9")
    result.assert_findings({"MC101": 1, "MC902": 0})
    assert result.exit_code == 1


def test_provider_that_adds_its_footer_makes_it_a_warning(mailchecker):
    mailchecker.make_config('provider = "getresponse"\n')
    result = run(mailchecker, "promo.html", page(""), "MC101")
    result.assert_findings({"MC101": 1})
    assert (
        result.findings[0]["severity"] == "warning"
        and "getresponse" in result.findings[0]["message"]
    )


@pytest.mark.parametrize(
    "href", ["{% unsubscribe %}", "{% unsubscribe 'Se désinscrire' %}", "{{ unsubscribe_section }}"]
)
def test_whole_link_tag_inside_href_is_broken(mailchecker, href):
    result = run(mailchecker, "p.html", page(f'<a href="{href}">Se désinscrire</a>'), "MC101,MC103")
    result.assert_findings({"MC101": 0, "MC103": 1})
    assert "prints a whole link" in result.findings[0]["message"]


def test_keyword_lists_extend_from_config(mailchecker):
    footer = '<a href="https://acme.fr/x?id=1">Arrêter la lettre</a>'
    run(mailchecker, "p.html", page(footer), "MC101").assert_findings({"MC101": 1})
    mailchecker.make_config('[keywords]\nunsubscribe = ["arrêter la lettre"]\n')
    run(mailchecker, "p.html", page(footer), "MC101").assert_findings({"MC101": 0})


def test_keyword_lists_extend_from_a_plugin(mailchecker):
    import types

    from mailcheck import hookimpl

    plugin = types.SimpleNamespace(
        mailcheck_keywords=hookimpl(lambda: {"transactional": ["récapitulatif de séance"]})
    )
    text = page(
        "", intro="Voici le récapitulatif de séance de mardi.", title="Récapitulatif de séance"
    )
    run(mailchecker, "p.html", text, "MC101").assert_findings({"MC101": 1})
    mailchecker.register(plugin, "coach")
    run(mailchecker, "p.html", text, "MC101").assert_findings({"MC101": 0})


def test_bare_url_next_to_the_phrase_in_html(mailchecker):
    footer = "<p>To unsubscribe, visit https://acme.com/preferences/u123 at any time.</p>"
    run(mailchecker, "p.html", page(footer), "MC101").assert_findings({"MC101": 0})


def test_sendgrid_unsubscribe_module_with_empty_href_is_filled_by_the_provider(mailchecker):
    footer = (
        '<div data-role="module-unsubscribe" class="module" data-type="unsubscribe">'
        '<p><a class="Unsubscribe--unsubscribeLink" href="" target="_blank">'
        "Unsubscribe</a></p></div>"
    )
    run(mailchecker, "p.html", page(footer), "MC101,MC103").assert_findings(
        {"MC101": 0, "MC103": 0}
    )
    run(mailchecker, "q.html", page('<p><a href="">Unsubscribe</a></p>'), "MC103").assert_findings(
        {"MC103": 1}
    )


@pytest.mark.parametrize(
    "footer",
    [
        '<p>Don\'t want these emails? <a href="https://acme.com/x?u=1">Click here</a>.</p>',
        "<p>Vous ne voulez plus recevoir nos e-mails ? "
        '<a href="https://acme.fr/x">Cliquez ici</a>.</p>',
        '<p>Non vuoi più ricevere le nostre email? <a href="https://acme.it/x">Clicca qui</a>.</p>',
    ],
)
def test_question_then_generic_link(mailchecker, footer):
    run(mailchecker, "news.html", page(footer), "MC101").assert_findings({"MC101": 0})


def test_preference_url_in_a_text_part_is_an_opt_out(mailchecker):
    text = "Soldes -30 % ce week-end.\n\nGérer mes préférences :\nhttps://acme.fr/preferences/u1\n"
    run(mailchecker, "promo.txt", text, "MC101").assert_findings({"MC101": 0})
    result = run(mailchecker, "promo.txt", text, "MC106")
    result.assert_findings({"MC106": 1})


def test_hidden_attribute(mailchecker):
    result = run(
        mailchecker,
        "p.html",
        page('<div hidden><a href="*|UNSUB|*">Unsubscribe</a></div>'),
        "MC102",
    )
    result.assert_findings({"MC102": 1})
    assert "hidden attribute" in result.findings[0]["message"] and result.lines("MC102") == [7]


def test_tag_shared_by_several_providers_is_not_called_foreign(mailchecker):
    import types

    from mailcheck import hookimpl

    for name in ("brevo", "sendy"):
        plugin = types.SimpleNamespace(
            mailcheck_merge_tags=hookimpl(lambda: {"unsubscribe": ["[unsubscribe]"]})
        )
        mailchecker.register(plugin, name)
    mailchecker.make_config('provider = "sendgrid"\n')
    result = run(mailchecker, "p.html", page('<a href="[unsubscribe]">Unsubscribe</a>'), "MC103")
    result.assert_findings({"MC103": 0})


# -- MC101: an "unsubscribe" the reader never sees or reads the other way round ---------------


@pytest.mark.parametrize(
    "footer",
    [
        # Only in the tooltip or the screen-reader label of a link that says something else.
        '<p><a href="https://shop.example.com/" title="Se désinscrire">Voir nos offres</a></p>',
        '<p><a href="https://shop.example.com/" aria-label="Unsubscribe">Shop the sale</a></p>',
        # Only where nothing is rendered: a CSS comment, the <title>, a script, a textarea.
        "<style>/* Se désinscrire : *|UNSUB|* */</style>",
        "<style>.footer { color: #999 } /* {{ unsubscribe_url }} */</style>",
        '<script type="text/template"><a href="*|UNSUB|*">Se désinscrire</a></script>',
        '<script type="text/x-handlebars-template">{{unsubscribe}}</script>',
        "<template>*|UNSUB|*</template>",
        '<textarea><a href="*|UNSUB|*">Se désinscrire</a></textarea>',
        # A link that says NOT to unsubscribe.
        '<p><a href="https://shop.example.com/vip">Ne vous désinscrivez pas : devenez VIP</a></p>',
        '<p><a href="https://shop.example.com/vip">Don’t unsubscribe — go premium</a></p>',
        '<p><a href="https://shop.example.com/vip">Bitte nicht abmelden!</a></p>',
        '<p><a href="https://shop.example.com/vip">No te des de baja: hazte VIP</a></p>',
        "<p>Ne vous désabonnez pas : https://shop.example.com/vip</p>",
    ],
)
def test_an_unsubscribe_the_reader_never_sees_is_missing(mailchecker, footer):
    findings = run(mailchecker, "soldes.html", page(footer), "MC101").findings
    assert [(f["code"], f["severity"]) for f in findings] == [("MC101", "error")]


def test_a_merge_tag_only_in_the_title_is_missing(mailchecker):
    text = page("", title="Se désinscrire *|UNSUB|* Soldes")
    findings = run(mailchecker, "soldes.html", text, "MC101").findings
    assert [f["code"] for f in findings] == ["MC101"]


@pytest.mark.parametrize(
    "footer",
    [
        '<a href="https://acme.fr/u/1" title="Se désabonner"><img src="x.png" alt=""></a>',
        '<a href="https://acme.fr/u/1" aria-label="Unsubscribe">×</a>',
        '<a href="https://acme.fr/u/1" title="Unsubscribe">click here</a>',
        '<a href="https://acme.fr/x"><img src="u.png" alt="Se désinscrire"> Bye</a>',
        '<p>Don\'t want these emails? <a href="https://acme.fr/x">Unsubscribe</a></p>',
        '<p><a href="https://acme.fr/u">Ne plus recevoir nos e-mails</a></p>',
        '<p><a href="https://acme.es/u">No deseo recibir más correos</a></p>',
        "<title>x</title><p>*|UNSUB|*</p>",
    ],
)
def test_what_the_reader_sees_still_counts(mailchecker, footer):
    assert run(mailchecker, "soldes.html", page(footer), "MC101").findings == []


def test_a_zero_sized_svg_hides_its_link(mailchecker):
    footer = '<svg width="0" height="0"><a href="*|UNSUB|*"><text>Se désinscrire</text></a></svg>'
    findings = run(mailchecker, "soldes.html", page(footer), "MC101,MC102").findings
    assert [(f["code"], f["severity"]) for f in findings] == [("MC102", "error")]
    assert "<svg>" in findings[0]["message"]


def test_a_1x1_image_link_is_hidden_not_an_image_link(mailchecker):
    footer = (
        '<p><a href="https://acme.fr/unsubscribe?id=1"><img src="https://acme.fr/p.gif" '
        'width="1" height="1" alt="Se désinscrire" border="0"></a></p>'
    )
    findings = run(mailchecker, "soldes.html", page(footer)).findings
    assert [(f["code"], f["severity"]) for f in findings] == [("MC102", "error")]
    assert "1x1" in findings[0]["message"]
