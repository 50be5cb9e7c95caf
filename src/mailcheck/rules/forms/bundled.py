"""MC302 bundled-purposes: one consent control for several purposes or channels."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck.analysis.forms.builder import analyse
from mailcheck.analysis.forms.page import Control
from mailcheck.analysis.forms.text import original
from mailcheck.analysis.forms.wording import PURPOSE_NAMES
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.rule import Option, Rule

LAW = "GDPR art. 7(2), recitals 32 and 43, EDPB 05/2020 §3.1.3"


def bundling(control: Control, split_newsletter_offers: bool) -> tuple[str, str] | None:
    """``(severity, description)`` when the control bundles purposes, else ``None``.

    Error when partners/third parties or profiling ride along with another purpose;
    warning for several channels (e-mail + SMS) or newsletter + own offers.
    """
    purposes = control.match.purposes
    channels = control.match.channels
    text = control.decided_by or control.label
    named = ", ".join(
        f'{PURPOSE_NAMES[p]} ("{original(text, term)}")' for p, term in purposes.items()
    )
    if len(purposes) >= 2 and ({"partners", "profiling"} & purposes.keys()):
        return "error", f"bundles {named} in one consent"
    if len(channels) >= 2 and (purposes or control.match.consent):
        listed = " and ".join(f'{c} ("{original(text, term)}")' for c, term in channels.items())
        return "warning", f"bundles the channels {listed} in one consent"
    if split_newsletter_offers and {"newsletter", "offers"} <= purposes.keys():
        return "warning", f"bundles {named} in one consent"
    return None


class BundledPurposes(Rule):
    """## What it does
    Finds a single consent control (checkbox, radio, select, toggle) whose label covers
    several purposes: newsletter, the sender's own offers, partners / third parties,
    profiling; or several channels (e-mail, SMS, phone, post, push). "Offers from our
    partners" is one purpose; "our offers and those of our partners" is two.
    Severity: error when partners/third parties or profiling are bundled with another
    purpose; warning for channel bundling (e-mail + SMS) and for newsletter + own offers
    (the founders' position, stricter than some regulators: turn it off with
    `[rules.MC302] newsletter-offers = false`).

    ## Why it matters
    Consent must be specific: "when the processing has multiple purposes, consent should
    be given for all of them" (GDPR recital 32) and a request that does not allow
    separate consent for different operations is presumed not freely given (recital 43,
    art. 7(2)). EDPB Guidelines 05/2020 §3.1.3 (granularity, example 7); the ICO asks
    for separate consent per channel (e-mail vs text); CNIL: partner consent is separate.

    ## Example
    ```html
    <label><input type="checkbox" name="optin">
      Je souhaite recevoir la newsletter et les offres de nos partenaires</label>
    ```

    ## Fix
    One box per purpose (and per channel), each unticked:
    ```html
    <label><input type="checkbox" name="newsletter"> Recevoir la newsletter</label>
    <label><input type="checkbox" name="partners"> Recevoir les offres de nos partenaires</label>
    ```
    """

    code = "MC302"
    name = "bundled-purposes"
    severity = Severity.ERROR
    kinds = frozenset({Kind.FORM})
    reference = "GDPR art. 6(1)(a), 7(2), recitals 32 and 43; EDPB 05/2020 §3.1.3; ICO; CNIL"
    fix = (
        "Split the control: one unticked box per purpose (newsletter, offers, partners, "
        "profiling) and per channel."
    )
    options = {
        "newsletter-offers": Option(
            True, bool, "treat newsletter + own offers in one box as bundling (warning)"
        )
    }

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Finding]:
        page = analyse(doc, ctx)  # type: ignore[arg-type]
        for control in page.controls:
            if control.role != "consent" or not control.visible:
                continue
            verdict = bundling(control, self.settings["newsletter-offers"])
            if verdict is None:
                continue
            level, description = verdict
            yield self.finding(
                doc,
                f"consent {control.describe()} {description} ({LAW})",
                line=control.line,
                column=control.column,
                severity=Severity.ERROR if level == "error" else Severity.WARNING,
                data={
                    "label": control.decided_by,
                    "purposes": sorted(control.match.purposes),
                    "channels": sorted(control.match.channels),
                },
            )
