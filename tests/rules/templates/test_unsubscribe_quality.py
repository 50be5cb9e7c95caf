"""MC105-MC107 (src/mailcheck/rules/templates/unsubscribe_quality.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[3] / "fixtures" / "templates"

PAGE = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Offres</title></head>
<body>
<p>Profitez de -20 % sur la collection d'hiver.</p>
<p>Acme SAS, 12 rue de la Paix, 75002 Paris</p>
{footer}
</body>
</html>
"""


def run(mailchecker, footer: str, select: str):
    mailchecker.make_file("p.html", PAGE.format(footer=footer))
    return mailchecker.run("p.html", "--select", select)


def fixture(mailchecker, name: str, select: str):
    mailchecker.make_file(name, (FIXTURES / name).read_bytes())
    return mailchecker.run(name, "--select", select)


# -- MC105 ----------------------------------------------------------------------------------


def test_login_wording_is_an_error(mailchecker):
    result = fixture(mailchecker, "login-gated-fr.html", "MC101,MC105")
    result.assert_findings({"MC101": 0, "MC105": 1})
    assert result.lines("MC105") == [14]
    assert result.findings[0]["severity"] == "error"
    assert "connectez-vous à votre espace" in result.findings[0]["message"]


def test_login_url_is_a_warning(mailchecker):
    result = run(
        mailchecker, '<a href="https://acme.fr/mon-compte/newsletter">Se désinscrire</a>', "MC105"
    )
    result.assert_findings({"MC105": 1})
    assert result.findings[0]["severity"] == "warning" and result.lines("MC105") == [7]


def test_fee_is_an_error_unless_said_free(mailchecker):
    paid = (
        "<p>Désinscription moyennant des frais de traitement : "
        '<a href="https://acme.fr/u">se désinscrire</a>.</p>'
    )
    result = run(mailchecker, paid, "MC105")
    result.assert_findings({"MC105": 1})
    assert result.findings[0]["severity"] == "error"
    free = (
        "<p>Désinscription gratuite et sans frais : "
        '<a href="https://acme.fr/u">se désinscrire</a>.</p>'
    )
    run(mailchecker, free, "MC105").assert_findings({"MC105": 0})


def test_offline_step_is_a_warning(mailchecker):
    footer = (
        "<p>To unsubscribe, call us at 555-0100 or "
        '<a href="https://acme.com/u">unsubscribe here</a>.</p>'
    )
    result = run(mailchecker, footer, "MC105")
    result.assert_findings({"MC105": 1})
    assert "call us" in result.findings[0]["message"]


def test_contact_phone_in_another_sentence_is_not_an_obstacle(mailchecker):
    footer = (
        "<p>Questions? Call us at 555-0100. Opening hours 9-5. Mon-Fri only. "
        '<a href="https://acme.com/u">Unsubscribe</a></p>'
    )
    run(mailchecker, footer, "MC105").assert_findings({"MC105": 0})


def test_one_click_link_is_not_obstructed(mailchecker):
    result = fixture(mailchecker, "newsletter-fr.html", "MC105")
    result.assert_findings({"MC105": 0})


# -- MC106 ----------------------------------------------------------------------------------


def test_preference_centre_only(mailchecker):
    result = fixture(mailchecker, "preferences-only-de.html", "MC101,MC106")
    result.assert_findings({"MC101": 0, "MC106": 1})
    assert result.lines("MC106") == [11] and result.findings[0]["severity"] == "warning"


def test_list_scoped_unsubscribe_without_preferences_is_a_warning(mailchecker):
    result = run(
        mailchecker, '<a href="https://acme.fr/u">Se désabonner de cette liste</a>', "MC106"
    )
    result.assert_findings({"MC106": 1})
    assert result.findings[0]["severity"] == "warning"


def test_list_scoped_with_preference_centre_is_info(mailchecker):
    result = fixture(mailchecker, "mailchimp-en-newsletter.html", "MC106")
    result.assert_findings({"MC106": 1})
    assert result.findings[0]["severity"] == "info" and result.lines("MC106") == [48]


@pytest.mark.parametrize(
    "footer",
    [
        '<a href="*|UNSUB|*">Se désinscrire</a>',
        '<a href="https://acme.fr/prefs">Gérer mes préférences</a> · '
        '<a href="https://acme.fr/u">Se désinscrire de toutes nos communications</a>',
        '<a href="https://acme.fr/u">Unsubscribe from this list</a> or '
        '<a href="https://acme.fr/all">unsubscribe from all emails</a>',
    ],
)
def test_global_opt_out_is_fine(mailchecker, footer):
    run(mailchecker, footer, "MC106").assert_findings({"MC106": 0})


# -- MC107 ----------------------------------------------------------------------------------


def test_form_host(mailchecker):
    result = fixture(mailchecker, "shortener-target-en.html", "MC107")
    result.assert_findings({"MC107": 1})
    assert result.lines("MC107") == [11] and "forms.gle" in result.findings[0]["message"]


