"""No-reply addresses and organisational domains (src/mailcheck/analysis/addresses.py)."""

from __future__ import annotations

import pytest

from mailcheck.analysis.addresses import is_noreply_address, organisational_domain
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


def test_organisational_domain():
    assert organisational_domain("mail.news.acme.fr") == "acme.fr"
    assert organisational_domain("help.acme.co.uk") == "acme.co.uk"
