"""The :class:`Rule` base class that every rule, built-in or from a plugin, derives from.

A rule is a class with a code, a kebab-case name, a default severity, the kinds of
document it checks, and a docstring written like ruff's rule docs::

    class MissingUnsubscribe(Rule):
        \"\"\"## What it does
        ...
        ## Why it matters
        ... (the legal reference)
        ## Example
        ...
        ## Fix
        ...
        \"\"\"

        code = "MC101"
        name = "missing-unsubscribe"
        severity = Severity.ERROR
        kinds = frozenset({Kind.TEMPLATE, Kind.MESSAGE})
        reference = "ePrivacy Directive art. 13(2); CPCE art. L34-5"

        def check(self, doc, ctx):
            yield self.finding(doc, t("no unsubscribe link"), line=1, column=1)

The docstring, the ``fix`` and the options' ``help`` are message ids too: their French
lives in the catalogues (the whole dedented docstring is one message id, translated with
the section titles "Ce que fait la règle", "Pourquoi c'est important", "Exemple",
"Correction"), and :meth:`Rule.documentation` gives it in a language.

The engine creates one instance per lint run (so a cross-file rule may keep state on
``self``) and calls, depending on the document:

* ``check(doc, ctx)`` for templates, forms and messages;
* ``check_chunk(chunk, doc, ctx)`` for each pandas chunk of a contact list, then
  ``finish_file(doc, ctx)`` once the file is read;
* ``finish_session(ctx)`` once after every file was read, for cross-file rules.

Each yields :class:`~mailcheck.findings.Finding` objects (or nothing).

Before that, the engine asks ``cannot_check(doc, ctx)``: a rule that needs something the
document lacks (a contact list with no date column cannot be checked for retention)
returns a :class:`~mailcheck.findings.NotChecked` built with :meth:`Rule.not_checked`,
and the report says so (coverage) instead of passing the file in silence. A rule that
merely does not apply (a suppression list has no retention to judge, a plain-text body
hides no link) returns ``None``: nothing was left unchecked.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from mailcheck.findings import Finding, NotChecked, Severity
from mailcheck.i18n import Text, gettext

if TYPE_CHECKING:
    import pandas as pd

    from mailcheck.context import LintContext
    from mailcheck.documents import ContactListDocument, Document

#: The sections every rule docstring must have, in this order.
DOC_SECTIONS = ("What it does", "Why it matters", "Example", "Fix")
#: The titles of those sections in a translated docstring (the catalogue's French keeps
#: them word for word, so that :func:`doc_section` finds them).
SECTION_TITLES = {
    "fr": {
        "What it does": "Ce que fait la règle",
        "Why it matters": "Pourquoi c'est important",
        "Example": "Exemple",
        "Fix": "Correction",
    },
}

CORE_CODE = re.compile(r"^MC[0-9]{3}$")
PLUGIN_CODE = re.compile(r"^([A-Z]{2,4})[0-9]{3}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Option:
    """A setting a rule accepts under ``[rules.CODE]`` in the config.

    ``type`` validates the value read from TOML (``int``, ``str``, ``bool``, ``list``...).
    ``min`` and ``max`` bound a number (inclusive; ``None``: unbounded), ``unit`` names what
    it counts (``"days"``) for the error and ``mailcheck rule CODE``. The engine checks
    every configured value with :meth:`refusal` before any rule is created, so a rule
    never re-checks its own options: ``retention-days = -5`` is a typo in the config,
    reported as one (exit 2), not as thousands of findings.
    """

    default: Any
    type: type
    help: str
    min: int | float | None = None
    max: int | float | None = None
    unit: str = ""

    def bounds(self) -> str:
        """The accepted range, as ``mailcheck rule CODE`` and the error say it ('' if none)."""
        unit = f" {self.unit}" if self.unit else ""
        if self.min is not None and self.max is not None:
            return f"between {self.min} and {self.max}{unit}"
        if self.min is not None:
            return f">= {self.min}{unit}"
        if self.max is not None:
            return f"<= {self.max}{unit}"
        return ""

    def refusal(self, value: Any) -> str | None:
        """Why ``value`` is refused for this option (``None``: accepted): its type first,
        then its bounds. The caller prefixes the file, the rule and the key."""
        # bool is an int in Python, never a number of days in a config
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            return f"expected {self.type.__name__}, got {value!r}"
        too_low = self.min is not None and value < self.min
        too_high = self.max is not None and value > self.max
        if too_low or too_high:
            what = f"a number of {self.unit}" if self.unit else "a number"
            if self.min is not None and self.max is not None:
                return f"expected {what} between {self.min} and {self.max}, got {value!r}"
            bound = f">= {self.min}" if too_low else f"<= {self.max}"
            return f"expected {what} {bound}, got {value!r}"
        return None


class Rule:
    """Base class of all rules. Subclasses set the class attributes and override hooks."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    kinds: ClassVar[frozenset[str]]
    #: Short legal or industry reference, shown in reports next to the message.
    reference: ClassVar[str] = ""
    #: Default fix hint; a finding may carry a more specific one.
    fix: ClassVar[str] = ""
    #: Options accepted under ``[rules.CODE]``.
    options: ClassVar[dict[str, Option]] = {}
    #: Default severity per jurisdiction profile, where the law differs (``{"us": ERROR}``).
    profile_severity: ClassVar[dict[str, Severity]] = {}
    #: Filled in at registration: the name of the plugin that registered the rule.
    origin: ClassVar[str] = ""
    #: What the rule checks, in a few words shared by related rules ("retention",
    #: "proof of consent"): reports group the rules that could not run by it.
    #: Empty: the rule's name.
    family: ClassVar[str] = ""

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        values = {key: option.default for key, option in self.options.items()}
        values.update(settings or {})
        #: Effective option values (defaults overlaid with ``[rules.CODE]``).
        self.settings: dict[str, Any] = values

    # -- hooks the engine calls ---------------------------------------------------------

    def cannot_check(self, doc: Document, ctx: LintContext) -> NotChecked | None:
        """Why this rule cannot run on ``doc`` (built with :meth:`not_checked`), or
        ``None`` when it runs -- or does not apply. Asked once per document, before its
        rows are read: answer from what the reader found (a contact list's ``columns``,
        ``role``...), never by reading the rows. Default: the rule always runs."""
        return None

    def check(self, doc: Document, ctx: LintContext) -> Iterable[Finding]:
        """Check a template, form or message. Override in document rules."""
        return ()

    def check_chunk(
        self, chunk: pd.DataFrame, doc: ContactListDocument, ctx: LintContext
    ) -> Iterable[Finding]:
        """Check one canonical chunk of a contact list (vectorized). Override in contact rules."""
        return ()

    def finish_file(self, doc: Document, ctx: LintContext) -> Iterable[Finding]:
        """Called after the last chunk of a contact list."""
        return ()

    def finish_session(self, ctx: LintContext) -> Iterable[Finding]:
        """Called once after every file was read; cross-file rules report here."""
        return ()

    # -- helpers for subclasses ---------------------------------------------------------

    def finding(
        self,
        doc: Document | str,
        message: str | Text,
        *,
        line: int = 1,
        column: int = 1,
        severity: Severity | None = None,
        **fields: Any,
    ) -> Finding:
        """Build a finding of this rule. ``doc`` may be a document or a display path;
        ``message`` a :func:`~mailcheck.i18n.t` text (translated when reported) or a
        plain string (shown as it is in every language)."""
        path = doc if isinstance(doc, str) else doc.display_path
        if isinstance(message, Text):
            fields.setdefault("text", message)
        fields.setdefault("fix", self.fix or None)
        fields.setdefault("reference", self.reference or None)
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=str(message),
            path=path,
            line=max(1, int(line)),
            column=max(1, int(column)),
            **fields,
        )

    def not_checked(self, reason: str | Text, fix: str | Text | None = None) -> NotChecked:
        """What :meth:`cannot_check` returns: ``reason`` says what the document lacks,
        ``fix`` how to provide it. Name headers, never cell values."""
        return NotChecked(self.code, self.name, self.family or self.name, reason, fix)

    @classmethod
    def default_severity(cls, profile: str) -> Severity:
        """The rule's severity under a jurisdiction profile, before user overrides."""
        for key in (profile, profile.split("-")[0]):
            if key in cls.profile_severity:
                return cls.profile_severity[key]
        return cls.severity

    @classmethod
    def documentation(cls, language: str = "en") -> str:
        """The rule's docstring, dedented: what ``mailcheck rule CODE`` prints. In another
        language, its translation from the catalogues (the English one when there is none);
        the docstring as it is the message id."""
        text = inspect.cleandoc(cls.__doc__ or "")
        return gettext(text, language) if text and language != "en" else text

    @classmethod
    def summary(cls, language: str = "en") -> str:
        """First sentence of *What it does*: the one-line description."""
        section = " ".join(doc_section(cls.documentation(language), "What it does").split())
        for end in re.finditer(r"[.!?](?=\s)", section):
            word = section[: end.end()].rsplit(None, 1)[-1].lstrip("(").lower()
            if word not in _ABBREVIATIONS:  # "(GDPR art. 9)" ends no sentence
                return section[: end.end()]
        return section


#: Abbreviations a sentence does not end with, in English and French docstrings.
_ABBREVIATIONS = frozenset(
    {"art.", "e.g.", "i.e.", "etc.", "cf.", "vs.", "no.", "al.", "ex.", "p."}
)


def doc_section(text: str, title: str) -> str:
    """Body of the ``## title`` section of a rule docstring ('' if absent). ``title`` is
    the English one (:data:`DOC_SECTIONS`); a translated docstring's title is found too
    (``## Ce que fait la règle`` for "What it does")."""
    titles = [title, *(names[title] for names in SECTION_TITLES.values() if title in names)]
    alternatives = "|".join(re.escape(name) for name in titles)
    match = re.search(rf"^##\s*(?:{alternatives})\s*$(.*?)(?=^##\s|\Z)", text, re.M | re.S)
    return match.group(1).strip() if match else ""


def missing_sections(rule: type[Rule]) -> list[str]:
    text = rule.documentation()
    return [title for title in DOC_SECTIONS if not doc_section(text, title)]
