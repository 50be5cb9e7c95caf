"""The built-in classifier: which kind of input a file is (runs after plugins).

Besides the kind, :func:`describe` says why a file is left out (``"skip"``) so that the
engine names it: a template partial, a ``.txt`` that does not read like an e-mail.

Template sources (MJML, Handlebars, Twig, Liquid, Nunjucks, Jinja, Mustache, Smarty
``.tpl``; ERB and EJS in a mailer's folder) are linted as e-mail templates, their tags
tolerated as merge tags; one holding a form is a form. A *partial* -- a file without
``<html>``, ``<body>`` or ``<mjml>`` that is named ``_footer.hbs``, sits in a ``partials/``,
``includes/``, ``components/`` or ``layouts/`` folder, or has no text of its own and uses
no other file -- is not a whole e-mail: judging it as one would report the unsubscribe
link, sender and address that the including e-mail holds as missing. It is skipped and
named (a layout that has ``<html>`` is linted: it carries the footer); ``[file-types]``
maps it to ``template`` to judge it whole anyway. A child template (``{% extends %}``,
a layout, a partial block) and a file made of includes are templates: the engine lints
them composed with the files they use (:mod:`mailcheck.readers.templates`), and skips a
piece that a linted template uses.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mailcheck import hookimpl
from mailcheck.config import Config
from mailcheck.errors import InputError, message_of
from mailcheck.files import open_input, read_head
from mailcheck.i18n import Text, t
from mailcheck.i18n_extract import N_
from mailcheck.keywords import KeywordList, builtin_list
from mailcheck.own_reports import html_report, text_report
from mailcheck.readers.templates import uses_other_files
from mailcheck.readers.text import detect_encoding, utf16_without_bom
from mailcheck.readers.text_body import BodyWords, body_marks

_FORM = re.compile(rb"<form\b", re.I)
#: A form fragment without ``<form>`` (a widget snippet, a checkout partial): an e-mail
#: input, or an input named like a consent field.
_FORM_FRAGMENT = re.compile(
    rb"<input\b[^>]*\btype\s*=\s*[\"']?email\b"
    rb"|<input\b[^>]*\bname\s*=\s*[\"']?[^\"'>]*(?:optin|opt_in|opt-in|newsletter|consent|gdpr|rgpd)",
    re.I,
)
_BOX = re.compile(rb"<input\b[^>]*\btype\s*=\s*[\"']?(?:checkbox|radio)\b", re.I)
_TABLE = re.compile(rb"<table\b", re.I)
#: Template-language sources: read as HTML (their tags are tolerated as merge tags).
TEMPLATE_SUFFIXES = (
    *(".mjml", ".hbs", ".handlebars", ".mustache", ".twig", ".liquid", ".njk"),
    *(".jinja", ".jinja2", ".j2", ".tpl"),
)
#: Server-side view languages (Rails, Express, Laravel's Blade): e-mails only in a mailer's
#: folder (``app/views/user_mailer/welcome.html.erb``, ``resources/views/emails/
#: newsletter.blade.php``); elsewhere they are web pages.
MAILER_VIEW_SUFFIXES = (".erb", ".ejs", ".blade.php")
_MAILER_FOLDER = re.compile(r"mailer|^e-?mails?$|^mails?$|^newsletters?$|^courriels?$", re.I)
#: Folders of template pieces that are not whole e-mails.
PARTIAL_FOLDERS = frozenset(
    {"partials", "partial", "_partials", "includes", "include", "_includes", "components"}
    | {"_components", "layouts", "layout", "_layouts", "snippets", "fragments"}
)
#: What makes a template a whole document.
_WHOLE = re.compile(rb"<html\b|<body\b|<mjml\b|<mj-body\b", re.I)
_TEMPLATE_TAG = re.compile(rb"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<%.*?%>|<!--.*?-->", re.S)
_MARKUP_TAG = re.compile(rb"<[^>]*>")
#: A form opened by the template language: Liquid ``{% form %}``, Symfony ``form_start()``.
_TEMPLATE_FORM = re.compile(rb"\{%-?\s*form\b|form_start\(")
_SNIFF_BYTES = 1 << 20
_LINE_BYTES = 1 << 16
#: A line break as editors and Python's universal newlines count them.
LINE_END = re.compile(r"\r\n|\r|\n")
#: Why a ``.txt`` is left out.
NOT_A_BODY = N_(
    "a text file that does not read like an e-mail (found {evidence}; an e-mail body has "
    "a greeting, a sign-off, a link, a merge tag, an unsubscribe sentence or a Subject: "
    "line); map it in [file-types] to lint it"
)

#: Why a report mailcheck wrote (:mod:`mailcheck.own_reports`) is left out.
OWN_REPORT = N_(
    "a report mailcheck wrote, not an input; write reports outside the linted folders, or "
    "map it in [file-types] to lint it"
)


@dataclass(frozen=True)
class Classification:
    """A file's kind (``None``: not an input mailcheck reads) and, when it is left out
    (``"skip"``), why."""

    kind: str | None
    reason: str | Text = ""


@hookimpl(trylast=True)
def mailcheck_classify(path: Path, config: Config) -> str | None:
    return describe(path, config).kind


def describe(path: Path, config: Config) -> Classification:
    """The built-in classification of ``path``, with the reason of a skip."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".zip", ".xlsx", ".xlsm", ".xls", ".ods"):
        return Classification("contacts")
    if suffix == ".eml":
        return Classification("message")
    if suffix in (".html", ".htm"):
        head = _head(path)
        if html_report(head):
            return Classification("skip", t(OWN_REPORT))
        if _FORM.search(head) or _is_fragment(head):
            return Classification("form")
        return _template_or_partial(path, head, markup_only=True)
    if suffix in TEMPLATE_SUFFIXES or is_mailer_view(path):
        head = _head(path)
        if _FORM.search(head) or _is_fragment(head) or _TEMPLATE_FORM.search(head):
            return Classification("form")
        return _template_or_partial(path, head, markup_only=False)
    if suffix == ".txt":
        return _text_kind(path, config)
    if suffix == ".gz":
        return Classification(_gzip_kind(path, config))
    return Classification(None)


