"""The consent-control analysis shared by every form rule: labels, roles, form kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcheck.analysis.forms.builder import analyse
from mailcheck.analysis.forms.text import original
from mailcheck.config import Config
from mailcheck.context import LintContext, MergeTags
from mailcheck.documents import HtmlDocument
from mailcheck.keywords import Keywords
from mailcheck.readers.classify import mailcheck_classify


@pytest.fixture(scope="module")
def ctx() -> LintContext:
    return LintContext(config=Config(), pm=None, keywords=Keywords(), merge_tags=MergeTags())


def controls(html: str, ctx: LintContext):
    doc = HtmlDocument(path=Path("f.html"), display_path="f.html", kind="form", text=html)
    return analyse(doc, ctx)


def only(page, name: str):
    (control,) = [c for c in page.controls if c.tag.get("name") == name]
    return control


def test_label_sources(ctx):
    page = controls(
        "<form>\n"
        '<input type="checkbox" id="a" name="a"><label for="a">Je souhaite recevoir la '
        "newsletter</label>\n"
        '<label><input type="checkbox" name="b"> Ich willige in Werbung ein</label>\n'
        '<span id="c-text">Deseo recibir ofertas</span>'
        '<input type="checkbox" name="c" aria-labelledby="c-text">\n'
        '<input type="checkbox" name="d" aria-label="Send me partner offers">\n'
        '<table><tr><td><input type="checkbox" name="e"></td>'
        "<td>Iscrivimi alla newsletter</td></tr></table>\n"
        '<div><input type="checkbox" name="f"> Ik wil aanbiedingen ontvangen<br>'
        '<input type="checkbox" name="g"> Lembrar-me</div>\n'
        '<input type="checkbox" name="newsletter_optin">\n'
        "</form>",
        ctx,
    )
    seen = {c.tag.get("name"): (c.label_source, c.role) for c in page.controls}
    assert seen == {
        "a": ("label", "consent"),
        "b": ("label", "consent"),
        "c": ("aria-labelledby", "consent"),
        "d": ("aria-label", "consent"),
        "e": ("nearby text", "consent"),
        "f": ("nearby text", "consent"),
        "g": ("nearby text", "other"),
        "newsletter_optin": ("name/id", "consent"),
    }
    assert only(page, "f").label == "Ik wil aanbiedingen ontvangen"


def test_radio_reads_its_question(ctx):
    page = controls(
        '<form><input type="email" name="email">\n'
        "<p>Souhaitez-vous recevoir nos offres ?</p>\n"
        '<label><input type="radio" name="o" value="1" checked> Oui</label>\n'
        '<label><input type="radio" name="o" value="0"> Non</label></form>',
        ctx,
    )
    yes, no = [c for c in page.controls if c.kind == "radio"]
    assert (yes.role, yes.answer, yes.decided_by) == (
        "consent",
        "yes",
        "Souhaitez-vous recevoir nos offres ? — Oui",
    )
    assert (no.role, no.answer) == ("refusal", "no")


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ('<input type="email" name="email"><button>Subscribe</button>', "newsletter"),
        (
            '<input type="email" name="e"><input type="password" name="p"><button>Log in</button>',
            "login",
        ),
        (
            '<input type="email" name="e"><input type="password" name="p">'
            "<button>Créer mon compte</button>",
            "account",
        ),
        (
            '<input type="email" name="e"><input name="c" autocomplete="cc-number">'
            "<button>Pay</button>",
            "checkout",
        ),
        (
            '<input type="email" name="e"><input name="street"><input name="zip">'
            '<input name="city"><button>Zahlungspflichtig bestellen</button>',
            "checkout",
        ),
        (
            '<h2>Jeu concours</h2><input type="email" name="e"><button>Je participe</button>',
            "contest",
        ),
        (
            '<input type="email" name="e"><textarea name="m"></textarea><button>Send</button>',
            "contact",
        ),
        ('<input type="email" name="e"><button>Télécharger le livre blanc</button>', "contact"),
        ('<input type="text" name="q"><button>Search</button>', "other"),
    ],
)
def test_form_kinds(ctx, body, kind):
    page = controls(f"<form>{body}</form>", ctx)
    assert page.forms[0].kind == kind


def test_provider_widgets_are_newsletters(ctx):
    page = controls(
        '<form action="https://x.us21.list-manage.com/subscribe/post?u=1&id=2">'
        '<input type="email" name="EMAIL"><input name="ADDRESS[addr1]">'
        '<input name="ADDRESS[city]"><input name="ADDRESS[zip]"><input name="PHONE">'
        '<input type="submit" value="Subscribe"></form>',
        ctx,
    )
    assert (page.forms[0].kind, page.forms[0].provider) == ("newsletter", "Mailchimp")


def test_template_conditions_are_dynamic(ctx):
    page = controls(
        "<form>\n"
        '<input type="checkbox" name="a" {% if x %}checked{% endif %}>\n'
        '<input type="checkbox" name="b" checked="{{ x }}">\n'
        '<input type="checkbox" name="c" :checked="form.optin">\n'
        '<input type="checkbox" name="d" value="{{ v }}" checked>\n'
        '<input type="checkbox" name="e" :checked="false">\n'
        '<select name="f"><option value="1" {% if y %}selected{% endif %}>Oui</option>'
        '<option value="">--</option></select>\n'
        "</form>",
        ctx,
    )
    states = {c.tag.get("name"): c.state for c in page.controls}
    assert states == {
        "a": "dynamic",
        "b": "dynamic",
        "c": "dynamic",
        "d": "on",
        "e": "off",
        "f": "dynamic",
    }


def test_original_recovers_accents_and_case():
    assert original("Offres PERSONNALISÉES par E-Mail", "personnalisees") == "PERSONNALISÉES"
    assert original("par E-Mail", "e mail") == "E-Mail"


def test_fragments_and_template_sources_are_forms(tmp_path):
    cases = {
        "widget.html": '<div><input type="email" name="w-email"><button>OK</button></div>',
        "partial.html": '<div><input type="checkbox" name="optin_partners"></div>',
        "mail.html": '<table><tr><td><a href="*|UNSUB|*">Unsubscribe</a></td></tr></table>',
        "boxes.html": '<div><label><input type="checkbox" checked> Nos offres</label></div>',
        "kinetic.html": '<table><tr><td><input type="radio" name="slide" id="s1" checked>'
        "</td></tr></table>",
        "signup.html.twig": '<form method="post">{{ form_widget(form) }}</form>',
        "email.liquid": "<p>Hello {{ customer.first_name }}</p>",
        "register.liquid": "{%- form 'create_customer' -%}{{ form.errors }}{%- endform -%}",
        "page.html.j2": "<h1>{{ title }}</h1>",
    }
    kinds = {}
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        kinds[name] = mailcheck_classify(path=path, config=Config())
    assert kinds == {
        "widget.html": "form",
        "partial.html": "form",
        "mail.html": "template",
        "boxes.html": "form",
        "kinetic.html": "template",  # an interactive e-mail's carousel
        "signup.html.twig": "form",
        "email.liquid": "skip",  # map e-mail templates with [file-types]
        "register.liquid": "form",
        "page.html.j2": "skip",
    }


def test_large_form_is_linear(ctx):
    import time

    rows = "\n".join(
        f'<p>Recevoir les offres {i} ?</p><label><input type="radio" name="r{i}" value="1" '
        f'checked> Oui</label><label><input type="radio" name="r{i}" value="0"> Non</label>'
        for i in range(1500)
    )
    started = time.perf_counter()
    page = controls(
        f"<form><fieldset><legend>Consentements</legend>\n{rows}</fieldset></form>", ctx
    )
    assert sum(c.role == "consent" for c in page.controls) == 1500
    assert time.perf_counter() - started < 20  # was quadratic: one find_all per radio


def test_checked_input_inside_a_template_block_is_dynamic(ctx):
    page = controls(
        "<form>\n"
        "{% if customer.accepts_marketing %}\n"
        '<input type="checkbox" name="a" checked>\n'
        "{% else %}\n"
        '<input type="checkbox" name="b">\n'
        "{% endif %}\n"
        '<input type="checkbox" name="c" checked>\n'
        '{{#if optin}}<input type="checkbox" name="d" checked>{{/if}}\n'
        "</form>",
        ctx,
    )
    states = {c.tag.get("name"): c.state for c in page.controls}
    assert states == {"a": "dynamic", "b": "off", "c": "on", "d": "dynamic"}


# -- keyword lists that decide a form's kind: a user's [keywords] additions count ----------


def extended(**lists: list[str]) -> LintContext:
    """A context whose keyword lists carry a user's ``[keywords]`` additions (as the
    engine builds it: built-ins, then plugins', then the config's)."""
    keywords = Keywords([{name: terms for name, terms in lists.items()}])
    return LintContext(config=Config(), pm=None, keywords=keywords, merge_tags=MergeTags())


def test_form_filter_words_extend(ctx):
    html = (
        '<form id="tri-catalogue" method="post"><input type="email" name="email">'
        '<label><input type="checkbox" name="p" checked> Recevoir nos offres</label></form>'
    )
    assert controls(html, ctx).forms[0].kind == "newsletter"
    assert controls(html, extended(form_filter=["tri"])).forms[0].kind == "filter"


def test_email_field_name_words_extend(ctx):
    html = '<form method="post"><input type="text" name="adresse_electronique"></form>'
    assert not controls(html, ctx).forms[0].collects_email
    assert controls(html, extended(email_field_name=["electronique"])).forms[0].collects_email


def test_payment_field_name_words_extend(ctx):
    html = (
        '<form method="post"><input type="email" name="email">'
        '<input type="text" name="numero_carte"></form>'
    )
    assert controls(html, ctx).forms[0].kind == "newsletter"
    form = controls(html, extended(payment_field_name=["numero carte"])).forms[0]
    assert (form.kind, str(form.evidence)) == ("checkout", "payment fields")


def test_address_field_name_words_extend(ctx):
    html = (
        '<form method="post"><input type="email" name="email"><input name="rue">'
        '<input name="a"><input name="b"><input name="c"></form>'
    )
    assert controls(html, ctx).forms[0].kind == "newsletter"
    form = controls(html, extended(address_field_name=["rue"])).forms[0]
    assert (form.kind, str(form.evidence)) == ("other", "address fields")
