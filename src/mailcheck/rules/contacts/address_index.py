"""The per-file address index that MC216 (bulk volume) and MC218 (duplicate contact)
share: every address key of a list once, with the line of its first row and a flag set
once a subscribed row gave that address at a bulk mailbox domain (Gmail, Yahoo, AOL).

Its own module because two rules read it. Each rule used to keep its own index of the
same keys (MC218 every address, 12 bytes a key; MC216 the bulk ones, 9 bytes a key and
its own bitmap): a 10M-row list held both. Here one :class:`SortedIndex` holds them, the
flag in the top bit of the line's ``uint32`` (a line is an ``int32``: the bit is free),
and it is updated once per chunk, by whichever rule asks first (the chunk's memo keeps
what MC218 reads). MC216's count stays exact: it goes up when a key's flag is first set,
and each key is flagged at most once.

A rule that reads the index names itself a user (:func:`address_keys`) and lets it go in
its ``finish_file`` (:func:`release`): the index of a file is dropped when the last of
its users is done with it. Run alone, MC216 pays for the whole index (every address and
its line, not only the bulk ones): the shared index is made for the run of every rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mailcheck.context import LintContext
from mailcheck.documents import ContactListDocument
from mailcheck.lazy import np, pd
from mailcheck.rules.contacts.common import active, distinct_mask, domain_pattern, has_address
from mailcheck.rules.contacts.sorted_index import SortedIndex, first_occurrences

#: The top bit of a stored value: a subscribed row gave this address at a bulk domain.
BULK = 1 << 31
#: The rest of a stored value: the line of the address's first row.
LINE = BULK - 1


@dataclass
class ChunkKeys:
    """What one chunk found in the index (what MC218 reports from). The chunk's rows
    with an address, their keys grouped (:func:`first_occurrences`), and per distinct
    key whether it was new to the file and the line of its first row."""

    rows: np.ndarray  # positions in the chunk of the rows with an address
    order: np.ndarray  # the order that sorts their keys
    group: np.ndarray  # the distinct key of each sorted position
    new: np.ndarray  # per distinct key: not in an earlier chunk
    first_line: np.ndarray  # per distinct key: the line of its first row in the file


@dataclass
class AddressIndex:
    """One file's address keys (see the module docstring)."""

    index: SortedIndex = field(default_factory=lambda: SortedIndex("uint32"))
    #: Distinct addresses flagged (MC216's count).
    bulk: int = 0
    #: The rules reading this index and not done with the file yet.
    users: set[str] = field(default_factory=set)

    def update(self, chunk: pd.DataFrame, ctx: LintContext) -> ChunkKeys:
        """Add a chunk's address keys (first line, bulk flag) to the index."""
        rows = np.flatnonzero(has_address(chunk, ctx))
        keys = chunk["key_hash"].to_numpy()[rows]
        lines = chunk["line"].to_numpy()[rows]
        order, group, unique_keys, first_position = first_occurrences(keys)
        earlier = self.index.lookup(unique_keys)
        new = earlier < 0
        first_line = np.where(new, lines[first_position], earlier & LINE)
        values = first_line.astype(np.int64)
        if "domain" in chunk:
            # Distinct addresses, not rows: a duplicate row is not a second mailbox.
            pattern = domain_pattern(ctx.keywords["bulk_mailbox_domain"])
            bulk_rows = (distinct_mask(chunk, "domain", pattern, ctx) & active(chunk, ctx))[rows]
            flagged = np.zeros(len(unique_keys), dtype=bool)
            flagged[group[bulk_rows[order]]] = True
            fresh = flagged & (new | ((earlier & BULK) == 0))
            self.bulk += int(np.count_nonzero(fresh))
            values[flagged] |= BULK
            self.index.set_bits(unique_keys[fresh & ~new], BULK)
        self.index.add_new(unique_keys[new], values[new])
        return ChunkKeys(rows, order, group, new, first_line)


def address_keys(
    chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext, user: str
) -> tuple[AddressIndex, ChunkKeys]:
    """The index of ``doc`` (``user`` now reads it) and what ``chunk`` found in it; the
    chunk is added once, whichever rule asks first. ``chunk`` must have ``key_hash``."""
    indexes = _indexes(ctx)
    index = indexes.get(doc.display_path)
    if index is None:
        index = indexes[doc.display_path] = AddressIndex()
    index.users.add(user)
    found = ctx.memo.get(
        ("contacts.address_keys", doc.display_path), lambda: index.update(chunk, ctx), of=chunk
    )
    return index, found


def release(doc: ContactListDocument, ctx: LintContext, user: str) -> AddressIndex | None:
    """``user`` is done with the file: its index (``None`` if it never read one), dropped
    from the run once no rule reads it any more."""
    indexes = _indexes(ctx)
    index = indexes.get(doc.display_path)
    if index is None or user not in index.users:
        return None
    index.users.discard(user)
    if not index.users:
        del indexes[doc.display_path]
    return index


def _indexes(ctx: LintContext) -> dict[str, AddressIndex]:
    """The run's address indexes, by file (shared state, not a cached value: the rules
    add and drop files' indexes through :func:`address_keys` and :func:`release`)."""
    return ctx.memo.get("contacts.address_indexes", dict)
