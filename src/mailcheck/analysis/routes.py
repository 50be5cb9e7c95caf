"""Every opt-out route of a body, found once and cached: links (scored by their text,
``title``/``aria-label``/image ``alt``, URL, or the sentence around a generic "click
here"), provider merge tags and unknown template tags that say unsubscribe, and
plain-text instructions ("reply STOP", "send an e-mail to", a URL next to an unsubscribe
phrase) -- each with its position, target problems and visibility.

It stays one module (about 540 lines) because the three searches fill one
:class:`Routes` in a fixed order: a later search only runs when the earlier ones found no
working route, so splitting them would spread one decision over several files."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mailcheck.analysis.addresses import EMAIL_ADDRESS, is_noreply_address
from mailcheck.analysis.body import (
    TagIndex,
    anchor_texts,
    block_of,
    comment_spans,
    tag_index,
    unrendered,
)
from mailcheck.analysis.helper_links import helper_links
from mailcheck.analysis.patterns import stem_pattern
from mailcheck.analysis.phrases import element_at
from mailcheck.analysis.tags import TEMPLATE_EXPRESSION, tag_matcher, template_tag_finder
from mailcheck.analysis.targets import block_tag_problem, foreign_tag_problem, target_problem
from mailcheck.analysis.visibility import Visibility, visibility
from mailcheck.documents import class_names
from mailcheck.i18n import Text
from mailcheck.keywords import COMBINING_MARKS, fold
from mailcheck.lazy import bs4

if TYPE_CHECKING:
    from collections.abc import Callable

    from bs4 import Tag

    from mailcheck.context import LintContext, TagMatcher
    from mailcheck.documents import Body
    from mailcheck.keywords import KeywordList

STRONG, PREFERENCE = "unsubscribe", "preferences"
_SENTENCE_END = re.compile(r"[.!?|·•]\s")
_URL = re.compile(r"https?://\S+|www\.\S+")


@dataclass
class Route:
    """One way out found in a body."""

    kind: str  # "link", "tag", "text", "reply", "email", "offline"
    strength: str  # STRONG or PREFERENCE
    label: str  # what was found, for messages
    body: Body
    element: Tag | None = None
    href: str = ""
    offset: int | None = None
    how: str = ""  # "text", "url", "merge tag", "context"...
    tag: tuple[str, str] | None = None  # (merge tag, provider)
    image_only: bool = False
    has_alt: bool = True
    scoped: bool = False
    context: str = ""  # folded sentence around the link
    problems: list[Text] = field(default_factory=list)

    @property
    def position(self) -> tuple[int, int]:
        if self.element is not None:
            return self.body.position(self.element)
        if self.offset is not None:
            return self.body.offset_position(self.offset)
        return self.body.line_offset + 1, 1

    def visibility(self, ctx: LintContext) -> Visibility:
        """How visible the link is (the cascade, colours, size), once per link."""
        if self.element is None or self.body.soup is None:
            return Visibility()
        element, body = self.element, self.body
        return ctx.memo.get(
            ("routes.visibility", id(element)), lambda: visibility(element, body, ctx), of=body
        )

    @property
    def describe(self) -> str:
        text = " ".join(self.label.split())
        if len(text) > 60:
            text = text[:57] + "..."
        return text


def _label(anchor: Tag, label: str, images: list[Tag]) -> tuple[str, str, list[Tag]]:
    """(visible text, title/aria-label/alt text, images) of a link whose text is
    ``label``."""
    text = label.strip()
    extra = " ".join(
        [str(anchor.get(attr, "")) for attr in ("title", "aria-label")]
        + [str(img.get("alt", "")) for img in images]
        + [str(img.get("title", "")) for img in images]
    ).strip()
    return text, extra, images


def _in_provider_module(anchor: Tag) -> bool:
    """Is the link part of a provider's unsubscribe module, whose URL the provider writes at
    send time (SendGrid's design editor: ``data-type="unsubscribe"`` module and
    ``Unsubscribe--unsubscribeLink`` class)?"""
    if any(name.startswith("Unsubscribe--") for name in class_names(anchor)):
        return True
    node = anchor.parent
    for _ in range(5):
        if not isinstance(node, bs4.Tag):
            return False
        if node.get("data-type") == "unsubscribe" or node.get("data-role") == "module-unsubscribe":
            return True
        node = node.parent
    return False


def sentence_around(anchor: Tag, text: str) -> str:
    """Folded sentence that holds the link, ~150 characters either side at most."""
    block = block_of(anchor)
    whole = block.get_text(" ")
    if len(whole) > 4000:
        whole = whole[:4000]
    # Source newlines are plain spaces in HTML: normalise before cutting sentences.
    whole = " ".join(whole.split())
    text = " ".join(text.split())
    where = whole.find(text) if text else -1
    if where < 0:
        return fold(whole[:300])
    before = whole[max(0, where - 150) : where]
    after = whole[where + len(text) : where + len(text) + 150]
    # Keep the sentence before too: "Don't want these emails? Click here."
    ends = list(_SENTENCE_END.finditer(before))
    if len(ends) >= 2:
        before = before[ends[-2].end() :]
    end = _SENTENCE_END.search(after)
    if end:
        after = after[: end.start() + 1]
    return fold(f"{before} {text} {after}")


@dataclass
class Routes:
    """Every opt-out route of one body, plus links that *look* like opt-outs but cannot work."""

    body: Body
    routes: list[Route] = field(default_factory=list)
    broken: list[Route] = field(default_factory=list)
    conditional_only: list[Route] = field(default_factory=list)

    @property
    def working(self) -> list[Route]:
        return self.routes

    @property
    def strong(self) -> list[Route]:
        return [r for r in self.routes if r.strength == STRONG]

    @property
    def all_links(self) -> list[Route]:
        return [*self.routes, *self.broken]


def unsubscribe_routes(body: Body, ctx: LintContext) -> Routes:
    """All opt-out routes of ``body`` (cached)."""
    return ctx.memo.get("routes.routes", lambda: _find_routes(body, ctx), of=body)


def _find_routes(body: Body, ctx: LintContext) -> Routes:
    result = Routes(body)
    unsub_tags = tag_matcher(ctx, "unsubscribe")
    pref_tags = tag_matcher(ctx, "preferences")
    if body.soup is not None:
        _html_routes(body, ctx, result, unsub_tags, pref_tags)
    else:
        _helper_link_routes(body, ctx, result, _LinkWords.of(ctx), (unsub_tags, pref_tags))
    # Merge tags outside links (text parts, Campaign Monitor <unsubscribe>, HubSpot sections).
    if not result.routes:
        for matcher, strength in (
            (unsub_tags, STRONG),
            (pref_tags, PREFERENCE),
        ):
            for offset, tag, provider in matcher.find_all(body.text):
                if unrendered(body, offset, ctx):
                    continue
                element = element_at(body, offset) if body.soup is not None else None
                result.routes.append(
                    Route(
                        "tag",
                        strength,
                        tag,
                        body,
                        element=element,
                        offset=offset,
                        how="merge tag",
                        tag=(tag, provider),
                    )
                )
                break
            if result.routes:
                break
    if not result.routes and not result.broken:
        _unknown_tag_route(body, result, ctx)
    if not result.routes:
        _text_routes(body, ctx, result)
    return result


@dataclass(frozen=True)
class _LinkWords:
    """The keyword lists and URL hints links are scored with, looked up once per body."""

    strong: KeywordList
    preferences: KeywordList
    paid: KeywordList
    generic: KeywordList
    scope: KeywordList
    notifications: KeywordList
    negated: KeywordList
    url_hints: re.Pattern[str]
    preference_url_hints: re.Pattern[str]

    @classmethod
    def of(cls, ctx: LintContext) -> _LinkWords:
        keywords = ctx.keywords
        return cls(
            strong=keywords["unsubscribe"],
            preferences=keywords["preferences"],
            paid=keywords["paid_subscription"],
            generic=keywords["generic_link"],
            scope=keywords["unsubscribe_scope"],
            notifications=keywords["notification_settings"],
            negated=keywords["unsubscribe_negated"],
            url_hints=stem_pattern(keywords["unsubscribe_url"].terms),
            preference_url_hints=stem_pattern(keywords["preferences_url"].terms),
        )


@dataclass(frozen=True)
class _Score:
    """Why a link is an opt-out: its strength, how that was found, the merge tag in its
    ``href`` (if any) and the folded sentence around it."""

    strength: str
    how: str
    tag: tuple[str, str] | None
    context: str


def _html_routes(
    body: Body, ctx: LintContext, result: Routes, unsub_tags: TagMatcher, pref_tags: TagMatcher
) -> None:
    """Links and opt-out elements of an HTML body, working or broken; then a link that only
    exists in an Outlook conditional comment, when no working one was found."""
    words = _LinkWords.of(ctx)
    index = tag_index(body, ctx)
    own_elements = _provider_owns_elements(ctx)
    for anchor, label in zip(index.anchors, anchor_texts(body, ctx), strict=True):
        if anchor.name in ("unsubscribe", "preferences"):  # Campaign Monitor / Sendy elements
            # Inside a link, the element is only as good as that link (scored on its own
            # text below): `<a href="#"><unsubscribe>` is dead unless Campaign Monitor
            # builds the link from the element.
            if own_elements or _enclosing_link(anchor) is None:
                result.routes.append(_element_route(anchor, body))
            continue
        route = _link_route(anchor, label, body, ctx, words, index, (unsub_tags, pref_tags))
        if route is not None:
            (result.broken if route.problems else result.routes).append(route)
    _helper_link_routes(body, ctx, result, words, (unsub_tags, pref_tags))
    if not result.routes:
        _conditional_only_route(body, words, result)


def _provider_owns_elements(ctx: LintContext) -> bool:
    """Does the configured provider build the link from an ``<unsubscribe>`` element
    itself (the ``unsubscribe_element_provider`` list)?"""
    provider = ctx.config.provider
    return bool(provider) and bool(ctx.keywords["unsubscribe_element_provider"].search(provider))


def _enclosing_link(element: Tag) -> Tag | None:
    node = element.parent
    while isinstance(node, bs4.Tag):
        if node.name in ("a", "area"):
            return node
        node = node.parent
    return None


def _element_route(anchor: Tag, body: Body) -> Route:
    """Campaign Monitor's ``<unsubscribe>`` / ``<preferences>`` elements."""
    strength = STRONG if anchor.name == "unsubscribe" else PREFERENCE
    return Route(
        "tag",
        strength,
        f"<{anchor.name}>",
        body,
        element=anchor,
        how="merge tag",
        tag=(f"<{anchor.name}>", "generic"),
    )


