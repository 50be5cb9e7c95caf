"""From folded text back to the source: the words as written ("Désabonnez-vous" for the
folded "desabonnez vous"), the element that holds a phrase, and the element or (line,
column) at a given place, so findings quote and point at what the reader sees."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mailcheck.analysis.body import BLOCK_ELEMENTS, body_text
from mailcheck.keywords import fold
from mailcheck.lazy import bs4

if TYPE_CHECKING:
    from bs4 import Tag

    from mailcheck.context import LintContext
    from mailcheck.documents import Body


def element_for_text(body: Body, folded_phrase: str) -> Tag | None:
    """The innermost element whose text holds ``folded_phrase`` (for positions)."""
    if body.soup is None:
        return None
    for string in body.soup.find_all(string=True):
        if isinstance(string, bs4.Comment) or not isinstance(string, bs4.NavigableString):
            continue
        if string.parent is not None and string.parent.name in ("style", "script", "title"):
            continue
        if folded_phrase in fold(str(string)):
            return string.parent if isinstance(string.parent, bs4.Tag) else None
    for block in body.soup.find_all(list(BLOCK_ELEMENTS - {"body", "table", "tr"})):
        if folded_phrase in fold(block.get_text(" ")):
            inner = [
                b
                for b in block.find_all(list(BLOCK_ELEMENTS))
                if folded_phrase in fold(b.get_text(" "))
            ]
            return inner[-1] if inner else block
    return None


# Words, and punctuation other than the separators fold() turns into spaces.
_TOKEN = re.compile(r"[^\W_]+|[^\w\s\-\u00a0\u2010-\u2015]", re.U)


def original_phrase(text: str, folded_phrase: str) -> str:
    """The words of ``text`` that fold to ``folded_phrase`` ("Désabonnez-vous" for
    "desabonnez vous"), so messages quote what the reader sees; the folded phrase if not
    found."""
    wanted = _TOKEN.findall(folded_phrase)
    if not wanted:
        return folded_phrase
    # A 100 KB newsletter has some 15,000 tokens but a thousand distinct ones: each is
    # folded once (folding every token was most of the cost of quoting one finding).
    folded: dict[str, str] = {}
    tokens = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        same = folded.get(token)
        if same is None:
            same = folded[token] = fold(token)
        tokens.append((match.start(), match.end(), same))
    size = len(wanted)
    for index in range(len(tokens) - size + 1):
        if all(tokens[index + k][2] == wanted[k] for k in range(size)):
            return text[tokens[index][0] : tokens[index + size - 1][1]]
    return folded_phrase


def phrase_in_body(body: Body, folded_phrase: str, ctx: LintContext) -> str:
    return original_phrase(body_text(body, ctx), folded_phrase)


def text_position(body: Body, folded_phrase: str) -> tuple[int, int]:
    """(line, column) of a phrase found in the body's folded text."""
    if body.soup is not None:
        element = element_for_text(body, folded_phrase)
        if element is not None:
            return body.position(element)
        return body.line_offset + 1, 1
    lines = body.text.split("\n")
    for number, line in enumerate(lines, start=1):
        if folded_phrase in fold(line):
            return body.offset_position(sum(len(x) + 1 for x in lines[: number - 1]))
    return body.line_offset + 1, 1


def element_at(body: Body, offset: int) -> Tag | None:
    """The element whose text or attribute holds the character at ``offset`` of the source."""
    line, column = _line_col(body.text, offset)
    best = None
    for tag in body.soup.find_all(True):
        position = (tag.sourceline or 0, (tag.sourcepos or 0) + 1)
        if position <= (line, column):
            best = tag
        else:
            break
    return best


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
