"""Template-language comments are not sent (src/mailcheck/readers/templates/comments.py):
an unsubscribe link inside ``{# #}``, ``{{!-- --}}``, ``{% comment %}`` or a branch that
never renders does not count, in the template itself or in a file it includes."""

from __future__ import annotations

import pytest

from mailcheck.readers.templates.comments import blank_comments, comment_spans

PROMO = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Soldes</title></head>
<body>
<h1>Soldes d'hiver : -30 % sur les manteaux</h1>
<p>Maison Verte SARL, 4 rue Sainte-Catherine, 33000 Bordeaux</p>
{footer}
</body></html>
"""


@pytest.mark.parametrize(
    ("name", "footer"),
    [
        ("soldes.html.twig", '{# <a href="{{ unsubscribe_url }}">Se désinscrire</a> #}'),
        ("soldes.njk", '{#- <a href="{{ unsubscribe_url }}">Se désinscrire</a> -#}'),
        ("soldes.hbs", '{{!-- <a href="{{unsubscribe}}">Se désinscrire</a> --}}'),
        ("soldes.hbs", "{{! TODO: {{unsubscribe}} }}"),
        ("soldes.hbs", '{{#if false}}<a href="{{unsubscribe}}">Se désinscrire</a>{{/if}}'),
        (
            "soldes.liquid",
            '{% comment %}\n<a href="{{ unsubscribe_url }}">Se désinscrire</a>\n{% endcomment %}',
        ),
        ("soldes.liquid", "{% # {{ unsubscribe_url }} %}"),
        (
            "soldes.j2",
            '{% if false %}<a href="{{ unsubscribe_url }}">Désinscription</a>{% endif %}',
        ),
    ],
)
def test_an_unsubscribe_link_in_a_comment_does_not_count(mailchecker, name, footer):
    mailchecker.make_file(name, PROMO.format(footer=footer))
    run = mailchecker.run(name, "--select", "MC101")
    assert [(f["code"], f["severity"]) for f in run.findings] == [("MC101", "error")]


@pytest.mark.parametrize(
    ("name", "footer"),
    [
        ("soldes.html.twig", '{# old footer #}<a href="{{ unsubscribe_url }}">Se désinscrire</a>'),
        ("soldes.hbs", '{{!-- footer --}}<a href="{{unsubscribe}}">Se désinscrire</a>'),
        (
            "soldes.hbs",
            '{{#each items}}{{name}}{{/each}}<a href="{{unsubscribe}}">Désinscription</a>',
        ),
        (
            "soldes.j2",
            "{% if false %}<a href='#'>x</a>{% else %}"
            '<a href="{{ unsubscribe_url }}">Se désinscrire</a>{% endif %}',
        ),
    ],
)
def test_a_link_outside_the_comment_counts(mailchecker, name, footer):
    mailchecker.make_file(name, PROMO.format(footer=footer))
    run = mailchecker.run(name, "--select", "MC101,MC102,MC103")
    assert run.findings == [], run.findings


def test_a_comment_in_an_included_snippet_does_not_count(mailchecker):
    mailchecker.make_file(
        "snippets/email-footer.liquid",
        '<p>{{ shop.name }}</p>\n{% comment %}<a href="{{ unsubscribe_url }}">Se désinscrire'
        "</a>{% endcomment %}\n",
    )
    mailchecker.make_file("promo.liquid", PROMO.format(footer="{% render 'email-footer' %}"))
    run = mailchecker.run("promo.liquid", "--select", "MC101")
    assert [f["code"] for f in run.findings] == ["MC101"]


def test_an_include_inside_a_comment_is_not_followed(mailchecker):
    mailchecker.make_file(
        "emails/_footer.html.twig", '<a href="{{ unsubscribe_url }}">Se désinscrire</a>'
    )
    mailchecker.make_file(
        "emails/promo.html.twig",
        PROMO.format(footer="{# {% include 'emails/_footer.html.twig' %} #}"),
    )
    run = mailchecker.run("emails/promo.html.twig", "--select", "MC101")
    assert [f["code"] for f in run.findings] == ["MC101"]


def test_a_finding_after_a_comment_keeps_its_line_and_column(mailchecker):
    text = PROMO.format(
        footer='{#\n  an old footer\n#}\n  <a href="https://maison-verte.fr/u?id=1" '
        'style="display:none">Se désinscrire</a>'
    )
    mailchecker.make_file("promo.html.twig", text)
    run = mailchecker.run("promo.html.twig", "--select", "MC102")
    assert [(f["line"], f["column"]) for f in run.findings] == [(9, 3)]


def test_blanking_keeps_offsets_and_lines():
    text = "a{# b\nc #}d{{!-- e --}}f{{!< layout}}{{#each x}}g{{/each}}"
    blanked = blank_comments(text)
    assert len(blanked) == len(text) and blanked.count("\n") == 1
    assert blanked.replace(" ", "").replace("\n", "") == "adf{{!<layout}}{{#eachx}}g{{/each}}"


def test_unclosed_comments_stay_linear():
    text = "{# x " * 50_000 + "{{!-- y " * 50_000
    assert comment_spans(text) == []
