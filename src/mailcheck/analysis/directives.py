"""The ``<!-- mailcheck: ... -->`` comments a template carries to set what mailcheck
would otherwise infer or read from config: its kind (marketing, transactional), its sender
and its reply-to address."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailcheck.documents import Document

KIND_COMMENT = re.compile(r"<!--\s*mailcheck\s*:\s*kind\s+(marketing|transactional)\b", re.I)
SETTING_COMMENT = re.compile(r"<!--\s*mailcheck\s*:\s*(sender|reply-to)\s+(.+?)\s*-->", re.I)


def template_setting(doc: Document, name: str) -> str | None:
    """A per-template ``<!-- mailcheck: sender x@y -->`` / ``reply-to`` setting."""
    for body in getattr(doc, "bodies", []):
        for match in SETTING_COMMENT.finditer(body.text):
            if match.group(1).lower() == name:
                return match.group(2)
    return None
