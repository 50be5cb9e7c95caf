"""E-mail addresses and domains: the shape of an address, no-reply addresses, the
organisational domain of a host (public suffixes with two labels), IP-literal hosts."""

from __future__ import annotations

import ipaddress
import re

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


_MULTI_SUFFIXES = {
    "co.uk",
    "org.uk",
    "ac.uk",
    "gov.uk",
    "com.au",
    "com.br",
    "co.jp",
    "com.mx",
    "co.nz",
    "com.es",
    "com.pt",
    "co.za",
    "gouv.fr",
    "com.tr",
    "co.in",
}


def organisational_domain(domain: str) -> str:
    labels = domain.lower().strip(".").split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _MULTI_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def host_is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False
