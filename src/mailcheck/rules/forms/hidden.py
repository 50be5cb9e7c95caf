"""MC305 hidden-preset-consent: consent answered "yes" in a field the user never sees."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck.analysis.forms.builder import analyse
from mailcheck.analysis.forms.page import Control
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import t
from mailcheck.keywords import fold
from mailcheck.rule import Rule

_EXTRA = {"partners", "profiling"}


def hidden_consent(control: Control, ctx: LintContext) -> str | None:
    """The consent word of a hidden input's name when its value says "yes"."""
    words = ctx.keywords
    field_word = words["consent_field_names"].search(control.names)
    if not field_word or words["field_name_exclusions"].search(control.names):
        return None
    if not words["answer_yes"].pattern.fullmatch(fold(control.label)):
        return None  # an id, a list name, an empty value: not a consent answer
    return field_word


class HiddenPresetConsent(Rule):
    """## What it does
    Finds consent recorded without the user's action: a hidden input named like
    `optin`, `newsletter`, `consent`, `marketing`, `partners`, `gdpr`, `rgpd` whose value
    is "yes" (`1`, `true`, `yes`, `on`, `oui`, `ja`, `sí`), or a consent checkbox that is
    ticked and hidden by CSS (`display:none`, `visibility:hidden`, `hidden`). Fields that
    carry a list id, a tag or a double opt-in switch are not consent and are skipped; on
    a newsletter-only form a hidden newsletter flag only records the subscription the
    user asked for and is skipped too (not when it presets partners or profiling).

    ## Why it matters
    Consent needs "a clear affirmative act" by the person (GDPR art. 4(11), recital 32);
    a value the user never saw is no act at all, and the controller cannot demonstrate
    consent (art. 7(1)). It is also the pattern behind "consent" columns that later
    fail an audit (CNIL SAN-2023-015, proof of consent).

    ## Example
    ```html
    <input type="hidden" name="optin_partenaires" value="1">
    ```

    ## Fix
    Replace the hidden field with a visible, unticked checkbox for that purpose.
    """

    code = "MC305"
    name = "hidden-preset-consent"
    severity = Severity.ERROR
    kinds = frozenset({Kind.FORM})
    reference = "GDPR art. 4(11), 7(1), recital 32"
    fix = "Replace the hidden consent value with a visible, unticked checkbox the user ticks."

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        page = analyse(doc, ctx)  # type: ignore[arg-type]
        for control in page.controls:
            form = control.form
            newsletter_form = form is not None and form.kind == "newsletter"
            if control.kind == "hidden":
                word = hidden_consent(control, ctx)
                if word is None:
                    continue
                if newsletter_form and not (_EXTRA & control.match.purposes.keys()):
                    continue
                name = control.tag.get("name") or control.tag.get("id")
                yield self.finding(
                    doc,
                    t(
                        'hidden input "{name}" ({state}) records a consent the person never gave',
                        name=name,
                        state=control.state_detail,
                    ),
                    line=control.line,
                    column=control.column,
                    data={"name": name, "value": control.label},
                )
            elif control.css_hidden and control.role == "consent" and control.state == "on":
                yield self.finding(
                    doc,
                    t(
                        "consent {control} is ticked and hidden by CSS: the person can neither "
                        "see nor untick it",
                        control=control.describe(),
                    ),
                    line=control.line,
                    column=control.column,
                    data={"label": control.decided_by},
                )
