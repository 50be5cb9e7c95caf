"""Address-level rules: role (MC215), bulk volume (MC216), invalid (MC217), duplicate
(MC218) and no-reply (MC219) addresses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from mailcheck.context import LintContext
from mailcheck.documents import ContactListDocument, Kind
from mailcheck.findings import Finding, NotChecked, Severity
from mailcheck.i18n import Text, t
from mailcheck.i18n_extract import N_
from mailcheck.lazy import np, pa, pc, pd
from mailcheck.rule import Option, Rule
from mailcheck.rules.contacts.address_index import address_keys, release
from mailcheck.rules.contacts.common import (
    SharedTexts,
    active,
    distinct_mask,
    header_line,
    is_audience,
    local_part_pattern,
    map_unique,
    regex_mask,
    role,
    row_findings,
)
from mailcheck.rules.contacts.gaps import lacks_address

CONTACTS = frozenset({Kind.CONTACTS})

# Addresses this pattern accepts are valid for email-validator too (dot-atom local part,
# Unicode letters allowed as SMTPUTF8 does, LDH labels, alphabetic TLD), so only the rest
# go through email-validator. RE2 syntax (pyarrow): \p{L} = any letter.
_SIMPLE_ADDRESS = (
    r"[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
#: A dot-atom local part of RFC 5322 atext and Unicode letters and digits (``\w``: no
#: marks, spaces, controls): email-validator accepts it (SMTPUTF8 is allowed).
_PLAIN_LOCAL = re.compile(r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*")
_SIMPLE_FULL = f"^{_SIMPLE_ADDRESS}$"  # as pandas' str.fullmatch anchors it
#: :data:`_SIMPLE_FULL` without the label and TLD length bounds, which only an address of
#: :data:`_LABEL_BOUND_BYTES` or more can break (``a@`` + a 64-letter label + ``.fr``).
#: RE2 builds its automaton afresh on each call: the counted repeats ``{0,61}`` made it
#: 1.7x slower on a chunk of 50k addresses. The rare longer address gets the full pattern.
_SIMPLE_UNBOUNDED = _SIMPLE_FULL.replace("{0,61}", "*").replace("{2,63}", "{2,}")
_LABEL_BOUND_BYTES = 68
#: Special-use TLDs email-validator refuses (RFC 6761 and friends).
_SPECIAL_TLD = r"\.(?:arpa|invalid|local|localhost|onion|test)$"


class GenericRoleAddress(Rule):
    """## What it does
    Flags addresses whose local part is a role rather than a person (`info@`, `contact@`,
    `sales@`, `accueil@`, `kontakt@` ...), in lists that are sent to. Each row is reported
    on its line; human reports group them per file.

    ## Why it matters
    In France the CNIL treats generic professional addresses (info@, contact@) as contacts
    of the company, not of a natural person: CPCE art. L34-5 consent and opposition rules
    do not apply to them the same way. mailcheck downgrades the consent findings (MC204,
    MC205) of these rows to info; a role address read by one identifiable person is still
    personal data (GDPR art. 4(1)).

    ## Example
    `contact@boulangerie-exemple.fr;Boulangerie Exemple;...`

    ## Fix
    Nothing to do if the company is the target. Otherwise ask for a named contact.
    """

    code = "MC215"
    family = N_("addresses")
    name = "generic-role-address"
    severity = Severity.INFO
    kinds = CONTACTS
    reference = "CNIL prospection B2B; CPCE L34-5"
    fix = "Check that a company, not a person, is the target of this address."

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        return lacks_address(self, doc) if is_audience(doc) else None

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if "email_key" not in chunk or not is_audience(doc):
            return
        mask = active(chunk, ctx) & role_mask(chunk, ctx)
        yield row_findings(
            self, doc, chunk, mask, t("shared company mailbox (info@, contact@...), not a person")
        )


def role_pattern(ctx: LintContext) -> str:
    """A role local part (``contact@``, ``info@``), from the keyword list."""
    return ctx.memo.get(
        "contacts.role_pattern",
        lambda: local_part_pattern(ctx.keywords["role_local_part"], contains=False).pattern,
    )


def noreply_pattern(ctx: LintContext) -> str:
    """A no-reply local part, or a no-reply domain label (``@noreply.example.com``)."""

    def compute() -> str:
        keywords = ctx.keywords["noreply"]
        local = local_part_pattern(keywords, contains=True).pattern
        labels = "|".join(
            r"[-_.]?".join(re.escape(p) for p in re.split(r"[\s\-_.]+", t) if p)
            for t in keywords.terms
        )
        return rf"{local}|@(?:[^@]*\.)?(?:{labels})\."

    return ctx.memo.get("contacts.noreply_pattern", compute)


def role_mask(chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
    """Role addresses of a chunk (computed once per chunk for MC204, MC205 and MC215)."""
    return _mailbox_kinds(chunk, ctx)[0]


def noreply_mask(chunk: pd.DataFrame, ctx: LintContext) -> np.ndarray:
    """No-reply addresses of a chunk."""
    return _mailbox_kinds(chunk, ctx)[1]


def _mailbox_kinds(chunk: pd.DataFrame, ctx: LintContext) -> tuple[np.ndarray, np.ndarray]:
    """(role, no-reply) masks of a chunk's addresses, once per chunk. Both kinds are rare:
    one regex pass of either pattern over every address, then each pattern alone on the
    few rows that pass (a pass over a million addresses is ~0.05 s)."""
    role, noreply = role_pattern(ctx), noreply_pattern(ctx)

    def compute() -> tuple[np.ndarray, np.ndarray]:
        keys = chunk["email_key"]
        rows = np.flatnonzero(regex_mask(keys, f"(?:{role})|(?:{noreply})"))
        masks = np.zeros((2, len(keys)), dtype=bool)
        if len(rows):
            candidates = pd.Series(keys.array.take(rows), copy=False)
            masks[0, rows] = regex_mask(candidates, role)
            masks[1, rows] = regex_mask(candidates, noreply)
        return masks[0], masks[1]

    return ctx.memo.get(("contacts.mailbox_kinds", role, noreply), compute, of=chunk)


class BulkVolumeOneClick(Rule):
    """## What it does
    Counts, per list, the distinct subscribed addresses at Gmail / Googlemail and Yahoo /
    AOL domains, and reports lists above 5,000 of them (option `threshold`).

    ## Why it matters
    Since 1 February 2024 Gmail (sender guidelines) and Yahoo (sender best practices)
    require from senders of more than 5,000 messages a day: one-click unsubscribe
    (RFC 8058 `List-Unsubscribe-Post`), SPF + DKIM + DMARC, and a spam rate under 0.3 %.
    A list this size reaches the threshold in one campaign.

    ## Example
    A list with 12,000 `@gmail.com` subscribers.

    ## Fix
    Check that your provider sends `List-Unsubscribe` and `List-Unsubscribe-Post` headers
    (see MC321-MC323) and that your domain is authenticated.
    """

    code = "MC216"
    family = N_("addresses")
    name = "bulk-volume-one-click"
    severity = Severity.INFO
    kinds = CONTACTS
    reference = "Gmail sender guidelines (2024); Yahoo sender best practices; RFC 8058"
    fix = "Make sure one-click unsubscribe (RFC 8058) and SPF/DKIM/DMARC are in place."
    options = {
        "threshold": Option(
            5000,
            int,
            "Addresses at Gmail/Yahoo/AOL above which to report.",
            min=0,
            unit="addresses",
        ),
    }

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        return lacks_address(self, doc) if is_audience(doc) else None

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if "domain" not in chunk or "key_hash" not in chunk or not is_audience(doc):
            return
        # Distinct addresses, counted in the index MC218 shares (address_index).
        address_keys(chunk, doc, ctx, self.code)
        return ()

    def finish_file(self, doc, ctx: LintContext) -> Iterator[Finding]:
        index = release(doc, ctx, self.code)
        count = index.bulk if index is not None else 0
        if count > self.settings["threshold"]:
            yield self.finding(
                doc,
                t(
                    "{count} subscribed addresses at Gmail, Yahoo or AOL: their rules for bulk "
                    "senders apply (one-click unsubscribe, authenticated domain, fewer than "
                    "0.3% of messages marked as spam)",
                    count=count,
                ),
                line=header_line(doc),
            )


class InvalidAddress(Rule):
    """## What it does
    Reports rows whose address is empty or not a valid e-mail address (syntax only, with
    email-validator; no DNS lookup, no network access).

    ## Why it matters
    Invalid addresses bounce; bounces hurt the sender's reputation with Gmail, Yahoo and
    Microsoft (list hygiene is part of their bulk-sender requirements), and a list full of
    typos says the addresses were not collected from the people themselves (GDPR art.
    5(1)(d), accuracy).

    ## Example
    `jean.dupont@@exemple.fr`, `marie@exemple`, `paul dupont@exemple.fr`

    ## Fix
    Correct the address from the source, or remove the row.
    """

    code = "MC217"
    family = N_("addresses")
    name = "invalid-address"
    severity = Severity.WARNING
    kinds = CONTACTS
    reference = "GDPR art. 5(1)(d); Gmail sender guidelines; Yahoo sender best practices"
    fix = "Correct or remove the address."

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        # Loaded before a list's first chunk, not at its first invalid address; and only
        # by a run that reads a contact list (0.02 s that one template does not pay).
        import email_validator  # noqa: F401

        return lacks_address(self, doc) if role(doc) != "suppression" else None

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if "email" not in chunk or role(doc) == "suppression":
            return
        mask, reasons = invalid_rows(chunk, doc, ctx)
        if not mask.any():
            return
        yield row_findings(
            self,
            doc,
            chunk,
            mask,
            _invalid_message,
            columns=("reason",),
            computed={"reason": reasons[mask]},
            message_by={"reason": reasons[mask]},
        )


def invalid_rows(
    chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
) -> tuple[np.ndarray, np.ndarray]:
    """MC215's test, for the campaign check too: the mask of rows whose address is not
    valid, and per row the problem (``None`` for a valid one)."""
    addresses = chunk["email"]
    # The prefilter in Arrow, on one array (what str.fullmatch does, without pandas'
    # per-call overhead). Lengths are counted in bytes, which are never fewer than
    # characters: an address this lets through is within email-validator's limits
    # (254 in all, 64 before the "@"), and the rare one it holds back is checked there.
    simple = regex_mask(addresses, _SIMPLE_UNBOUNDED)
    total = pc.binary_length(pa.array(addresses)).to_numpy(zero_copy_only=False)
    long = np.flatnonzero(simple & (total >= _LABEL_BOUND_BYTES))
    if len(long):
        simple[long] = regex_mask(pd.Series(addresses.array.take(long), copy=False), _SIMPLE_FULL)
    simple &= total <= 254
    if "domain" in chunk:  # a simple address has one "@" and an ASCII domain
        domain = pc.binary_length(pa.array(chunk["domain"])).to_numpy(zero_copy_only=False)
        simple &= total - domain - 1 <= 64
    else:
        simple &= pc.less_equal(pc.find_substring(pa.array(addresses), "@"), 64).to_numpy(
            zero_copy_only=False
        )
    simple &= ~distinct_mask(chunk, "domain", _SPECIAL_TLD, ctx)
    undecided = ~simple
    if not undecided.any():
        return undecided, np.full(len(chunk), None, dtype=object)
    problems = map_unique(addresses[undecided], address_problem)
    mask = np.zeros(len(chunk), dtype=bool)
    mask[undecided] = np.array([p is not None for p in problems], dtype=bool)
    reasons = np.full(len(chunk), None, dtype=object)
    reasons[undecided] = problems
    empty = np.flatnonzero(mask & (addresses == "").to_numpy())
    if len(empty):
        # A row of bare separators (Excel leaves ";;;;" lines) is not a contact.
        mask[empty[~_has_other_values(chunk.iloc[empty], doc)]] = False
    return mask, reasons


def _invalid_message(data: dict) -> Text:
    problem = plain_problem(data["reason"])
    return _INVALID(problem, lambda: t("invalid address: {problem}", problem=Text(problem)))


_INVALID = SharedTexts()


#: email-validator's explanations (``data["reason"]``, kept as it says them), by what
#: they start with, in plain words.
_PROBLEMS = (
    ("empty address", N_("the address is empty")),
    ("An email address must have an @-sign", N_("there is no @")),
    ("There must be something after the @-sign", N_("nothing after the @")),
    ("There must be something before the @-sign", N_("nothing before the @")),
    ("The part after the @-sign contains invalid characters: '@'", N_("more than one @")),
    (
        "The part after the @-sign is not valid. It should have a period",
        N_("the domain after the @ is incomplete (no .com, .fr...)"),
    ),
    (
        "The part after the @-sign is not valid. It is not within a valid top-level domain",
        N_("the domain after the @ is incomplete (no .com, .fr...)"),
    ),
    (
        "The part after the @-sign is a special-use or reserved name",
        N_("the domain after the @ is a reserved test name, not a real one"),
    ),
    ("An email address cannot have two periods in a row", N_("two dots in a row")),
    ("An email address cannot end with a period", N_("it ends with a dot")),
    (
        "An email address cannot have a period immediately after the @-sign",
        N_("a dot right after the @"),
    ),
    ("An email address cannot start with a period", N_("it starts with a dot")),
    (
        "An email address cannot have a period immediately before the @-sign",
        N_("a dot right before the @"),
    ),
    ("The email address is too long", N_("it is too long")),
    (
        "After the @-sign, periods cannot be separated by so many characters",
        N_("a part of the domain after the @ is too long"),
    ),
    (
        "The email address contains invalid characters before the @-sign",
        N_("a character an address cannot have before the @ (a space, a comma...)"),
    ),
    (
        "The part after the @-sign contains invalid characters",
        N_("a character an address cannot have after the @ (a space, an accent...)"),
    ),
)
_UNWRITTEN = N_("it is not written as an e-mail address")


@lru_cache(maxsize=4096)
def plain_problem(reason: str) -> str:
    """The message id saying an address's problem (``reason``: email-validator's)."""
    for start, msgid in _PROBLEMS:
        if reason.startswith(start):
            return msgid
    return _UNWRITTEN


def _has_other_values(rows: pd.DataFrame, doc: ContactListDocument) -> np.ndarray:
    """Rows where a source column mapped besides the address has a value (constants from
    the file name or a provider do not count)."""
    found = np.zeros(len(rows), dtype=bool)
    for column in doc.columns:
        if column == "email" or column not in rows:
            continue
        values = rows[column]
        if column in ("status", "legal_basis"):  # "unknown" is what an empty cell maps to
            found |= (values != "unknown").to_numpy(dtype=bool)
        elif pd.api.types.is_datetime64_any_dtype(values):
            found |= values.notna().to_numpy()
        elif pd.api.types.is_bool_dtype(values):
            found |= values.to_numpy(dtype=bool)
        else:
            found |= (values.astype(str).str.strip() != "").to_numpy()
    return found


@lru_cache(maxsize=65536)
def _domain_problem(domain: str) -> str | None:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(f"a@{domain}", check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    return None


def address_problem(address: str) -> str | None:
    """Why ``address`` is not a valid e-mail address, or ``None`` (no network access)."""
    from email_validator import EmailNotValidError, validate_email

    if not address:
        return "empty address"
    if address.count("@") == 1:
        problem = _domain_problem(address.rsplit("@", 1)[1])  # one check per domain
        if problem:
            return problem
    else:
        # email-validator splits at the first unquoted "@" and checks the local part before
        # the domain part: after a plain dot-atom local part (valid, no quote, no "<"), its
        # error is the domain part's, the same as after "a" (cached per domain).
        local, at, rest = address.partition("@")
        if at and _PLAIN_LOCAL.fullmatch(local):
            problem = _domain_problem(rest)
            if problem:
                return problem
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    return None


class DuplicateContact(Rule):
    """## What it does
    Reports a row whose normalised address (trimmed, lower-cased) already appeared on an
    earlier row of the same file, with the line of the first occurrence, in lists that
    are sent to (a send log repeats an address per campaign). Gmail dots and `+tags` are
    not collapsed: they may be different mailboxes.

    ## Why it matters
    Duplicates get the campaign twice (complaints, spam-rate) and, worse, carry two
    different consent or unsubscribe records for one person: one of them is wrong
    (GDPR art. 5(1)(d) accuracy; art. 7(1) the controller must be able to demonstrate
    consent).

    ## Example
    `Jeanne.Martin@example.com` on line 2 and `jeanne.martin@example.com ` on line 40.

    ## Fix
    Merge the rows, keeping the most recent consent and any unsubscribe.
    """

    code = "MC218"
    family = N_("addresses")
    name = "duplicate-contact"
    severity = Severity.WARNING
    kinds = CONTACTS
    reference = "GDPR art. 5(1)(d), 7(1)"
    fix = "Merge the duplicate rows (keep the latest consent and any unsubscribe)."

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        return lacks_address(self, doc) if is_audience(doc) else None

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        # A send log repeats an address per campaign and a suppression list may too:
        # only a list that is sent to has duplicate contacts.
        if "key_hash" not in chunk or not is_audience(doc):
            return
        # Each distinct key once (sorted): the first occurrence inside the chunk, or the
        # line of an earlier chunk (the per-file index MC216 shares: address_index).
        _, keys = address_keys(chunk, doc, ctx, self.code)
        group = keys.group
        # A row repeats an address when it is not the first of its group in the chunk,
        # or when the address was seen in an earlier chunk.
        repeated = ~keys.new[group]
        repeated[1:] |= group[1:] == group[:-1]
        if not repeated.any():
            return
        position = keys.order[repeated]
        first_line = keys.first_line[group[repeated]]
        by_row = np.argsort(position)
        mask = np.zeros(len(chunk), dtype=bool)
        mask[keys.rows[position]] = True
        yield row_findings(
            self,
            doc,
            chunk,
            mask,
            _duplicate_message,
            columns=("first_line",),
            computed={"first_line": first_line[by_row]},
            message_by={"first_line": first_line[by_row]},
        )

    def finish_file(self, doc, ctx: LintContext):
        release(doc, ctx, self.code)
        return ()


def _duplicate_message(data: dict) -> Text:
    line = str(data["first_line"])
    return _DUPLICATE(line, lambda: t("same address as line {line}", line=line))


_DUPLICATE = SharedTexts()


class NoReplyAddress(Rule):
    """## What it does
    Flags subscribed rows whose address is a no-reply mailbox (`noreply@`, `no-reply@`,
    `ne-pas-repondre@`, `donotreply@`, `shop.noreply@`, `@noreply.example.com` ...).

    ## Why it matters
    Nobody reads a no-reply mailbox: the address was not given by a person who asked for
    the newsletter (GDPR art. 6(1)(a), 7(1)), it cannot consent, and sending to it inflates
    bounce and spam-trap risk (Gmail/Yahoo list hygiene).

    ## Example
    `no-reply@boutique-exemple.fr;abonné;...`

    ## Fix
    Remove the row; check how a system address got into the list (a form without
    confirmation, a CRM sync).
    """

    code = "MC219"
    family = N_("addresses")
    name = "noreply-address"
    severity = Severity.WARNING
    kinds = CONTACTS
    reference = "GDPR art. 6(1)(a), 7(1); Gmail sender guidelines; Yahoo sender best practices"
    fix = "Remove the no-reply address from the send list."

    def cannot_check(self, doc, ctx: LintContext) -> NotChecked | None:
        return lacks_address(self, doc) if is_audience(doc) else None

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterator[Finding]:
        if "email_key" not in chunk or not is_audience(doc):
            return
        mask = active(chunk, ctx) & noreply_mask(chunk, ctx)
        yield row_findings(
            self,
            doc,
            chunk,
            mask,
            t("no-reply address (nobody reads it) in a list that is sent to"),
        )
