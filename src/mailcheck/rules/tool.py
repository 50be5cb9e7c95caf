"""MC9xx: the tool's own diagnostics, registered like any other rule."""

from __future__ import annotations

from mailcheck import hookimpl
from mailcheck.documents import Kind
from mailcheck.findings import Severity
from mailcheck.rule import Rule

ALL_KINDS = frozenset(Kind)


class FileUnreadable(Rule):
    """## What it does
    Reports a file that could not be read: unknown encoding, broken CSV, a ZIP that is
    corrupt, too large once unpacked (a ZIP bomb) or holds a path escaping the archive, a
    file that is not HTML or not an e-mail message.

    ## Why it matters
    A file mailcheck cannot read is a file nobody checked: a send list that fails here may
    still be imported by the provider, with every problem it holds. GDPR art. 5(2)
    (accountability) asks the sender to be able to show the list was checked.

    ## Example
    A contact export saved as UTF-16 by an old spreadsheet, or a `.zip` whose member is
    named `../../etc/passwd`.

    ## Fix
    Re-export the file from the provider (UTF-8 CSV), or save it from the spreadsheet as
    "CSV UTF-8". For an archive, re-download it from the provider.
    """

    code = "MC900"
    name = "file-unreadable"
    severity = Severity.ERROR
    kinds = ALL_KINDS
    reference = "GDPR art. 5(2) (accountability)"
    fix = "Re-export the file (UTF-8 CSV or valid HTML/.eml) and lint it again."


class SuppressionProblem(Rule):
    """## What it does
    Reports a `<!-- mailcheck: ... -->` suppression comment that is malformed, names an
    unknown rule code, or silenced nothing.

    ## Why it matters
    Suppressions are a record of a decision ("this footer link is injected by the ESP").
    A suppression that no longer silences anything, or that names a code that does not
    exist, hides future problems and misleads the next reader; GDPR art. 5(2)
    (accountability) expects such decisions to stay accurate.

    ## Example
    ```html
    <!-- mailcheck: ignore MC999 -- typo in the code -->
    <p>Hello</p>
    ```

    ## Fix
    Correct the code, or delete the comment when the problem it silenced is gone.
    Syntax: `ignore CODES -- reason`, `disable CODES` ... `enable CODES`,
    `ignore-file CODES`.
    """

    code = "MC901"
    name = "bad-suppression"
    severity = Severity.WARNING
    kinds = ALL_KINDS
    reference = "GDPR art. 5(2) (accountability)"
    fix = "Correct the rule code or remove the suppression comment."


class RuleCrashed(Rule):
    """## What it does
    Reports that a rule failed with an internal error on a file. The other rules and
    files are still checked.

    ## Why it matters
    The failed rule's checks did not run on that file, so its problems may be missing
    from the report (GDPR art. 5(2), accountability: know what was and was not checked).

    ## Example
    A plugin rule that raises on an unexpected column type.

    ## Fix
    Report the message to the rule's authors (`mailcheck rules` shows its origin); until
    then, review that file by hand for the failed rule.
    """

    code = "MC902"
    name = "rule-crashed"
    severity = Severity.ERROR
    kinds = ALL_KINDS
    reference = "GDPR art. 5(2) (accountability)"
    fix = "Report this to the rule's plugin authors (see `mailcheck rules`)."


@hookimpl
def mailcheck_rules() -> list[type[Rule]]:
    return [FileUnreadable, SuppressionProblem, RuleCrashed]
