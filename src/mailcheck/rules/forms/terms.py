"""MC303 consent-bundled-with-terms: marketing consent inside the acceptance of terms,
or implied by submitting a form whose purpose is something else."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck.analysis.forms.builder import analyse
from mailcheck.analysis.forms.sentences import implied_consent
from mailcheck.analysis.forms.text import original, quote
from mailcheck.analysis.forms.wording import PURPOSE_NAMES, listing
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.i18n_extract import N_
from mailcheck.rule import Rule

_EXTRA = {"partners", "profiling"}


class ConsentBundledWithTerms(Rule):
    """## What it does
    Finds marketing consent that is not given on its own:
    * a control whose label accepts the terms and conditions (CGV, CGU, AGB ...) **and**
      marketing ("J'accepte les CGV et de recevoir les offres");
    * a required control that accepts the privacy policy and marketing together on a
      form whose purpose is not the newsletter;
    * a sentence that makes submitting the form the consent ("En validant votre commande,
      vous acceptez de recevoir nos offres", "By creating an account you agree to
      receive our marketing emails"), even beside a newsletter box; a sentence that is
      the label of a box, or sits in the box's own block, only explains that box.
    The first case is reported on every form, a newsletter signup included. A
    newsletter-only form where pressing "Subscribe" is the act of consent is not
    reported (nor its "I agree to receive the newsletter and the privacy policy" box),
    unless partners or profiling are added to the subscription.

    ## Why it matters
    The consent request must be "clearly distinguishable from the other matters" (GDPR
    art. 7(2)) and the performance of a contract must not depend on it (art. 7(4),
    recital 43). Conseil d'État, 11 March 2015, n° 368624: ticking the acceptance of
    general terms is not consent to prospecting; CNIL: consent cannot come from
    accepting CGU/CGV; ICO: "By submitting your order you agree to receive our
    marketing emails" is not valid consent.

    ## Example
    ```html
    <p>En validant votre commande, vous acceptez de recevoir nos offres par e-mail.</p>
    <button type="submit">Valider ma commande</button>
    ```

    ## Fix
    Ask separately, with an unticked box that is not required:
    ```html
    <label><input type="checkbox" name="cgv" required> J'accepte les CGV</label>
    <label><input type="checkbox" name="offers"> Je souhaite recevoir vos offres par e-mail</label>
    ```
    """

    code = "MC303"
    name = "consent-bundled-with-terms"
    severity = Severity.ERROR
    kinds = frozenset({Kind.FORM})
    reference = (
        "GDPR art. 7(2), 7(4), recital 43; Conseil d'État 11 March 2015 n° 368624; CNIL; ICO"
    )
    fix = (
        "Ask for marketing consent in its own optional, unticked box, separate from the "
        "terms and the submit button."
    )

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        page = analyse(doc, ctx)  # type: ignore[arg-type]
        for control in page.controls:
            if control.role != "consent" or not control.match.purposes or not control.visible:
                continue
            match = control.match
            form = control.form
            if match.terms:
                # Whatever the form: accepting a contract is never consent (a newsletter
                # form, or an account form without a password field, included).
                accepted = t(
                    'the terms ("{words}")', words=original(control.decided_by, match.terms)
                )
            elif (
                match.privacy
                and control.required
                and form is not None
                and (form.kind != "newsletter" or _EXTRA & match.purposes.keys())
            ):
                # A privacy-notice acknowledgement beside the newsletter on a
                # newsletter-only form is one purpose; anywhere else it is bundling.
                accepted = t(
                    'the privacy notice ("{words}")',
                    words=original(control.decided_by, match.privacy),
                )
            else:
                continue
            purposes = listing([PURPOSE_NAMES[p] for p in match.purposes])
            yield self.finding(
                doc,
                t(
                    "marketing consent mixed with {accepted}: {control} also covers {purposes}",
                    accepted=accepted,
                    control=control.describe(),
                    purposes=purposes,
                ),
                line=control.line,
                column=control.column,
                data={"label": control.decided_by},
            )
        for sentence in implied_consent(page, ctx):
            form = sentence.form
            purposes = sentence.purposes
            if form.kind == "newsletter" and not (_EXTRA & purposes.keys()):
                continue  # subscribing is the consent to the newsletter itself
            if any(_describes(sentence.tag, c) for c in form.marketing_controls):
                continue  # the sentence is the label of a box that asks for it
            line, column = page.position(sentence.tag)
            named = listing(
                [
                    t('{what} ("{words}")', what=PURPOSE_NAMES[p], words=original(sentence.text, w))
                    for p, w in purposes.items()
                ]
            )
            where = form.described if form.kind != "other" else t("this form")
            yield self.finding(
                doc,
                t(
                    'sending {form} counts as agreeing to marketing: "{sentence}" '
                    "(covers {purposes})",
                    form=where,
                    sentence=quote(sentence.text, 120),
                    purposes=named,
                ),
                line=line,
                column=column,
                fix=N_("Replace the sentence with a separate, optional, unticked box per purpose."),
                data={
                    "label": sentence.text,
                    "trigger": sentence.trigger,
                    "purposes": sorted(purposes),
                },
            )


def _describes(element, control) -> bool:
    """True when the sentence sits with a consent box (in its label or in the same
    block): it explains the box instead of replacing it."""
    if control.role != "consent":
        return False
    if element in control.tag.parents:
        return True
    if element.parent is control.tag.parent and element.parent.name != "form":
        return True  # <div><input> <small>By ticking this box ...</small></div>
    label = control.tag.find_parent("label")
    return label is not None and (label is element or label in element.descendants)
