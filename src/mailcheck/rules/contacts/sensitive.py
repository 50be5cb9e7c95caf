"""Data the list should not hold: an over-collected suppression list (MC208),
special-category data (MC209), minors (MC210)."""

from __future__ import annotations

from collections.abc import Iterator

from mailcheck.context import LintContext
from mailcheck.documents import ContactListDocument, Kind
from mailcheck.findings import Finding, Severity
from mailcheck.i18n import Text, t
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np, pd
from mailcheck.rule import Option, Rule
from mailcheck.rules.contacts.common import (
    active,
    fold_header,
    has_address,
    header_line,
    is_audience,
    map_column,
    role,
    row_findings,
)

CONTACTS = frozenset({Kind.CONTACTS})
#: Canonical columns a suppression list may keep: the key and when/why/how it was opposed.
_NEEDED = frozenset(
    {
        "email",
        "email_hash",
        "status",
        "unsubscribed_at",
        "created_at",
        "consent_source",
        "unsubscribe_reason",
    }
)


class SuppressionListOvercollected(Rule):
    """## What it does
    For a suppression / do-not-contact list (file name `repoussoir`, `suppression`,
    `blocklist`, `optouts` ..., or a file of hashed addresses), reports the personal data
    it keeps beyond what honouring the objection needs: names, postal address, phone,
    birth date, notes ... (a warning when special-category or birth data is there), and
    addresses kept in clear where a SHA-256 hash would do.

    ## Why it matters
    Data minimisation, GDPR art. 5(1)(c). The CNIL (MED-2023-040) found that a "liste
    repoussoir" needed only the e-mail address and phone number, hashed; its liste
    repoussoir guidance forbids any other use of the list. mailcheck matches hashed
    suppression lists (MC202), so hashing costs nothing.

    ## Example
    `repoussoir.csv` with `email;prenom;nom;date_naissance;adresse`.

    ## Fix
    Keep only the address (ideally its SHA-256), the date and the source of the
    objection.
    """

    code = "MC208"
    family = N_("sensitive data")
    name = "suppression-list-overcollected"
    severity = Severity.INFO
    kinds = CONTACTS
    reference = "GDPR art. 5(1)(c); CNIL MED-2023-040; CNIL liste repoussoir (2022)"
    fix = "Keep only the hashed address and the date/source of the objection."

    def finish_file(self, doc, ctx: LintContext) -> Iterator[Finding]:
        if role(doc) != "suppression":
            return
        needed = {source for canonical, source in doc.columns.items() if canonical in _NEEDED}
        extra_words, special = (
            ctx.keywords["suppression_extra_column"],
            ctx.keywords["special_category"],
        )
        extra, sensitive = [], []
        for name in doc.header:
            if name in needed or not name:
                continue
            folded = fold_header(name)
            if special.search_folded(folded) or doc.columns.get("birth_date") == name:
                sensitive.append(name)
            elif extra_words.search_folded(folded) or name in doc.columns.values():
                extra.append(name)
        kept = ", ".join(f"'{c}'" for c in [*sensitive, *extra])
        clear = "email" in doc.columns
        if kept and clear:
            message = t(
                "the suppression list keeps {columns}, and the addresses in clear (a SHA-256 "
                "hash would do): it needs only the address and the date",
                columns=kept,
            )
        elif kept:
            message = t(
                "the suppression list keeps {columns}: it needs only the address and the date",
                columns=kept,
            )
        elif clear:
            message = t(
                "the suppression list keeps the addresses in clear (a SHA-256 hash would do)"
            )
        else:
            return
        yield self.finding(
            doc,
            message,
            line=header_line(doc),
            severity=Severity.WARNING if sensitive else Severity.INFO,
        )


