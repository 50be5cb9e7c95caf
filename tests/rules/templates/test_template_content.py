"""MC112-MC114 (src/mailcheck/rules/templates/content.py)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parents[3] / "fixtures" / "templates"

HEAD = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
"""
FOOTER = """<p>Acme Inc., 500 Market Street, San Francisco, CA 94105</p>
<a href="*|UNSUB|*">Unsubscribe</a>
</body>
</html>
"""


def run(mailchecker, text: str, select: str, *extra: str):
    mailchecker.make_file("p.html", text)
    return mailchecker.run("p.html", "--select", select, *extra)


# -- MC112 ----------------------------------------------------------------------------------


def big_newsletter(filler_lines: int) -> str:
    row = (
        '<tr><td style="padding:8px;font-family:Arial,sans-serif;color:#333333">Story text '
        + "x" * 120
        + "</td></tr>\n"
    )
    return HEAD.format(title="News") + "<table>\n" + row * filler_lines + "</table>\n" + FOOTER


def test_unsubscribe_after_the_clip_point(mailchecker):
    text = big_newsletter(700)
    assert len(text.encode()) > 102 * 1024
    result = run(mailchecker, text, "MC112")
    result.assert_findings({"MC112": 1})
    line = text.splitlines().index('<a href="*|UNSUB|*">Unsubscribe</a>') + 1
    assert result.lines("MC112") == [line]
    assert "after Gmail's 102 KB clip point" in result.findings[0]["message"]


def test_big_part_with_unsubscribe_on_top(mailchecker):
    text = big_newsletter(700).replace("<table>", '<a href="*|UNSUB|*">Unsubscribe</a><table>', 1)
    result = run(mailchecker, text, "MC112")
    result.assert_findings({"MC112": 1})
    assert result.lines("MC112") == [1]


def test_small_template_and_limit_option(mailchecker):
    run(mailchecker, big_newsletter(100), "MC112").assert_findings({"MC112": 0})
    mailchecker.make_config("[rules.MC112]\nlimit-kb = 10\n")
    run(mailchecker, big_newsletter(100), "MC112").assert_findings({"MC112": 1})


# -- MC113 ----------------------------------------------------------------------------------


def test_tracking_pixel_but_not_spacer(mailchecker):
    mailchecker.make_file("t.html", (FIXTURES / "tracking-pixel-fr.html").read_bytes())
    result = mailchecker.run("t.html", "--select", "MC113")
    result.assert_findings({"MC113": 1})
    assert result.lines("MC113") == [12] and result.findings[0]["severity"] == "info"


def test_tracking_url_and_hidden_remote_image(mailchecker):
    body = (
        HEAD.format(title="News")
        + '<img src="https://esp.example.net/wf/open?upn=abc" alt="">\n'
        + '<img src="https://cdn.acme.com/o.png" style="display:none" alt="">\n'
        + '<img src="https://cdn.acme.com/hero.jpg" width="600" height="300" alt="Hero">\n'
        + '<img src="cid:logo" width="1" height="1">\n'
        + FOOTER
    )
    result = run(mailchecker, body, "MC113")
    assert result.lines("MC113") == [5, 6]


# -- MC114 ----------------------------------------------------------------------------------


def test_ad_label_only_under_us_profile(mailchecker):
    text = HEAD.format(title="Flash sale") + "<p>Flash sale: 40% off, shop now!</p>\n" + FOOTER
    run(mailchecker, text, "MC114").assert_findings({"MC114": 0})
    mailchecker.make_config('profile = "us"\n')
    result = run(mailchecker, text, "MC114")
    result.assert_findings({"MC114": 1})
    assert result.lines("MC114") == [5]


def test_ad_label_present(mailchecker):
    mailchecker.make_config('profile = "us"\n')
    text = (
        HEAD.format(title="Flash sale")
        + "<p>Advertisement</p><p>Flash sale: 40% off, shop now!</p>\n"
        + FOOTER
    )
    run(mailchecker, text, "MC114").assert_findings({"MC114": 0})


def test_editorial_newsletter_needs_no_label(mailchecker):
    mailchecker.make_config('profile = "us"\n')
    text = HEAD.format(title="Digest") + "<p>Our pick of long reads about cycling.</p>\n" + FOOTER
    run(mailchecker, text, "MC114").assert_findings({"MC114": 0})


def test_commercial_purpose_without_sales_words_needs_a_label_under_us(mailchecker):
    mailchecker.make_file(
        "ski.eml",
        "From: Acme Outdoor <news@acmeoutdoor.com>\nTo: pat@example.net\n"
        "Subject: Learn to ski this winter\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Our beginner ski classes start December 5 at Mount Hood. Small groups.\n"
        "Book now: https://acmeoutdoor.com/ski\n\n"
        "Unsubscribe: https://acmeoutdoor.com/unsubscribe?u=1\n"
        "Acme Outdoor Inc., 500 Market Street, San Francisco, CA 94105\n",
    )
    result = mailchecker.run("ski.eml", "--profile", "us", "--select", "MC114")
    result.assert_findings({"MC114": 1})
    finding = result.findings[0]
    assert finding["severity"] == "warning"
    assert "classes start" in finding["message"] and "advertisement" in finding["message"]
