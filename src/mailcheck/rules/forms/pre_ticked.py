"""MC301 pre-ticked-consent: a consent box, radio, option or toggle selected by default."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck.analysis.forms.builder import analyse
from mailcheck.analysis.forms.page import Control
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.i18n_extract import N_
from mailcheck.rule import Rule

#: What a preset consent control is, by kind.
_PRESET = {
    "checkbox": N_(
        "consent {control} is ticked in advance ({state}): a box the person has to untick "
        "is not consent"
    ),
    "radio": N_(
        "consent {control} is selected by default ({state}): a choice the person has to "
        "undo is not consent"
    ),
    "select": N_(
        "consent {control} is set to {state}: a choice the person has to undo is not consent"
    ),
    "toggle": N_(
        "consent {control} is switched on by default ({state}): a choice the person has to "
        "undo is not consent"
    ),
}


def preset(control: Control) -> bool | None:
    """True when the control starts in the "consent given" position, ``None`` when a
    template decides (cannot tell statically), False otherwise."""
    if control.role != "consent" or control.state == "off":
        return False
    if control.kind == "select" and control.state == "on" and control.answer != "yes":
        return False
    if control.kind == "radio" and control.answer == "no":
        return False
    return None if control.state == "dynamic" else True


class PreTickedConsent(Rule):
    """## What it does
    Finds consent controls that are already in the "yes" position when the page loads:
    a checkbox with `checked` (or `defaultChecked`, `:checked="true"`), a "Yes" radio
    selected by default, a select whose default option is "Yes", a toggle switch
    (`role="switch"`) with `aria-checked="true"`, a box the page's script ticks when it
    loads (`getElementById("c").checked = true`, jQuery's `.prop("checked", true)`). A
    control is a consent control when its
    label (`<label for>`, wrapping label, `aria-label`, nearby text, `name`) names a
    marketing purpose or uses consent wording ("J'accepte de recevoir...", "Ich willige
    ein..."); "remember me", "same as billing address" and terms-only boxes are ignored.
    When `checked` depends on a template condition (Jinja, Twig, Liquid) the rule reports
    at info level that it cannot tell statically.

    ## Why it matters
    Consent needs a clear affirmative act: "silence, pre-ticked boxes or inactivity
    should not constitute consent" (GDPR art. 4(11) and recital 32). The CJEU held in
    Planet49 (C-673/17, 1 Oct 2019) that a pre-ticked box the user must untick is not
    valid consent; EDPB Guidelines 05/2020 §3.4; the CNIL calls a pre-ticked box
    "contraire à la loi". Mailbox providers (Yahoo, Google) forbid pre-checked opt-ins.

    ## Example
    ```html
    <label><input type="checkbox" name="partners" checked>
      J'accepte de recevoir les offres de nos partenaires</label>
    ```

    ## Fix
    Remove `checked` so the box starts unticked (`<input type="checkbox" name="partners">`);
    for radios and selects, select nothing or "No" by default. If the page is re-displayed
    after a validation error, tick the box only from the user's own submitted choice.
    """

    code = "MC301"
    name = "pre-ticked-consent"
    severity = Severity.ERROR
    kinds = frozenset({Kind.FORM})
    reference = "GDPR art. 4(11), recital 32; CJEU C-673/17 Planet49; EDPB 05/2020 §3.4; CNIL"
    fix = (
        "Leave consent boxes unticked by default: remove `checked` / `selected` / "
        '`aria-checked="true"`.'
    )

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        page = analyse(doc, ctx)  # type: ignore[arg-type]
        for control in page.controls:
            if not control.visible:
                continue  # hidden preset consent is MC305
            state = preset(control)
            if state is False:
                continue
            what = control.describe()
            if state is None:
                yield self.finding(
                    doc,
                    t(
                        "consent {control} is ticked by a template condition ({state}): "
                        "the file alone does not tell whether it starts ticked",
                        control=what,
                        state=control.state_detail,
                    ),
                    line=control.line,
                    column=control.column,
                    severity=Severity.INFO,
                    fix=N_(
                        "Render the box unticked unless it repeats the user's own earlier choice."
                    ),
                    data={"label": control.decided_by, "state": "dynamic"},
                )
                continue
            if control.form is not None and control.form.kind == "preferences":
                yield self.finding(
                    doc,
                    t(
                        "consent {control} is ticked in a preference centre ({evidence}): "
                        "fine if it shows the subscriber's own saved choice, not if it is "
                        "ticked for everyone",
                        control=what,
                        evidence=control.form.evidence,
                    ),
                    line=control.line,
                    column=control.column,
                    severity=Severity.INFO,
                    data={"label": control.decided_by, "state": str(control.state_detail)},
                )
                continue
            message = _PRESET[control.kind]
            yield self.finding(
                doc,
                t(message, control=what, state=control.state_detail),
                line=control.line,
                column=control.column,
                data={"label": control.decided_by, "state": str(control.state_detail)},
            )
