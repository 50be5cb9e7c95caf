"""Shared analysis helpers (src/mailcheck/rules/templates/analysis.py)."""

from __future__ import annotations

import pytest

from mailcheck.documents import Body
from mailcheck.keywords import Keywords
from mailcheck.keywords import fold as core_fold
from mailcheck.rules.templates.analysis import (
    TRANSPARENT,
    Styles,
    fold,
    is_noreply_address,
    organisational_domain,
    parse_colour,
    tag_index,
    too_close,
    visibility,
)


@pytest.mark.parametrize(
    "text",
    ["Désabonnez-vous", "NE PLUS RECEVOIR", "Straße", "l’offre", "abc_def-ghi", "plain ascii text"],
)
def test_fast_fold_matches_core_fold(text):
    assert fold(text) == core_fold(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#fff", (255, 255, 255)),
        ("#FEFEFE", (254, 254, 254)),
        ("rgb(10, 20, 30)", (10, 20, 30)),
        ("rgba(0,0,0,0)", TRANSPARENT),
        ("transparent", TRANSPARENT),
        ("white", (255, 255, 255)),
        ("ffffff", (255, 255, 255)),
        ("#333333 !important", (51, 51, 51)),
        ("inherit", None),
    ],
)
def test_parse_colour(value, expected):
    assert parse_colour(value) == expected


def test_too_close():
    assert too_close((255, 255, 255), (254, 254, 254))
    assert too_close((240, 240, 240), (255, 255, 255))
    assert not too_close((153, 153, 153), (255, 255, 255))
    assert not too_close((0, 0, 238), (0, 0, 0))


def body(html: str) -> Body:
    return Body(html)


def test_styles_specificity_important_and_media():
    doc = body(
        "<style>a { color: #111111; } .f a { color: #222222; } #x { color: #333333; }"
        " .g a { color: #444444 !important; }"
        " @media (max-width: 600px) { .f a { color: #ffffff; } }</style>"
        '<div class="f g"><a id="x" style="color:#555555">u</a></div>'
    )
    styles = Styles(tag_index(doc).styles)
    anchor = doc.soup.find("a")
    assert styles.declared(anchor)["color"] == "#444444"


def test_descendant_selector_needs_the_ancestor():
    doc = body('<style>.footer a { display: none; }</style><div><a href="x">Unsubscribe</a></div>')
    assert visibility(doc.soup.find("a"), doc).hidden is None
    doc = body(
        '<style>.footer a { display: none; }</style><div class="footer"><a href="x">U</a></div>'
    )
    assert "display:none" in visibility(doc.soup.find("a"), doc).hidden


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


@pytest.mark.parametrize(
    ("text", "folded", "expected"),
    [
        (
            "Pour vous désinscrire, connectez-vous à votre espace client",
            "connectez vous a votre espace",
            "connectez-vous à votre espace",
        ),
        (
            "Diese E-Mail wurde automatisch erstellt.",
            "diese e mail wurde automatisch erstellt",
            "Diese E-Mail wurde automatisch erstellt",
        ),
        ("nothing here", "merci de ne pas repondre", "merci de ne pas repondre"),
    ],
)
def test_original_phrase(text, folded, expected):
    from mailcheck.rules.templates.analysis import original_phrase

    assert original_phrase(text, folded) == expected
