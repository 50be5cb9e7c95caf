"""MC321-MC324 (src/mailcheck/rules/messages/headers.py) on real-shaped .eml files."""

from __future__ import annotations

from pathlib import Path

import pytest

MESSAGES = Path(__file__).parents[3] / "fixtures" / "messages"


def fixture(mailchecker, name: str, select: str):
    target = Path(name).name
    mailchecker.make_file(target, (MESSAGES / name).read_bytes())
    return mailchecker.run(target, "--select", select)


def message(headers: str, body: str = "") -> str:
    body = body or (
        "<html><body><p>Soldes -30 % ce week-end.</p><p>Acme SAS, 12 rue de la Paix, 75002 "
        "Paris</p>"
        '<a href="https://acme.fr/u/1">Se désinscrire</a></body></html>\n'
    )
    return (
        "From: Acme <news@acme.fr>\nTo: client@example.org\nSubject: Soldes\n"
        "Date: Sat, 22 Nov 2026 09:00:00 +0100\n"
        + headers
        + "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
        + body
    )


def run(mailchecker, text: str, select: str):
    mailchecker.make_file("m.eml", text)
    return mailchecker.run("m.eml", "--select", select)


def test_compliant_newsletter_is_clean(mailchecker):
    fixture(mailchecker, "newsletter-fr-one-click.eml", "MC32,MC101,MC102,MC103").assert_clean()


# -- MC321 ----------------------------------------------------------------------------------


def test_list_unsubscribe_missing(mailchecker):
    result = fixture(mailchecker, "promo-en-no-headers.eml", "MC321")
    result.assert_findings({"MC321": 1})
    assert result.lines("MC321") == [1]


def test_vendor_alias_does_not_count(mailchecker):
    result = run(mailchecker, message("X-Unsubscribe: <https://acme.fr/u/1>\n"), "MC321")
    result.assert_findings({"MC321": 1})
    assert result.lines("MC321") == [5] and "X-Unsubscribe" in result.findings[0]["message"]


@pytest.mark.parametrize("value", ["<>", "< >", "<>, <>", ""])
def test_an_empty_list_unsubscribe_is_missing_not_a_one_click_problem(mailchecker, value):
    headers = (
        f"List-Unsubscribe: {value}\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n"
        "DKIM-Signature: v=1; a=rsa-sha256; d=acme.fr; s=s1; "
        "h=from:to:subject:date:list-unsubscribe:list-unsubscribe-post; bh=AA; b=BB\n"
    )
    result = run(mailchecker, message(headers), "MC321,MC322,MC323")
    result.assert_findings({"MC321": 1, "MC322": 0, "MC323": 0})
    assert result.lines("MC321") == [5] and "empty" in result.findings[0]["message"]


def test_transactional_needs_no_list_unsubscribe(mailchecker):
    fixture(mailchecker, "receipt-en-transactional.eml", "MC321").assert_findings({"MC321": 0})


# -- MC322 ----------------------------------------------------------------------------------


def test_mailto_only_and_no_post(mailchecker):
    result = fixture(mailchecker, "newsletter-de-mailto-only.eml", "MC322")
    result.assert_findings({"MC322": 1})
    assert result.lines("MC322") == [8]
    message_text = result.findings[0]["message"]
    assert "no https:// URI" in message_text and "List-Unsubscribe-Post" in message_text


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ("List-Unsubscribe: <https://acme.fr/u/1>\n", 1),
        (
            "List-Unsubscribe: <http://acme.fr/u/1>\nList-Unsubscribe-Post: "
            "List-Unsubscribe=One-Click\n",
            1,
        ),
        (
            "List-Unsubscribe: <https://acme.fr/u/1>\nList-Unsubscribe-Post: "
            "List-Unsubscribe=One-Click\n",
            0,
        ),
        (
            "List-Unsubscribe: <mailto:u@acme.fr>, <https://acme.fr/u/1>\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n",
            0,
        ),
    ],
)
def test_one_click_variants(mailchecker, headers, expected):
    run(mailchecker, message(headers), "MC322").assert_findings({"MC322": expected})


# -- MC323 ----------------------------------------------------------------------------------


def test_dkim_does_not_cover_list_unsubscribe(mailchecker):
    result = fixture(mailchecker, "newsletter-de-mailto-only.eml", "MC323")
    result.assert_findings({"MC323": 1})
    assert result.lines("MC323") == [1]


def test_no_dkim_at_all(mailchecker):
    headers = (
        "List-Unsubscribe: <https://acme.fr/u/1>\n"
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"
    )
    result = run(mailchecker, message(headers), "MC323")
    result.assert_findings({"MC323": 1})
    assert result.lines("MC323") == [5]


def test_dkim_covering_both_headers_folded_and_mixed_case(mailchecker):
    fixture(mailchecker, "newsletter-fr-one-click.eml", "MC323").assert_findings({"MC323": 0})
    fixture(mailchecker, "sms-style-stop-en.eml", "MC323").assert_findings({"MC323": 0})


def test_dkim_missing_only_the_post_header(mailchecker):
    headers = (
        "List-Unsubscribe: <https://acme.fr/u/1>\nList-Unsubscribe-Post: "
        "List-Unsubscribe=One-Click\n"
        "DKIM-Signature: v=1; a=rsa-sha256; d=acme.fr; s=s1; h=from:to:subject:list-unsubscribe; "
        "bh=x; b=y\n"
    )
    result = run(mailchecker, message(headers), "MC323")
    result.assert_findings({"MC323": 1})
    assert "list-unsubscribe-post" in result.findings[0]["message"] and result.lines("MC323") == [7]


# -- MC324 ----------------------------------------------------------------------------------


def test_header_without_body_link(mailchecker):
    result = fixture(mailchecker, "header-only-fr.eml", "MC324")
    result.assert_findings({"MC324": 1})
    assert result.lines("MC324") == [9]


def test_body_link_without_header(mailchecker):
    result = fixture(mailchecker, "promo-en-no-headers.eml", "MC324")
    result.assert_findings({"MC324": 1})
    assert result.lines("MC324") == [16]  # the link, through the quoted-printable map


def test_both_present(mailchecker):
    fixture(mailchecker, "newsletter-fr-one-click.eml", "MC324").assert_findings({"MC324": 0})
