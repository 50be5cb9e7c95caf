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

    text = "<style>b{}</style>" * 20_000 + "<p>*|UNSUB|*</p>" + "<title>a</title>"
    body = Body(text)
    assert not unrendered(body, text.index("*|UNSUB|*"), ctx)
    assert unrendered(body, text.index("a</title>"), ctx)
    # A <style> never closed holds the rest of the page, as HTML reads it.
    text = "<p>x</p>" + "<style>" * 20_000 + "<p>*|UNSUB|*</p>"
    body = Body(text)
    assert unrendered(body, text.index("*|UNSUB|*"), ctx)
    assert not unrendered(body, text.index("x</p>"), ctx)


@pytest.mark.parametrize(
    "tail",
    [
        "<!-- ancien pied\n<p><a href='https://x.fr/u?id=1'>Se désabonner</a></p>",
        "<!-- pied -- >\n<p><a href='https://x.fr/u?id=1'>Se désabonner</a></p>",
        "<title>Soldes\n<p><a href='https://x.fr/u?id=1'>Se désabonner</a></p>",
    ],
)
def test_what_is_swallowed_to_the_end_is_not_shown(ctx, tail):
    """An unclosed comment (or one "closed" by ``-- >``) or ``<title>`` swallows the rest
    of the page in a mail app: its links are in no soup the rules read."""
    from mailcheck.documents import Body

    text = "<html><body><p>Soldes -30 %</p>\n" + tail + "\n</body></html>"
    body = Body(text)
    assert body.soup.find("a") is None
    assert body.soup.find("p").sourceline == 1  # positions kept
    closed = Body(text.replace("ancien pied", "ancien pied -->").replace("-- >", "-->"))
    if "<title>" not in tail:
        assert closed.soup.find("a") is not None
