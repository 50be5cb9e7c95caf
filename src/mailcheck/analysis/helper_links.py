"""Links written with a template language's link helper instead of an ``<a>`` element.

A Rails mailer writes its links ``<%= link_to "Se désabonner", unsubscribe_url(token:
@token) %>``; a Laravel view ``{!! link_to_route('newsletter.unsubscribe', 'Se
désabonner') !!}``. The HTML parser sees only text there, yet the sent e-mail has a link
with that text and that target: the opt-out search must count it as one (a false "no
unsubscribe link" on every Rails mailer otherwise).

Recognised, with their argument order:

- ERB/EJS ``link_to TEXT, URL`` (parentheses or not, options after the URL), and the
  block form ``<%= link_to URL do %>TEXT<% end %>``;
- Laravel (laravelcollective/html) ``link_to(URL, TEXT)``, ``link_to_route(NAME, TEXT)``,
  ``link_to_action(ACTION, TEXT)``, in ``{{ }}`` or ``{!! !!}``.

``TEXT`` is a string literal (its content is the label) or an expression (a translation
``t(".unsubscribe")``: the expression is the label, its key says what it is). ``URL`` is a
string literal (a real target, checked as an ``href`` is) or an expression (a route helper
the application computes: no target to check).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: A string literal, or an expression with one level of parentheses and no top-level comma.
_ARG = r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|(?:[^,()%\n'"]|\([^()\n]*\))+)"""
_ERB_OPEN = r"<%[=-]=?\s*"
_ERB_CLOSE = r"\s*-?%>"
_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(
            _ERB_OPEN + r"link_to\s*\(?\s*(?P<url>" + _ARG + r")[^%\n]*?\s+do\s*(?:\|[^|]*\|)?"
            r"\s*-?%>(?P<text>[^<]{0,200}?)<%-?\s*end\s*-?%>"
        ),
        "text",
        "url",
    ),
    (
        re.compile(
            _ERB_OPEN + r"link_to\s*\(?\s*(?P<text>" + _ARG + r")\s*,\s*(?P<url>" + _ARG + r")"
            r"(?:[^%]|%(?!>)){0,300}?" + _ERB_CLOSE
        ),
        "text",
        "url",
    ),
    (
        re.compile(
            r"\{(?:\{|!!)\s*link_to(?:_route|_action)?\s*\(\s*(?P<url>" + _ARG + r")\s*,"
            r"\s*(?P<text>" + _ARG + r")[^}\n]{0,300}?(?:\}\}|!!\})"
        ),
        "text",
        "url",
    ),
)
_QUOTES = "\"'"


@dataclass(frozen=True)
class HelperLink:
    """One helper link: where it is written, its label and its target as written."""

    start: int
    end: int
    #: The label: a literal's content, else the expression (``t(".unsub")``).
    text: str
    #: The target: a literal's content, else the expression (``unsubscribe_url(token: t)``).
    url: str
    #: Whether ``text`` is a literal's content, or an expression.
    literal_text: bool
    #: Whether ``url`` is a literal URL (checked as an ``href``) or an expression.
    literal_url: bool


def helper_links(text: str) -> Iterator[HelperLink]:
    """Every helper link of ``text``, in order (a block form before its inner tags)."""
    if "link_to" not in text:  # most templates: one fast test
        return
    taken: list[tuple[int, int]] = []
    found: list[HelperLink] = []
    for pattern, text_group, url_group in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            label, literal_text = _unquote(match.group(text_group))
            if text_group == "text" and pattern is _PATTERNS[0][0]:
                literal_text = True  # a block's content is the text itself
            url, literal_url = _unquote(match.group(url_group))
            found.append(HelperLink(start, end, label, url, literal_text, literal_url))
    yield from sorted(found, key=lambda link: link.start)


def _unquote(argument: str) -> tuple[str, bool]:
    """(content, True) for a string literal, (expression, False) otherwise."""
    value = argument.strip()
    if len(value) >= 2 and value[0] in _QUOTES and value[-1] == value[0]:
        return value[1:-1], True
    return value, False
