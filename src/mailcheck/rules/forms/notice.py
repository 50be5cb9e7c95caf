"""MC307 collection-notice-missing: a marketing signup with no privacy information."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck.analysis.forms.builder import analyse
from mailcheck.analysis.forms.page import FormInfo, FormPage
from mailcheck.analysis.forms.wording import categorise
from mailcheck.analysis.patterns import substring_pattern
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.keywords import fold
from mailcheck.rule import Rule


def notice_found(page: FormPage, ctx: LintContext) -> str | None:
    """What on the page informs the person (a privacy link, "unsubscribe at any time")."""
    privacy_url = substring_pattern(ctx.keywords["privacy_url"].terms, ignore_case=True)
    for anchor in page.doc.soup.find_all("a"):
        href = str(anchor.get("href", ""))
        if privacy_url.search(href):
            return f'link "{href}"'
    text = page.folded_text
    for list_name in ("collection_notice", "withdrawal", "unsubscribe", "rights_notice"):
        if list_name in ctx.keywords:
            hit = ctx.keywords[list_name].search_folded(text)
            if hit:
                return f'"{hit}"'
    return None


def purpose_wording(page: FormPage, form: FormInfo, ctx: LintContext) -> str | None:
    """A purpose named in the form or the heading just above it ("Inscrivez-vous à notre
    newsletter"): the catalogue counts it as information given at collection."""
    parts = [page.doc.soup.get_text(" ") if form.tag is None else form.tag.get_text(" ")]
    if form.tag is not None:
        previous = form.tag.find_previous(["h1", "h2", "h3", "h4", "p"])
        if previous is not None:
            parts.append(previous.get_text(" "))
    purposes, _channels = categorise(fold(" ".join(parts)), ctx)
    return next(iter(purposes.values()), None)


class CollectionNoticeMissing(Rule):
    """## What it does
    Reports a form that collects an e-mail address for marketing (a newsletter signup, or
    a form with a marketing consent box) that tells the person nothing: no link to a
    privacy notice, no privacy / personal-data wording, no statement that they can
    unsubscribe or withdraw consent at any time, and no purpose named in the form or its
    heading ("newsletter", "offres", "Angebote" ...). The whole file is searched for the
    notice, so one in the page footer counts; a notice loaded by JavaScript or shown in a
    modal cannot be seen. The controller's name cannot be told from markup and is not
    checked.

    ## Why it matters
    Information must be given at collection: controller, purposes, right to withdraw
    (GDPR art. 13(1)(a),(c) and 13(2)(c); art. 7(3): "prior to giving consent, the data
    subject shall be informed" of withdrawal; art. 21(4) for the right to object). The
    CNIL asks for this information on every collection form; the customer exception
    (CPCE L34-5 al. 4) also requires information at collection.

    ## Example
    ```html
    <form action="/subscribe"><input type="email" name="email">
      <button>Je m'inscris</button></form>
    ```

    ## Fix
    Add, under the button: "Vos données sont utilisées par Acme pour vous envoyer la
    newsletter. Vous pouvez vous désinscrire à tout moment. <a href="/confidentialite">
    Politique de confidentialité</a>".
    """

    code = "MC307"
    name = "collection-notice-missing"
    severity = Severity.WARNING
    kinds = frozenset({Kind.FORM})
    reference = "GDPR art. 13(1)-(2), 7(3), 21(4); CNIL; CPCE L34-5 al. 4"
    fix = (
        "Add a short notice under the form: who collects, for what, 'unsubscribe at any "
        "time', and a privacy-policy link."
    )

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        page = analyse(doc, ctx)  # type: ignore[arg-type]
        forms = [form for form in page.forms if form.is_marketing]
        if not forms or notice_found(page, ctx):
            return
        for form in forms:
            if purpose_wording(page, form, ctx):
                continue
            if form.kind == "newsletter":
                message = t(
                    "newsletter signup form collects an e-mail address without saying what "
                    'for: no purpose, no link to a privacy notice, no "unsubscribe at any time"'
                )
            else:
                message = t(
                    "{form} with a marketing consent box collects an e-mail address without "
                    'saying what for: no purpose, no link to a privacy notice, no "unsubscribe '
                    'at any time"',
                    form=form.described,
                )
            tag = form.tag
            if tag is None:
                email = next((c for c in form.controls), None)
                line, column = (email.line, email.column) if email else (form.line, form.column)
            else:
                line, column = page.position(tag)
            yield self.finding(
                doc,
                message,
                line=line,
                column=column,
                data={"form": form.kind},
            )
