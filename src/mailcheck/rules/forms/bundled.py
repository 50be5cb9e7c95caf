"""MC302 bundled-purposes: one consent control for several purposes or channels."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck.analysis.forms.builder import analyse
from mailcheck.analysis.forms.page import Control
from mailcheck.analysis.forms.text import original
from mailcheck.analysis.forms.wording import CHANNEL_NAMES, PURPOSE_NAMES, listing
from mailcheck.context import LintContext
from mailcheck.documents import Document, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import Text, t
from mailcheck.rule import Option, Rule


def bundling(control: Control, split_newsletter_offers: bool) -> tuple[str, Text] | None:
    """``(severity, description)`` when the control bundles purposes, else ``None``.

    Error when partners/third parties or profiling ride along with another purpose;
    warning for several channels (e-mail + SMS) or newsletter + own offers.
    """
    purposes = control.match.purposes
    channels = control.match.channels
    text = control.decided_by or control.label
    named = listing(
        [
            t('{what} ("{words}")', what=PURPOSE_NAMES[p], words=original(text, term))
            for p, term in purposes.items()
        ]
    )
    several = t(
        "one consent for several purposes: {control} covers {purposes}",
        control=control.describe(),
        purposes=named,
    )
    if len(purposes) >= 2 and ({"partners", "profiling"} & purposes.keys()):
        return "error", several
    if len(channels) >= 2 and (purposes or control.match.consent):
        listed = listing(
            [
                t('{what} ("{words}")', what=CHANNEL_NAMES.get(c, c), words=original(text, term))
                for c, term in channels.items()
            ]
        )
        return "warning", t(
            "one consent for several channels: {control} covers {channels}",
            control=control.describe(),
            channels=listed,
        )
    if split_newsletter_offers and {"newsletter", "offers"} <= purposes.keys():
        return "warning", several
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
            level, message = verdict
            yield self.finding(
                doc,
                message,
                line=control.line,
                column=control.column,
                severity=Severity.ERROR if level == "error" else Severity.WARNING,
                data={
                    "label": control.decided_by,
                    "purposes": sorted(control.match.purposes),
                    "channels": sorted(control.match.channels),
                },
            )
