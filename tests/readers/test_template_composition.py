"""Templates made of several files are linted composed (#14): layouts, includes,
partials and MJML includes put in before the rules run, findings put back on the
linted file's lines, and what cannot be followed said rather than guessed."""

from __future__ import annotations

import os

import pytest

PIXEL = '<img src="https://track.atelier-lumiere.fr/o.gif" width="1" height="1" alt="">'

# -- Symfony Mailer / Twig: templates/emails/, a base layout with an included footer ------

TWIG_LAYOUT = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>{% block title %}Atelier Lumière{% endblock %}</title></head>
<body style="background:#f4f4f4">
<table role="presentation" width="600" align="center"><tr><td>
{% block content %}{% endblock %}
</td></tr></table>
{% include 'emails/_footer.html.twig' %}
</body>
</html>
"""
TWIG_FOOTER = """<table role="presentation" width="600" align="center"><tr><td>
<p>Atelier Lumière SARL, 12 rue de la Paix, 75002 Paris</p>
<p>Vous recevez cet e-mail car vous êtes inscrit à notre newsletter.
<a href="{{ unsubscribe_url }}">Se désabonner</a></p>
</td></tr></table>
"""
TWIG_FOOTER_WITHOUT_OPT_OUT = """<table role="presentation"><tr><td>
<p>Atelier Lumière SARL, 12 rue de la Paix, 75002 Paris</p>
</td></tr></table>
"""
TWIG_CHILD = (
    """{% extends 'emails/layout.html.twig' %}

{% block title %}Soldes d'hiver - {{ parent() }}{% endblock %}

