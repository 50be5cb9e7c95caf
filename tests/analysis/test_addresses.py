"""No-reply addresses, organisational domains from the public suffix list, Unicode and ASCII
forms of a domain (src/mailcheck/analysis/addresses.py)."""

from __future__ import annotations

import pytest

from mailcheck.analysis.addresses import (
    ascii_domain,
    is_noreply_address,
    mailbox_spellings,
    organisational_domain,
    unicode_domain,
)
from mailcheck.keywords import Keywords


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("no-reply@acme.fr", True),
        ("NoReply+billing@acme.fr", True),
        ("info.noreply@acme.fr", True),
        ("ne_pas_repondre@acme.fr", True),
        ("user@users.noreply.github.com", True),
        ("nora@acme.fr", False),
        ("reply@acme.fr", False),
        ("bounces@acme.fr", False),
    ],
)
def test_noreply_addresses(address, expected):
    assert is_noreply_address(address, Keywords()["noreply"]) is expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("mail.news.acme.fr", "acme.fr"),
        ("help.acme.co.uk", "acme.co.uk"),
        ("news.surfclub.net.au", "surfclub.net.au"),  # not "net.au" (a public suffix)
        ("alumni.monash.edu.au", "monash.edu.au"),
        ("acme.github.io", "acme.github.io"),  # each github.io site is its own owner
        ("phish.github.io", "phish.github.io"),
        ("bounce.mairie.paris.fr", "paris.fr"),
        ("impots.gouv.fr", "impots.gouv.fr"),
        ("shop.acme.com.br", "acme.com.br"),
        ("mail.acme.co.jp", "acme.co.jp"),
        ("Mail.ACME.fr.", "acme.fr"),
        ("github.io", "github.io"),  # a public suffix itself: as it is
        ("localhost", "localhost"),
        ("news.xn--exmple-cva.fr", "exémple.fr"),  # one form whichever was written
        ("news.exémple.fr", "exémple.fr"),
    ],
)
def test_organisational_domain_from_the_public_suffix_list(host, expected):
    assert organisational_domain(host) == expected


def test_internationalised_domain_forms():
    assert unicode_domain("xn--exmple-cva.fr") == "exémple.fr"
    assert unicode_domain("EXE\u0301MPLE.fr") == "exémple.fr"  # NFD and upper case
    assert unicode_domain("xn--zz.fr") == "xn--zz.fr"  # not a valid A-label: kept
    assert ascii_domain("exémple.fr") == "xn--exmple-cva.fr"
    assert mailbox_spellings("léa@exémple.fr") == ("léa@exémple.fr", "léa@xn--exmple-cva.fr")
    assert mailbox_spellings("lea@exemple.fr") == ("lea@exemple.fr",)


REPLY_TO = (
    "From: Surf Club <news@mail.surfclub.net.au>\n"
    "Reply-To: {reply}\n"
    "To: member@example.com\n"
    "Subject: Your membership renewal\n"
    "Date: Mon, 02 Jun 2025 10:00:00 +1000\n"
    "Message-ID: <a1@mail.surfclub.net.au>\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Hello, your membership renews on 1 July.\n"
)


@pytest.mark.parametrize(
    ("reply", "mismatch"),
    [
        ("office@surfclub.net.au", False),
        ("help@divingclub.net.au", True),  # another club under the same public suffix
    ],
)
def test_reply_to_of_another_organisation_under_a_shared_suffix(mailchecker, reply, mismatch):
    mailchecker.make_eml("renewal.eml", REPLY_TO.format(reply=reply))
    run = mailchecker.run("renewal.eml", "--select", "MC326")
    assert run.lines("MC326") == ([2] if mismatch else [])
