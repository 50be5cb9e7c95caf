"""The built-in classifier (src/mailcheck/readers/classify.py): which kind a file is."""

from __future__ import annotations

import pytest

from mailcheck.config import Config
from mailcheck.readers.classify import describe, mailcheck_classify

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


# -- template sources and partials (#14) ----------------------------------------------

MJML = """<mjml>
  <mj-body>
    <mj-section><mj-column>
      <mj-text>Bonjour {{prenom}}, -10 % avec le code BIENVENUE10.</mj-text>
      <mj-button href="https://atelier-lumiere.fr/boutique">Découvrir</mj-button>
      <mj-text>Atelier Lumière SARL. <a href="{{unsubscribe_url}}">Se désabonner</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>
"""
HBS_BODY = """<table role="presentation"><tr><td>
{{#if first_name}}<p>Bonjour {{first_name}},</p>{{else}}<p>Bonjour,</p>{{/if}}
<p>Nos soldes d'hiver commencent : -30 % sur toute la boutique.</p>
<a href="{{{unsubscribe}}}">Se désabonner</a>
</td></tr></table>
"""
TWIG_CHILD = """{% extends 'emails/base.html.twig' %}
{% block content %}<h1>Bonjour {{ contact.firstName }},</h1>
<p>Découvrez nos nouveautés du printemps.</p>{% endblock %}
"""
TWIG_LAYOUT = """<html><body>{% block content %}{% endblock %}
<p>Atelier Lumière SARL <a href="{{ unsubscribe_url }}">Se désabonner</a></p></body></html>
"""
GHOST_POST = "{{!< default}}\n<article>{{content}}</article>\n"
COMPOSITION = "{{> header}}\n{{> hero}}\n{{> footer}}\n"


@pytest.mark.parametrize(
    ("name", "content", "kind", "reason"),
    [
        ("welcome.mjml", MJML, "template", ""),
        ("promo.hbs", HBS_BODY, "template", ""),  # no <html>, but text of its own
        ("news.handlebars", HBS_BODY, "template", ""),
        ("news.tpl", HBS_BODY, "template", ""),
        ("news.mustache", HBS_BODY, "template", ""),
        ("news.njk", HBS_BODY, "template", ""),
        ("layouts/base.html.twig", TWIG_LAYOUT, "template", ""),  # has <html>: the footer
        ("partials/_footer.hbs", HBS_BODY, "skip", "its name starts with '_'"),
        ("partials/footer.hbs", HBS_BODY, "skip", "in a 'partials' folder"),
        # children and files made of includes are linted composed (the engine's part)
        ("newsletter.html.twig", TWIG_CHILD, "template", ""),
        ("post.hbs", GHOST_POST, "template", ""),
        ("email.hbs", COMPOSITION, "template", ""),
        ("child.html", TWIG_CHILD, "template", ""),  # a Django/Flask e-mail in .html
        ("widget.hbs", "{{#if x}}{{name}}{{/if}}\n", "skip", "no text of its own"),
    ],
)
def test_template_sources_are_templates_and_partials_are_named(
    tmp_path, name, content, kind, reason
):
    path = tmp_path / "emails" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    found = describe(path, Config(root=tmp_path))
    assert found.kind == kind
    assert reason in str(found.reason) and (str(found.reason) == "") == (kind != "skip")


def test_erb_and_ejs_are_e_mails_only_in_a_mailer_folder(tmp_path):
    for name in ("app/views/user_mailer/welcome.html.erb", "app/views/home/index.html.erb"):
        path = tmp_path / name
        path.parent.mkdir(parents=True)
        path.write_text(HBS_BODY, encoding="utf-8")
    config = Config(root=tmp_path)
    mailer = tmp_path / "app/views/user_mailer/welcome.html.erb"
    assert mailcheck_classify(path=mailer, config=config) == "template"
    page = tmp_path / "app/views/home/index.html.erb"
    assert mailcheck_classify(path=page, config=config) is None


