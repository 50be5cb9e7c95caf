"""MC306 opt-out-wording: "tick if you do NOT want...", where silence means yes."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck.analysis.forms.builder import analyse
from mailcheck.analysis.forms.text import original
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.rule import Rule


class OptOutWording(Rule):
    """## What it does
    Finds consent controls worded negatively, so that doing nothing means "yes": "Cochez
    cette case si vous ne souhaitez pas recevoir nos offres", "I do not wish to receive
    marketing emails", "Ich möchte keine Werbung erhalten". Warning on signup forms;
    info on checkout and account forms, where an objection box at collection is what the
    existing-customer exception requires (check that the offers are your own, similar
    products).

    ## Why it matters
    Inactivity is not consent (GDPR art. 4(11), recital 32; EDPB Guidelines 05/2020
    §3.4), so an opt-out box cannot collect prospects' consent. For existing customers
    (ePrivacy art. 13(2), CPCE L34-5 al. 4, PECR reg. 22(3)) an opt-out at collection is
    lawful, for the sender's own similar products only.

    ## Example
    ```html
    <label><input type="checkbox" name="no_offers">
      Cochez cette case si vous ne souhaitez pas recevoir nos offres</label>
    ```

    ## Fix
    Ask positively with an unticked box: "Je souhaite recevoir vos offres par e-mail".
    """

    code = "MC306"
    name = "opt-out-wording"
    severity = Severity.WARNING
    kinds = frozenset({Kind.FORM})
    reference = "GDPR art. 4(11), recital 32; EDPB 05/2020 §3.4; ePrivacy art. 13(2); CPCE L34-5"
    fix = 'Word the box as an opt-in the user ticks: "I want to receive ...", unticked by default.'

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        page = analyse(doc, ctx)  # type: ignore[arg-type]
        for control in page.controls:
            if control.role != "opt-out" or not control.visible:
                continue
            if control.kind not in ("checkbox", "toggle"):
                continue  # a "No" radio or option is an explicit choice, not opt-out wording
                continue
            form = control.form
            customers = form is not None and form.customer_form
            words = original(control.decided_by, control.match.opt_out or "")
            if customers:
                message = t(
                    'opt-out wording in {control} ("{words}"): on {form} this is the '
                    "objection box of the existing-customer exception: fine for your own "
                    "similar products only",
                    control=control.describe(),
                    words=words,
                    form=form.described,
                )
            else:
                message = t(
                    'opt-out wording in {control} ("{words}"): leaving it unticked is taken '
                    "as consent",
                    control=control.describe(),
                    words=words,
                )
            yield self.finding(
                doc,
                message,
                line=control.line,
                column=control.column,
                severity=Severity.INFO if customers else Severity.WARNING,
                data={"label": control.decided_by, "form": form.kind if form else None},
            )
