"""What was checked on a document: its :class:`~mailcheck.findings.Coverage` record.

The engine asks each rule it is about to run on a document whether it can
(:meth:`mailcheck.rule.Rule.cannot_check`), before the rows are read; the answers, with
the rules of that kind the user's selection left out, make the document's coverage
statement. Reports print it so that a run never passes over in silence what it could not
check ("retention not checked: no date column found").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from mailcheck.findings import Coverage, NotChecked
from mailcheck.pii import mask_text, may_hold_address

if TYPE_CHECKING:
    from mailcheck.context import LintContext
    from mailcheck.documents import Document
    from mailcheck.rule import Rule


def document_coverage(
    doc: Document,
    rules: list[Rule],
    of_kind: Iterable[str],
    ctx: LintContext,
    *,
    mask: bool,
    warn: Callable[[str], None],
) -> Coverage:
    """The coverage of ``doc``: ``rules`` are those about to run on it, ``of_kind`` the
    codes of every registered rule of its kind (those not in ``rules`` were not selected,
    or turned off for this file). ``mask``: mask addresses in the path and the reasons,
    as the findings' texts are (a headerless list's "header" is its first row)."""
    ran: list[str] = []
    missing: list[NotChecked] = []
    for rule in rules:
        gap = _ask(rule, doc, ctx, warn)
        if gap is None:
            ran.append(rule.code)
        else:
            missing.append(_masked(gap) if mask else gap)
    running = {rule.code for rule in rules}
    not_selected = tuple(sorted(code for code in set(of_kind) if code not in running))
    path = doc.display_path
    if mask and may_hold_address(path):
        path = mask_text(path)
    return Coverage(path, str(doc.kind), tuple(ran), tuple(missing), not_selected)


def _ask(
    rule: Rule, doc: Document, ctx: LintContext, warn: Callable[[str], None]
) -> NotChecked | None:
    """``rule.cannot_check``; a plugin rule whose answer fails is taken as running (it
    is run, and a crash there is MC902 as usual)."""
    try:
        return rule.cannot_check(doc, ctx)
    except Exception as error:  # noqa: BLE001 - a rule bug must not stop the run
        warn(
            f"{doc.display_path}: rule {rule.code} ({rule.name}) could not say whether it "
            f"runs: {type(error).__name__}: {error}"
        )
        return None


def _masked(gap: NotChecked) -> NotChecked:
    # A reason or fix may be a text (mailcheck.i18n.t): one naming an address is masked
    # as its English (headers only are named: a headerless list's first row is rare).
    reason, fix = str(gap.reason), str(gap.fix) if gap.fix is not None else None
    if not may_hold_address(reason) and not may_hold_address(fix or ""):
        return gap
    return NotChecked(
        gap.code, gap.name, gap.family, mask_text(reason), mask_text(fix) if fix else fix
    )
