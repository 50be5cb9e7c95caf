"""E-mail addresses and domains: the shape of an address, no-reply addresses, the
organisational (registrable) domain of a host from the public suffix list, the Unicode and
ASCII forms of an internationalised domain, IP-literal hosts. Nothing here touches the
network: the public suffix list is the copy bundled with ``publicsuffixlist``."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from typing import TypeVar

import idna
from publicsuffixlist import PublicSuffixList

T = TypeVar("T")

EMAIL_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def is_noreply_address(address: str, noreply_words) -> bool:
    """No-reply local part (the ``noreply`` keyword list; separators and +tags ignored,
    prefixes/suffixes allowed, as MC320 documents: ``mailcheck rule MC320``) or a
    ``noreply`` label in the domain."""
    address = address.strip().strip("<>").lower()
    if "@" not in address:
        return False
    local, _, domain = address.rpartition("@")
    local = local.split("+", 1)[0]
    squashed = re.sub(r"[-_.]", "", local)
    terms = {re.sub(r"[-_. ]", "", t) for t in noreply_words.terms}
    if any(term and term in squashed for term in terms):
        return True
    return any(re.sub(r"[-_]", "", label) in terms for label in domain.split("."))


@cache
def _public_suffixes() -> PublicSuffixList:
    """The public suffix list bundled with ``publicsuffixlist`` (read from the package, never
    downloaded), ICANN and private sections: ``github.io`` or ``blogspot.com`` hosts are
    separate organisations, as DMARC reads them."""
    return PublicSuffixList()


def organisational_domain(domain: str) -> str:
    """The registrable domain of a host (the public suffix and one label more):
    ``mail.news.acme.fr`` -> ``acme.fr``, ``shop.acme.net.au`` -> ``acme.net.au``,
    ``alice.github.io`` stays whole. A host that is itself a public suffix, or has one
    label, is returned as it is (lower-cased, without a final dot)."""
    host = domain.strip().lower().rstrip(".")
    if not host:
        return host
    if "xn--" in host or not host.isascii():
        host = unicode_domain(host)  # one form, whichever way each side wrote it
    return _public_suffixes().privatesuffix(host) or host


def unicode_domain(domain: str) -> str:
    """The domain in Unicode form, as a mailbox is compared: A-labels decoded
    (``xn--exmple-cva.fr`` -> ``exémple.fr``) and Unicode labels mapped (UTS #46: case,
    width, NFC). A domain IDNA refuses (a stray ``xn--``, an ``_``) is returned NFC-normalised
    and otherwise as it is: a malformed address is for the address rules to report."""
    try:
        return idna.decode(domain, uts46=True)
    except (idna.IDNAError, UnicodeError, ValueError):
        return unicodedata.normalize("NFC", domain)


def ascii_domain(domain: str) -> str | None:
    """The domain in ASCII form (``exémple.fr`` -> ``xn--exmple-cva.fr``), or ``None`` when
    IDNA refuses it."""
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def mailbox_spellings(key: str) -> tuple[str, ...]:
    """The spellings of a canonical address key (trimmed, lower-cased, NFC, domain in
    Unicode form) that another tool may have hashed: the key itself, and for an
    internationalised domain the same address with its domain in ASCII form. Hashed
    suppression lists cannot be normalised (``sha256`` of the trimmed lower-cased address
    as the provider stored it), so both are looked up."""
    local, at, domain = key.rpartition("@")
    if not at or domain.isascii():
        return (key,)
    encoded = ascii_domain(domain)
    return (key,) if encoded is None else (key, f"{local}@{encoded}")


def hashed_entry(key: str, table: Mapping[str, T]) -> T | None:
    """What ``table`` (hex SHA-256 or MD5 of an address -> anything, as hashed
    suppression lists give them) holds for the address ``key``, under any of its
    :func:`mailbox_spellings`; ``None`` when it is not there."""
    for spelling in mailbox_spellings(key):
        data = spelling.encode("utf-8")
        entry = table.get(hashlib.sha256(data).hexdigest())
        if entry is None:
            entry = table.get(hashlib.md5(data, usedforsecurity=False).hexdigest())
        if entry is not None:
            return entry
    return None


def host_is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False
