"""mailcheck-example: one rule, EXA101 missing-lang, to show how a plugin is built."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck import Document, Finding, HtmlDocument, Kind, Rule, Severity, hookimpl


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
            yield self.finding(doc, "<html> has no lang attribute", line=line, column=column)


@hookimpl
def mailcheck_rules() -> list[type[Rule]]:
    return [MissingLang]