def _link_route(
    anchor: Tag,
    label: str,
    body: Body,
    ctx: LintContext,
    words: _LinkWords,
    index: TagIndex,
    matchers: tuple[TagMatcher, TagMatcher],
) -> Route | None:
    """The route of one link, with its target problem if any; ``None`` when the link is
    not an opt-out."""
    href_value = anchor.get("href")
    href = str(href_value) if href_value is not None else None
    sparkpost = anchor.has_attr("data-msys-unsubscribe")
    text, extra, images = _label(anchor, label, index.images_in.get(id(anchor), []))
    if extra and _says_something(text, words):
        # "Voir nos offres" with title="Se désinscrire": the reader reads the text; a
        # tooltip (or what only a screen reader says) does not make it an opt-out. Images
        # keep their alt: it is what the reader sees when images are off.
        extra = " ".join(str(img.get("alt", "")) for img in images).strip()
    folded_label = fold(f"{text} {extra}")
    score = _score_link(
        lambda: sentence_around(anchor, text), href, sparkpost, text, folded_label, words, matchers
    )
    if score is None:
        return None
    context = score.context
    if not context and text:
        context = sentence_around(anchor, text)
    tag = score.tag
    route = Route(
        "link",
        score.strength,
        text or extra or (href or ""),
        body,
        element=anchor,
        href=href or "",
        how=score.how,
        tag=tag,
        image_only=not text and bool(images),
        has_alt=any(str(img.get("alt", "")).strip() for img in images)
        or bool(anchor.get("title"))
        or bool(anchor.get("aria-label")),
        scoped=bool(words.scope.search_folded(f"{folded_label} {context}"))
        or bool(tag and "group" in tag[0].lower()),
        context=context,
    )
    problem = None if (tag or sparkpost) else target_problem(href, ctx)
    if problem and not (href or "").strip() and _in_provider_module(anchor):
        problem = None  # SendGrid's unsubscribe module: the provider fills the href
    if tag:
        problem = block_tag_problem(href or "", ctx) or foreign_tag_problem(href or "", ctx)
    if problem:
        route.problems.append(problem)
    return route


