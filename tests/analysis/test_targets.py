"""Why an opt-out link's target cannot work (src/mailcheck/analysis/targets.py): the
keyword lists it reads, extended by a user's ``[keywords]``."""

from __future__ import annotations

import pytest

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Soldes</title></head>
<body><p>Profitez de -20 % sur la collection d'hiver.</p>
<p>Acme SAS, 12 rue de la Paix, 75002 Paris</p>
<a href="{href}">Se désinscrire</a>
</body></html>
"""


@pytest.mark.parametrize(
    ("href", "keywords"),
    [
        ("https://staging.acme.test/unsubscribe", 'placeholder_host = ["staging.acme.test"]'),
        ("https://www.nomdedomaine.fr/unsubscribe", 'placeholder_host_word = ["nom-de-domaine"]'),
        ("{% quitter 'Se désinscrire' %}", 'link_tag_with_text = ["quitter"]'),
    ],
)
def test_user_keywords_make_a_target_broken(mailchecker, href, keywords):
    mailchecker.make_file("p.html", PAGE.format(href=href))
    mailchecker.run("p.html", "--select", "MC103").assert_findings({"MC103": 0})
    mailchecker.make_config(f"[keywords]\n{keywords}\n")
    result = mailchecker.run("p.html", "--select", "MC103")
    result.assert_findings({"MC103": 1})


def test_builtin_placeholder_hosts_and_klaviyo_link_tag(mailchecker):
    for href in (
        "https://www.example.com/unsubscribe",
        "https://shop.your-site.fr/unsubscribe",
        "https://votresite.fr/unsubscribe",
        "{% unsubscribe 'Quitter' %}",
    ):
        mailchecker.make_file("p.html", PAGE.format(href=href))
        mailchecker.run("p.html", "--select", "MC103").assert_findings({"MC103": 1})
    mailchecker.make_file("p.html", PAGE.format(href="https://shop.example.com/unsubscribe"))
    mailchecker.run("p.html", "--select", "MC103").assert_findings({"MC103": 0})
