"""mailcheck-example: one rule, EXA101 missing-lang, to show how a plugin is built.

Every text a user reads is written in English with ``t("...")`` (the message), or is the
rule's docstring, ``fix`` or option help; the French translations live in the plugin's
own catalogue, ``locale/fr/LC_MESSAGES/mailcheck_example.po``, which the
``mailcheck_catalogs`` hook hands to mailcheck (see docs/plugins.md, "Translations").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mailcheck import Document, Finding, HtmlDocument, Kind, Rule, Severity, hookimpl, t

#: The folder of this plugin's catalogues (``fr/LC_MESSAGES/mailcheck_example.po``),
#: shipped as package data (``[tool.setuptools.package-data]`` in pyproject.toml).
LOCALE = Path(__file__).parent / "locale"


class MissingLang(Rule):
    """## What it does
    Checks that an HTML e-mail template declares its language on the `<html>` element
    (`<html lang="fr">`).

    ## Why it matters
    Without `lang`, screen readers read the message with the reader's default voice, so
    a French newsletter is spelled out with English phonetics. Accessibility of
    e-commerce communications is required in the EU since 28 June 2025 by the European
    Accessibility Act (Directive (EU) 2019/882, art. 4 and annex I).

    ## Example
    ```html
    <html>
      <body><p>Bonjour !</p></body>
    </html>
    ```

    ## Fix
    Declare the language of the message:
    ```html
    <html lang="fr">
    ```
    """

    code = "EXA101"
    name = "missing-lang"
    severity = Severity.INFO
    kinds = frozenset({Kind.TEMPLATE})
    reference = "European Accessibility Act, Directive (EU) 2019/882"
    fix = 'Add the language to the <html> element, e.g. <html lang="fr">.'

    def check(self, doc: Document, ctx) -> Iterator[Finding]:
        if not isinstance(doc, HtmlDocument) or doc.soup is None:
            return
        html = doc.soup.find("html")
        if html is not None and not str(html.get("lang", "")).strip():
            line, column = doc.body.position(html)
            yield self.finding(
                doc,
                t(
                    "language not declared: screen readers may read this e-mail with the "
                    "wrong accent (<html> has no lang attribute)"
                ),
                line=line,
                column=column,
            )


@hookimpl
def mailcheck_rules() -> list[type[Rule]]:
    return [MissingLang]


@hookimpl
def mailcheck_catalogs() -> list[str]:
    return [str(LOCALE)]
