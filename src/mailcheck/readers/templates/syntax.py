"""The composition tags of e-mail template languages, parsed into a tree of nodes.

Only what composes a template out of several files is recognised; every other tag stays
text (the HTML linting tolerates it as a merge tag):

- Twig, Jinja, Nunjucks: ``{% extends %}``, ``{% block %}``/``{% endblock %}``,
  ``{{ parent() }}``/``{{ super() }}``, ``{% include %}``, ``{{ include() }}``,
  ``{% embed %}``/``{% endembed %}``;
- Liquid (Shopify, Jekyll): ``{% render %}``, ``{% include %}``, ``{% layout %}``, a
  front-matter ``layout:``;
- Handlebars: ``{{> footer}}``, a partial block ``{{#> layout}}...{{/layout}}``, Ghost's
  ``{{!< default}}``;
- MJML: ``<mj-include path="..."/>`` (``type="css"`` includes hold no text: left alone).

A layout's slot for the child's content is a :class:`Slot` (``{{> @partial-block}}``,
``{{{body}}}``, ``{{ content_for_layout }}``, Jekyll's ``{{ content }}``). Offsets are
character offsets in the decoded file, so positions can be mapped back exactly.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from mailcheck.readers.templates.comments import comment_spans

_ARGS = r"(?P<{0}>(?:[^%]|%(?!\}}))*?)"
_TOKEN = re.compile(
    r"\{%-?\s*block\s+(?P<block>[\w.]+)(?P<short>(?:[^%]|%(?!\}))*?)\s*-?%\}"
    r"|(?P<endblock>\{%-?\s*endblock\b(?:[^%]|%(?!\}))*%\})"
    r"|\{%-?\s*extends\s+" + _ARGS.format("extends") + r"\s*-?%\}"
    r"|\{%-?\s*embed\s+" + _ARGS.format("embed") + r"\s*-?%\}"
    r"|(?P<endembed>\{%-?\s*endembed\s*-?%\})"
    r"|\{%-?\s*layout\s+" + _ARGS.format("layout") + r"\s*-?%\}"
    r"|\{%-?\s*(?:include|render|include_relative)\s+" + _ARGS.format("include") + r"\s*-?%\}"
    r"|\{\{-?\s*include\(\s*(?P<function>[^)]*)\)\s*-?\}\}"
    r"|(?P<parent>\{\{-?\s*(?:parent|super)\(\s*\)\s*-?\}\})"
    r"|(?P<slot>\{\{~?>\s*@partial-block\s*~?\}\}|\{\{\{\s*body\s*\}\}\}"
    r"|\{\{-?\s*content_for_layout\s*-?\}\})"
    r"|\{\{~?#>\s*(?P<hbsblock>[^\s}]+)[^}]*\}\}"
    r"|\{\{~?/(?P<hbsclose>[^\s}~]+)\s*~?\}\}"
    r"|\{\{~?>\s*(?P<partial>[^\s}~]+)[^}]*\}\}"
    r"|\{\{!<\s*(?P<ghost>[^\s}]+)\s*\}\}"
    r"|<mj-include\b(?P<mjml>[^>]*)>",
    re.I,
)
#: Where a token may start (every alternative of ``_TOKEN`` begins with ``{%``, ``{{`` or
#: ``<mj-include``): one character matched, so no start is skipped.
_CANDIDATE = re.compile(r"\{(?=[%{])|<(?=mj-include\b)", re.I)
_MJ_PATH = re.compile(r"""\bpath\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_MJ_CSS = re.compile(r"""\btype\s*=\s*["']?css""", re.I)
#: A Jekyll page: front matter naming its layout; the layout holds ``{{ content }}``.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>(?:.*\r?\n)*?)---[ \t]*(?:\r?\n|\Z)")
_FRONT_LAYOUT = re.compile(r"^layout:\s*[\"']?([^\"'\r\n]+?)[\"']?\s*$", re.M)
_JEKYLL_SLOT = re.compile(r"\{\{-?\s*content\s*-?\}\}")
_QUOTED = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)')""")
_LIST = re.compile(r"\s*\[([^\]]*)\]")
#: An unquoted name that is a file (Jekyll ``{% include footer.html %}``), not a variable.
_BARE_FILE = re.compile(r"\s*([\w@][\w./@-]*\.[A-Za-z0-9]+|[\w@][\w.@-]*/[\w./@-]+)(?=\s|$)")
#: After a quoted name: the name is an expression (``'x' ~ suffix``, ``"x" + lang``).
_OPERATOR = re.compile(r"\s*(?:~|\+|\||\bif\b|\?)")


