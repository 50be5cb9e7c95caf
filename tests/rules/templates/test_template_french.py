"""MC101-MC114 in French: the documentation (src/mailcheck/rule.py), the messages and the
reasons they quote (locale/fr/LC_MESSAGES/templates.po, docs-templates.po)."""

from __future__ import annotations

import pytest

from mailcheck.analysis.body import part_name
from mailcheck.i18n import Text, gettext, t
from mailcheck.rule import DOC_SECTIONS, doc_section
from mailcheck.rules.templates import mailcheck_rules

RULES = mailcheck_rules()


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_template_rule_is_documented_in_french(rule):
    english, french = rule.documentation(), rule.documentation("fr")
    assert french != english and "## Ce que fait la règle" in french
    assert all(doc_section(french, title) for title in DOC_SECTIONS)
    assert rule.summary("fr") and rule.summary("fr") != rule.summary()
    assert gettext(rule.fix, "fr") != rule.fix


def test_documentation_without_a_language_stays_the_english_docstring():
    rule = RULES[0]
    assert rule.documentation() == rule.documentation("en")
    assert rule.documentation().startswith("## What it does")
    assert doc_section(rule.documentation(), "Fix")


def test_doc_section_reads_the_french_titles():
    text = "## Ce que fait la règle\nVérifie.\n\n## Correction\nAjoutez un lien."
    assert doc_section(text, "What it does") == "Vérifie."
    assert doc_section(text, "Fix") == "Ajoutez un lien."
    assert doc_section(text, "Example") == ""


def test_an_eml_part_is_named_in_the_language_of_the_report():
    assert str(part_name("text/html part 1")) == "text/html part 1"
    assert render(part_name("text/html part 2")) == "partie 2 (text/html)"
    assert part_name("odd label") == "odd label"


def render(text: Text | str) -> str:
    return text.render("fr") if isinstance(text, Text) else text


def test_a_nested_reason_is_translated_with_its_quotes():
    reason = t(
        "{own}; outweighs {other} ({marketing} to {transactional})",
        own=t("{label} ({words!r})", label=Text("commercial wording"), words="% off"),
        other=t("{label} ({words!r})", label=Text("transactional wording"), words="your order"),
        marketing=6,
        transactional=3,
    )
    assert str(reason) == (
        "commercial wording ('% off'); outweighs transactional wording ('your order') (6 to 3)"
    )
    assert reason.render("fr") == (
        "vocabulaire commercial (« % off ») ; l'emporte sur vocabulaire transactionnel "
        "(« your order ») (6 contre 3)"
    )


PROMO = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Soldes</title></head>
<body>
<p>Profitez de -20 % sur la collection d'hiver.</p>
<p><a href="#">Se désinscrire</a></p>
<img src="https://t.example-esp.com/open?id=1" width="1" height="1" alt="">
</body></html>
"""


def test_template_findings_read_in_french(mailchecker):
    mailchecker.make_file("promo.html", PROMO)
    run = mailchecker.run(
        "promo.html", "--select", "MC1", "--lang", "fr", "--output-format", "concise"
    )
    out = run.output
    assert "le lien de désinscription « Se désinscrire » ne peut pas fonctionner" in out
    assert "l'adresse du lien est « # » (un lien factice)" in out
    assert "ressemble à un pixel de suivi des ouvertures" in out
    assert "aucune adresse postale trouvée" in out
    for english in ("unsubscribe link", "cannot work", "placeholder", "looks like", "no postal"):
        assert english not in out
