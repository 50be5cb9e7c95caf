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


def test_unrendered_spans_are_found_in_linear_time(ctx):
    from mailcheck.analysis.body import unrendered
    from mailcheck.documents import Body

    text = "<style>" * 20_000 + "<p>*|UNSUB|*</p>" + "<title>a</title>"
    body = Body(text)
    assert not unrendered(body, text.index("*|UNSUB|*"), ctx)
    assert unrendered(body, text.index("a</title>"), ctx)
