"""GO / NO-GO: the template and the sender linted, the audience judged, one answer.

The campaign is **NO-GO** when sending it as given would be unlawful or break the
mailbox providers' rules: an error in the template or message (no unsubscribe link, no
sender identity ...), a no-reply sender, or any audience contact that may not receive
it. When the only blocking reason is that some contacts may not receive it, the answer
says so plainly: *GO with the send list* (``--send-list`` writes it; a campaign whose
audience is that list is GO). Warnings (the template's, what a list lacks to be judged
fully) never block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.utils import parseaddr

from mailcheck.campaign.eligibility import Eligibility, judge
from mailcheck.campaign.manifest import Manifest
from mailcheck.engine import Linter
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import Text, t
from mailcheck.rules.contacts.addresses import noreply_pattern

GO = "GO"
NO_GO = "NO-GO"


@dataclass
class Verdict:
    """The answer for one campaign."""

    manifest: Manifest
    eligibility: Eligibility
    #: What makes the campaign unlawful as given, most serious first.
    blocking: list[Text] = field(default_factory=list)
    warnings: list[Text] = field(default_factory=list)
    #: The template's (or message's) findings, masked as the reports show them.
    findings: list[Finding] = field(default_factory=list)

    @property
    def decision(self) -> str:
        return NO_GO if self.blocking or not self.eligibility.eligible else GO

    @property
    def go_with_send_list(self) -> bool:
        """Only contacts that may not receive it block: sending to the send list is GO."""
        return (
            self.decision == NO_GO and not self.template_blocking and self.eligibility.eligible > 0
        )

    #: Blocking reasons that no send list removes (template, sender).
    template_blocking: list[Text] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.eligibility.total

    @property
    def eligible(self) -> int:
        return self.eligibility.eligible

    @property
    def excluded(self) -> int:
        return self.total - self.eligible

    @property
    def sendable(self) -> int:
        """The contacts the send list keeps: those that may receive it, each address once."""
        return self.eligible - self.eligibility.repeated


def decide(linter: Linter, manifest: Manifest) -> Verdict:
    """Lint the template, check the sender, judge the audience: the campaign's verdict.
    ``linter`` is configured for the campaign (send date as today, profile, provider)."""
    eligibility = judge(linter.context, manifest)
    verdict = Verdict(manifest=manifest, eligibility=eligibility)
    _template(linter, manifest, verdict)
    _sender(linter, manifest, verdict)
    verdict.warnings.extend(eligibility.gaps)
    if eligibility.repeated:
        verdict.warnings.append(
            t(
                "contacts at an address already in the audience: {count}; sent as given, "
                "they would receive this campaign twice (the send list keeps each address "
                "once)",
                count=eligibility.repeated,
            )
        )
    if verdict.excluded:
        verdict.blocking.append(
            t(
                "{count} of {total} contacts may not receive this campaign",
                count=verdict.excluded,
                total=verdict.total,
            )
        )
    if not verdict.eligible:
        verdict.blocking.append(t("no contact of the audience may receive this campaign"))
    verdict.blocking = [*verdict.template_blocking, *verdict.blocking]
    return verdict


def _template(linter: Linter, manifest: Manifest, verdict: Verdict) -> None:
    """The template's errors block, its warnings warn; no template is a warning (a run
    never says passed about what it did not check)."""
    if manifest.template is None:
        verdict.warnings.append(
            t("no template or message in the manifest: the content was not checked")
        )
        return
    from mailcheck.session import masked_finding

    for batch in linter.lint_files([manifest.template]):
        for finding in batch:
            shown = masked_finding(finding)
            verdict.findings.append(shown)
            text = finding.text or finding.message
            line = t(
                "{path}:{line}: {code} {message}",
                path=finding.path,
                line=finding.line,
                code=finding.code,
                message=text,
            )
            if finding.severity >= Severity.ERROR:
                verdict.template_blocking.append(line)
            elif finding.severity >= Severity.WARNING:
                verdict.warnings.append(line)


def _sender(linter: Linter, manifest: Manifest, verdict: Verdict) -> None:
    """A no-reply From or Reply-To blocks (the recipient must be able to answer and
    object); no sender in the manifest is a warning."""
    if not manifest.sender and (manifest.template is None or manifest.template.suffix != ".eml"):
        verdict.warnings.append(t("no sender (from) in the manifest: the sender was not checked"))
    pattern = re.compile(noreply_pattern(linter.context))
    for key, value in (("from", manifest.sender), ("reply-to", manifest.reply_to)):
        address = parseaddr(value)[1].lower() if value else ""
        if value and "@" not in address:
            verdict.template_blocking.append(
                t("{key}: '{value}' is not an e-mail address", key=key, value=value)
            )
        elif address and pattern.search(address):
            verdict.template_blocking.append(
                t(
                    "{key}: {address} is a no-reply address: recipients must be able to "
                    "answer and to object",
                    key=key,
                    address=address,
                )
            )
