"""The built-in .eml reader (src/mailcheck/readers/eml.py): parts, encodings, positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcheck.config import Config
from mailcheck.errors import InputError
from mailcheck.readers import eml

MESSAGES = Path(__file__).parents[2] / "fixtures" / "messages"


def read(path: Path):
    documents = eml.mailcheck_read_document(
        path=path, kind="message", config=Config(root=path.parent)
    )
    assert documents and len(documents) == 1
    return documents[0]


def test_multipart_alternative_gives_one_body_per_part():
    doc = read(MESSAGES / "newsletter-fr-one-click.eml")
    assert [b.label for b in doc.bodies] == ["text/plain part 1", "text/html part 2"]
    assert all(b.exact_lines for b in doc.bodies)
    assert doc.header("Subject") == "Les nouveautés de novembre"  # RFC 2047 decoded
    assert doc.header_line("List-Unsubscribe") == 13
    assert doc.header_line("DKIM-Signature") == 2


def test_html_part_positions_are_file_lines():
    doc = read(MESSAGES / "newsletter-fr-one-click.eml")
    html = doc.bodies[1]
    anchor = [a for a in html.soup.find_all("a") if "Se désinscrire" in a.get_text()][0]
    line, column = html.position(anchor)
    source = (MESSAGES / "newsletter-fr-one-click.eml").read_text("utf-8").splitlines()
    assert "Se désinscrire" in source[line - 1] and source[line - 1][column - 1 :].startswith("<a ")


def test_text_part_offsets():
    doc = read(MESSAGES / "newsletter-fr-one-click.eml")
    text = doc.bodies[0]
    offset = text.text.index("Se désinscrire")
    line, _ = text.offset_position(offset)
    assert line == 30


def test_base64_part_is_decoded_and_points_at_its_first_line():
    doc = read(MESSAGES / "newsletter-de-mailto-only.eml")
    (body,) = doc.bodies
    assert "Newsletter abbestellen" in body.text and not body.exact_lines
    anchor = body.soup.find("a")
    assert body.position(anchor) == (13, 1)  # the first line of the encoded body


def test_quoted_printable_part_is_decoded():
    doc = read(MESSAGES / "promo-en-no-headers.eml")
    (body,) = doc.bodies
    assert 'href="https://deals.example-shop.com/unsubscribe?u=99"' in body.text
    assert "Commerce St, Dallas" in body.text  # soft line break joined
    # Positions go through the quoted-printable map: soft line breaks and =3D escapes.
    assert body.position(body.soup.find("a")) == (15, 1)
    assert body.position(body.soup.find("br")) == (14, 19)
    assert body.offset_position(body.text.index("Dallas")) == (14, 3)


def test_latin1_charset(tmp_path):
    raw = (
        "From: a@example.org\nSubject: Soldes\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
        "Pour vous désinscrire, répondez STOP.\n"
    ).encode("latin-1")
    path = tmp_path / "m.eml"
    path.write_bytes(raw)
    doc = read(path)
    assert "désinscrire" in doc.bodies[0].text


def test_attachments_are_not_bodies(tmp_path):
    raw = (
        "From: a@example.org\nSubject: Facture\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="m"\n\n'
        "--m\nContent-Type: text/plain; charset=utf-8\n\nVotre facture est jointe.\n"
        '--m\nContent-Type: text/plain; name="notes.txt"\nContent-Disposition: attachment; '
        'filename="notes.txt"\n\n'
        "pièce jointe\n--m--\n"
    )
    path = tmp_path / "m.eml"
    path.write_text(raw, encoding="utf-8")
    assert [b.label for b in read(path).bodies] == ["text/plain part 1"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"\x00\x01\x02binary", "binary"), (b"just some words\nno headers here\n", "not an e-mail")],
)
def test_not_a_message(tmp_path, content, reason):
    path = tmp_path / "bad.eml"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        read(path)


def test_unreadable_message_is_one_line_error(mailchecker):
    mailchecker.make_file("bad.eml", b"hello\nworld\n")
    result = mailchecker.run("bad.eml")
    assert result.exit_code == 2
    assert [f["code"] for f in result.findings] == ["MC900"]
    assert "Traceback" not in result.stderr


def test_crlf_message_keeps_exact_lines(tmp_path):
    source = (MESSAGES / "newsletter-fr-one-click.eml").read_text("utf-8")
    path = tmp_path / "crlf.eml"
    path.write_bytes(source.replace("\n", "\r\n").encode("utf-8"))
    doc = read(path)
    assert all(b.exact_lines for b in doc.bodies)
    html = doc.bodies[1]
    anchor = [a for a in html.soup.find_all("a") if "Se désinscrire" in a.get_text()][0]
    assert html.position(anchor)[0] == 48


def test_quoted_printable_utf8_escapes_map_to_their_column(tmp_path):
    raw = (
        "From: a@example.org\nSubject: x\nMIME-Version: 1.0\n"
        "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        '<p>D=C3=A9sinscription =C2=B7 <a href=3D"https://acme.fr/u">ici</a></p>\n'
    )
    path = tmp_path / "m.eml"
    path.write_text(raw, encoding="ascii")
    (body,) = read(path).bodies
    assert body.text.startswith("<p>Désinscription · <a")
    assert body.position(body.soup.find("a")) == (7, 31)