def _score_link(
    around: Callable[[], str],
    href: str | None,
    sparkpost: bool,
    text: str,
    folded_label: str,
    words: _LinkWords,
    matchers: tuple[TagMatcher, TagMatcher],
) -> _Score | None:
    """Is the link an opt-out, and how do we know? The first of: a merge tag in the
    ``href``, SparkPost's attribute, the label, the URL, preference wording in the label,
    then -- for a generic label ("click here") -- the sentence around the link (``around``
    computes it, only when needed)."""
    tag = _href_tag(href, matchers)
    if tag is not None:
        return tag
    if sparkpost:
        return _Score(STRONG, "data-msys-unsubscribe", None, "")
    score = _worded_score(around, href, text, folded_label, words)
    if score is not None and words.negated.search_folded(folded_label):
        return None  # "Ne vous désinscrivez pas : devenez VIP" says the opposite
    return score


def _worded_score(
    around: Callable[[], str],
    href: str | None,
    text: str,
    folded_label: str,
    words: _LinkWords,
) -> _Score | None:
    """:func:`_score_link`'s verdict from the words: the label, the URL, then the
    sentence around a generic label (the negation is looked for only once one says
    opt-out: most links say nothing of it)."""
    if folded_label and words.strong.search_folded(folded_label):
        return _Score(STRONG, "text", None, "")
    folded_href = fold(href) if href else ""
    if folded_href and words.url_hints.search(folded_href):
        return _Score(STRONG, "URL", None, "")
    if folded_label and _preferences(folded_label, words):
        return _Score(PREFERENCE, "text", None, "")
    if folded_label and words.notifications.search_folded(folded_label):
        # "Manage notifications": the opt-out of a notification mail (MC106 then says it
        # does not stop every list when the mail is marketing).
        return _Score(PREFERENCE, "notification settings", None, "")
    generic = (
        not folded_label
        or words.generic.pattern.fullmatch(folded_label) is not None
        or len(folded_label) <= 4
        # A label that is only a template variable ({{ $deleteLink }}) says nothing by
        # itself: the sentence around it does ("... vom Newsletter abmelden ...").
        or TEMPLATE_EXPRESSION.fullmatch(text.strip()) is not None
    )
    if not (generic and text):
        return None
    context = around()
    if words.strong.search_folded(context):
        return _Score(STRONG, "context", None, context)
    if _preferences(context, words) or (
        folded_href and words.preference_url_hints.search(folded_href)
    ):
        return _Score(PREFERENCE, "context", None, context)
    return None


