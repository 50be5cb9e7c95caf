"""Merge tags and template expressions: the run's matcher for a merge-tag role, and
finders for template expressions of any template language whose name says what they
print (an unsubscribe URL, a postal address...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailcheck.context import LintContext, TagMatcher


def tag_matcher(ctx: LintContext, role: str) -> TagMatcher:
    """The run's matcher for one merge-tag role (see :class:`mailcheck.context.MergeTags`)."""
    return ctx.merge_tags.matcher(role)


#: Template expressions of the common template languages (Mailchimp ``*|X|*``, Liquid and
#: Handlebars ``{{ }}``/``{% %}``, Mailjet ``[[X]]``, SendGrid ``<%x%>``, ``%x%``, ``$x``...).
TEMPLATE_EXPRESSION = re.compile(
    r"\*\|.+?\|\*|\{\{.+?\}\}|\{%.+?%\}|\[\[.+?\]\]|<%.+?%>|%%.+?%%|%[A-Za-z_:\-]+%|"
    r"\$\{.+?\}|\{\$.+?\}|#\[.+?\]#|\$\[.+?\]\$|\{!.+?\}|::\w+::|\[[A-Za-z_]+\]",
    re.S,
)


# Two-character delimiters may hold arguments (``{% unsubscribe 'Quitter' %}``); a single
# character (``%name%``, ``{name}``, ``$NAME$``) only a bare name, so "100% unsubscribe 20%"
# in a sentence is not a tag.
# ERB/EJS output tags open with ``<%=``, ``<%==`` or ``<%-``.
_TAG_OPENERS = r"(?:\*\||\{\{\{?|\{%|\{\$|\{!|\[%|\[\[|<%(?:==?|-)?|%%|\$\[|#\[|::|\{!!)"
_TAG_CLOSERS = r"(?:\|\*|\}\}\}?|%\}|\}|%\]|\]\]|\]|-?%>|%%|\]\$|\]#|::|!!\})"
#: A web framework's URL helper naming its route by a string: Flask/Jinja
#: ``url_for('unsubscribe', ...)``, Laravel/Blade ``route('newsletter.unsubscribe')``,
#: ``url('/unsubscribe/'.$t)``, Symfony/Twig ``path('app_unsubscribe')``, Django
#: ``{% url 'newsletter:unsubscribe' t %}``: the quoted route is what the link does.
_URL_HELPER = (
    r"(?:url_for|route|url|path|reverse|signedRoute|temporarySignedRoute|absolute_url"
    r"|URL::\w+)\s*\(?\s*[\"']"
)


@dataclass
class TemplateTagFinder:
    """Finds template expressions whose name matches ``names``: a fast literal search for
    the names first, the full expression pattern only in a window around each hit (the
    full pattern over 100 KB of HTML costs several milliseconds)."""

    names: re.Pattern[str]
    pattern: re.Pattern[str]

    def finditer(self, text: str):
        last_end = -1
        for hit in self.names.finditer(text):
            start = max(0, hit.start() - 50, last_end)
            match = self.pattern.search(text, start, hit.end() + 70)
            if match is not None and match.start() <= hit.start():
                last_end = match.end()
                yield match

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


def template_tag_finder(names: str) -> TemplateTagFinder:
    return TemplateTagFinder(re.compile(names, re.I), template_tag_pattern(names))


def template_tag_pattern(names: str) -> re.Pattern[str]:
    """A template expression of any language whose name contains one of ``names`` (a regex
    alternation), arguments allowed: ``{% unsubscribe 'Se désinscrire' %}``,
    ``*|UNSUB:https://acme.fr/bye|*``, ``%%=RedirectTo(@unsub)=%%``, ``{unsubscribe_text}``."""
    loose = (
        _TAG_OPENERS
        + r"\s*[^\s{}\[\]<>|*\"']{0,40}?(?:"
        + names
        + r")[^\n{}\[\]<>|*]{0,60}?\s*"
        + _TAG_CLOSERS
    )
    helper = (
        _TAG_OPENERS
        + r"\s*"
        + _URL_HELPER
        + r"[\w./:\-]{0,60}?(?:"
        + names
        + r")[^\n{}<|*]{0,80}?\s*"
        + _TAG_CLOSERS
    )
    strict = r"(?:%|\$|#|\{|\[)[\w.:\-]{0,40}?(?:" + names + r")[\w.:\-]{0,40}?(?:%|\$|#|\}|\])"
    return re.compile(f"{loose}|{helper}|{strict}", re.I)
