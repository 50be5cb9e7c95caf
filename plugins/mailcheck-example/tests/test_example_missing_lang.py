"""EXA101, tested the way a plugin author would: with mailcheck.testing's fixture."""

import mailcheck_example

from mailcheck.testing import check_plugin

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
