"""The HTML report (src/mailcheck/reporters/html.py): what it says, self-contained, masked,
grouped. What a person sees in a browser: test_html_browser.py."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mailcheck.reporters.html import SHOWN_ROWS, HtmlReporter

ADDRESS = "jeanne.martin@example.com"
STALE_ROWS = 40


class _Resources(HTMLParser):
    """Every URL a page would load or link to, and its ``lang``."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if tag == "html" and name == "lang":
                self.lang = value
            if name in ("src", "href", "srcset", "action", "poster", "data") and value:
                self.urls.append(value)


def parse(html: str) -> _Resources:
    parser = _Resources()
    parser.feed(html)
    return parser


@pytest.fixture
def workspace(mailchecker, newsletter_no_unsub):
    """A marketing e-mail without unsubscribe link, and a list of stale contacts (one of
    them with a real-looking address)."""
    mailchecker.make_html("promo.html", newsletter_no_unsub)
    rows = [[ADDRESS, "subscribed", "2016-02-03"]]
    rows += [[f"c{n}@example.org", "subscribed", "2017-05-01"] for n in range(STALE_ROWS - 1)]
    mailchecker.make_csv("liste.csv", header=["email", "status", "optin_date"], rows=rows)
    return mailchecker


def report(mailchecker, *args: str, name: str = "rapport.html") -> str:
    run = mailchecker.run(
        ".", "--today", "2026-11-22", "--output-format", "html", "-o", name, *args
    )
    assert run.exit_code in (0, 1), run.stderr
    return (mailchecker.path / name).read_text(encoding="utf-8")


def visible_text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_format_is_registered():
    from mailcheck.reporters import mailcheck_reporters

    assert HtmlReporter in mailcheck_reporters()
    assert HtmlReporter.name == "html"


def test_the_verdict_comes_first_and_says_what_blocks(workspace):
    html = report(workspace)
    text = visible_text(html)
    verdict = re.search(r'<p class="verdict stop" id="verdict">(.*?)</p>', html)
    assert verdict, "no blocking verdict"
    assert verdict.group(1).startswith("Do not send as is: ")
    assert "MC101" in verdict.group(1)
    # Before anything else of the body: the verdict, then the counts by severity.
    assert html.index('id="verdict"') < html.index('class="counts"') < html.index('id="files"')
    assert re.search(r"\d+ errors?", text)
    assert "What blocks the sending" in text


def test_the_report_is_in_french_when_asked(workspace):
    html = report(workspace, "--lang", "fr")
    assert parse(html).lang == "fr"
    text = visible_text(html)
    assert "Ne pas envoyer en l'état : " in text
    for english in ("Do not send", "File by file", "What to do", "About this run", "Law:"):
        assert english not in text
    assert "Fichier par fichier" in text and "Que faire :" in text
    assert "03/02/2016" in text or "2016" in text


def test_the_report_holds_everything_it_shows(workspace):
    html = report(workspace)
    parsed = parse(html)
    assert parsed.lang == "en"
    # No resource nor link leaving the page: only anchors within it.
    assert all(url.startswith("#") for url in parsed.urls), parsed.urls
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert not re.search(r"url\(|@import|@font-face", html)
    assert "<svg" in html  # the chart, inline
    for landmark in ('role="banner"', "<main", 'role="contentinfo"', "<nav"):
        assert landmark in html
    assert '<meta name="viewport"' in html and "@media print" in html


def test_addresses_are_masked_and_rows_grouped(workspace):
    html = report(workspace)
    assert ADDRESS not in html and "c7@example.org" not in html
    assert "j***@example.com" in html or "***" in html
    # MC203: the first rows one by one, the rest in one line with their count.
    article = re.search(r'<article class="rule [a-z]+" id="rule-MC203">(.*?)</article>', html, re.S)
    assert article, "no MC203 group"
    assert article.group(1).count("<li") == SHOWN_ROWS
    more = STALE_ROWS - SHOWN_ROWS
    assert f"And {more} more rows (lines " in article.group(1)
    assert "--rows-out" in article.group(1)


def test_show_pii_shows_addresses(workspace):
    assert ADDRESS in report(workspace, "--show-pii")


def test_each_file_says_what_it_is_and_how_it_was_understood(workspace):
    text = visible_text(report(workspace))
    assert "liste.csv" in text and "promo.html" in text
    assert "Contact list" in text and "E-mail template" in text
    assert "Contacts (rows)" in text and " 40 " in text
    assert "How the columns were understood" in text
    assert "optin_date" in text  # the file's own header, and what it was read as
    assert "What to do:" in text and "Law:" in text


def test_the_chart_counts_contacts_by_age_against_the_limit(workspace):
    html = report(workspace)
    chart = re.search(r'<section class="chart".*?</section>', html, re.S)
    assert chart, "no chart"
    assert 'role="img"' in chart.group(0) and "limit: 1,095 days" in chart.group(0)
    # 39 contacts of 2017-05-01 (9 years) and one of 2016-02-03 (10 years) on 2026-11-22.
    cells = re.findall(r"<tr><td>(.*?)</td><td class=num>(.*?)</td></tr>", chart.group(0))
    assert ("8 years or more", "40") in cells
    assert ("under 3 years, or not concerned", "0") in cells


def test_the_run_facts_are_at_the_bottom(workspace):
    html = report(workspace)
    footer = html[html.index('<footer class="run"') :]
    text = visible_text(footer)
    assert "2026-11-22" in text and "eu-fr" in text and "mailcheck " in text
    assert "Configuration file" in text and "Plugins" in text


def test_the_offending_element_of_a_template_is_marked(mailchecker):
    mailchecker.make_html(
        "news.html",
        "<html lang='en'><body><p>Our weekly news and offers.</p>\n"
        '  <p><a href="#">Unsubscribe</a> | <a href="https://example.com/privacy">Privacy</a>'
        "</p>\n<p>ACME, 1 rue de Paris, 75001 Paris</p></body></html>\n",
    )
    html = report(mailchecker)
    assert re.search(r"<pre><code>.*<mark>&lt;a href=&quot;#&quot;&gt;</mark>", html), html


def test_a_clean_run_says_it_can_be_sent(mailchecker, newsletter_ok):
    mailchecker.make_html("news.html", newsletter_ok)
    html = report(mailchecker, "--select", "MC101")
    assert 'class="verdict go"' in html
    assert "this can be sent" in html


def test_texts_from_inputs_are_escaped(mailchecker, newsletter_no_unsub):
    mailchecker.make_html("<b>x</b>.html", newsletter_no_unsub)
    html = report(mailchecker)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;.html" in html


def test_a_big_list_stays_small(mailchecker):
    rows = [[f"c{n}@example.org", "subscribed", "2017-05-01"] for n in range(20_000)]
    mailchecker.make_csv("big.csv", header=["email", "status", "optin_date"], rows=rows)
    html = report(mailchecker)
    assert len(html) < 60_000
    assert "And 19,995 more rows" in html


def test_a_report_file_is_written_whole(workspace):
    target: Path = workspace.path / "rapport.html"
    report(workspace)
    assert target.read_text(encoding="utf-8").rstrip().endswith("</html>")
