"""The lint context's one cache (src/mailcheck/context.py: Memo)."""

from __future__ import annotations

import gc

import pandas as pd

from mailcheck.context import Memo
from mailcheck.documents import Body


def counting():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_run_values_are_computed_once():
    memo = Memo()
    calls, compute = counting()
    assert memo.get("pattern", compute) == 1
    assert memo.get("pattern", compute) == 1
    assert len(calls) == 1


def test_values_belong_to_their_owner():
    memo = Memo()
    first, second = Body("<p>a</p>"), Body("<p>a</p>")  # equal text, two bodies
    calls, compute = counting()
    assert memo.get("text", compute, of=first) == 1
    assert memo.get("text", compute, of=second) == 2
    assert memo.get("text", compute, of=first) == 1
    assert memo.get("other", compute, of=first) == 3


def test_a_new_object_at_a_reused_address_starts_afresh():
    memo = Memo()
    seen = set()
    for rows in range(50):  # chunks come and go; CPython reuses their addresses
        chunk = pd.DataFrame({"email": ["a@example.com"] * rows})
        seen.add(id(chunk))
        assert memo.get("rows", lambda chunk=chunk: len(chunk), of=chunk) == rows
        del chunk
        gc.collect()
    assert len(seen) < 50  # the case this test is about did happen


def test_only_recent_owners_are_kept_even_when_values_hold_them():
    memo = Memo()
    bodies = [Body(f"<p>{n}</p>") for n in range(Memo.RECENT_OWNERS * 3)]
    for body in bodies:
        memo.get("self", lambda body=body: body, of=body)  # a value that refers back
    assert len(memo._owners) == Memo.RECENT_OWNERS
    calls, compute = counting()
    memo.get("self", compute, of=bodies[0])  # long evicted: computed again
    assert calls == [1]


def test_owners_without_weak_references_are_kept_by_identity():
    memo = Memo()
    key = ("a", "tuple")  # tuples cannot be weakly referenced
    calls, compute = counting()
    assert memo.get("k", compute, of=key) == memo.get("k", compute, of=key) == 1
    assert memo.get("k", compute, of=("a", "tuple", 2)) == 2


def test_values_of_an_owner_that_is_gone_are_dropped():
    memo = Memo()
    kept = pd.DataFrame({"email": ["b@example.com"]})
    memo.get("rows", lambda: len(kept), of=kept)
    for rows in range(5):
        chunk = pd.DataFrame({"email": ["a@example.com"] * rows})
        values = memo.get("mask", lambda chunk=chunk: [True] * len(chunk), of=chunk)
        assert values == [True] * rows
        del chunk
        gc.collect()
    # The next call drops the five chunks that are gone; the live one keeps its value.
    calls, compute = counting()
    assert memo.get("rows", compute, of=kept) == 1 and calls == []
    assert len(memo._owners) == 1