def _helper_link_routes(
    body: Body,
    ctx: LintContext,
    result: Routes,
    words: _LinkWords,
    matchers: tuple[TagMatcher, TagMatcher],
) -> None:
    """Links written with a template's link helper (``<%= link_to "Se désabonner",
    unsubscribe_url %>``, :mod:`mailcheck.analysis.helper_links`), scored as an ``<a>``
    with that text and target is; a target that is an expression (a route helper) is
    computed by the application, so only a literal one is checked."""
    for link in helper_links(body.text):
        if unrendered(body, link.start, ctx):
            continue
        text = link.text if link.literal_text else ""
        label = link.text
        line_start = body.text.rfind("\n", 0, link.start) + 1
        line_end = body.text.find("\n", link.end)
        line = body.text[line_start : line_end if line_end >= 0 else len(body.text)]
        score = _score_link(
            lambda line=line: fold(" ".join(line.split())),
            link.url,
            False,
            text or label,
            fold(label),
            words,
            matchers,
        )
        if score is None:
            continue
        route = Route(
            "link",
            score.strength,
            label,
            body,
            element=element_at(body, link.start) if body.soup is not None else None,
            offset=link.start,
            href=link.url,
            how=score.how,
            tag=score.tag,
            scoped=bool(words.scope.search_folded(f"{fold(label)} {score.context}")),
            context=score.context,
        )
        problem = None
        if score.tag:
            problem = block_tag_problem(link.url, ctx) or foreign_tag_problem(link.url, ctx)
        elif link.literal_url:
            problem = target_problem(link.url, ctx)
        if problem:
            route.problems.append(problem)
        (result.broken if route.problems else result.routes).append(route)


