"""Every fixture of fixtures/forms/ gives exactly these findings (code, line, severity):
the realistic pages, the provider widgets and the false-positive traps."""

from __future__ import annotations

import pytest

from .conftest import FIXTURES

E, W, INFO = "error", "warning", "info"

EXPECTED = {
    "checkout-fr.html": [
        ("MC301", 34, E),  # newsletter + partners box, pre-ticked
        ("MC302", 34, E),  # ... bundling newsletter and partners
        ("MC308", 34, W),  # ... partners not named
        ("MC303", 38, E),  # CGV + offres commerciales in one required box
        ("MC304", 38, E),
        ("MC306", 42, INFO),  # "cochez si vous ne souhaitez pas" on a checkout: info
    ],
    "newsletter-mailchimp-en.html": [],  # GDPR fields per channel, notice present
    "newsletter-brevo-fr.html": [],  # required OPT_IN on a newsletter-only form
    "newsletter-mailerlite-en.html": [("MC301", 19, E), ("MC302", 19, E)],
    "newsletter-mailjet-fr.html": [("MC302", 10, W), ("MC305", 13, E)],
    "account-register-de.html": [
        ("MC302", 28, W),  # E-Mail + SMS
        ("MC304", 32, E),  # required partner consent on an account form
        ("MC308", 32, W),
        ("MC306", 36, INFO),  # "Ich möchte keine Werbung" on an account form
    ],
    "login-en.html": [],  # "Remember me", "Show password" ticked
    "contest-fr.html": [
        ("MC309", 11, W),  # pregnancy / health question
        ("MC301", 17, E),  # "Oui" radio checked under "recevoir nos offres ?"
        ("MC301", 20, E),  # select whose first option is "Oui"
        ("MC304", 25, E),  # required partner switch on a contest
        ("MC308", 25, W),
        ("MC305", 28, E),  # hidden consent_profilage=true
    ],
    "signup-twig.html.twig": [("MC301", 12, INFO), ("MC301", 16, INFO)],
    "customer-register.liquid": [("MC301", 12, INFO)],
    "lead-magnet-en.html": [("MC303", 15, E), ("MC308", 15, W), ("MC310", 21, INFO)],
    "newsletter-popup-fr.html": [],  # subscribing is the consent; plain "Non merci"
    "settings-display-en.html": [],  # dark mode, VAT, currency radios
    "newsletter-sans-mentions-fr.html": [("MC307", 7, W)],
    "checkout-woocommerce-es.html": [
        ("MC301", 10, E),  # MailPoet opt-in ticked; "crear cuenta", "otra dirección" are not
        ("MC302", 10, W),  # ofertas + novedades
    ],
    "register-consensi-it.html": [
        ("MC301", 10, E),  # "Acconsento" radio preselected under a marketing question
        ("MC302", 10, E),  # marketing + profilazione in one question
        ("MC308", 15, W),  # "società terze" unnamed
    ],
}


def test_every_fixture_is_covered():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_findings(mailchecker, name):
    mailchecker.make_file(name, (FIXTURES / name).read_bytes())
    run = mailchecker.run(name, "--select", "MC30,MC31")
    got = sorted((f["code"], f["line"], f["severity"]) for f in run.findings)
    assert got == sorted(EXPECTED[name])
    assert run.exit_code == (1 if any(s == E for _, _, s in EXPECTED[name]) else 0)


def test_folder_walk_picks_up_template_sources(mailchecker):
    for name in ("signup-twig.html.twig", "customer-register.liquid"):
        mailchecker.make_file(f"site/{name}", (FIXTURES / name).read_bytes())
    run = mailchecker.run("site", "--select", "MC301")
    assert sorted((f["path"], f["line"]) for f in run.findings) == [
        ("site/customer-register.liquid", 12),
        ("site/signup-twig.html.twig", 12),
        ("site/signup-twig.html.twig", 16),
    ]
