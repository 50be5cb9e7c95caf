"""End-to-end: the demo fixtures lint with the expected exit code."""

from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_missing_unsubscribe_found_in_demo_template(mailchecker):
    template = (FIXTURES / "templates" / "promo-fr-sans-desinscription.html").read_text("utf-8")
    mailchecker.make_html("promo.html", template)
    run = mailchecker.run("promo.html")
    assert run.exit_code == 1
    run.assert_findings({"MC101": 1})


def test_template_with_merge_tag_is_clean(mailchecker):
    template = (FIXTURES / "templates" / "newsletter-fr.html").read_text("utf-8")
    mailchecker.make_html("news.html", template)
    run = mailchecker.run("news.html", "--select", "MC101")
    assert run.exit_code == 0
    run.assert_clean()
