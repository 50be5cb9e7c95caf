"""Comments of e-mail template languages: what the template engine drops before sending.

A link written inside ``{# ... #}`` is never sent, exactly like one inside an HTML
``<!-- -->`` -- except that an HTML parser does not know these comments and would read
the link as part of the page. The comments recognised:

- Twig, Jinja, Nunjucks, Django: ``{# ... #}`` (``{#- ... -#}`` too);
- Handlebars, Mustache: ``{{!-- ... --}}`` and ``{{! ... }}`` (``{{~! ~}}`` too), but not
  Ghost's ``{{!< layout}}``, which names the layout;
- Liquid, Django: ``{% comment %} ... {% endcomment %}`` (Django's ``{% comment "a note"
  %}`` too), Liquid's inline ``{% # ... %}``;
- a branch that can never render: ``{% if false %}`` (``0``, ``none``, ``nil``) up to
  its ``{% else %}``/``{% elif %}``/``{% endif %}``, Handlebars' ``{{#if false}}`` up to
  its ``{{else}}``/``{{/if}}`` (a nested ``if`` ends the blanked part early: what is
  after it is kept, never more is dropped than the engine drops).

:func:`blank_comments` replaces their content with spaces, newlines kept, so every
offset, line and column of the text stays where it was; the composition skips an include
written inside one (:func:`comment_spans`).
"""

from __future__ import annotations

import re

#: The template comments, each with the pattern it must start with. A comment whose end
#: is never found cannot be found further on either: its kind is not tried again (a page
#: of a thousand unclosed ``{#`` stays linear).
_KINDS: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] = tuple(
    (re.compile(opening + rest, re.S | re.I), re.compile(opening, re.I) if scans else None)
    for opening, rest, scans in (
        # ``{#`` right after another ``{`` is the ``{{#each}}`` of Handlebars.
        (r"(?<!\{)\{#", r".*?#\}", True),
        (r"\{\{~?!--", r".*?--~?\}\}", True),
        (r"\{\{~?!(?!<|--)", r"[^}]*\}\}", False),
        (
            r"\{%-?\s*comment(?:\s+(?:\"[^\"%]*\"|'[^'%]*'))?\s*-?%\}",
            r".*?\{%-?\s*endcomment\s*-?%\}",
            True,
        ),
        (r"\{%-?\s*#", r"(?:[^%]|%(?!\}))*%\}", False),
        (
            r"\{%-?\s*if\s+(?:false|0|none|nil)\s*-?%\}",
            r".*?(?=\{%-?\s*(?:else|elif|elsif|endif)\b)",
            True,
        ),
        (r"\{\{~?#if\s+false\s*~?\}\}", r".*?(?=\{\{~?(?:else\b|\^|/if\b))", True),
    )
)
#: Where a comment may start.
_START = re.compile(r"\{[#{%]")
_NOT_NEWLINE = re.compile(r"[^\r\n]")


def comment_spans(text: str) -> list[tuple[int, int]]:
    """Where the template comments of ``text`` are, in order."""
    spans: list[tuple[int, int]] = []
    if "{" not in text:
        return spans
    dead: set[int] = set()
    pos = 0
    while True:
        start = _START.search(text, pos)
        if start is None:
            return spans
        pos = start.start()
        for index, (pattern, opening) in enumerate(_KINDS):
            if index in dead:
                continue
            found = pattern.match(text, pos)
            if found is not None:
                spans.append(found.span())
                pos = found.end()
                break
            if opening is not None and opening.match(text, pos):
                dead.add(index)  # opened here, never closed: closed nowhere further on
        else:
            pos += 1


def blank_comments(text: str) -> str:
    """``text`` with every template comment turned into spaces (line breaks kept)."""
    spans = comment_spans(text)
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        parts.append(text[pos:start])
        parts.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