@dataclass(frozen=True)
class Ref:
    """A reference to another file: ``names`` to try in turn (Jinja's include of a list);
    empty when it is an expression or a variable that only the send-time data decides.
    ``start``/``end`` span the tag; ``written`` is the reference as written (for notes)."""

    names: tuple[str, ...]
    written: str
    start: int
    end: int
    syntax: str  # "jinja" (Twig, Jinja, Nunjucks, Liquid), "handlebars", "mjml", "jekyll"


@dataclass
class Text:
    start: int
    end: int


@dataclass
class Include:
    ref: Ref


@dataclass
class Parent:
    """``{{ parent() }}`` / ``{{ super() }}``: the overridden block's content."""

    start: int
    end: int


@dataclass
class Slot:
    """Where a layout puts the content of the page that uses it."""

    start: int
    end: int


@dataclass
class Block:
    """``{% block name %}...{% endblock %}`` (``short``: ``{% block title "x" %}``)."""

    name: str
    start: int
    end: int
    body: list[Node] = field(default_factory=list)


@dataclass
class Wrap:
    """Content handed to a layout or partial that has a :class:`Slot`: a Handlebars
    partial block, or (for a whole file) Ghost, Shopify and Jekyll layouts. ``body``
    also holds the blocks an ``{% embed %}`` overrides."""

    ref: Ref
    body: list[Node] = field(default_factory=list)
    embed: bool = False


Node = Text | Include | Parent | Slot | Block | Wrap


@dataclass
class Parsed:
    """A template file's nodes, and the layout it extends (``{% extends %}``) or hands
    all its content to (``wrap``), if any."""

    nodes: list[Node]
    extends: Ref | None = None
    wrap: Ref | None = None


def parse(text: str) -> Parsed:
    """The composition tree of ``text`` (unbalanced tags are kept as text)."""
    root: list[Node] = []
    stack: list[tuple[Block | Wrap, list[Node]]] = []
    parsed = Parsed(root)
    body, pos = root, 0
    front = _FRONT_MATTER.match(text)
    if front:
        layout = _FRONT_LAYOUT.search(front.group("yaml"))
        if layout:
            name = layout.group(1).strip()
            parsed.wrap = Ref((name,), name, 0, front.end(), "jekyll")
            pos = front.end()
    for token in _tokens(text, pos):
        kind = token.lastgroup
        start, end = token.span()
        if token.group("block") is not None:  # its last group is "short"
            kind = "block"
        if kind == "hbsclose" and not (
            stack
            and isinstance(stack[-1][0], Wrap)
            and stack[-1][0].ref.written == token.group(kind)
        ):
            continue  # {{/if}}, {{/each}}: text
        if kind == "endblock" and not (stack and isinstance(stack[-1][0], Block)):
            continue
        if kind == "endembed" and not (stack and isinstance(stack[-1][0], Wrap)):
            continue
        if kind == "mjml" and _MJ_CSS.search(token.group("mjml")):
            continue
        if start > pos:
            body.append(Text(pos, start))
        pos = end
        if kind == "block":
            block = Block(token.group("block"), start, end)
            short = token.group("short").strip()
            body.append(block)
            if short:  # {% block title "Soldes" %}: the expression is its content
                inner = (
                    token.start("short")
                    + len(token.group("short"))
                    - len(token.group("short").lstrip())
                )
                block.body.append(Text(inner, inner + len(short)))
            else:
                stack.append((block, body))
                body = block.body
        elif kind in ("endblock", "endembed", "hbsclose"):
            _, body = stack.pop()
        elif kind == "extends":
            parsed.extends = parsed.extends or _reference(token, "extends", "jinja")
        elif kind == "layout":
            parsed.wrap = parsed.wrap or _reference(token, kind, "jinja")
        elif kind == "ghost":  # {{!< main}}: a bare name, as Handlebars partials are
            parsed.wrap = parsed.wrap or _handlebars(token, kind)
        elif kind in ("include", "function"):
            body.append(Include(_reference(token, kind, "jinja")))
        elif kind == "partial":
            body.append(Include(_handlebars(token, "partial")))
        elif kind == "mjml":
            path = _MJ_PATH.search(token.group("mjml"))
            names = (path.group(1) or path.group(2),) if path else ()
            body.append(Include(Ref(names, names[0] if names else "?", start, end, "mjml")))
        elif kind == "parent":
            body.append(Parent(start, end))
        elif kind == "slot":
            body.append(Slot(start, end))
        elif kind in ("hbsblock", "embed"):
            ref = (
                _handlebars(token, kind) if kind == "hbsblock" else _reference(token, kind, "jinja")
            )
            wrap = Wrap(ref, embed=kind == "embed")
            body.append(wrap)
            stack.append((wrap, body))
            body = wrap.body
    if pos < len(text):
        body.append(Text(pos, len(text)))
    return parsed  # an unclosed block keeps its content where it was written


