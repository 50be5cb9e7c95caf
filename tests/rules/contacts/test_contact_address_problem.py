"""address_problem (MC217) gives email-validator's own reason, per-domain cache or not."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email

from mailcheck.rules.contacts.addresses import address_problem


def _validator_reason(address: str) -> str | None:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    return None


@pytest.mark.parametrize(
    "address",
    [
        "hugo.durand103@@orange.fr",
        "jean@exemple.fr@gmail.com",
        "jean.dupont@@exemple",
        "a@b@c@d.fr",
        "léa.dubois@@gmail.com",  # non-ASCII local part: full validation
        '"quoted@local"@exemple.fr',  # quoted local part holding an "@": valid
        "Jean <jean@exemple.fr>@x.fr",
        "jean..dupont@@exemple.fr",  # invalid local part reported first
        "jean@@[192.0.2.1]",
        "jean@@exemple.test",
    ],
)
def test_several_at_signs_give_the_validator_reason(address: str) -> None:
    assert address_problem(address) == _validator_reason(address)
    assert address_problem(address) == _validator_reason(address)  # cached domain: same