def is_mailer_view(path: Path) -> bool:
    """A server-side view (by its name: ``.blade.php`` is two suffixes) in a mailer's
    folder."""
    return path.name.lower().endswith(MAILER_VIEW_SUFFIXES) and in_mailer_folder(path)


def in_mailer_folder(path: Path) -> bool:
    """Whether a server-side view sits in a mailer's or an e-mails folder."""
    return any(_MAILER_FOLDER.search(folder) for folder in path.parent.parts)


def partial_reason(path: Path, head: bytes, *, markup_only: bool) -> str | Text:
    """Why a template source is a partial rather than a whole e-mail (``""``: it is one).
    ``markup_only``: a plain ``.html`` page, judged a partial only by what it holds or by
    a template-language ``extends`` (its name and folder are a web site's affair)."""
    if _WHOLE.search(head):
        return ""  # a layout with <html> holds the footer the rules look for: linted whole
    if not markup_only:
        if path.name.startswith("_"):
            return t("a partial (its name starts with '_')")
        folder = next((p for p in path.parent.parts if p.lower() in PARTIAL_FOLDERS), None)
        if folder is not None:
            return t("a partial (in a '{folder}' folder)", folder=folder)
    if not markup_only and not _has_own_text(head):
        if uses_other_files(head.decode("utf-8", "replace")):
            return ""  # made of its layout and includes: linted composed
        return t("a partial (no <html>, <body> or <mjml> and no text of its own)")
    return ""


def is_whole_template(path: Path) -> bool:
    """Whether a template source is a whole page (``<html>``, ``<body>``, ``<mjml>``)."""
    return bool(_WHOLE.search(_head(path)))


def _template_or_partial(path: Path, head: bytes, *, markup_only: bool) -> Classification:
    reason = partial_reason(path, head, markup_only=markup_only)
    if not reason:
        return Classification("template")
    return Classification(
        "skip",
        t(
            '{reason}, not judged as a whole e-mail ([file-types] "template" lints it whole)',
            reason=reason,
        ),
    )


def _has_own_text(head: bytes) -> bool:
    """Whether words are left once template tags, comments and markup are taken out."""
    text = _MARKUP_TAG.sub(b" ", _TEMPLATE_TAG.sub(b" ", head))
    return len(re.findall(r"[^\W\d_]{2,}", text.decode("utf-8", "replace"))) >= 2


