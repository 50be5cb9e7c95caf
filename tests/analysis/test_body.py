"""The parsed body's text helpers (src/mailcheck/analysis/body.py)."""

from __future__ import annotations

import pytest

from mailcheck.analysis.body import fold
from mailcheck.keywords import fold as core_fold


@pytest.mark.parametrize(
    "text",
    ["Désabonnez-vous", "NE PLUS RECEVOIR", "Straße", "l’offre", "abc_def-ghi", "plain ascii text"],
)
def test_fast_fold_matches_core_fold(text):
    assert fold(text) == core_fold(text)
