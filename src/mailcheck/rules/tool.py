"""MC9xx: the tool's own diagnostics, registered like any other rule."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck import hookimpl
from mailcheck.documents import Kind
from mailcheck.findings import Finding, Severity
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


class RowWithExtraFields(Rule):
    """## What it does
    Reports, once per contact list, the rows that have more fields than the header, with
    the first lines where it happens. Such a row is read up to the header's width: its
    extra fields are ignored.

    ## Why it matters
    An extra field is almost always a delimiter inside a value that was not quoted
    (`Dupont; Jean` in a `;` file, `Paris, France` in a `,` file): every field after it
    is shifted, so the status, dates and consent of that row are read from the wrong
    columns -- by mailcheck, and by the provider that imports the file. Records must be
    accurate (GDPR art. 5(1)(d)), and a check on shifted columns proves nothing.

    ## Example
    Header `email;prenom;nom;statut`, row `jean@exemple.fr;Jean;Dupont; fils;abonné`.

    ## Fix
    Re-export the file from the provider, or save it from the spreadsheet as "CSV UTF-8":
    both quote values that hold the delimiter. Or correct the rows listed.
    """

    code = "MC903"
    name = "row-with-extra-fields"
    severity = Severity.WARNING
    kinds = frozenset({Kind.CONTACTS})
    reference = "GDPR art. 5(1)(d) (accuracy)"
    fix = "Quote the values that hold the delimiter (re-export, or save as CSV UTF-8)."

    def finish_file(self, doc, ctx) -> Iterator[Finding]:
        wide = doc.meta.get("wide_rows")
        if wide is None or not wide.count:
            return
        rows = f"{wide.count:,} row{'s' if wide.count > 1 else ''}"
        lines = ", ".join(str(line) for line in wide.first_lines)
        more = ", ..." if wide.count > len(wide.first_lines) else ""
        yield self.finding(
            doc,
            f"{rows} with more fields than the header ({wide.most_fields} instead of "
            f"{wide.header_fields}; line{'s' if wide.count > 1 else ''} {lines}{more}): a "
            "delimiter inside an unquoted value? The extra fields are ignored and the "
            "others may be shifted",
            line=wide.first_lines[0],
        )


class UnreadableDate(Rule):
    """## What it does
    Reports, once per date column of a contact list, the filled cells that are not a
    date mailcheck can read, with the count and the first lines and values. The rules
    judge those rows as if the cell were empty.

    ## Why it matters
    A date nobody can read proves nothing: an opt-in date that cannot be read does not
    demonstrate consent (GDPR art. 7(1)), and an activity date that cannot be read
    cannot show the contact is within the retention period (art. 5(1)(e)). So MC204 may
    say "no opt-in date" for a cell that holds text, and MC203 may miss an old contact:
    you need to know which cells were not understood.

    ## Example
    `Date d'inscription` holding `14 mars 2016` is read (month names are, in the
    languages mailcheck knows); `le 14/03` (no year) or `hier` is not.

    ## Fix
    Re-export the dates as `YYYY-MM-DD` or `DD/MM/YYYY`, correct the cells listed, or
    give the column's format under `[date-formats]` in the config
    (`consent_at = ["%d/%m/%Y %Hh%M"]`).
    """

    code = "MC904"
    name = "unreadable-date"
    severity = Severity.WARNING
    kinds = frozenset({Kind.CONTACTS})
    reference = "GDPR art. 5(1)(e), 7(1)"
    fix = "Write the dates as YYYY-MM-DD or DD/MM/YYYY, or set the format in [date-formats]."

    def finish_file(self, doc, ctx) -> Iterator[Finding]:
        unreadable = doc.meta.get("unreadable_dates")
        for column, unread in unreadable.columns.items() if unreadable else ():
            cells = f"{unread.count:,} cell{'s' if unread.count > 1 else ''}"
            examples = ", ".join(
                f"line {line}: {value!r}"
                for line, value in zip(unread.first_lines, unread.first_values, strict=True)
            )
            more = ", ..." if unread.count > len(unread.first_lines) else ""
            yield self.finding(
                doc,
                f"{cells} of column {unread.source!r} ({column}) not read as a date "
                f"({examples}{more}): judged as empty",
                line=unread.first_lines[0],
            )


@hookimpl
def mailcheck_rules() -> list[type[Rule]]:
    return [FileUnreadable, SuppressionProblem, RuleCrashed, RowWithExtraFields, UnreadableDate]