def _says_something(text: str, words: _LinkWords) -> bool:
    """Does a link's visible text say where it leads by itself -- not empty, not a
    generic "click here", not a symbol ("×") or a bare template variable?"""
    folded = fold(text)
    return not (
        len(folded) <= 4
        or words.generic.pattern.fullmatch(folded) is not None
        or TEMPLATE_EXPRESSION.fullmatch(text.strip()) is not None
    )


def _preferences(folded: str, words: _LinkWords) -> bool:
    """Preference-centre wording, not about a paid subscription ("Manage your
    subscription plan and billing" manages what the reader pays for, not the mailing)."""
    return bool(words.preferences.search_folded(folded)) and not words.paid.search_folded(folded)


def _href_tag(href: str | None, matchers: tuple[TagMatcher, TagMatcher]) -> _Score | None:
    """An unsubscribe, else a preferences, merge tag in the ``href``."""
    if not href:
        return None
    unsub_tags, pref_tags = matchers
    found = unsub_tags.find(href)
    if found:
        return _Score(STRONG, "merge tag", found, "")
    found = pref_tags.find(href)
    if found:
        return _Score(PREFERENCE, "merge tag", found, "")
    return None


def _conditional_only_route(body: Body, words: _LinkWords, result: Routes) -> None:
    """A link that exists only inside an Outlook conditional comment (``<!--[if mso]>``)."""
    for comment in body.soup.find_all(string=lambda s: isinstance(s, bs4.Comment) and "[if" in s):
        inner = str(comment)
        if "<a" in inner.lower() and (
            words.strong.search(inner) or words.url_hints.search(fold(inner))
        ):
            found = body.text.find(inner[:40])
            result.conditional_only.append(
                Route(
                    "link",
                    STRONG,
                    "link inside <!--[if mso]>",
                    body,
                    offset=max(0, found - 4) if found >= 0 else None,
                    how="conditional comment",
                )
            )
            break


def has_outlook_copy(body: Body, ctx: LintContext) -> bool:
    """Does an ``<!--[if mso]>`` block hold an unsubscribe link (the Outlook copy of a link
    hidden from Outlook with ``mso-hide:all``)?"""
    strong_words = ctx.keywords["unsubscribe"]
    for start, end in comment_spans(body, ctx):
        inner = body.text[start:end]
        if "[if" in inner and "<a" in inner.lower() and strong_words.search(inner):
            return True
    return False


#: A template expression whose name says unsubscribe: ``{unsubscribe_text}`` (Mautic),
#: ``{$unsubscribe}`` (MailerLite), ``$[LI:UNSUBSCRIBE]$`` (Zoho), ``$UNSUB$`` (dotdigital),
#: ``%%unsub_center_url%%`` (Marketing Cloud)... Counted as a working route when no known
#: tag or link was found: a provider tag mailcheck does not know yet must not produce a
#: false "missing unsubscribe".
_UNKNOWN_UNSUB_TAG = template_tag_finder(r"unsub|opt_?out|remove_web")


def _unknown_tag_route(body: Body, result: Routes, ctx: LintContext) -> None:
    for match in _UNKNOWN_UNSUB_TAG.finditer(body.text):
        if unrendered(body, match.start(), ctx):
            continue
        tag = match.group(0)
        element = element_at(body, match.start()) if body.soup is not None else None
        result.routes.append(
            Route(
                "tag",
                STRONG,
                tag,
                body,
                element=element,
                offset=match.start(),
                how="merge tag",
                tag=(tag, "generic"),
            )
        )
        return


