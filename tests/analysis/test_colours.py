"""Colour parsing and contrast (src/mailcheck/analysis/colours.py)."""

from __future__ import annotations

import pytest

from mailcheck.analysis.colours import TRANSPARENT, parse_colour, too_close


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


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hsl(0, 0%, 99%)", (252, 252, 252)),
        ("hsl(0 0% 100%)", (255, 255, 255)),
        ("rgb(100% 100% 100%)", (255, 255, 255)),
        ("rgb(100%, 0%, 0%)", (255, 0, 0)),
        ("#ffffff80", (255, 255, 255)),
        ("#fefefe10", TRANSPARENT),
        ("WhiteSmoke", (245, 245, 245)),
        ("url(data:image/png;base64,iVBORw0KGgo=) #eeeeee no-repeat", (238, 238, 238)),
        ("currentColor", None),
    ],
)
def test_parse_colour_through_a_css_parser(value, expected):
    assert parse_colour(value) == expected