{% block content %}
<h1>Bonjour {{ contact.firstName }},</h1>
<p>Nos soldes d'hiver commencent : -30 % sur toute la boutique avec le code HIVER30.</p>
<p><a href="https://atelier-lumiere.fr/soldes">J'en profite</a></p>
"""
    + PIXEL
    + """
{% endblock %}
"""
)


def _twig_project(mailchecker, footer: str = TWIG_FOOTER) -> None:
    mailchecker.make_file("templates/emails/layout.html.twig", TWIG_LAYOUT)
    mailchecker.make_file("templates/emails/_footer.html.twig", footer)
    mailchecker.make_file("templates/emails/newsletter/soldes.html.twig", TWIG_CHILD)


def _findings(run, path: str, code: str) -> list[dict]:
    return [f for f in run.findings if f["path"] == path and f["code"] == code]


def test_twig_child_is_linted_with_its_layout_and_footer(mailchecker):
    _twig_project(mailchecker)
    run = mailchecker.run(".")
    child = "templates/emails/newsletter/soldes.html.twig"
    assert _findings(run, child, "MC101") == []  # the opt-out sits in the layout's footer
    # The child's own content keeps its own line and column.
    assert [(f["line"], f["column"]) for f in _findings(run, child, "MC113")] == [(9, 1)]
    assert "child template" not in run.stderr
    assert "templates/emails/_footer.html.twig: skipped" in run.stderr
    assert not any(f["path"].endswith("_footer.html.twig") for f in run.findings)


def test_twig_child_without_an_opt_out_anywhere_is_an_error(mailchecker):
    _twig_project(mailchecker, footer=TWIG_FOOTER_WITHOUT_OPT_OUT)
    run = mailchecker.run(".")
    found = _findings(run, "templates/emails/newsletter/soldes.html.twig", "MC101")
    assert [(f["severity"], f["line"]) for f in found] == [("error", 1)]
    # The layout is judged inside its child only: alone it is a frame nobody sends.
    assert not _findings(run, "templates/emails/layout.html.twig", "MC101")
    assert "templates/emails/layout.html.twig: skipped: a template piece used by" in run.stderr
    assert run.exit_code == 1


def test_a_finding_in_an_included_file_is_on_the_include_and_names_it(mailchecker):
    _twig_project(mailchecker, footer=TWIG_FOOTER.replace("{{ unsubscribe_url }}", "#"))
    # A whole page of its own that includes the footer on its line 8.
    mailchecker.make_file("templates/emails/annonce.html.twig", TWIG_LAYOUT)
    run = mailchecker.run(".", "--select", "MC103")
    page = _findings(run, "templates/emails/annonce.html.twig", "MC103")
    assert [(f["line"], f["column"]) for f in page] == [(8, 1)]  # the {% include %}
    assert "templates/emails/_footer.html.twig" in page[0]["message"]
    child = _findings(run, "templates/emails/newsletter/soldes.html.twig", "MC103")
    assert [f["line"] for f in child] == [1]  # brought in by its {% extends %}


def test_column_of_the_childs_own_content_after_an_include_on_the_same_line(mailchecker):
    mailchecker.make_file(
        "emails/_social.html", '<p><a href="https://instagram.com/x">Instagram</a></p>'
    )
    mailchecker.make_file(
        "emails/promo.html.twig",
        "<html><body><p>Soldes : -20 % sur tout le site.</p>\n"
        f"<div>{{% include '_social.html' %}}{PIXEL}</div>\n"
        '<a href="{{ unsubscribe_url }}">Se désabonner</a></body></html>\n',
    )
    run = mailchecker.run(".", "--select", "MC113")
    found = _findings(run, "emails/promo.html.twig", "MC113")
    column = f"<div>{{% include '_social.html' %}}{PIXEL}".index("<img") + 1
    assert [(f["line"], f["column"]) for f in found] == [(2, column)]


# -- Handlebars: a layout partial block and a {{> footer}} partial -------------------------

HBS_LAYOUT = """<!doctype html>
<html><body>
<table role="presentation" width="100%"><tr><td>
{{> @partial-block }}
</td></tr></table>
{{> footer }}
</body></html>
"""
HBS_FOOTER = """<p>Les Confitures de Margaux EI, 4 chemin des Vignes, 84000 Avignon</p>
<p><a href="{{{unsubscribe}}}">Se désabonner</a> · <a href="{{{preferences}}}">Préférences</a></p>
"""
HBS_NEWSLETTER = """{{#> layout }}
<h1>Bonjour {{first_name}} !</h1>
<p>La nouvelle confiture figue-noix est arrivée : -15 % cette semaine.</p>
<a href="https://confitures-margaux.fr/boutique">Commander</a>
{{/layout}}
"""


def test_handlebars_layout_and_footer_partial(mailchecker):
    mailchecker.make_file("src/partials/layout.hbs", HBS_LAYOUT)
    mailchecker.make_file("src/partials/footer.hbs", HBS_FOOTER)
    mailchecker.make_file("src/emails/figue-noix.hbs", HBS_NEWSLETTER)
    run = mailchecker.run(".", "--select", "MC101")
    assert run.findings == [] and run.exit_code == 0, run.stderr
    assert "src/partials/footer.hbs: skipped" in run.stderr


def test_handlebars_footer_used_by_a_template_is_not_judged_alone(mailchecker):
    # footer.hbs has text of its own and sits in no partials/ folder: only its use says
    # it is a piece.
    mailchecker.make_file("emails/footer.hbs", HBS_FOOTER.replace("{{{unsubscribe}}}", "#"))
    mailchecker.make_file(
        "emails/figue-noix.hbs",
        "<p>La nouvelle confiture figue-noix : -15 % cette semaine.</p>\n{{> footer}}\n",
    )
    run = mailchecker.run(".", "--select", "MC101,MC103")
    assert {f["path"] for f in run.findings} == {"emails/figue-noix.hbs"}
    assert [f["line"] for f in run.findings if f["code"] == "MC103"] == [2]
    assert (
        "emails/footer.hbs: skipped: a template piece used by emails/figue-noix.hbs" in run.stderr
    )


def test_handlebars_without_an_opt_out_in_the_footer_is_an_error(mailchecker):
    mailchecker.make_file("partials/footer.hbs", "<p>Les Confitures de Margaux EI, Avignon</p>")
    mailchecker.make_file(
        "figue-noix.hbs",
        HBS_NEWSLETTER.replace("{{#> layout }}", "<div>").replace(
            "{{/layout}}", "{{> footer}}</div>"
        ),
    )
    run = mailchecker.run(".", "--select", "MC101")
    assert [(f["path"], f["severity"]) for f in run.findings] == [("figue-noix.hbs", "error")]


# -- MJML: <mj-include path="./partials/footer.mjml" /> -------------------------------------

MJML_FOOTER = """<mjml>
  <mj-body>
    <mj-section><mj-column>
      <mj-text font-size="11px">Studio Pilates Lyon, 8 quai Saint-Vincent, 69001 Lyon.
        <a href="{{unsubscribe_url}}">Se désabonner</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>
"""
MJML_NEWSLETTER = """<mjml>
  <mj-head><mj-title>Cours d'essai offert</mj-title></mj-head>
  <mj-body>
    <mj-section><mj-column>
      <mj-text>Bonjour {{prenom}}, votre premier cours est offert en décembre !</mj-text>
      <mj-button href="https://studio-pilates-lyon.fr/reserver">Réserver</mj-button>
    </mj-column></mj-section>
    <mj-include path="./partials/footer.mjml" />
  </mj-body>
</mjml>
"""


def test_mjml_include_brings_the_footer_in(mailchecker):
    mailchecker.make_file("emails/partials/footer.mjml", MJML_FOOTER)
    mailchecker.make_file("emails/decembre.mjml", MJML_NEWSLETTER)
    run = mailchecker.run(".", "--select", "MC101")
    assert run.findings == [] and run.exit_code == 0, run.stderr


def test_mjml_include_of_a_footer_without_opt_out(mailchecker):
    mailchecker.make_file(
        "emails/partials/footer.mjml",
        MJML_FOOTER.replace('<a href="{{unsubscribe_url}}">Se désabonner</a>', ""),
    )
    mailchecker.make_file("emails/decembre.mjml", MJML_NEWSLETTER)
    run = mailchecker.run(".", "--select", "MC101")
    assert [(f["path"], f["severity"]) for f in run.findings] == [("emails/decembre.mjml", "error")]


# -- Jinja / Nunjucks includes, and what cannot be followed --------------------------------

JINJA_NEWSLETTER = """<html><body>
<p>Bonjour {{ user.first_name }},</p>
<p>Découvrez notre atelier de céramique : -10 % sur les stages de janvier.</p>
{% include INCLUDE %}
</body></html>
"""
JINJA_FOOTER = '<p>Atelier Terre, Nantes. <a href="{{ unsubscribe_url }}">Se désabonner</a></p>\n'


def test_jinja_include_of_the_footer(mailchecker):
    mailchecker.make_file("app/templates/email/_footer.html", JINJA_FOOTER)
    mailchecker.make_file(
        "app/templates/email/janvier.html",
        JINJA_NEWSLETTER.replace("INCLUDE", '"email/_footer.html"'),
    )
    run = mailchecker.run(".", "--select", "MC101")
    assert run.findings == [], run.stderr


def test_nunjucks_include_of_a_variable_is_said_and_mc101_hedged(mailchecker):
    mailchecker.make_file(
        "emails/janvier.njk", JINJA_NEWSLETTER.replace("INCLUDE", "footer_template")
    )
    run = mailchecker.run(".", "--select", "MC101")
    [finding] = run.findings
    assert (
        finding["severity"] == "warning"
        and "'footer_template' could not be read" in finding["message"]
    )
    assert (
        "emails/janvier.njk: the include 'footer_template' (line 4 of emails/janvier.njk)"
        in run.stderr
    )
    assert "variable" in run.stderr


def test_include_not_found_is_said(mailchecker):
    mailchecker.make_file("emails/janvier.njk", JINJA_NEWSLETTER.replace("INCLUDE", "'pied.njk'"))
    run = mailchecker.run(".", "--select", "MC101")
    assert [f["severity"] for f in run.findings] == ["warning"]
    assert (
        "'pied.njk' (line 4 of emails/janvier.njk): was not found in the linted folder"
        in run.stderr
    )


def test_include_leading_outside_the_linted_folder_is_refused(mailchecker):
    mailchecker.make_file("shared/footer.html", JINJA_FOOTER)
    mailchecker.make_file(
        "emails/janvier.html", JINJA_NEWSLETTER.replace("INCLUDE", '"../shared/footer.html"')
    )
    run = mailchecker.run("emails", "--select", "MC101")
    assert [f["severity"] for f in run.findings] == ["warning"]  # not read: not certain
    assert "leads outside the linted folder: not followed" in run.stderr
    # Linting the parent folder, the same include is inside the tree and followed.
    assert mailchecker.run(".", "--select", "MC101").findings == []


def test_absolute_include_is_refused(mailchecker):
    footer = mailchecker.make_file("footer.html", JINJA_FOOTER)
    mailchecker.make_file("janvier.html", JINJA_NEWSLETTER.replace("INCLUDE", f'"{footer}"'))
    run = mailchecker.run(".", "--select", "MC101")
    assert "is an absolute path: not followed" in run.stderr
    assert [f["severity"] for f in run.findings] == ["warning"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symlink_out_of_the_linted_folder_is_not_followed(mailchecker, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "footer.html"
    outside.write_text(JINJA_FOOTER, encoding="utf-8")
    mailchecker.make_file("janvier.html", JINJA_NEWSLETTER.replace("INCLUDE", '"footer.html"'))
    try:
        os.symlink(outside, mailchecker.path / "footer.html")
    except OSError:
        pytest.skip("symbolic links not allowed here")
    run = mailchecker.run("janvier.html", "--select", "MC101")
    assert "is a link to a file outside the linted folder: not followed" in run.stderr
    assert [f["severity"] for f in run.findings] == ["warning"]


def test_a_cycle_of_includes_is_refused(mailchecker):
    mailchecker.make_file("emails/a.njk", JINJA_NEWSLETTER.replace("INCLUDE", "'b.njk'"))
    mailchecker.make_file("emails/b.njk", "<p>Suite de la lettre.</p>{% include 'a.njk' %}\n")
    run = mailchecker.run("emails/a.njk", "--select", "MC101")
    assert (
        "makes a cycle (emails/a.njk -> emails/b.njk -> emails/a.njk): not followed" in run.stderr
    )
    assert run.exit_code in (0, 1)  # linted, no hang and no traceback


def test_nesting_deeper_than_the_limit_stops(mailchecker):
    for level in range(15):
        mailchecker.make_file(
            f"emails/n{level}.njk", f"<p>Niveau {level}</p>{{% include 'n{level + 1}.njk' %}}\n"
        )
    mailchecker.make_file("emails/n15.njk", JINJA_FOOTER)
    mailchecker.make_file("emails/lettre.html", JINJA_NEWSLETTER.replace("INCLUDE", "'n0.njk'"))
    run = mailchecker.run("emails/lettre.html", "--select", "MC101")
    assert "goes deeper than 10 files: not followed" in run.stderr


def test_included_files_respect_the_document_size_limit(mailchecker):
    mailchecker.make_file("emails/_footer.html", JINJA_FOOTER + "<!-- " + "x" * 4000 + " -->")
    mailchecker.make_file(
        "emails/lettre.html", JINJA_NEWSLETTER.replace("INCLUDE", "'_footer.html'")
    )
    mailchecker.make_config("[limits]\nmax-document-size = 2000\n")
    run = mailchecker.run("emails/lettre.html", "--select", "MC101")
    assert "could not be read" in run.stderr and "max-document-size" in run.stderr


def test_inputs_are_not_modified(mailchecker):
    _twig_project(mailchecker)
    before = {p: p.read_bytes() for p in mailchecker.path.rglob("*.twig")}
    mailchecker.run(".")
    assert {p: p.read_bytes() for p in mailchecker.path.rglob("*.twig")} == before


def test_includes_that_double_at_each_level_stop_at_the_size_limit(mailchecker):
    # Each level includes the next twice: 2**8 copies of the footer, unless bounded.
    for level in range(8):
        nxt = f"d{level + 1}.njk"
        mailchecker.make_file(
            f"emails/d{level}.njk", f"{{% include '{nxt}' %}}{{% include '{nxt}' %}}"
        )
    mailchecker.make_file("emails/d8.njk", JINJA_FOOTER * 20)
    mailchecker.make_file("emails/lettre.html", JINJA_NEWSLETTER.replace("INCLUDE", "'d0.njk'"))
    mailchecker.make_config("[limits]\nmax-document-size = 100000\n")
    run = mailchecker.run("emails/lettre.html", "--select", "MC101")
    assert "the composed e-mail is over 100,000 characters" in run.stderr
    assert run.findings == []  # the footer's opt-out came in before the limit


def test_a_ghost_layout_comment_names_its_layout(mailchecker):
    # Ghost / express-hbs: "{{!< main}}" wraps the page in layouts/main.hbs ({{{body}}}).
    mailchecker.make_file(
        "emails/layouts/main.hbs",
        "<html><body>{{{body}}}\n<p>Atelier SARL, 1 rue Haute, 69001 Lyon. "
        '<a href="{{unsubscribe}}">Unsubscribe</a></p></body></html>\n',
    )
    mailchecker.make_file(
        "emails/weekly-deals.hbs",
        "{{!< main}}\n<h1>This week's deals</h1>\n<p>Hi {{firstName}}, 25% off all lamps.</p>\n",
    )
    run = mailchecker.run(".")
    assert not _findings(run, "emails/weekly-deals.hbs", "MC101")
    assert "is a variable or an expression" not in run.stderr


def _fan_out(mailchecker, levels: int = 10, width: int = 10) -> None:
    """Each partial includes the next ``width`` times, ``levels`` deep: ``width**levels``
    copies of the last one, unless the composition is bounded."""
    for level in range(1, levels):
        mailchecker.make_file(f"fan/f{level}.hbs", f"{{{{> f{level + 1}}}}}" * width)
    mailchecker.make_file(f"fan/f{levels}.hbs", "<span>feuille</span>" * width)


def test_an_include_fan_out_is_bounded_and_the_own_text_after_it_is_still_read(mailchecker):
    _fan_out(mailchecker)
    mailchecker.make_file(
        "fan/main.hbs",
        '<html lang="fr"><body><p>Soldes : -30 % sur tout !</p>{{> f1}}'
        '<p>Atelier X SARL, 1 rue A, 75001 Paris <a href="https://x.fr/desinscription">'
        "Se désabonner</a></p></body></html>",
    )
    run = mailchecker.run("fan/main.hbs", "--select", "MC101")
    assert run.findings == [], run.stderr  # the link after the include is seen
    assert "puts in more than 1,000 files" in run.stderr


def test_a_cut_composition_says_a_missing_opt_out_is_not_certain(mailchecker):
    _fan_out(mailchecker)
    mailchecker.make_file(
        "fan/main.hbs", '<html lang="fr"><body><p>Soldes : -30 % !</p>{{> f1}}</body></html>'
    )
    run = mailchecker.run("fan/main.hbs", "--select", "MC101")
    (finding,) = run.findings
    assert finding["severity"] == "warning"
    assert "not certain: the composed e-mail was cut" in finding["message"]


def test_a_file_made_of_includes_is_read_composed(mailchecker):
    # f1.hbs has no markup of its own: its includes have it.
    _fan_out(mailchecker, levels=3, width=3)
    run = mailchecker.run("fan/f1.hbs", "--select", "MC101")
    assert "no HTML markup" not in run.stderr
    assert run.exit_code != 2, run.stderr
    mailchecker.make_file("bare/only.hbs", "{{> texte}}")
    mailchecker.make_file("bare/texte.hbs", "Juste du texte, sans balise.")
    run = mailchecker.run("bare/only.hbs")
    assert "no HTML markup found, not even in the files it includes" in run.stderr


def test_big_included_files_are_cut_but_the_own_text_is_kept(mailchecker):
    mailchecker.make_file("emails/gros.njk", "<p>" + "catalogue " * 6000 + "</p>\n")
    mailchecker.make_file(
        "emails/lettre.html",
        "<html><body><p>Soldes : -20 % !</p>"
        + "{% include 'gros.njk' %}" * 5
        + '<p>Atelier Terre, Nantes. <a href="{{ unsubscribe_url }}">Se désabonner</a></p>'
        "</body></html>",
    )
    mailchecker.make_config("[limits]\nmax-document-size = 100000\n")
    run = mailchecker.run("emails/lettre.html", "--select", "MC101")
    assert "the composed e-mail is over 100,000 characters" in run.stderr
    assert run.findings == [], run.stderr


def test_the_composition_puts_in_a_bounded_number_of_files(tmp_path):
    from mailcheck.readers.templates import TemplateFinder, compose
    from mailcheck.readers.templates.compose import MAX_EXPANSIONS

    for level in range(1, 10):
        (tmp_path / f"f{level}.hbs").write_text(f"{{{{> f{level + 1}}}}}" * 10)
    (tmp_path / "f10.hbs").write_text("<b>x</b>")
    main = tmp_path / "main.hbs"
    main.write_text("<p>{{> f1}}</p>")
    composition = compose(
        main, main.read_text(), TemplateFinder(tmp_path), lambda p: p.read_text(), 1 << 22
    )
    assert composition.cut
    assert composition.text.count("<b>x</b>") <= MAX_EXPANSIONS
    assert composition.text.endswith("</p>")
