"""MC304 mandatory-marketing-consent: a marketing box the form cannot be sent without."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck.analysis.forms.builder import analyse
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.rule import Rule

_EXTRA = {"partners", "profiling"}


class MandatoryMarketingConsent(Rule):
    """## What it does
    Finds a marketing consent control marked `required` (or `aria-required="true"`,
    `data-required`, `data-val-required`) on a form whose main purpose is something
    else: an order, an account, a contest, a download, a quote, a contact request. On a
    newsletter-only form a required newsletter box is redundant but harmless and is not
    reported, unless it also makes partners or profiling a condition of subscribing.

    ## Why it matters
    Consent is not freely given when a service or contract is made conditional on it
    (GDPR art. 7(4), recital 43; EDPB Guidelines 05/2020 §3.1.2). In Planet49 taking part
    in the lottery required ticking the sponsors' box, the fact pattern regulators cite.

    ## Example
    ```html
    <form action="/commande">
      <label><input type="checkbox" name="newsletter" required>
        Je souhaite recevoir la newsletter</label>
      <button>Payer</button>
    </form>
    ```

    ## Fix
    Remove `required` from marketing boxes; only the terms box may be required.
    """

    code = "MC304"
    name = "mandatory-marketing-consent"
    severity = Severity.ERROR
    kinds = frozenset({Kind.FORM})
    reference = "GDPR art. 7(4), recital 43; EDPB 05/2020 §3.1.2"
    fix = "Remove `required` from the marketing consent control: the form must work without it."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        page = analyse(doc, ctx)  # type: ignore[arg-type]
        for control in page.controls:
            if control.role != "consent" or not control.marketing or not control.required:
                continue
            if control.kind not in ("checkbox", "toggle"):
                continue  # a required Yes/No radio or select still lets the user say no
            form = control.form
            if form is None:
                continue
            if form.kind == "newsletter" and not (_EXTRA & control.match.purposes.keys()):
                continue
            if form.kind != "newsletter":
                message = t(
                    "the form cannot be sent without ticking {control}, a marketing consent "
                    "({form}: {evidence}): consent made a condition is not freely given",
                    control=control.describe(),
                    form=form.described,
                    evidence=form.evidence,
                )
            else:
                message = t(
                    "the newsletter cannot be subscribed to without ticking {control}, which "
                    "covers partners or profiling: consent made a condition is not freely given",
                    control=control.describe(),
                )
            yield self.finding(
                doc,
                message,
                line=control.line,
                column=control.column,
                data={"label": control.decided_by, "form": form.kind},
            )