@pytest.mark.parametrize(
    ("href", "severity", "words"),
    [
        ("https://bit.ly/3xYz", "warning", "bit.ly"),
        ("https://docs.google.com/forms/d/e/1FAIp/viewform", "warning", "docs.google.com/forms"),
        ("http://203.0.113.7/unsubscribe", "warning", "raw IP"),
        ("https://acme.fr:8443/unsubscribe", "warning", "port"),
        ("http://acme.fr/unsubscribe", "info", "http://"),
    ],
)
def test_suspicious_targets(mailchecker, href, severity, words):
    result = run(mailchecker, f'<a href="{href}">Unsubscribe</a>', "MC107")
    result.assert_findings({"MC107": 1})
    assert result.findings[0]["severity"] == severity and words in result.findings[0]["message"]
    assert result.lines("MC107") == [7]


def test_https_own_domain_and_tags_are_fine(mailchecker):
    footer = (
        '<a href="https://acme.fr/unsubscribe?u=1">Unsubscribe</a> '
        '<a href="*|UNSUB|*">Se désinscrire</a>'
    )
    run(mailchecker, footer, "MC107").assert_findings({"MC107": 0})


def test_unrelated_domain_is_info_but_provider_domains_are_fine(mailchecker):
    mailchecker.make_config('sender = "Acme <news@acme.fr>"\n')
    result = run(
        mailchecker, '<a href="https://unsub.other-brand.example/u?id=1">Unsubscribe</a>', "MC107"
    )
    result.assert_findings({"MC107": 1})
    assert result.findings[0]["severity"] == "info" and "unrelated" in result.findings[0]["message"]
    for href in (
        "https://acme.fr/u/1",
        "https://news.acme.fr/u/1",
        "https://us5.list-manage.com/unsubscribe?u=1",
    ):
        run(mailchecker, f'<a href="{href}">Unsubscribe</a>', "MC107").assert_findings({"MC107": 0})


# -- MC105: CAN-SPAM content of plain-text parts and link-less instructions (issue 15) ------


def us_message(text: str) -> str:
    return (
        "From: Acme Outdoor <deals@acmeoutdoor.com>\nTo: pat@example.net\n"
        "Subject: Advertisement: winter gear 30% off\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Advertisement\nWinter gear is 30% off this week: https://acmeoutdoor.com/winter\n\n"
        f"{text}\n\nAcme Outdoor Inc., 500 Market Street, San Francisco, CA 94105\n"
    )


@pytest.mark.parametrize(
    ("href", "found"),
    [
        ("https://shop.example.com/", 1),
        ("https://shop.example.com", 1),
        ("https://shop.example.com/?unsubscribe=1&u=42", 0),
        ("https://shop.example.com/desinscription?u=42", 0),
    ],
)
def test_an_unsubscribe_link_to_the_bare_home_page_unsubscribes_nobody(mailchecker, href, found):
    result = run(mailchecker, f'<p><a href="{href}">Se désinscrire</a></p>', "MC107")
    result.assert_findings({"MC107": found})
    if found:
        assert "home page of shop.example.com" in result.findings[0]["message"]


def run_us(mailchecker, text: str):
    mailchecker.make_file("m.eml", us_message(text))
    return mailchecker.run("m.eml", "--profile", "us", "--select", "MC101,MC105")


def test_fee_in_the_sentence_before_a_text_url(mailchecker):
    result = run_us(
        mailchecker,
        "To unsubscribe, visit the page below. A $5 processing fee applies to each removal "
        "request.\nhttps://acmeoutdoor.com/unsubscribe",
    )
    result.assert_findings({"MC101": 0, "MC105": 1})
    finding = result.findings[0]
    assert (
        finding["severity"] == "error"
        and "mentions a fee ('processing fee')" in (finding["message"])
    )
    assert result.lines("MC105") == [10]


@pytest.mark.parametrize(
    ("instruction", "said"),
    [
        (
            "To stop receiving these emails, call us at 1-800-555-0199 during business hours.",
            "requires an offline step ('call us') and no link or reply address is given",
        ),
        (
            "To be removed from our mailing list, send a letter to our office.",
            "requires an offline step ('send a letter') and no link or reply address is given",
        ),
        (
            "To unsubscribe, reply to this email with your full name, phone number and the "
            "reason for leaving.",
            "asks for information beyond the address ('full name')",
        ),
    ],
)
def test_opt_out_without_electronic_means_is_obstructed_not_missing(mailchecker, instruction, said):
    result = run_us(mailchecker, instruction)
    result.assert_findings({"MC101": 0, "MC105": 1})
    finding = result.findings[0]
    assert said in finding["message"] and "e-mail" in finding["message"]
    assert finding["severity"] == "error"


def test_offline_only_opt_out_is_a_warning_outside_the_us(mailchecker):
    mailchecker.make_file("m.eml", us_message("To stop receiving these emails, call us."))
    result = mailchecker.run("m.eml", "--select", "MC101,MC105")
    result.assert_findings({"MC101": 0, "MC105": 1})
    assert result.findings[0]["severity"] == "warning"


def test_several_steps_are_obstructed(mailchecker):
    result = run(
        mailchecker,
        "<p>Pour vous désinscrire, rendez-vous dans vos paramètres, puis décochez la case "
        '« Newsletter » : <a href="https://acme.fr/parametres">ici</a>.</p>',
        "MC105",
    )
    result.assert_findings({"MC105": 1})
    message = result.findings[0]["message"]
    assert "takes several steps" in message and "one web page" in message
