"""EXA101, tested the way a plugin author would: with mailcheck.testing's fixture."""

import mailcheck_example

from mailcheck.testing import check_plugin, check_translations

NEWSLETTER = """<!DOCTYPE html>
<html{lang}>
<head><meta charset="utf-8"><title>Nouveautés</title></head>
<body>
  <p>Bonjour !</p>
  <p><a href="*|UNSUB|*">Se désinscrire</a></p>
</body>
</html>
"""


def test_plugin_conforms():
    check_plugin(mailcheck_example, name="example")


def test_french_catalogue_translates_every_text():
    # The message, the rule's documentation and its fix, all in locale/fr/.../*.po.
    check_translations(mailcheck_example, "fr", name="example")


def test_missing_lang_reported_on_the_html_element(mailchecker):
    mailchecker.register(mailcheck_example, "example")
    mailchecker.make_html("news.html", NEWSLETTER.format(lang=""))
    run = mailchecker.run("news.html", "--select", "EXA101")
    run.assert_findings({"EXA101": 1})
    assert run.lines("EXA101") == [2]
    assert run.exit_code == 0  # info does not fail the default --fail-on error


def test_declared_lang_is_clean(mailchecker):
    mailchecker.register(mailcheck_example, "example")
    mailchecker.make_html("news.html", NEWSLETTER.format(lang=' lang="fr"'))
    mailchecker.run("news.html", "--select", "EXA101").assert_clean()


def test_fail_on_info_makes_it_fail(mailchecker):
    mailchecker.register(mailcheck_example, "example")
    mailchecker.make_html("news.html", NEWSLETTER.format(lang=""))
    run = mailchecker.run("news.html", "--select", "EXA101", "--fail-on", "info")
    assert run.exit_code == 1


def test_the_report_speaks_french_with_lang_fr(mailchecker):
    mailchecker.register(mailcheck_example, "example")
    mailchecker.make_html("news.html", NEWSLETTER.format(lang=""))
    run = mailchecker.run(
        "news.html", "--select", "EXA101", "--lang", "fr", "--output-format", "concise"
    )
    assert "langue non déclarée" in run.output


UNTRANSLATED = '''
from mailcheck import Kind, Rule, Severity, hookimpl, t


class Shouting(Rule):
    """## What it does
    Flags subjects in capitals.

    ## Why it matters
    Readers take them for spam.

    ## Example
    `PROMO !!!`

    ## Fix
    Write the subject in sentence case.
    """

    code = "ZZZ101"
    name = "shouting"
    severity = Severity.INFO
    kinds = frozenset({Kind.MESSAGE})
    fix = "Write the subject in sentence case."

    def check(self, doc, ctx):
        yield self.finding(doc, t("subject written in capitals: {subject}", subject="PROMO"))


@hookimpl
def mailcheck_rules():
    return [Shouting]
'''


def test_a_missing_translation_is_reported_as_the_entry_to_add(tmp_path, monkeypatch):
    import importlib

    import pytest

    (tmp_path / "mailcheck_zzz.py").write_text(UNTRANSLATED, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    plugin = importlib.import_module("mailcheck_zzz")
    with pytest.raises(AssertionError) as failure:
        check_translations(plugin, "fr", name="zzz")
    shown = str(failure.value)
    assert "3 message ids of zzz lack a 'fr' translation" in shown
    assert 'msgid "subject written in capitals: {subject}"' in shown
    assert 'msgid "Write the subject in sentence case."' in shown
