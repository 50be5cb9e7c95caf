"""MC108-MC111 (src/mailcheck/rules/templates/identity.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[3] / "fixtures" / "templates"

PAGE = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Offres</title></head>
<body>
<p>Profitez de -20 % sur la collection d'hiver.</p>
{footer}
<a href="*|UNSUB|*">Se désinscrire</a>
</body>
</html>
"""


def run(mailchecker, footer: str, select: str, *extra: str, name: str = "p.html"):
    mailchecker.make_file(name, PAGE.format(footer=footer))
    return mailchecker.run(name, "--select", select, *extra)


def fixture(mailchecker, name: str, select: str, *extra: str):
    mailchecker.make_file(name, (FIXTURES / name).read_bytes())
    return mailchecker.run(name, "--select", select, *extra)


# -- MC108 ----------------------------------------------------------------------------------


def test_no_identity_at_all(mailchecker):
    result = run(mailchecker, "<p>À bientôt !</p>", "MC108")
    result.assert_findings({"MC108": 1})
    assert result.lines("MC108") == [1] and result.findings[0]["severity"] == "warning"


@pytest.mark.parametrize(
    "footer",
    [
        "<p>Acme SAS</p>",
        "<p>© 2026 Lumière & Co</p>",
        "<p>Kaffeerösterei Berg GmbH</p>",
        "<p>Vienen de Calle Mayor 5, 28013 Madrid</p>",
        "<p>*|HTML:LIST_ADDRESS_HTML|*</p>",
        # company forms and wording of other countries
        "<p>Sklep Zima sp. z o.o. · Wszelkie prawa zastrzeżone</p>",
        "<p>Butik Aktiebolag · Org.nr 556000-0000</p>",
        "<p>Obchod s.r.o., IČO 12345678</p>",
        "<p>Bolt Kft. · Minden jog fenntartva</p>",
        "<p>株式会社サンプル</p>",
        "<p>㈱サンプル</p>",
        "<p>示例科技有限公司</p>",
        "<p>(주)샘플 · 사업자등록번호 123-45-67890</p>",
    ],
)
def test_identity_found(mailchecker, footer):
    run(mailchecker, footer, "MC108").assert_findings({"MC108": 0})


def test_sender_name_from_config(mailchecker):
    mailchecker.make_config('sender = "Atelier Lumière <lettre@atelier-lumiere.fr>"\n')
    run(mailchecker, "<p>L'équipe de l'Atelier Lumière</p>", "MC108").assert_findings({"MC108": 0})


def test_sender_domain_from_config(mailchecker):
    mailchecker.make_config('sender = "news@atelier-lumiere.fr"\n')
    run(mailchecker, "<p>Toute l'équipe atelier-lumiere vous salue</p>", "MC108").assert_findings(
        {"MC108": 0}
    )


def test_identity_only_in_image(mailchecker):
    mailchecker.make_config('sender = "Atelier Lumière <lettre@atelier-lumiere.fr>"\n')
    result = run(mailchecker, '<img src="logo.png" alt="Atelier Lumière">', "MC108")
    result.assert_findings({"MC108": 1})
    assert "only in an image" in result.findings[0]["message"]


def test_transactional_is_not_checked(mailchecker):
    fixture(mailchecker, "transactional-password-reset-en.html", "MC108").assert_findings(
        {"MC108": 0}
    )


# -- MC109 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "Acme SAS, 12 rue de la Paix, 75002 Paris",
        "Acme SAS – BP 123 – 69001 Lyon Cedex",
        "Kaffeerösterei Berg GmbH · Hauptstraße 12 · 79098 Freiburg",
        "Acme Inc., 500 Market Street, Suite 300, San Francisco, CA 94105",
        "Acme Ltd, 20 Fenchurch Street, London EC3M 3BY",
        "Acme BV, Keizersgracht 123, 1015 CJ Amsterdam",
        "Acme Lda, Rua Augusta 100, 1100-053 Lisboa",
        "Acme Srl, Via Roma 1, 00184 Roma",
        "Acme Pty Ltd, 10 George St, Sydney NSW 2000",
        "Acme Inc., PO Box 123, Toronto, ON M5V 2T6",
        "Sklep Zima sp. z o.o., ul. Długa 5, 00-001 Warszawa",
        "Butik AB, Storgatan 1, 111 22 Stockholm",
        "Obchod s.r.o., Václavské nám. 1, 110 00 Praha",
        "Bolt Kft., Andrássy utca 12, 1061 Budapest",
        "Butikk ASA, Storgata 1, 0155 Oslo",
        "株式会社サンプル〒150-0001 東京都渋谷区神宮前1-2-3",
    ],
)
def test_postal_addresses_found(mailchecker, address):
    run(mailchecker, f"<p>{address}</p>", "MC109").assert_findings({"MC109": 0})


