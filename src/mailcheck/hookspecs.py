"""Hook specifications: the whole API a mailcheck plugin can implement.

Every built-in capability of mailcheck -- its readers, its rules, its output formats -- is
a plugin registered through these same hooks, exactly as a third-party ``mailcheck-<x>``
distribution would be. A plugin is a module (or object) with functions decorated with
:data:`mailcheck.hookimpl`, named after the specs below, and declared as an entry point::

    [project.entry-points.mailcheck]
    mailchimp = "mailcheck_mailchimp"

Conventions, as in pytest:

* hooks are called with keyword arguments; an implementation may accept *fewer*
  arguments than the spec lists (so specs can grow without breaking plugins);
* ``firstresult`` hooks stop at the first non-``None`` answer; built-in implementations
  are registered ``trylast`` so a provider plugin always wins on its own files;
* an implementation of a hook that has no spec here is rejected when the plugin loads.

See ``docs/plugins.md`` for a walk-through from a plugin author's side.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from mailcheck.campaign.layouts import RemovalsLayout
    from mailcheck.config import Config
    from mailcheck.documents import Document
    from mailcheck.engine import LintResult
    from mailcheck.providers import ContactFormat, ProviderMatch
    from mailcheck.reporters.base import Reporter
    from mailcheck.rule import Rule

hookspec = pluggy.HookspecMarker("mailcheck")


@hookspec(historic=True)
def mailcheck_configure(config: Config) -> None:
    """Called once the configuration is resolved, before any file is read.

    Historic: a plugin registered later still receives the call. Read your own settings
    from ``config.plugin_settings(name)`` (the ``[tool.mailcheck.plugins.<name>]`` table).
    """


@hookspec
def mailcheck_plugin_options() -> dict[str, Any]:
    """Declare the keys your plugin accepts under ``[plugins.<your plugin name>]``.

    Return ``{key: default}``. Keys not declared by the plugin named in the table are
    config errors, like any unknown key.
    """


@hookspec
def mailcheck_rules() -> list[type[Rule]]:
    """Return the rule classes this plugin provides.

    Each must subclass :class:`mailcheck.Rule` with a unique code (``MC`` + 3 digits is
    reserved for mailcheck itself; plugins use their own 2-4 letter prefix + 3 digits,
    e.g. ``MCH101``), a kebab-case name, a default severity, the kinds it checks and a
    docstring with the sections *What it does*, *Why it matters*, *Example*, *Fix*. A code
    or prefix claimed by two plugins is an error naming both. Import rule modules inside
    the function so that start-up stays fast.
    """


@hookspec
def mailcheck_reporters() -> list[type[Reporter]]:
    """Return extra output formats (:class:`mailcheck.reporters.Reporter` subclasses).

    Each class's ``name`` becomes a value of ``--output-format``; a name registered twice
    is an error. ``Reporter.add`` receives each batch as a
    :class:`mailcheck.batches.FindingBatch`, a sorted sequence of findings: iterating it
    builds a contact row's finding when it is reached (a
    :class:`mailcheck.findings.RowFinding`, whose ``message``, ``data`` and
    ``fingerprint`` are built the first time they are read; ``type(finding) is Finding``
    does not hold), so a format that prints a few rows of a huge list pays for those
    only. A format that writes every row reads ``batch.parts`` and ``batch.gather``: a
    rule's rows of a chunk come as one :class:`mailcheck.batches.RowFindings`, kept as
    columns (see docs/plugins.md).
    """


@hookspec(firstresult=True)
def mailcheck_ignore_path(path: Path, config: Config) -> bool | None:
    """Return ``True`` to skip a file during discovery (after config excludes)."""


@hookspec(firstresult=True)
def mailcheck_classify(path: Path, config: Config) -> str | None:
    """Decide the kind of a file: ``"contacts"``, ``"template"``, ``"form"``,
    ``"message"``, or ``None`` for "not mine to say".

    The built-in classifier runs last: by extension (``.csv``/``.tsv``/``.zip`` contacts,
    ``.eml`` message), and for HTML, ``form`` when the page holds a ``<form>``, else
    ``template``. A file classified as ``"skip"`` is not linted.
    """


@hookspec(firstresult=True)
def mailcheck_read_document(path: Path, kind: str, config: Config) -> list[Document] | None:
    """Read ``path`` of ``kind`` into documents (a ZIP export yields one per member).

    First non-``None`` result wins; built-in readers are ``trylast``. Raise
    :class:`mailcheck.InputError` with a short reason when the file cannot be read: the
    engine turns it into an MC900 finding naming the file and lints the other files.
    Never modify the file.
    """


@hookspec
def mailcheck_detect_provider(
    path: Path, header: list[str], config: Config
) -> ProviderMatch | None:
    """Claim a contact-list file for a provider.

    ``path`` is the file (for a ZIP member, a path whose ``name`` is the member's name);
    ``header`` is its first row, already decoded. Return a
    :class:`mailcheck.providers.ProviderMatch` with a score and a reason, or ``None``. All
    plugins are asked; the highest score wins, so an export two plugins could claim goes
    to the more specific one. A ``provider`` forced in config skips detection.
    """


@hookspec(firstresult=True)
def mailcheck_contact_format(
    provider: str, path: Path, header: list[str], config: Config
) -> ContactFormat | None:
    """Describe the export layout of ``provider`` (the one you detected).

    Return a :class:`mailcheck.providers.ContactFormat` (column mapping, date formats,
    status words, values from the file name) and the built-in reader does the rest.
    Return ``None`` for providers that are not yours.
    """


@hookspec
def mailcheck_merge_tags(provider: str | None) -> dict[str, list[str]]:
    """Template merge tags this plugin knows, by role.

    Roles: ``"unsubscribe"``, ``"preferences"``, ``"postal_address"``,
    ``"web_version"``. Return literal tags as they appear in a template
    (``{"unsubscribe": ["*|UNSUB|*"], "postal_address": ["*|LIST:ADDRESS|*"]}``). The
    template rules treat an unsubscribe tag as a working opt-out link. ``provider`` is the
    provider configured for the run, or ``None``: return your tags regardless, the core
    uses the provider to flag tags of *another* provider.
    """


@hookspec
def mailcheck_keywords() -> dict[str, list[str]]:
    """Extend the multilingual keyword lists, by list name.

    Names are those of the files in ``mailcheck/data/keywords`` (``unsubscribe``,
    ``transactional``, ``consent`` ...; ``mailcheck keywords`` lists them). Values are
    added to the built-in lists; matching folds case, accents and Unicode forms.
    """


@hookspec(firstresult=True)
def mailcheck_removals_layout(provider: str) -> RemovalsLayout | None:
    """The layout in which ``provider``'s tool imports a clean-up list (the contacts to
    unsubscribe, delete or re-permission that ``mailcheck campaign --removals`` writes),
    or ``None`` to leave it to another plugin or to the core's plain ``;`` CSV. See
    :class:`mailcheck.campaign.layouts.RemovalsLayout`.
    """


@hookspec
def mailcheck_catalogs() -> list[str]:
    """Folders of the plugin's translation catalogues, each holding
    ``<lang>/LC_MESSAGES/*.po`` (gettext, managed with Babel): the French of the plugin's
    messages (``mailcheck.t("...")``), rule docs and fixes. See ``docs/plugins.md``.
    """


@hookspec
def mailcheck_sessionfinish(result: LintResult, exit_code: int) -> None:
    """Called after the report is written, with the run's totals and the exit code.

    ``result.counts`` holds the findings per severity and ``result.files_linted`` the
    files read; findings themselves are streamed to reporters, not kept (add an output
    format with ``mailcheck_reporters`` to see each one).
    """
