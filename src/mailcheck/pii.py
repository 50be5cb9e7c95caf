"""Masking of personal data in everything mailcheck prints.

Reports are read in CI logs, SARIF uploads and pull requests: by default every e-mail
address is shown as ``j***@example.com``. ``--show-pii`` turns masking off.
"""

from __future__ import annotations

import re

# Deliberately broad: anything that looks like local@domain.tld is masked.
# A backtick is allowed in a local part by RFC 5322 but, in practice, only quotes one.
EMAIL_PATTERN = re.compile(r"(?<![\w.+-])([\w.!#$%&'*+/=?^{|}~-]+)@([\w-]+(?:\.[\w-]+)+)")


def mask_address(address: str) -> str:
    """``jeanne.dupont@example.com`` -> ``j***@example.com``."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else address


def mask_text(text: str) -> str:
    """Mask every address found in ``text``."""
    if "@" not in text:  # most messages: skip the regex
        return text
    return EMAIL_PATTERN.sub(lambda m: f"{m.group(1)[:1]}***@{m.group(2)}", text)
