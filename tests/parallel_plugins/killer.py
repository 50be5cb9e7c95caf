"""A rule that ends its process (as the out-of-memory killer or a crash in a C library
would) on a template holding ``KILL-THE-WORKER``: only ever run in a worker."""

from __future__ import annotations

import multiprocessing
import os

from mailcheck import Kind, Rule, Severity, hookimpl


class KillsTheWorker(Rule):
    """## What it does
    Test only: ends the process on a marked template.

    ## Why it matters
    A worker may die; the run must not lose the file.

    ## Example
    `<p>KILL-THE-WORKER</p>`

    ## Fix
    None: a test.
    """

    code = "KIL100"
    name = "kills-the-worker"
    severity = Severity.INFO
    kinds = frozenset({Kind.TEMPLATE})

    def check(self, doc, ctx):
        if "KILL-THE-WORKER" in doc.text and multiprocessing.parent_process() is not None:
            os._exit(3)
        return iter(())


@hookimpl
def mailcheck_rules():
    return [KillsTheWorker]
