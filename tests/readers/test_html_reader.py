"""The built-in HTML / plain-text template reader (src/mailcheck/readers/html.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcheck.config import Config
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