def _command_patterns(ctx: LintContext) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(capitals, quoted) patterns of the ``reply_command`` words, cached per run."""

    def compute() -> tuple[re.Pattern[str], re.Pattern[str]]:
        words = sorted(ctx.keywords["reply_command"].terms, key=len, reverse=True)
        alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) or "(?!)"
        capitals = re.compile(rf"(?<![\w])(?:{alternatives.upper()})(?![\w])")
        quoted = re.compile(rf"[\"'«“‘]\s*(?:{alternatives})\s*[\"'»”’]", re.I)
        return capitals, quoted

    return ctx.memo.get("routes.command_patterns", compute)


def _strip_accents(text: str) -> str:
    """Accents removed, case kept (capitals matter for command words)."""
    if text.isascii():
        return text
    return COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))


def _text_routes(body: Body, ctx: LintContext, result: Routes) -> None:
    """Plain-text routes: a URL near an unsubscribe phrase, "send an e-mail to", "reply STOP"."""
    strong_words = ctx.keywords["unsubscribe"]
    noreply = ctx.keywords["noreply"]
    verbs = ctx.keywords["reply_verb"]
    preference_words = ctx.keywords["preferences"]
    capitals, quoted = _command_patterns(ctx)
    text = body.text if body.soup is None else body.soup.get_text("\n")
    lines = text.split("\n")
    offsets = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line) + 1
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        folded = fold(line)
        phrase = strong_words.search_folded(folded)
        if phrase and ctx.keywords["unsubscribe_negated"].search_folded(folded):
            phrase = None  # "Don't unsubscribe: upgrade to VIP https://..."
        plain = _strip_accents(line)
        command = capitals.search(plain) or quoted.search(plain)
        if command and verbs.search_folded(folded):
            result.routes.append(
                Route(
                    "reply",
                    STRONG,
                    line.strip(),
                    body,
                    offset=_source_offset(body, text, offsets[index], line),
                    how="reply instruction",
                )
            )
            return
        strength = STRONG
        if not phrase:
            # "Manage your preferences: https://..." in a text part is an opt-out too (MC106
            # then checks its scope); not via e-mail, where the phrase must be explicit.
            phrase = preference_words.search_folded(folded)
            strength = PREFERENCE
        if not phrase:
            continue
        window = "\n".join(lines[index : index + 3])
        email = EMAIL_ADDRESS.search(window)
        if strength == STRONG and email and not is_noreply_address(email.group(0), noreply):
            result.routes.append(
                Route(
                    "email",
                    STRONG,
                    f"{phrase} → {email.group(0)}",
                    body,
                    offset=_source_offset(body, text, offsets[index], line),
                    how="e-mail instruction",
                )
            )
            return
        # A bare URL next to the phrase (clients turn it into a link, in HTML too).
        url = _URL.search(window)
        if not url:
            if strength == STRONG and _offline_instruction(window, ctx):
                # "To stop receiving these emails, call us at ...": an opt-out exists, but
                # not by the same electronic means (MC105 says so, MC101 does not).
                result.routes.append(
                    Route(
                        "offline",
                        STRONG,
                        line.strip(),
                        body,
                        offset=_source_offset(body, text, offsets[index], line),
                        how="instruction without a link",
                        context=fold(window),
                    )
                )
                return
            continue
        # The sentence around the URL: from the phrase's line to the URL's ("A $5 fee
        # applies to each removal request. https://...").
        upto = window[: url.end()]
        route = Route(
            "text",
            strength,
            url.group(0),
            body,
            offset=_source_offset(body, text, offsets[index], line),
            href=url.group(0),
            how="text URL",
            context=fold(upto),
        )
        problem = target_problem(url.group(0), ctx)
        if problem:
            route.problems.append(problem)
            result.broken.append(route)
        else:
            result.routes.append(route)
            return


# A telephone number: "+33 1 23 45 67 89", "1-800-555-0199", "(030) 1234567".
_PHONE = re.compile(r"(?<![\w/])\+?\(?\d[\d ().-]{6,}\d(?![\w/])")


def _offline_instruction(window: str, ctx: LintContext) -> bool:
    """Does the instruction next to an unsubscribe phrase send the reader somewhere
    without a link: a phone call, a letter, several steps, or a reply carrying more than
    the address (the ``unsubscribe_offline``, ``unsubscribe_steps`` and
    ``unsubscribe_extra_info`` lists, or a telephone number)?"""
    folded = fold(window)
    keywords = ctx.keywords
    return bool(
        keywords["unsubscribe_offline"].search_folded(folded)
        or keywords["unsubscribe_extra_info"].search_folded(folded)
        or _PHONE.search(window)
        or len(set(keywords["unsubscribe_steps"].findall_folded(folded))) >= 2
    )


def _source_offset(body: Body, text: str, offset: int, line: str) -> int | None:
    if body.soup is None:
        return offset
    found = body.text.find(line.strip()[:60])
    return found if found >= 0 else None