class SpecialCategoryData(Rule):
    """## What it does
    Reports column names, and tag / segment values, revealing special-category data:
    health, religion, political opinion, trade-union membership, sexual orientation,
    ethnic origin, genetic or biometric data (multilingual list `special_category`). An
    error when the file has no explicit-consent column.

    ## Why it matters
    Processing these categories is forbidden unless an art. 9(2) exception applies, for
    marketing in practice explicit consent (GDPR art. 9(1), 9(2)(a)). Segmenting people
    by inferred health or beliefs is special-category processing (EDPB Guidelines 8/2020).

    ## Example
    Header `Email;Prénom;Santé;Religion`, or a tag `diabète`.

    ## Fix
    Remove the column or tag, or record explicit consent for it (and a DPIA).
    """

    code = "MC209"
    family = N_("sensitive data")
    name = "special-category-data"
    severity = Severity.WARNING
    kinds = CONTACTS
    reference = "GDPR art. 9(1), 9(2)(a); EDPB Guidelines 8/2020"
    fix = "Remove special-category columns and tags, or record explicit consent."

    def _explicit(self, doc: ContactListDocument, ctx: LintContext) -> bool:
        words = ctx.keywords["explicit_consent"]
        return any(words.search_folded(fold_header(name)) for name in doc.header)

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if "tags" not in chunk or role(doc) == "suppression":
            return
        special = ctx.keywords["special_category"]
        terms = map_column(chunk, "tags", lambda v: special.search(v) if v else None, ctx)
        mask = np.not_equal(terms, None).astype(bool) & has_address(chunk, ctx)
        if not mask.any():
            return
        severity = Severity.WARNING if self._explicit(doc, ctx) else Severity.ERROR
        yield row_findings(
            self,
            doc,
            chunk,
            mask,
            _tag_message,
            columns=("tags", "matched_term"),
            severity=severity,
            computed={"matched_term": terms[mask]},
        )

    def finish_file(self, doc, ctx: LintContext) -> Iterator[Finding]:
        special, explicit = ctx.keywords["special_category"], ctx.keywords["explicit_consent"]
        found = []
        for name in doc.header:
            folded = fold_header(name)
            if explicit.search_folded(folded):
                continue
            term = special.search_folded(folded)
            if term:
                found.append((name, term))
        if not found:
            return
        severity = Severity.WARNING if self._explicit(doc, ctx) else Severity.ERROR
        names = ", ".join(f"'{name}'" for name, _ in found)
        yield self.finding(
            doc,
            t(
                "column '{columns}' holds sensitive data (health, religion, opinions...)",
                columns=found[0][0],
            )
            if len(found) == 1
            else t(
                "columns {columns} hold sensitive data (health, religion, opinions...)",
                columns=names,
            ),
            line=header_line(doc),
            severity=severity,
        )


class MinorContact(Rule):
    """## What it does
    Computes each subscribed contact's age from the birth date (or age) column and
    reports those under the age of digital consent: 15 under the `eu-fr` profile, 13
    under `uk` and `us`, 16 otherwise (option `minimum-age` to force one).

    ## Why it matters
    Below that age, consent to information-society services must be given or authorised
    by a parent: GDPR art. 8(1); Loi Informatique et Libertés art. 45 (15 in France); UK
    Data Protection Act 2018 s. 9 (13); COPPA (13, US).

    ## Example
    `birthday` `12/05/2013` linted on 2026-11-22 (13 years old).

    ## Fix
    Stop mailing these contacts until a parent's consent is recorded.
    """

    code = "MC210"
    family = N_("sensitive data")
    name = "minor-contact"
    severity = Severity.WARNING
    kinds = CONTACTS
    reference = "GDPR art. 8(1); Loi Informatique et Libertés art. 45"
    fix = "Remove minors, or record parental consent."
    options = {
        "minimum-age": Option(
            0,
            int,
            "Age of digital consent; 0 = by profile (FR 15, UK/US 13, else 16).",
            min=0,
            unit="years",
        ),
    }

    def minimum_age(self, profile: str) -> int:
        if self.settings["minimum-age"]:
            return self.settings["minimum-age"]
        return {"eu-fr": 15, "uk": 13, "us": 13}.get(profile, 16)

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if not is_audience(doc) or ("birth_date" not in chunk and "age" not in chunk):
            return
        limit = self.minimum_age(ctx.profile)
        today = pd.Timestamp(ctx.today)
        minor = pd.Series(False, index=chunk.index)
        if "birth_date" in chunk:
            born = chunk["birth_date"]
            adult_from = today - pd.DateOffset(years=limit)
            minor |= born.notna() & (born > adult_from) & (born <= today)
        if "age" in chunk:
            ages = pd.to_numeric(chunk["age"], errors="coerce")
            # 0 is what CRMs and spreadsheets write for an unknown age, not a newborn
            minor |= ages.notna() & (ages >= 1) & (ages < limit)
        mask = minor & active(chunk, ctx) & has_address(chunk, ctx)
        yield row_findings(
            self,
            doc,
            chunk,
            mask,
            t(
                "contact under {age}: a parent must consent for them (age of digital consent)",
                age=limit,
            ),
            columns=[c for c in ("birth_date", "age") if c in chunk],
        )


def _tag_message(data: dict) -> Text:
    return t(
        "a tag reveals sensitive data ('{term}': health, religion, opinions...)",
        term=data["matched_term"],
    )
