"""The built-in classifier (src/mailcheck/readers/classify.py): which kind a file is."""

from __future__ import annotations

import pytest

from mailcheck.config import Config
from mailcheck.readers.classify import mailcheck_classify

TEXT_BODY = "Bonjour Jeanne,\n\nVotre commande est en route. Écrivez-nous à contact@exemple.fr.\n"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        # Excel "Unicode text": UTF-16 LE with BOM, tab-separated, CRLF
        ("\ufeffE-mail\tStatut\r\na@example.fr\tabonné\r\n".encode("utf-16-le"), "contacts"),
        ("\ufeffE-mail;Statut\na@example.fr;abonné\n".encode("utf-16-be"), "contacts"),
        (b"Email Address,Status\rjeanne@example.fr,subscribed\r", "contacts"),  # old Mac
        ("Adresse e-mail;Nom\nléa@example.fr;Léa\n".encode("cp1252"), "contacts"),
        (TEXT_BODY.encode("utf-8"), "template"),  # a plain-text e-mail body
        (TEXT_BODY.encode("utf-16-le"), "template"),
    ],
)
def test_txt_is_a_contact_list_only_when_its_first_line_is_a_csv_header(tmp_path, content, kind):
    path = tmp_path / "export.txt"
    path.write_bytes(content)
    assert mailcheck_classify(path=path, config=Config(root=tmp_path)) == kind


def test_kinds_by_suffix_and_content(tmp_path):
    config = Config(root=tmp_path)
    (tmp_path / "signup.html").write_text('<form><input type="email"></form>', encoding="utf-8")
    (tmp_path / "news.html").write_text("<table><tr><td>Promo</td></tr></table>", "utf-8")
    (tmp_path / "list.tsv").write_text("email\ta\n", encoding="utf-8")
    assert mailcheck_classify(path=tmp_path / "signup.html", config=config) == "form"
    assert mailcheck_classify(path=tmp_path / "news.html", config=config) == "template"
    assert mailcheck_classify(path=tmp_path / "list.tsv", config=config) == "contacts"
    assert mailcheck_classify(path=tmp_path / "logo.png", config=config) is None