def test_missing_address_is_info_in_eu_and_error_in_us(mailchecker):
    footer = "<p>Acme SAS · © 2026 · Tél. 01 23 45 67 89</p>"
    eu = run(mailchecker, footer, "MC109")
    eu.assert_findings({"MC109": 1})
    assert eu.findings[0]["severity"] == "info" and eu.lines("MC109") == [1]
    mailchecker.make_config('profile = "us"\n')
    us = run(mailchecker, footer, "MC109")
    assert us.findings[0]["severity"] == "error" and us.exit_code == 1


def test_lorem_ipsum_next_to_a_year_is_no_address(mailchecker):
    """Latin "ut" (Hungarian "út" folded) or English "box" and "tie" are no street."""
    text = "<p>3 Feb, 2020 do ullamco reprehenderit ut dolor. Tie a box to the gate 2021.</p>"
    run(mailchecker, text, "MC109").assert_findings({"MC109": 1})


def test_year_is_not_a_postcode(mailchecker):
    run(mailchecker, "<p>© 2026 Acme, place des Lices</p>", "MC109").assert_findings({"MC109": 1})


def test_address_tag_names_extend_from_config(mailchecker):
    footer = "<p>Acme SAS · {{ Sender_Address }}</p>"
    run(mailchecker, footer, "MC109").assert_findings({"MC109": 0})
    footer = "<p>Acme SAS · {{ expediteur_lieu }}</p>"
    run(mailchecker, footer, "MC109").assert_findings({"MC109": 1})
    mailchecker.make_config('[keywords]\naddress_tag_name = ["lieu"]\n')
    run(mailchecker, footer, "MC109").assert_findings({"MC109": 0})


# -- MC110 ----------------------------------------------------------------------------------


def test_reply_discouraged_without_channel(mailchecker):
    result = fixture(mailchecker, "noreply-fr-sans-contact.html", "MC110")
    result.assert_findings({"MC110": 1})
    assert result.lines("MC110") == [9] and result.findings[0]["severity"] == "warning"


def test_reply_discouraged_with_contact_address(mailchecker):
    fixture(mailchecker, "transactional-commande-fr.html", "MC110").assert_findings({"MC110": 0})
    footer = (
        '<p>Please do not reply to this email. <a href="https://acme.com/help">Contact us</a></p>'
        "<p>Acme SAS</p>"
    )
    run(mailchecker, footer, "MC110").assert_findings({"MC110": 0})


def test_reply_discouraged_in_transactional_mail_is_info(mailchecker):
    result = fixture(mailchecker, "transactional-rechnung-de.html", "MC110")
    result.assert_findings({"MC110": 1})
    assert result.findings[0]["severity"] == "info" and result.lines("MC110") == [9]


# -- MC111 ----------------------------------------------------------------------------------


def test_rights_notice_missing(mailchecker):
    result = run(mailchecker, "<p>Acme SAS</p>", "MC111")
    result.assert_findings({"MC111": 1})
    assert result.findings[0]["severity"] == "info"


