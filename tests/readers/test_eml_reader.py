"""The built-in .eml reader (src/mailcheck/readers/eml.py): parts, encodings, positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcheck.config import Config
from mailcheck.errors import InputError
from mailcheck.readers import eml
from tests.test_bad_input import assert_unreadable, lint_beside_good

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


# -- hostile messages: bounded before the standard library's parser sees them -----------

_HEAD = (
    "From: Boutique Lumière <news@boutique-lumiere.fr>\nTo: client@exemple.fr\nMIME-Version: 1.0\n"
)


def _encoded_words(count: int) -> str:
    import base64

    return " ".join(
        "=?UTF-8?B?" + base64.b64encode(f"Offre spéciale {i}".encode()).decode() + "?="
        for i in range(count)
    )


def test_a_subject_of_thousands_of_encoded_words_is_refused(mailchecker):
    # 20,000 such words took 3.9 GiB in email's header parser; 1,000 show the shape.
    mailchecker.make_eml(
        "promo.eml",
        _HEAD + f"Subject: {_encoded_words(1000)}\nContent-Type: text/plain\n\nBonjour\n",
    )
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "promo.eml", "'Subject' header is ")
    assert "limits.max-header-size" in run.stderr


def test_a_header_section_over_the_limit_is_refused(mailchecker):
    mailchecker.make_config('[limits]\nmax-header-size = "4 KiB"\n')
    received = "".join(
        f"Received: from relais{i}.exemple.fr by mx.exemple.fr\n" for i in range(200)
    )
    mailchecker.make_eml(
        "relais.eml", _HEAD + received + "Subject: Bonjour\nContent-Type: text/plain\n\nTexte\n"
    )
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "relais.eml", "larger than the 4 KiB limit (limits.max-header-size")


def _multipart(parts: int) -> str:
    body = "".join(f"--LIM\nContent-Type: text/plain\n\nPartie {i}\n" for i in range(parts))
    return (
        _HEAD + 'Subject: Parties\nContent-Type: multipart/mixed; boundary="LIM"\n\n'
        f"{body}--LIM--\n"
    )


def test_a_message_of_too_many_parts_is_refused(mailchecker):
    mailchecker.make_config("[limits]\nmax-mime-parts = 20\n")
    mailchecker.make_eml("parties.eml", _multipart(21))
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "parties.eml", "more than 20 MIME parts")
    assert "limits.max-mime-parts raises it" in run.stderr


def test_a_message_of_parts_under_the_limit_is_read(tmp_path):
    path = tmp_path / "parties.eml"
    path.write_text(_multipart(20), "utf-8")
    config = Config(root=tmp_path)
    config.limits.max_mime_parts = 20
    (doc,) = eml.mailcheck_read_document(path=path, kind="message", config=config)
    assert len(doc.bodies) == 20


def test_deeply_nested_multiparts_are_one_line_error(mailchecker):
    levels = 1000
    opening = "".join(
        f'Content-Type: multipart/mixed; boundary="n{i}"\n\n--n{i}\n' for i in range(levels)
    )
    closing = "".join(f"--n{i}--\n" for i in reversed(range(levels)))
    mailchecker.make_eml(
        "imbrique.eml",
        _HEAD
        + "Subject: Imbrication\n"
        + opening
        + "Content-Type: text/plain\n\nSalut\n"
        + closing,
    )
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "imbrique.eml", "nested too deeply")


def test_an_html_part_nested_past_the_depth_limit_is_refused(mailchecker):
    mailchecker.make_config("[limits]\nmax-html-depth = 64\n")
    html = "<html><body>" + "<div><span>" * 40 + "<p>Bonjour</p></body></html>"
    mailchecker.make_eml(
        "profond.eml", _HEAD + "Subject: Profond\nContent-Type: text/html\n\n" + html + "\n"
    )
    run = lint_beside_good(mailchecker)
    assert_unreadable(run, "profond.eml", "HTML nested 83 levels deep, over the 64 limit")


def test_an_attachment_named_with_escape_sequences_prints_none(mailchecker):
    mailchecker.make_eml(
        "facture.eml",
        _HEAD + 'Subject: Votre facture\nContent-Type: multipart/mixed; boundary="B"\n\n'
        "--B\nContent-Type: text/plain\n\nBonjour, votre facture est jointe.\n"
        '--B\nContent-Type: application/pdf; name="\x1b]0;titre\x07facture.pdf"\n'
        'Content-Disposition: attachment; filename="\x1b[2J\x1b[31mfacture.pdf"\n'
        "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--B--\n",
    )
    run = mailchecker.run("facture.eml", "--output-format", "full")
    assert "\x1b" not in run.output and "\x1b" not in run.stderr
    assert "Traceback" not in run.stderr and run.exit_code in (0, 1)


_PROMO_HEAD = (
    "From: Atelier <contact@atelier-lumiere.fr>\nTo: client@example.org\n"
    "Subject: Soldes\nMIME-Version: 1.0\n"
)
_PROMO_HTML = "<p>Soldes d'hiver : -30 % sur toute la boutique !</p>\n"


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/alternative",  # no boundary= at all
        'multipart/alternative; boundary=""',
        'multipart/mixed; boundary="b1"',  # declared, never used in the body
    ],
)
def test_a_multipart_without_a_usable_boundary_is_read_as_one_text_part(mailchecker, content_type):
    mailchecker.make_file(
        "promo.eml", f"{_PROMO_HEAD}Content-Type: {content_type}\n\n{_PROMO_HTML}"
    )
    run = mailchecker.run("promo.eml", "--select", "MC101")
    assert "has no usable boundary" in run.stderr
    run.assert_findings({"MC101": 1})  # no silent pass: the promotion has no opt-out
    assert run.lines("MC101") == [7]  # the body, after five headers and a blank line


def test_a_multipart_without_boundary_holding_an_opt_out_passes(mailchecker):
    body = (
        _PROMO_HTML
        + '<p><a href="https://atelier-lumiere.fr/desinscription">Se désabonner</a></p>\n'
    )
    mailchecker.make_file(
        "promo.eml", f"{_PROMO_HEAD}Content-Type: multipart/alternative\n\n{body}"
    )
    mailchecker.run("promo.eml", "--select", "MC101").assert_findings({"MC101": 0})


@pytest.mark.parametrize(
    ("part_headers", "payload", "note"),
    [
        (
            "Content-Type: text/html; charset=x-bogus-1\n",
            _PROMO_HTML,
            "unknown charset 'x-bogus-1'",
        ),
        (
            "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: x-weird\n",
            _PROMO_HTML,
            "unknown transfer encoding 'x-weird'",
        ),
        (
            "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n",
            "!!!pas-du-base64***\n",
            "damaged base64",
        ),
    ],
)
def test_malformed_parts_are_read_and_said(mailchecker, part_headers, payload, note):
    message = (
        f'{_PROMO_HEAD}Content-Type: multipart/alternative; boundary="b1"\n\n'
        f"--b1\n{part_headers}\n{payload}--b1--\n"
    )
    mailchecker.make_file("promo.eml", message)
    run = mailchecker.run("promo.eml", "--select", "MC101")
    assert note in run.stderr
    assert run.exit_code != 2
    run.assert_findings({"MC101": 1})
