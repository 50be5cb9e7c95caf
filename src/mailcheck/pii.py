"""Masking of personal data in everything mailcheck prints.

Reports are read in CI logs, SARIF uploads and pull requests: by default every e-mail
address is shown as ``j***@example.com``, in messages, excerpts, fix hints, file and ZIP
member names, ``inspect`` output and every stderr line. ``--show-pii`` turns masking off
in reports (stderr lines and crash logs stay masked: they end up in CI logs).

The pattern is deliberately broad (a false positive costs a few characters of a message,
a miss leaks an address): dot-atom and quoted local parts, Unicode letters (``josé@``,
``ïnfo@例え.jp``), single-label domains (``root@localhost``) and address literals
(``x@[192.0.2.1]``, ``x@[IPv6:2001:db8::1]``).
"""

from __future__ import annotations

import re

#: Characters of a dot-atom local part (RFC 5322 ``atext``, with Unicode letters as in
#: RFC 6531), less ``/`` and ``!``: those separate folders and ZIP members in a path
#: (``exports/jean@example.com.csv``, ``liste.zip!jean@example.com.csv``), where masking
#: must keep them. A backtick is allowed by the RFC but, in practice, only quotes one.
#: A local part never starts with ``.`` or ``'`` (``'jean@example.com'`` in a message).
_START = r"\w#$%&*+=?^{|}~\-"
_ATEXT = _START + r"'."
_LOCAL = (
    rf"(?:(?<![{_START}])[{_START}][{_ATEXT}]*"  # jean.dupont+news, o'neil, josé, ïnfo
    r'|"(?:[^"\\\r\n]|\\.){1,64}")'  # "jean dupont", "a@b"
)
_DOMAIN = (
    r"(?:\[[^\[\]\s\\]{1,64}\]"  # [192.0.2.1], [IPv6:2001:db8::1]
    r"|[\w-]+(?:\.[\w-]+)*)"  # example.com, 例え.jp, localhost
)
#: The ``@`` as templates and links write it: itself, percent-encoded once or more
#: (``?email=jean%40example.fr``, ``%2540`` when a tracker encodes the link again), an
#: HTML character reference (``&#64;``, ``&#x40;``, ``&commat;``: the raw source of a
#: template is quoted in the ``full`` and HTML reports), a JavaScript/JSON escape
#: (``\u0040``, ``\x40``) and the full-width and small forms (``＠``, ``﹫``) that
#: look the same to a reader. Each is kept as written: only the local part is masked.
_AT = (
    r"(?:@|%(?:25)*40|&#0*64(?:;|(?![0-9]))|&#[xX]0*40(?:;|(?![0-9a-fA-F]))|&commat;"
    r"|\\u0040|\\x40|\uff20|\ufe6b)"
)
EMAIL_PATTERN = re.compile(f"({_LOCAL})({_AT})({_DOMAIN})")
#: Whether a text can hold an address at all (most texts cannot: the regex is skipped).
_MAYBE_AT = re.compile(r"[@%&\\\uff20\ufe6b]")


def mask_address(address: str) -> str:
    """``jeanne.dupont@example.com`` -> ``j***@example.com``; ``"jean dupont"@x.fr`` ->
    ``j***@x.fr``. A masked address stays as it is (masking twice changes nothing, so a
    path masked once and masked again still matches its baseline entry)."""
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return address
    return f"{_initial(local)}***@{domain}"


def mask_contact(value: str) -> str:
    """A contact's address cell as the reports show it: the address masked
    (:func:`mask_address`), or, for a cell that is no address (``jean.dupont.gmail.com``,
    a typo: still someone's address), its first character only."""
    if "@" in value:
        return mask_address(value)
    return value[:1] + "***" if value and not value.endswith("***") else value


def _initial(local: str) -> str:
    first = local.lstrip('"')[:1]
    return "" if first == "*" else first


def _masked(match: re.Match[str]) -> str:
    return f"{_initial(match.group(1))}***{match.group(2)}{match.group(3)}"


def may_hold_address(text: str) -> bool:
    """Whether ``text`` can hold an address, however its ``@`` is written: the quick test
    before :func:`mask_text` (callers that skip masking on it skip exactly what
    :func:`mask_text` would leave alone, so a path masked or not hashes the same)."""
    return _MAYBE_AT.search(text) is not None


def mask_text(text: str) -> str:
    """Mask every address found in ``text``, however its ``@`` is encoded (idempotent)."""
    if not may_hold_address(text):  # most texts: skip the address regex
        return text
    return EMAIL_PATTERN.sub(_masked, text)


#: How far around a cut an address that it splits is looked for: a local part (64) and a
#: domain (255), with room for an encoded ``@``.
_REACH = 340


def clip(text: str, width: int) -> str:
    """``text[:width]``, or up to the end of an address that the cut would split: a cut
    address (``claire.martin%4``) no longer looks like one, so masking would leave its
    local part in clear. Every excerpt and quoted link or label is cut with this."""
    if len(text) <= width:
        return text
    start = max(0, width - _REACH)
    window = text[start : width + _REACH]
    if may_hold_address(window):
        for match in EMAIL_PATTERN.finditer(window):
            begin, end = start + match.start(), start + match.end()
            if begin >= width:
                break
            if end > width:
                return text[:end]
    return text[:width]
