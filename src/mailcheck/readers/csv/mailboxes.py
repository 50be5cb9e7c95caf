"""Addresses as mailboxes: the canonical ``email_key`` and ``domain`` of an address column.

Two spellings of one mailbox must give one key, or a duplicate (MC218) and a suppressed
address (MC201, MC202, MC212) go unseen. The key is the address trimmed, lower-cased,
Unicode-normalised (NFC: ``é`` typed as ``e`` + combining accent is ``é``) and with its
domain in Unicode form (IDNA: ``xn--exmple-cva.fr`` is ``exémple.fr``). Gmail dots and
``+tags`` are kept: they are one mailbox only at Gmail, and a provider's suppression
keeps the address as written.

Vectorised: the lower-casing and the NFC are Arrow kernels (NFC on the values that may
change only); IDNA runs in Python on the distinct domains that hold ``xn--`` or a non-ASCII
character, which real lists have few of.
"""

from __future__ import annotations

from dataclasses import dataclass

from mailcheck.analysis.addresses import unicode_domain
from mailcheck.lazy import np, pa, pc
from mailcheck.readers.csv.strings import _is_ascii, domain_of, rows_with_byte_from

#: The UTF-8 lead byte of U+0300, the first combining mark. Text of code points below it
#: (ASCII, Latin-1, Latin Extended: ``é``, ``ø``, ``ł``) is NFC already, alone or side by
#: side, so only values with a byte from here on are normalised (a French list has
#: thousands of ``é``, and NFC over them all cost 140 ms a million rows).
_FIRST_COMPOSABLE_LEAD = 0xCC


@dataclass(frozen=True)
class MailboxKeys:
    """The canonical keys of an address column and the domain of each."""

    keys: pa.Array
    domains: pa.Array


def mailbox_keys(addresses: pa.Array) -> MailboxKeys:
    """The canonical key (see the module docstring) and domain of each trimmed address."""
    if _is_ascii(addresses):
        keys = pc.ascii_lower(addresses)
        domains = domain_of(keys)
        odd = pc.match_substring(domains, "xn--")
    else:
        keys = pc.utf8_lower(addresses)
        composable = rows_with_byte_from(keys, _FIRST_COMPOSABLE_LEAD)
        if len(composable):
            mask = np.zeros(len(keys), dtype=bool)
            mask[composable] = True
            nfc = pc.utf8_normalize(keys.take(pa.array(composable)), "NFC")
            keys = pc.replace_with_mask(keys, pa.array(mask), nfc)
        domains = domain_of(keys)
        odd = pc.or_(pc.match_substring(domains, "xn--"), pc.invert(pc.string_is_ascii(domains)))
    if not pc.any(odd).as_py():
        return MailboxKeys(keys, domains)
    return _decoded(keys, domains, np.flatnonzero(odd.to_numpy(zero_copy_only=False)))


def _decoded(keys: pa.Array, domains: pa.Array, rows: np.ndarray) -> MailboxKeys:
    """``keys`` and ``domains`` with the domains of ``rows`` in Unicode form, each
    distinct domain decoded once."""
    taken = pa.array(rows)
    old_keys = keys.take(taken).to_pylist()
    old_domains = domains.take(taken).to_pylist()
    decoded = {domain: unicode_domain(domain) for domain in set(old_domains)}
    new_keys, new_domains = [], []
    for key, domain in zip(old_keys, old_domains, strict=True):
        local, at, _ = key.rpartition("@")
        new = decoded[domain] if at else domain  # a value with no "@" is no address
        new_keys.append(f"{local}@{new}" if at else key)
        new_domains.append(new)
    mask = np.zeros(len(keys), dtype=bool)
    mask[rows] = True
    return MailboxKeys(
        pc.replace_with_mask(keys, pa.array(mask), pa.array(new_keys, pa.string())),
        pc.replace_with_mask(domains, pa.array(mask), pa.array(new_domains, pa.string())),
    )