def _tokens(text: str, pos: int) -> Iterator[re.Match]:
    """``_TOKEN.finditer(text, pos)``, found faster: ``_TOKEN``'s many alternatives are
    tried only where a token may start, not at each of a 100 KB page's characters. Tags
    inside template comments are skipped."""
    comments = deque(comment_spans(text))
    while True:
        candidate = _CANDIDATE.search(text, pos)
        if candidate is None:
            return
        while comments and comments[0][1] <= candidate.start():
            comments.popleft()
        if comments and comments[0][0] <= candidate.start():
            pos = comments[0][1]  # an include inside {# #} is never rendered: not followed
            continue
        token = _TOKEN.match(text, candidate.start())
        if token is None:
            pos = candidate.start() + 1
            continue
        yield token
        pos = token.end()


def jekyll_slot(text: str, start: int, end: int) -> list[Node]:
    """``{{ content }}`` is a slot only in a Jekyll layout: split a text node there."""
    nodes: list[Node] = []
    pos = start
    for found in _JEKYLL_SLOT.finditer(text, start, end):
        if found.start() > pos:
            nodes.append(Text(pos, found.start()))
        nodes.append(Slot(*found.span()))
        pos = found.end()
    if pos < end:
        nodes.append(Text(pos, end))
    return nodes


def _reference(token: re.Match, group: str, syntax: str) -> Ref:
    """A Twig/Jinja/Nunjucks/Liquid reference: a quoted name, a list of them, a bare file
    name (Jekyll); anything else is an expression decided at send time."""
    args = token.group(group)
    start, end = token.span()
    quoted = _QUOTED.match(args)
    if quoted:
        if _OPERATOR.match(args, quoted.end()):
            return Ref((), args.strip(), start, end, syntax)
        name = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
        return Ref((name,), name, start, end, syntax)
    listed = _LIST.match(args)
    if listed:
        names = tuple(a or b for a, b in re.findall(r""""([^"]*)"|'([^']*)'""", listed.group(1)))
        return Ref(names, listed.group(0).strip(), start, end, syntax)
    bare = _BARE_FILE.match(args)
    if bare:
        return Ref((bare.group(1),), bare.group(1), start, end, syntax)
    return Ref((), args.strip().split()[0] if args.strip() else "?", start, end, syntax)


def _handlebars(token: re.Match, group: str) -> Ref:
    """``{{> footer}}``, ``{{> "partials/footer"}}``; ``{{> (lookup ...)}}`` is dynamic."""
    name = token.group(group).strip("\"'")
    start, end = token.span()
    if name.startswith("(") or name.startswith("@"):
        return Ref((), name, start, end, "handlebars")
    return Ref((name,), name, start, end, "handlebars")