def test_blade_views_are_e_mails_only_in_a_mail_folder(tmp_path):
    for name in ("resources/views/emails/newsletter.blade.php", "resources/views/home.blade.php"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(HBS_BODY, encoding="utf-8")
    config = Config(root=tmp_path)
    mail = tmp_path / "resources/views/emails/newsletter.blade.php"
    assert mailcheck_classify(path=mail, config=config) == "template"
    page = tmp_path / "resources/views/home.blade.php"
    assert mailcheck_classify(path=page, config=config) is None


def test_a_template_source_with_a_form_stays_a_form(tmp_path):
    path = tmp_path / "signup.hbs"
    path.write_text('<form action="/subscribe"><input type="email" name="email"></form>', "utf-8")
    assert mailcheck_classify(path=path, config=Config(root=tmp_path)) == "form"


# -- .txt: an e-mail body only when it reads like one (#14) ----------------------------

REQUIREMENTS = "pandas>=2.1\nrequests==2.32.3  # https://github.com/psf/requests\nclick\n"
MIT = (
    "MIT License\n\nCopyright (c) 2024 Atelier Lumière\n\nPermission is hereby granted, free "
    "of charge, to any person obtaining a copy\nof this software...\n\nTHE SOFTWARE IS "
    'PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.\n'
)
A_LIRE = (
    "A LIRE - Exports de la boutique\n\nCe dossier contient les exports mensuels.\n"
    "Merci de ne pas les modifier à la main : ils sont réimportés chaque lundi.\n"
    "Documentation : https://intranet.atelier-lumiere.fr/exports\n"
)
ROBOTS = "User-agent: *\nDisallow: /admin/\nSitemap: https://atelier-lumiere.fr/sitemap.xml\n"
CSV_AS_TXT = "Nom;Prénom;Téléphone\nMorel;Julie;0601020304\n"
NOTES = "TODO\n- relancer le fournisseur\n- [x] commande papier\n- %APPDATA% à nettoyer\n"
#: Words of a message, but no message: nobody addressed, nobody signing, nowhere to go.
CHANGELOG = (
    "2026-11-30  v2.3  Nouveau pied de page (lien de désinscription mis à jour), promo Noël.\n"
    "2026-10-02  v2.2  Correction du lien de suivi de colis.\n"
)
#: An offer in it, but every line an entry of a journal: no message either.
CHANGELOG_WITH_OFFER = (
    "## 2.4 - 2026-12-01\n- Bandeau promo -20 % pour Noël\n## 2.3 - 2026-11-30\n"
    "- Lien de désinscription mis à jour\n"
)
BODIES = [
    "Bonjour {{ prenom }},\n\nNos soldes commencent demain.\n",
    "Objet : Nos soldes d'hiver\n\nProfitez de -30 % sur tout le site.\n",
    "Hello,\n\nOur winter sale starts tomorrow.\n\nBest regards,\nThe Acme team\n",
    "Hallo Jana,\n\nunser Sommerschlussverkauf beginnt.\nhttps://acme.de/sale\n",
    "Soldes -30 % ce week-end : https://acme.fr/soldes\nSe désabonner : https://acme.fr/u\n",
    "Hola:\n\nNuevas ofertas esta semana.\n\nSaludos cordiales\n",
]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("requirements.txt", REQUIREMENTS),
        ("LICENSE.txt", MIT),
        ("A-LIRE.txt", A_LIRE),
        ("robots.txt", ROBOTS),
        ("export.txt", CSV_AS_TXT),
        ("notes.txt", NOTES),
        ("CHANGELOG.txt", CHANGELOG),
        ("HISTORIQUE.txt", CHANGELOG_WITH_OFFER),
    ],
)
def test_a_txt_that_is_no_e_mail_is_skipped_with_its_reason(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content.encode("cp1252"))
    found = describe(path, Config(root=tmp_path))
    assert found.kind == "skip" and "does not read like an e-mail" in str(found.reason)


@pytest.mark.parametrize("content", BODIES)
def test_a_txt_that_reads_like_an_e_mail_is_a_template(tmp_path, content):
    path = tmp_path / "message.txt"
    path.write_text(content, encoding="utf-8")
    assert mailcheck_classify(path=path, config=Config(root=tmp_path)) == "template"


def test_config_keywords_extend_the_greetings(tmp_path):
    path = tmp_path / "message.txt"
    path.write_text("Moien Jang,\n\nEis Soldë fänken un.\nhttps://acme.lu/\n", encoding="utf-8")
    assert describe(path, Config(root=tmp_path)).kind == "skip"
    config = Config(root=tmp_path, keywords={"email_greeting": ["moien"]})
    assert describe(path, config).kind == "template"
