"""MJML attributes are read as the CSS the compiled e-mail carries
(src/mailcheck/analysis/mjml.py): a link hidden with them is hidden."""

from __future__ import annotations

import pytest

from mailcheck.analysis.visibility import visibility
from mailcheck.documents import Body

MJML = """<mjml>
  <mj-head>
    {head}
  </mj-head>
  <mj-body{body}>
    <mj-section{section}>
      <mj-column>
        <mj-text font-size="20px">Soldes d'hiver : -40 % sur les plaids</mj-text>
        {footer}
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
"""


def link_visibility(ctx, footer: str, head: str = "", body: str = "", section: str = ""):
    doc = Body(MJML.format(footer=footer, head=head, body=body, section=section))
    link = doc.soup.find(lambda tag: tag.get("href") == "{{ unsubscribe_url }}")
    return visibility(link, doc, ctx)


LINK = '<a href="{{ unsubscribe_url }}">Se désinscrire</a>'
INHERIT = '<a href="{{ unsubscribe_url }}" style="color:inherit">Se désinscrire</a>'
WHITE = '<a href="{{ unsubscribe_url }}" style="color:#fff">Se désinscrire</a>'


def button(attrs: str = "") -> str:
    return f'<mj-button href="{{{{ unsubscribe_url }}}}"{attrs}>Se désinscrire</mj-button>'


@pytest.mark.parametrize(
    ("footer", "head", "body", "why"),
    [
        (f'<mj-text font-size="1px">{LINK}</mj-text>', "", "", "1px font"),
        (f'<mj-text font-size="0">{LINK}</mj-text>', "", "", "0px font"),
        (button(' background-color="#fff" color="#fff"'), "", "", "#ffffff"),
        (button(' background-color="#F4F4F4" color="#f5f5f5"'), "", "", "#f5f5f5"),
        (
            f'<mj-text css-class="tiny">{LINK}</mj-text>',
            "<mj-style>.tiny div { font-size: 1px !important; }</mj-style>",
            "",
            "1px font",
        ),
        (
            f'<mj-text css-class="gone">{LINK}</mj-text>',
            '<mj-style inline="inline">.gone { display: none; }</mj-style>',
            "",
            "display:none",
        ),
        (
            f'<mj-text mj-class="legal">{INHERIT}</mj-text>',
            '<mj-attributes><mj-class name="legal" color="#ffffff" /></mj-attributes>',
            "",
            "#ffffff",
        ),
        (
            button(' mj-class="ghost"'),
            '<mj-attributes><mj-class name="ghost" background-color="#fff" color="#fff"/>'
            "</mj-attributes>",
            "",
            "#ffffff",
        ),
        (
            f"<mj-text>{LINK}</mj-text>",
            '<mj-attributes><mj-all font-size="2px" /></mj-attributes>',
            "",
            "2px font",
        ),
        (
            button(""),
            '<mj-attributes><mj-button background-color="#ffffff" color="#ffffff"/>'
            "</mj-attributes>",
            "",
            "#ffffff",
        ),
        (
            button(' color="#222222"'),
            "",
            ' background-color="#222222"',
            None,  # the button's own default background (#414141) is what is behind
        ),
    ],
)
def test_hidden_with_mjml_attributes(ctx, footer, head, body, why):
    seen = link_visibility(ctx, footer, head, body)
    if why is None:
        assert seen.hidden is None
    else:
        assert seen.hidden is not None and why in str(seen.hidden), seen


@pytest.mark.parametrize(
    ("footer", "section"),
    [
        (f'<mj-text font-size="11px" color="#999999">{LINK}</mj-text>', ""),
        (button(' color="#ffffff"'), ""),  # white on MJML's dark grey button
        (button(""), ' background-color="#ffffff"'),
        (
            f'<mj-text color="#ffffff">{INHERIT}</mj-text>',
            ' background-color="#1a1a1a"',
        ),
        (f'<mj-text css-class="small">{LINK}</mj-text>', ""),
    ],
)
def test_visible_mjml_stays_visible(ctx, footer, section):
    head = "<mj-style>.other div { display: none; } .small { font-size: 12px; }</mj-style>"
    assert link_visibility(ctx, footer, head, section=section).hidden is None


def test_a_background_image_makes_white_text_uncertain_not_hidden(ctx):
    footer = f'<mj-text color="#ffffff">{WHITE}</mj-text>'
    seen = link_visibility(ctx, footer, section=' background-url="https://x.fr/bg.jpg"')
    assert seen.hidden is None and seen.uncertain is not None


def test_compiled_html_with_the_same_tags_is_not_read_as_mjml(ctx):
    doc = Body(
        '<html><body><div class="tiny"><div><a href="{{ unsubscribe_url }}">x</a></div></div>'
        "<style>.tiny div { display: none; }</style></body></html>"
    )
    assert "display:none" in str(visibility(doc.soup.find("a"), doc, ctx).hidden)


def test_mj_class_from_an_included_file(mailchecker):
    mailchecker.make_file(
        "emails/partials/styles.mjml",
        '<mj-attributes>\n  <mj-class name="legal" color="#ffffff" font-size="11px" />\n'
        "</mj-attributes>\n",
    )
    mailchecker.make_file(
        "emails/partials/footer.mjml",
        '<mj-section background-color="#ffffff"><mj-column><mj-text mj-class="legal">'
        'Plaids & Co SAS, 2 rue Nationale, 59000 Lille. <a href="{{ unsubscribe_url }}" '
        'style="color:inherit">Se désinscrire</a></mj-text></mj-column></mj-section>\n',
    )
    mailchecker.make_file(
        "emails/hiver.mjml",
        MJML.format(
            head='<mj-include path="./partials/styles.mjml" />',
            body="",
            section="",
            footer="",
        ).replace("  </mj-body>", '    <mj-include path="./partials/footer.mjml" />\n  </mj-body>'),
    )
    run = mailchecker.run("emails/hiver.mjml", "--select", "MC101,MC102")
    assert [(f["code"], f["severity"]) for f in run.findings] == [("MC102", "error")]
    assert "partials/footer.mjml" in run.findings[0]["message"]
