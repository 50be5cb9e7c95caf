"""Folded phrases back to the source's words (src/mailcheck/analysis/phrases.py)."""

from __future__ import annotations

import pytest

from mailcheck.analysis.phrases import original_phrase


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
    assert original_phrase(text, folded) == expected