def _text_kind(path: Path, config: Config) -> Classification:
    """A ``.txt``: a contact list when its first line is a CSV header with an e-mail
    column (Excel's "Unicode text" export is a tab-separated .txt in UTF-16); a
    plain-text e-mail body when it reads like one; else left out, saying why."""
    head = _head(path)
    if text_report(head[:_LINE_BYTES].decode("utf-8", "replace")):
        # before the header test: a report's first line names files and e-mails
        return Classification("skip", t(OWN_REPORT))
    if looks_like_contact_header(head):
        return Classification("contacts")
    try:
        text = head.decode(detect_encoding(head), errors="replace")
    except InputError as error:
        return Classification(
            "skip", t("a .txt that is not text ({error})", error=message_of(error))
        )
    marks = body_marks(text, body_words(config))
    if marks.is_email:
        return Classification("template")
    return Classification("skip", t(NOT_A_BODY, evidence=marks.evidence()))


def body_words(config: Config) -> BodyWords:
    """The keyword lists of :mod:`mailcheck.readers.text_body`, with the run's ``[keywords]``
    and the plugins' extensions."""
    extensions: list[dict] = [config.keywords]
    if config.pluginmanager is not None:
        extensions = [*config.pluginmanager.hook.mailcheck_keywords(), config.keywords]
    names = ("email_greeting", "email_signoff", "email_subject_label", "unsubscribe", "commercial")
    lists = [
        _keyword_list(name, tuple(t for ext in extensions for t in ext.get(name, ())))
        for name in names
    ]
    return BodyWords(*lists)


@lru_cache(maxsize=32)
def _keyword_list(name: str, extra: tuple[str, ...]) -> KeywordList:
    builtin = [term for terms in builtin_list(name).values() for term in terms]
    return KeywordList(name, [*builtin, *extra])


#: Suffixes of what a ``.gz`` holds that are read as contact lists (``list.csv.gz``).
GZIP_LIST_SUFFIXES = (".csv", ".tsv", ".txt")


def _gzip_kind(path: Path, config: Config) -> str | None:
    """A gzip-compressed export is a contact list by the suffix it had before ``.gz``
    (a ``.txt`` when its first line is a CSV header); anything else in a ``.gz`` is not
    read, and ``None`` makes the engine say it was skipped."""
    inner = Path(path.stem).suffix.lower()
    if inner not in GZIP_LIST_SUFFIXES:
        return None
    if inner != ".txt":
        return "contacts"
    try:
        with (
            open_input(path, config.limits.max_list_size, "limits.max-list-size") as handle,
            gzip.GzipFile(fileobj=handle) as inflated,
        ):
            head = inflated.read(_LINE_BYTES)  # bounded: a bomb inflates no further here
    except (InputError, OSError, EOFError, zlib.error):
        return "contacts"  # the reader says what is wrong with it (MC900)
    return "contacts" if looks_like_contact_header(head) else None


def looks_like_contact_header(head: bytes) -> bool:
    """Whether a text file's first line is a CSV header with an e-mail column (a .txt
    beside the templates, or inside an export ZIP next to its README)."""
    first_line = _first_line(head).lower()
    return "mail" in first_line and any(sep in first_line for sep in (",", ";", "\t"))


def _first_line(head: bytes) -> str:
    """The first line of a text file, decoded enough to look for words (UTF-16 by its
    BOM; any other encoding keeps ASCII letters and separators as they are)."""
    head = head[:_LINE_BYTES]
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom) :].decode(encoding, errors="ignore")
            break
    else:
        utf16 = utf16_without_bom(head) if b"\x00" in head[:4096] else None
        text = head.decode(utf16, errors="ignore") if utf16 else head.decode("latin-1")
    return LINE_END.split(text, maxsplit=1)[0]


def _is_fragment(head: bytes) -> bool:
    """A form snippet without ``<form>``: an e-mail or consent input, or boxes laid out
    without tables (e-mails are table-based; interactive e-mails use radio tricks)."""
    if _FORM_FRAGMENT.search(head):
        return True
    return bool(_BOX.search(head)) and not _TABLE.search(head)


def _head(path: Path) -> bytes:
    """The first bytes of ``path``, to sniff its kind: opened as every input is (a FIFO
    never blocks, a device is refused), never read past :data:`_SNIFF_BYTES`."""
    try:
        return read_head(path, _SNIFF_BYTES)
    except InputError:
        return b""  # the reader will report the problem
