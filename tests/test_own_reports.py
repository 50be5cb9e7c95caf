"""Reports mailcheck wrote into a linted folder are skipped and named, not linted
(src/mailcheck/own_reports.py, src/mailcheck/readers/classify.py)."""

from __future__ import annotations

import json

import pytest

from mailcheck.own_reports import html_report, text_report

PROMO = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Soldes</title></head><body>
<p>Soldes d'hiver : -30 % sur tout le site, achetez maintenant !</p>
<p><a href="#">Se désinscrire</a></p>
</body></html>
"""
#: A text e-mail that quotes a finding line further down: not a report.
TEXT_EMAIL = """Bonjour Claire,

Notre outil a signalé promo.html:21:4: MC103 [error] sur la newsletter de mars.
Profitez de -30 % sur tout le site : https://shop.example.fr/soldes

Cordialement,
L'équipe
Se désinscrire : https://shop.example.fr/unsub
"""


@pytest.fixture
def folder(mailchecker):
    mailchecker.make_file("emails/promo.html", PROMO)
    mailchecker.make_file("emails/merci.txt", TEXT_EMAIL)
    return mailchecker


def _report(folder, *args: str) -> None:
    run = folder.run("emails", "--today", "2026-11-22", *args)
    assert run.exit_code in (0, 1), run.stderr


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("rapport.html", ["--output-format", "html"]),
        ("rapport.htm", ["--output-format", "html", "--lang", "fr"]),
        ("rapport.txt", ["--output-format", "concise"]),
        ("rapport-fr.txt", ["--output-format", "full", "--lang", "fr"]),
        ("annotations.txt", ["--output-format", "github"]),
        ("stats.txt", ["--statistics"]),
        ("findings.txt", ["--output-format", "json"]),
        ("lines.txt", ["--output-format", "json-lines"]),
        ("report.txt", ["--output-format", "json-report"]),
        ("scan.txt", ["--output-format", "sarif"]),
        ("quality.txt", ["--output-format", "gitlab"]),
        ("junit.txt", ["--output-format", "junit"]),
    ],
)
def test_a_report_written_into_the_linted_folder_is_skipped_and_counted(folder, name, args):
    _report(folder, *args, "-o", f"emails/{name}")
    again = folder.run("emails", "--today", "2026-11-22", "--output-format", "json-report")
    report = json.loads(again.output)
    linted = {f["path"] for f in report["findings"]}
    assert f"emails/{name}" not in linted and "emails/promo.html" in linted
    assert f"emails/{name}: skipped: a report mailcheck wrote" in again.stderr
    skipped = report["summary"]["files_skipped"]
    assert [s for s in skipped if s.startswith(f"emails/{name} (a report mailcheck wrote")]
    assert report["summary"]["files_linted"] == 2  # promo.html and merci.txt
    # mapped in [file-types], it is linted as the user asks
    folder.make_config('[file-types]\n"*.htm*" = "template"\n"*.txt" = "template"\n')
    mapped = folder.run("emails", "--today", "2026-11-22", "--output-format", "json-report")
    assert mapped.exit_code in (0, 1), mapped.stderr
    assert "a report mailcheck wrote" not in mapped.stderr
    assert json.loads(mapped.output)["summary"]["files_linted"] == 3


def test_the_html_report_says_it_is_mailchecks(folder):
    _report(folder, "--output-format", "html", "-o", "r.html")
    head = (folder.path / "r.html").read_bytes()[:4096]
    assert b'<meta name="generator" content="mailcheck ' in head
    assert html_report(head)


@pytest.mark.parametrize(
    "html",
    [
        PROMO,
        PROMO.replace("<title>", '<meta name="generator" content="Mailchimp"><title>'),
        PROMO.replace("<title>", '<meta name="generator" content="mailchecker-pro"><title>'),
    ],
)
def test_a_template_is_not_a_report(html):
    assert not html_report(html.encode())


@pytest.mark.parametrize(
    "text",
    [
        TEXT_EMAIL,
        "Subject: Soldes\n\n12:30:45: MC est en promo\n",
        '{"name": "Soldes", "body": "..."}',
        "   3   pommes   offertes\n",
    ],
)
def test_a_text_that_is_no_report(text):
    assert not text_report(text)


def test_the_user_text_email_is_still_linted(folder):
    _report(folder, "--output-format", "concise", "-o", "emails/rapport.txt")
    again = folder.run("emails", "--today", "2026-11-22")
    assert "emails/merci.txt" in {f["path"] for f in again.findings}
    assert "merci.txt: skipped" not in again.stderr
