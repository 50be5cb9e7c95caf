"""The built-in HTML / plain-text template reader (src/mailcheck/readers/html.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcheck.config import Config
from mailcheck.documents import parse_html
from mailcheck.errors import InputError
from mailcheck.readers import html

TEMPLATES = Path(__file__).parents[2] / "fixtures" / "templates"


def read(path: Path, kind: str = "template"):
    (doc,) = html.mailcheck_read_document(path=path, kind=kind, config=Config(root=path.parent))
    return doc


def test_html_template_positions():
    doc = read(TEMPLATES / "newsletter-fr.html")
    assert doc.content_type == "text/html" and doc.bodies == [doc.body]
    anchor = [a for a in doc.soup.find_all("a") if a.get("href") == "*|UNSUB|*"][0]
    assert doc.body.position(anchor) == (25, 15)


def test_plain_text_template():
    doc = read(TEMPLATES / "plain-text-fr.txt")
    assert doc.content_type == "text/plain" and doc.body.soup is None
    assert doc.body.offset_position(doc.text.index("Pour vous")) == (11, 1)


def test_windows_1252_template(tmp_path):
    path = tmp_path / "t.html"
    path.write_bytes("<html><body><p>Se désinscrire</p></body></html>".encode("cp1252"))
    assert "désinscrire" in read(path).text


def test_not_html(tmp_path):
    path = tmp_path / "t.html"
    path.write_text("just words, no markup at all", encoding="utf-8")
    with pytest.raises(InputError, match="no HTML markup"):
        read(path)


def test_other_kinds_are_not_mine(tmp_path):
    path = tmp_path / "t.html"
    path.write_text("<p>x</p>", encoding="utf-8")
    assert html.mailcheck_read_document(path=path, kind="contacts", config=Config()) is None


# -- nesting depth: refused before any rule walks the tree ------------------------------


def _nested(levels: int) -> str:
    return (
        '<html><body><form action="/inscription" method="post">'
        + "<div><span>" * levels
        + '<label>Adresse e-mail <input type="email" name="email"></label>'
        + '<input type="checkbox" name="newsletter"> <label>Newsletter</label>'
        + "<button>S'inscrire</button></form></body></html>"
    )


@pytest.mark.parametrize(("name", "folder"), [("inscription.html", "forms"), ("promo.html", "")])
def test_a_page_nested_past_the_limit_is_one_line_error(mailchecker, name, folder):
    from tests.test_bad_input import assert_unreadable, lint_beside_good

    mailchecker.make_config("[limits]\nmax-html-depth = 100\n")
    shown = f"{folder}/{name}" if folder else name
    mailchecker.make_html(shown, _nested(60))  # html, body, form, 120, label, input
    run = lint_beside_good(mailchecker)
    assert_unreadable(
        run, shown, "HTML nested 125 levels deep, over the 100 limit (limits.max-html-depth"
    )


def test_the_depth_is_measured_without_recursion(tmp_path):
    path = tmp_path / "inscription.html"
    path.write_text(_nested(5000), "utf-8")  # far past Python's recursion limit
    with pytest.raises(InputError, match="HTML nested 10,005 levels deep, over the 512 limit"):
        read(path, "form")


def test_real_templates_and_forms_are_far_below_the_depth_limit():
    fixtures = Path(__file__).parents[2] / "fixtures"
    pages = sorted(fixtures.rglob("*.htm*"))
    assert len(pages) > 50
    deepest = max(
        html.nesting_depth(parse_html(page.read_text("utf-8", errors="replace"))) for page in pages
    )
    assert 10 <= deepest <= 40  # the limit (512) leaves room for 10 times the deepest


def test_parse_html_builds_the_same_tree_as_bs4_with_redundant_void_end_tags():
    """parse_html swaps bs4's list of closed void elements for a multiset (a page of
    thousands of inputs parsed in quadratic time): the tree and the positions must not
    change, redundant ``</input>`` and ``</br>`` included, on every fixture page too."""
    from bs4 import BeautifulSoup

    tricky = (
        '<form action="/inscription"><table><tr><td>'
        '<label><input type="checkbox" name="optin" checked></input> Newsletter</label>'
        "<br></br><br/><img src=x.png></img>"
        '<input type="email" name="email"></td></tr></table></input></form><p>fin</p>'
    )
    pages = [tricky, *(p.read_text("utf-8", "replace") for p in TEMPLATES.glob("*.htm*"))]
    for text in pages:
        ours, theirs = parse_html(text), BeautifulSoup(text, "html.parser")
        assert str(ours) == str(theirs)
        positions = [(t.name, t.sourceline, t.sourcepos) for t in ours.find_all(True)]
        assert positions == [(t.name, t.sourceline, t.sourcepos) for t in theirs.find_all(True)]


@pytest.mark.parametrize("name", ["rechnung.txt.j2", "welcome.text.erb", "digest.txt.hbs"])
def test_a_template_language_s_plain_text_part_is_read_as_text(tmp_path, name):
    # The plain-text twin of an HTML mail: no markup, and none is expected.
    path = tmp_path / name
    path.write_text(
        "Sehr geehrte/r {{ kunde.name }},\n\nanbei Ihre Rechnung Nr. {{ rechnung.nummer }}.\n"
        "\nMit freundlichen Grüßen\nIhr Shop-Team\n",
        encoding="utf-8",
    )
    doc = read(path)
    assert doc.content_type == "text/plain"


def test_an_html_template_source_without_markup_is_still_refused(tmp_path):
    path = tmp_path / "footer.html.j2"
    path.write_text("{{ unsubscribe_url }}\n", encoding="utf-8")
    with pytest.raises(InputError, match="no HTML markup"):
        read(path)
