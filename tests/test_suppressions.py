"""Suppression comments (src/mailcheck/suppressions.py) through the whole pipeline."""

from __future__ import annotations

import types

from mailcheck import Kind, Rule, Severity, hookimpl


class EveryParagraph(Rule):
    """## What it does
    Reports every <p> (a test rule with many positions).

    ## Why it matters
    Tests (GDPR art. 5).

    ## Example
    -

    ## Fix
    -
    """

    code, name, severity, kinds = (
        "TST101",
        "every-paragraph",
        Severity.WARNING,
        frozenset({Kind.TEMPLATE}),
    )

    def check(self, doc, ctx):
        for tag in doc.soup.find_all("p"):
            line, column = doc.body.position(tag)
            yield self.finding(doc, f"paragraph {tag.get_text()}", line=line, column=column)


def lint(mailchecker, html: str):
    mailchecker.register(
        types.SimpleNamespace(mailcheck_rules=hookimpl(lambda: [EveryParagraph])), "tst"
    )
    mailchecker.make_html("t.html", html)
    run = mailchecker.run("t.html", "--select", "TST,MC901")
    return [(f["code"], f["line"]) for f in run.findings], run


def test_ignore_applies_to_next_element_subtree(mailchecker):
    html = (
        "<div>\n"
        "<!-- mailcheck: ignore TST101 -- footer injected by the ESP -->\n"
        "<div>\n<p>a</p>\n<p>b</p>\n</div>\n"
        "<p>c</p>\n"
        "</div>\n"
    )
    found, _ = lint(mailchecker, html)
    assert found == [("TST101", 7)]


def test_trailing_ignore_applies_to_its_line(mailchecker):
    found, _ = lint(mailchecker, "<p>a</p> <!-- mailcheck: ignore TST101 -->\n<p>b</p>\n")
    assert found == [("TST101", 2)]


def test_disable_enable_range(mailchecker):
    html = (
        "<p>1</p>\n<!-- mailcheck: disable TST -->\n<p>2</p>\n<p>3</p>\n"
        "<!-- mailcheck: enable TST -->\n<p>4</p>\n"
    )
    found, _ = lint(mailchecker, html)
    assert found == [("TST101", 1), ("TST101", 6)]


def test_ignore_file(mailchecker):
    found, _ = lint(mailchecker, "<!-- mailcheck: ignore-file TST101 -->\n<p>1</p>\n<p>2</p>\n")
    assert found == []


def test_unknown_code_unused_and_malformed_are_mc901(mailchecker):
    html = (
        "<!-- mailcheck: ignore MC999 -->\n<p>1</p>\n"
        "<!-- mailcheck: ignore MC101 -->\n<span>nothing to silence</span>\n"
        "<!-- mailcheck: silence TST101 -->\n"
        "<!-- mailcheck: ignore -->\n<b>x</b>\n"
        "<!-- mailcheck: enable TST101 -->\n"
    )
    found, run = lint(mailchecker, html)
    mc901 = {f["line"]: f["message"] for f in run.findings if f["code"] == "MC901"}
    assert "unknown rule code MC999" in mc901[1]
    assert "MC101 silenced nothing" in mc901[3]
    assert "unknown suppression action 'silence'" in mc901[5]
    assert "needs at least one rule code" in mc901[6]
    assert "has no matching 'disable'" in mc901[8]
    assert ("TST101", 2) in found  # MC999 silenced nothing real


def test_suppression_counts_for_the_real_rule(mailchecker, newsletter_no_unsub):
    html = (
        "<!-- mailcheck: ignore-file MC101 -- promo sent through Mailchimp, footer injected -->\n"
        + newsletter_no_unsub
    )
    mailchecker.make_html("promo.html", html)
    run = mailchecker.run("promo.html")
    run.assert_clean()
    assert run.exit_code == 0