@pytest.mark.parametrize(
    "footer",
    [
        '<a href="https://acme.fr/confidentialite">Confidentialité</a>',
        '<a href="https://acme.fr/legal/privacy">Legal</a>',
        "<p>Vous pouvez vous désinscrire à tout moment.</p>",
        "<p>Conformément au RGPD, vous disposez d'un droit d'opposition.</p>",
        "<p>Hinweise zum Datenschutz finden Sie online.</p>",
        '<p><a href="https://x.pl/p">Polityka prywatności</a></p>',
        "<p>Kişisel verilerin korunması hakkında bilgi için KVKK metnimizi okuyun.</p>",
        "<p>個人情報の取り扱いについてはプライバシーポリシーをご覧ください。</p>",
        "<p>개인정보처리방침</p>",
    ],
)
def test_rights_notice_present(mailchecker, footer):
    run(mailchecker, footer, "MC111").assert_findings({"MC111": 0})


@pytest.mark.parametrize(
    "footer",
    [
        '<p><span class="Unsubscribe--senderAddress">{{Sender_Address}}</span>, '
        "{{Sender_City}}</p>",
        "<p>{{ site_settings.company_street_address_1 }}</p>",
    ],
)
def test_provider_address_tags_count(mailchecker, footer):
    run(mailchecker, footer, "MC109").assert_findings({"MC109": 0})


@pytest.mark.parametrize(
    "notice",
    [
        "Ne répondez pas à cet e-mail.",
        "Bitte antworten Sie nicht auf diese E-Mail.",
        "Non rispondere a questa email.",
        "No responda a este correo.",
    ],
)
def test_privacy_policy_link_alone_is_no_channel(mailchecker, notice):
    footer = (
        f"<p>{notice} "
        '<a href="https://acme.fr/confidentialite">Politique de confidentialité</a></p>'
    )
    result = run(mailchecker, footer, "MC110")
    result.assert_findings({"MC110": 1})
    assert "cannot object" in result.findings[0]["message"]
    contact = f'<p>{notice} <a href="https://acme.fr/contact">Formulaire de contact</a></p>'
    run(mailchecker, contact, "MC110").assert_findings({"MC110": 0})


def test_an_english_as_is_no_norwegian_company_form(mailchecker):
    text = "<p>Save as much as 30% this weekend on everything in the shop.</p>"
    run(mailchecker, text, "MC108").assert_findings({"MC108": 1})


@pytest.mark.parametrize(
    "address",
    [
        "Acme BV, Damrak 1, 1012 LG Amsterdam",
        "Acme BV | Rokin 75 | 1012 KL Amsterdam",
        "Acme GmbH, Unter den Linden 77, 10117 Berlin",
        "Acme GmbH, Zeil 106, D-60313 Frankfurt am Main",
        "Acme SL, Serrano 41, 28001 Madrid",
        "Acme SL, Passeig de Gràcia 92, 08008 Barcelona",
        "Acme Srl, Galleria Vittorio Emanuele II 12, 20121 Milano",
        "Acme Lda, Rossio 59, 1100-200 Lisboa",
        "Acme AG, Limmatquai 1, 8001 Zürich",
        "Acme ApS, Strøget 12, 1160 København K",
        "Acme Oy, Mannerheimintie 12, 00100 Helsinki",
        "Acme sp. z o.o., Nowy Świat 15, 00-029 Warszawa",
        "Acme Inc., 1 Infinite Loop, Cupertino, CA 95014",
        "Acme Inc., 2 Embarcadero Center, San Francisco, CA 94111",
        "Acme Ltd, 1 Kings Cross, London N1C 4AG",
    ],
)
def test_addresses_without_a_street_word_are_found_by_their_layout(mailchecker, address):
    """A house number, a postcode and a town (or a town, a state and a ZIP code) make an
    address line; under the US profile a false MC109 would fail the run."""
    mailchecker.make_config('profile = "us"\n')
    result = run(mailchecker, f"<p>{address}</p>", "MC109")
    result.assert_findings({"MC109": 0})
    assert result.exit_code == 0


@pytest.mark.parametrize(
    "text",
    [
        "<p>Top 10, 2026 Edition: 20 % off 3 items.</p>",
        "<p>Since 1998 we ship 24 hours a day to 10000 customers.</p>",
        "<p>Commande 45821 du 12/11/2026, total 120,00 €.</p>",
    ],
)
def test_numbers_that_are_no_address_line(mailchecker, text):
    run(mailchecker, text, "MC109").assert_findings({"MC109": 1})
