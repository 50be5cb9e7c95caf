"""Label text for messages: whitespace collapsed, ``name``/``id`` values split into words,
the words a folded keyword matched as written, and a label shortened for quoting."""

from __future__ import annotations

import re

from mailcheck.keywords import fold
from mailcheck.pii import clip

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NAME_SPLIT = re.compile(r"[\W_]+")
_WS = re.compile(r"\s+")
_TIGHT_BEFORE = re.compile(r"\s+([),.])")
_TIGHT_AFTER = re.compile(r"([(])\s+")


def clean(text: str) -> str:
    """Collapse whitespace (labels are quoted in messages); no space inside brackets or
    before a comma or full stop (``get_text(" ")`` adds them around inline tags)."""
    text = _WS.sub(" ", text).strip()
    return _TIGHT_AFTER.sub(r"\1", _TIGHT_BEFORE.sub(r"\1", text))


def name_words(*values: str) -> str:
    """``name``/``id`` values split into words: ``optinPartners[1]`` -> ``optin partners 1``."""
    words = []
    for value in values:
        value = _CAMEL.sub(" ", value or "")
        words.extend(part for part in _NAME_SPLIT.split(value) if part)
    return " ".join(words)


def original(text: str, folded_term: str) -> str:
    """The words of ``text`` that a folded keyword matched, as written (for messages):
    ``original("Offres personnalisées", "personnalisees")`` -> ``"personnalisées"``."""
    folded: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        piece = " " if _WS.fullmatch(char) or char in "-_\u00a0" else fold(char)
        for folded_char in piece:
            if folded_char == " " and (not folded or folded[-1] == " "):
                continue
            folded.append(folded_char)
            where.append(index)
    at = "".join(folded).find(folded_term)
    if at == -1 or not folded_term:
        return folded_term
    return text[where[at] : where[at + len(folded_term) - 1] + 1]


def quote(text: str, width: int = 90) -> str:
    """A label shortened for a message."""
    text = clean(text)
    if len(text) <= width:
        return text
    cut = clip(text, width - 1)
    return text if cut == text else cut.rstrip() + "…"
