"""MC320, MC325-MC327 (src/mailcheck/rules/messages/sender.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

MESSAGES = Path(__file__).parents[3] / "fixtures" / "messages"
TEMPLATES = Path(__file__).parents[3] / "fixtures" / "templates"


def fixture(mailchecker, path: Path, select: str):
    mailchecker.make_file(path.name, path.read_bytes())
    return mailchecker.run(path.name, "--select", select)


def message(from_: str, extra: str = "", subject: str = "Soldes d'hiver", body: str = "") -> str:
    body = (
        body
        or "<html><body><p>Soldes -30 %.</p>"
        "<a href='https://acme.fr/u'>Se désinscrire</a></body></html>\n"
    )
    return (
        f'From: {from_}\nTo: "Camille Martin" <camille@example.org>\nSubject: {subject}\n{extra}'
        "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" + body
    )


def run(mailchecker, text: str, select: str):
    mailchecker.make_file("m.eml", text)
    return mailchecker.run("m.eml", "--select", select)


# -- MC320 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sender",
    [
        "no-reply@acme.fr",
        "noreply+news@acme.fr",
        "ne-pas-repondre@acme.fr",
        "shop.noreply@acme.fr",
        "news@noreply.acme.fr",
        "Keine-Antwort@acme.de",
        "donotreply@acme.com",
    ],
)
def test_noreply_from_without_reply_to(mailchecker, sender):
    result = run(mailchecker, message(f"Acme <{sender}>"), "MC320")
    result.assert_findings({"MC320": 1})
    assert result.findings[0]["severity"] == "warning" and result.lines("MC320") == [1]


@pytest.mark.parametrize(
    "sender", ["news@acme.fr", "bounce@acme.fr", "reply@acme.fr", "nora@acme.fr"]
)
def test_ordinary_from_is_fine(mailchecker, sender):
    run(mailchecker, message(f"Acme <{sender}>"), "MC320").assert_findings({"MC320": 0})


def test_noreply_from_with_monitored_reply_to_is_info(mailchecker):
    result = fixture(mailchecker, MESSAGES / "receipt-en-transactional.eml", "MC320")
    result.assert_findings({"MC320": 1})
    assert result.findings[0]["severity"] == "info"


def test_noreply_reply_to(mailchecker):
    result = run(
        mailchecker, message("Acme <news@acme.fr>", "Reply-To: no-reply@acme.fr\n"), "MC320"
    )
    result.assert_findings({"MC320": 1})
    assert result.lines("MC320") == [4]


def test_template_sender_comment_and_config(mailchecker):
    result = fixture(mailchecker, TEMPLATES / "noreply-fr-sans-contact.html", "MC320,MC901")
    result.assert_findings({"MC320": 1, "MC901": 0})
    assert result.lines("MC320") == [3]
    mailchecker.make_config('sender = "noreply@acme.fr"\nreply-to = "contact@acme.fr"\n')
    result = fixture(mailchecker, TEMPLATES / "newsletter-fr.html", "MC320")
    assert result.findings[0]["severity"] == "info"


# -- MC325 ----------------------------------------------------------------------------------


def test_fake_reply_subject_and_display_name(mailchecker):
    result = fixture(mailchecker, MESSAGES / "promo-en-no-headers.eml", "MC325")
    assert result.lines("MC325") == [1, 3]


def test_real_reply_is_fine(mailchecker):
    extra = "In-Reply-To: <q-1@example.org>\n"
    run(
        mailchecker, message("Acme <news@acme.fr>", extra, subject="RE: votre devis"), "MC325"
    ).assert_findings({"MC325": 0})


@pytest.mark.parametrize(
    ("from_", "words"),
    [
        ('"URGENT: Acme Offers" <news@acme.fr>', "urgent"),
        ('"Acme 🔥" <news@acme.fr>', "emoji"),
        ('"Camille, your gift" <news@acme.fr>', "recipient's name"),
        ('"Fwd: Acme" <news@acme.fr>', "reply or forward"),
    ],
)
def test_deceptive_display_names(mailchecker, from_, words):
    result = run(mailchecker, message(from_), "MC325")
    result.assert_findings({"MC325": 1})
    assert words in result.findings[0]["message"]


def test_plain_brand_display_name(mailchecker):
    run(
        mailchecker,
        message('"Free Mobile" <news@free-mobile.example.fr>', subject="Re-découvrez nos offres"),
        "MC325",
    ).assert_findings({"MC325": 0})


# -- MC326 ----------------------------------------------------------------------------------


def test_reply_to_domain_mismatch(mailchecker):
    result = fixture(mailchecker, MESSAGES / "urgent-display-name-mismatch.eml", "MC326")
    result.assert_findings({"MC326": 1})
    assert result.lines("MC326") == [2] and "gmail.com" in result.findings[0]["message"]


def test_same_organisational_domain(mailchecker):
    extra = "Reply-To: support@help.acme.co.uk\n"
    run(mailchecker, message("Acme <news@mail.acme.co.uk>", extra), "MC326").assert_findings(
        {"MC326": 0}
    )


# -- MC327 ----------------------------------------------------------------------------------


def test_shared_from_without_list_id(mailchecker):
    folder = MESSAGES / "shared-from"
    for path in folder.iterdir():
        mailchecker.make_file(f"out/{path.name}", path.read_bytes())
    result = mailchecker.run("out", "--select", "MC327")
    result.assert_findings({"MC327": 1})
    assert result.findings[0]["path"] == "out/newsletter-no-list-id.eml"


def test_single_message_is_silent(mailchecker):
    fixture(
        mailchecker, MESSAGES / "shared-from" / "newsletter-no-list-id.eml", "MC327"
    ).assert_findings({"MC327": 0})


def test_noreply_sender_in_config_is_a_warning_under_eu_profiles(mailchecker):
    # The template gives a privacy link and a contact address: info under us, but the
    # address every mail is sent from stays a warning under the EU profiles.
    mailchecker.make_config('sender = "Acme <no-reply@acme.fr>"\n')
    mailchecker.make_file(
        "t.html",
        "<html><body><p>Soldes -30 %.</p><p>Écrivez-nous : contact@acme.fr</p>"
        "<a href='*|UNSUB|*'>Se désinscrire</a></body></html>\n",
    )
    result = mailchecker.run("t.html", "--select", "MC320")
    result.assert_findings({"MC320": 1})
    assert result.findings[0]["severity"] == "warning"
    result = mailchecker.run("t.html", "--select", "MC320", "--profile", "us")
    assert result.findings[0]["severity"] == "info"


def test_message_without_from_header(mailchecker):
    text = message("x").replace("From: x\n", "")
    text = text.replace("<p>Soldes -30 %.</p>", "<p>Soldes -30 %. Acme SAS vous écrit.</p>")
    result = run(mailchecker, text, "MC325")
    result.assert_findings({"MC325": 1})
    finding = result.findings[0]
    assert finding["severity"] == "error" and finding["line"] == 1
    assert "no From header" in finding["message"] and "7704(a)(1)" in finding["reference"]
