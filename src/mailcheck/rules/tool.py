"""MC9xx: the tool's own diagnostics, registered like any other rule."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck import hookimpl
from mailcheck.documents import Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import Text, t
from mailcheck.keywords import fold
from mailcheck.rule import Rule
from mailcheck.rules.contacts.common import header_line

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
        wide = doc.read_report.wide_rows
        if wide is None or not wide.count:
            return
        lines = ", ".join(str(line) for line in wide.first_lines)
        more = ", ..." if wide.count > len(wide.first_lines) else ""
        params = {
            "count": wide.count,
            "fields": wide.most_fields,
            "header": wide.header_fields,
            "lines": lines + more,
        }
        yield self.finding(
            doc,
            t(
                "{count} row with more fields than the header ({fields} instead of {header}; "
                "line {lines}): a delimiter inside an unquoted value? The extra fields are "
                "ignored and the others may be shifted",
                **params,
            )
            if wide.count == 1
            else t(
                "{count} rows with more fields than the header ({fields} instead of "
                "{header}; lines {lines}): a delimiter inside an unquoted value? The extra "
                "fields are ignored and the others may be shifted",
                **params,
            ),
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
        unreadable = doc.read_report.unreadable_dates
        for column, unread in unreadable.columns.items() if unreadable else ():
            examples = [
                t("line {line}: {value}", line=str(line), value=repr(value))
                for line, value in zip(unread.first_lines, unread.first_values, strict=True)
            ]
            more = [", ..."] if unread.count > len(unread.first_lines) else []
            params = {
                "count": unread.count,
                "column": repr(unread.source),
                "canonical": column,
                "examples": _Joined(examples, more),
            }
            yield self.finding(
                doc,
                t(
                    "{count} cell of column {column} ({canonical}) not read as a date "
                    "({examples}): judged as empty",
                    **params,
                )
                if unread.count == 1
                else t(
                    "{count} cells of column {column} ({canonical}) not read as a date "
                    "({examples}): judged as empty",
                    **params,
                ),
                line=unread.first_lines[0],
            )


class UnclosedQuote(Rule):
    """## What it does
    Reports, once per contact list, a quoted field that never closes: a `"` opening a
    value with no closing quote, so that the lines after it would be read as that one
    value instead of as contacts. It names the line where the quote opens and how many
    lines it would swallow (up to the next quote in the file, or its end). mailcheck
    reads that line with the quote taken literally and the lines after it as rows, so
    they are checked.

    ## Why it matters
    A CSV reader -- the provider's import as much as a linter -- takes everything up to
    the next quote as one value: one contact with a huge name, and thousands of
    contacts silently missing from the import, or from the check. A record that drops
    contacts is not accurate (GDPR art. 5(1)(d)), and unsubscribed people among the
    swallowed rows are neither checked nor suppressed.

    ## Example
    ```
    Adresse e-mail;Prénom;Nom;Date d'inscription;Statut
    "marie.dupont@exemple.fr;Marie;Dupont;2024-01-05;abonné
    jean.martin@exemple.fr;Jean;Martin;2015-03-01;désabonné
    ```
    Line 2 opens a quote that never closes: line 3 and every line after it would be
    part of Marie's address.

    ## Fix
    Remove the stray `"` on the line named (or close it), or re-export the file from the
    provider or save it from the spreadsheet as "CSV UTF-8", which quotes values
    properly.
    """

    code = "MC905"
    name = "unclosed-quote"
    severity = Severity.WARNING
    kinds = frozenset({Kind.CONTACTS})
    reference = "GDPR art. 5(1)(d) (accuracy)"
    fix = "Remove or close the stray quote on the line named, or re-export as CSV UTF-8."

    def finish_file(self, doc, ctx) -> Iterator[Finding]:
        runaway = doc.read_report.runaway_quotes
        if runaway is None:
            return
        count = runaway.swallowed
        last = runaway.line + count
        span = (
            t("line {line}", line=last)
            if count == 1
            else t("lines {first} to {last}", first=runaway.line + 1, last=last)
        )
        if not runaway.closed:
            span = t("{lines} (the end of the file)", lines=span)
        more = runaway.count - 1
        later = ""
        if more == 1:
            later = t(" ({count} more such quote later)", count=more)
        elif more > 1:
            later = t(" ({count} more such quotes later)", count=more)
        params = {"line": runaway.line, "span": span, "count": count, "later": later}
        yield self.finding(
            doc,
            t(
                "a quote opened on line {line} never closes: {span} would be read as one "
                "field of that row, not as {count} contact; mailcheck read them as rows, the "
                "quote taken literally{later}",
                **params,
            )
            if count == 1
            else t(
                "a quote opened on line {line} never closes: {span} would be read as one "
                "field of that row, not as {count} contacts; mailcheck read them as rows, "
                "the quote taken literally{later}",
                **params,
            ),
            line=runaway.line,
        )


class MissingHeaderRow(Rule):
    """## What it does
    Reports a contact list whose first line is a contact, not a header row (one of its
    cells is an e-mail address, none is a column name). mailcheck then reads every line
    as a contact and finds the columns by their values: the addresses, and a status when
    every value of a column is a status word. The other columns (dates, names) are not
    read: without a header, an opt-in date cannot be told from a birth date.

    ## Why it matters
    Without the header, the first contact would be taken for column names and never
    checked, and the consent and retention rules have no dates to judge: the list can
    look clean because nothing could be checked. GDPR art. 5(2) (accountability) and
    7(1) ask the sender to be able to show consent for each contact, which needs
    columns that say what they hold.

    ## Example
    ```
    jean.martin@exemple.fr;Jean;Martin;2015-03-01;abonné
    marie.dupont@exemple.fr;Marie;Dupont;2024-01-05;désabonné
    ```

    ## Fix
    Export the list again with its header row (`Adresse e-mail;Prénom;Nom;Date
    d'inscription;Statut`), or name its columns in the config:
    `[columns] consent_at = "column 4"`.
    """

    code = "MC906"
    name = "missing-header-row"
    severity = Severity.WARNING
    kinds = frozenset({Kind.CONTACTS})
    reference = "GDPR art. 5(2) (accountability), 7(1)"
    fix = 'Add the header row, or name the columns in [columns] (consent_at = "column 4").'

    def finish_file(self, doc, ctx) -> Iterator[Finding]:
        headerless = doc.headerless
        if headerless is None:
            return
        found = [
            t("{name} in {column}", name=name, column=doc.columns[name])
            for name in headerless.found
        ]
        mapped = set(doc.columns.values())
        unread = [name for name in doc.header if name not in mapped]
        rest = (
            t(
                "; {columns} not read (their meaning is unknown without a header)",
                columns=", ".join(unread),
            )
            if unread
            else ""
        )
        yield self.finding(
            doc,
            t(
                "no header row: line {line} is a contact, so every line is read as one, "
                "columns found by their values ({found}){rest}",
                line=str(headerless.line),
                found=_Joined(found) if found else t("none"),
                rest=rest,
            ),
            line=headerless.line,
        )


class MappedColumnMissing(Rule):
    """## What it does
    Reports, on the header line of a contact list, each `[columns]` entry of the config
    that names a header the file does not have (compared without case or accents). The
    column is then looked for as if the entry did not exist: by the provider's layout,
    the header synonyms, or its values -- the finding says which header was used instead,
    if any.

    ## Why it matters
    A `[columns]` entry is the user saying "this is my opt-in date". When the header is
    renamed in a new export, or misspelt in the config, the rules that need that column
    silently judge another column, or none: consent (GDPR art. 7(1)) or retention
    (art. 5(1)(e)) is then not checked the way the user believes (art. 5(2),
    accountability).

    ## Example
    ```toml
    [columns]
    consent_at = "Date d'inscription"
    ```
    on a file whose header says `Date inscription`.

    ## Fix
    Correct the header named in `[columns]` (`mailcheck inspect FILE` lists the file's
    headers), or remove the entry when the column is found without it.
    """

    code = "MC907"
    name = "mapped-column-missing"
    severity = Severity.WARNING
    kinds = frozenset({Kind.CONTACTS})
    reference = "GDPR art. 5(2) (accountability)"
    fix = "Correct the header named in [columns] (see `mailcheck inspect FILE`)."

    def finish_file(self, doc, ctx) -> Iterator[Finding]:
        present = {fold(name) for name in doc.header}
        for canonical, source in ctx.config.columns.items():
            if fold(source) in present:
                continue
            used = doc.columns.get(canonical)
            instead = (
                t("{canonical} read from {used} instead", canonical=canonical, used=repr(used))
                if used
                else t("no {canonical}", canonical=canonical)
            )
            yield self.finding(
                doc,
                t(
                    "[columns] {canonical} = {source}: no such header in this file; {instead}",
                    canonical=canonical,
                    source=repr(source),
                    instead=instead,
                ),
                line=header_line(doc),
            )


class NoAddressColumn(Rule):
    """## What it does
    Reports a contact list in which no column of e-mail addresses was found: not by
    `[columns]`, the provider's layout or a header synonym, nor by its values (a column
    where 90% of the sampled values are addresses). No contact rule can run on it. A
    suppression list of hashed addresses is not concerned, nor a table that is not a
    list of people (no contact column, no header naming a person or a phone: the
    `posts.csv` of a Substack ZIP).

    ## Why it matters
    Every check of a contact list -- unsubscribes honoured across files, proof of
    consent, retention -- is made per address. A list whose addresses were not found is a
    list nobody checked, and it must not pass as clean: GDPR art. 5(2)
    (accountability), 21(3) (an objection must be honoured in every list).

    ## Example
    A Wix export whose addresses are in `Email 1`, read by an older mailcheck, or a
    spreadsheet whose address column is headed `Contact` and holds mostly phone numbers.

    ## Fix
    Name the column in the config: `[columns] email = "<header>"`
    (`mailcheck inspect FILE` lists the file's headers and what was understood).
    """

    code = "MC908"
    name = "no-address-column"
    severity = Severity.ERROR
    kinds = frozenset({Kind.CONTACTS})
    reference = "GDPR art. 5(2) (accountability), 21(3)"
    fix = 'Name the address column in the config: [columns] email = "<header>".'

    def finish_file(self, doc, ctx) -> Iterator[Finding]:
        if "email" in doc.columns or "email_hash" in doc.columns:
            return
        # Here, not with the module: the contact reader loads with the first list.
        from mailcheck.readers.csv.values import looks_like_people

        if not looks_like_people(doc.header, doc.columns):
            return  # another table that came with the export (a ZIP's posts.csv)
        shown = ", ".join(repr(name) for name in doc.header[:8])
        if len(doc.header) > 8:
            shown = t("{names} and {count} more", names=shown, count=len(doc.header) - 8)
        yield self.finding(
            doc,
            t(
                "none of the {count} columns ({names}) holds the e-mail addresses: no contact "
                "rule could run on this list",
                count=len(doc.header),
                names=shown,
            ),
            line=header_line(doc),
        )


class _Joined(Text):
    """Texts joined by commas, each written in the language asked, then ``tail``."""

    __slots__ = ()

    def __init__(self, items: list[Text], tail: list[str] | None = None) -> None:
        super().__init__("", {"items": tuple(items), "tail": "".join(tail or ())})

    def render(self, language: str) -> str:
        joined = ", ".join(item.render(language) for item in self.params["items"])
        return joined + self.params["tail"]


@hookimpl
def mailcheck_rules() -> list[type[Rule]]:
    return [
        FileUnreadable,
        SuppressionProblem,
        RuleCrashed,
        RowWithExtraFields,
        UnreadableDate,
        UnclosedQuote,
        MissingHeaderRow,
        MappedColumnMissing,
        NoAddressColumn,
    ]
