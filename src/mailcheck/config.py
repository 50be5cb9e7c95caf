"""Configuration: discovery, validation and the resolved :class:`Config`.

Where it comes from, highest priority first:

1. command-line options;
2. the file given by ``--config``, or else the closest of ``.mailcheck.toml``,
   ``mailcheck.toml`` (top-level keys) or ``pyproject.toml`` (under ``[tool.mailcheck]``;
   a ``pyproject.toml`` without that table is skipped), searched upward from the first
   linted path;
3. the defaults below.

Every key is validated: an unknown key, an unknown rule code or a value of the wrong
type is a :class:`~mailcheck.errors.ConfigError` naming the file and the key (exit 2).
Glob patterns (``exclude``, ``per-file-ignores``, ``kinds``, ``file-types``, ``providers``)
are matched against the path relative to the config file's folder, in POSIX form.

The value validators live in :mod:`mailcheck.config_values`, ``[limits]`` in
:mod:`mailcheck.limits`, the recognition of ``--rows-out``'s own files in
:mod:`mailcheck.row_files`; their public names are re-exported here, where plugins and
the rest of mailcheck have always imported them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from mailcheck.config_values import (
    boolean,
    iso_date,
    jobs_value,
    language_name,
    list_map,
    one_of,
    severity_map,
    string,
    string_list,
    string_map,
    toml_table,
)
from mailcheck.errors import ConfigError, InputError, message_of
from mailcheck.files import read_input, safe_resolve
from mailcheck.findings import Severity
from mailcheck.i18n import t

# Re-exported: imported from mailcheck.config by readers, baseline, rows_out and tests.
from mailcheck.limits import LIMIT_KEYS as LIMIT_KEYS
from mailcheck.limits import Limits as Limits
from mailcheck.limits import format_size as format_size
from mailcheck.limits import limit_key as limit_key
from mailcheck.limits import parse_limits
from mailcheck.limits import parse_size as parse_size
from mailcheck.row_files import ROWS_OUT_COLUMNS as ROWS_OUT_COLUMNS
from mailcheck.row_files import ROWS_OUT_HEADER as ROWS_OUT_HEADER
from mailcheck.row_files import ROWS_OUT_LOCK as ROWS_OUT_LOCK
from mailcheck.row_files import ROWS_OUT_MARKER as ROWS_OUT_MARKER
from mailcheck.row_files import ROWS_OUT_NAME as ROWS_OUT_NAME
from mailcheck.row_files import is_rows_out_file as is_rows_out_file
from mailcheck.row_files import rows_out_files as rows_out_files

CONFIG_FILES = (".mailcheck.toml", "mailcheck.toml", "pyproject.toml")
PROFILES = ("eu-fr", "eu", "uk", "us", "ca")
FILE_KINDS = ("contacts", "template", "form", "message", "skip")
MESSAGE_KINDS = ("marketing", "transactional")
DEFAULT_EXCLUDE = [".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"]


CONTACT_ROLES = ("audience", "send-list", "suppression", "send-log")


def _contact_roles(value: Any) -> dict[str, str]:
    roles = string_map(value)
    for glob, role in roles.items():
        if role not in CONTACT_ROLES:
            raise TypeError(
                t(
                    "{glob}: {value} is not one of {choices}",
                    glob=repr(glob),
                    value=repr(role),
                    choices=", ".join(CONTACT_ROLES),
                )
            )
    return roles


@cache
def column_table() -> dict[str, list[str]]:
    """``data/columns.toml``: canonical contact column -> its header synonyms, in order of
    preference (read once per process; the reader folds them)."""
    text = (resources.files("mailcheck") / "data" / "columns.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def canonical_columns() -> frozenset[str]:
    """The canonical contact columns a ``[columns]`` key may name."""
    return frozenset(column_table())


def _columns(value: Any) -> dict[str, str]:
    # A typo in the canonical name (``consent_att``) would otherwise be silently unused and
    # the column the user meant to map left to the synonyms, or not understood at all.
    columns = string_map(value)
    known = canonical_columns()
    for canonical in columns:
        if canonical not in known:
            close = difflib.get_close_matches(canonical, sorted(known), n=1)
            known_list = ", ".join(sorted(known))
            raise TypeError(
                t(
                    "{name} is not a canonical column (did you mean {close}?); known: {known}",
                    name=repr(canonical),
                    close=repr(close[0]),
                    known=known_list,
                )
                if close
                else t(
                    "{name} is not a canonical column; known: {known}",
                    name=repr(canonical),
                    known=known_list,
                )
            )
    return columns


#: key in the file -> (attribute of Config, validator). The one place a new key is added.
SCHEMA: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "profile": ("profile", one_of(*PROFILES)),
    "exclude": ("exclude", string_list),
    "extend-exclude": ("extend_exclude", string_list),
    "default-excludes": ("default_excludes", boolean),
    "respect-gitignore": ("respect_gitignore", boolean),
    "force-exclude": ("force_exclude", boolean),
    "select": ("select", string_list),
    "extend-select": ("extend_select", string_list),
    "ignore": ("ignore", string_list),
    "per-file-ignores": ("per_file_ignores", list_map),
    "severity": ("severity", severity_map),
    "fail-on": ("fail_on", lambda v: Severity.parse(string(v))),
    "output-format": ("output_format", string),
    "show-pii": ("show_pii", boolean),
    "baseline": ("baseline", string),
    "fingerprint-key-file": ("fingerprint_key_file", string),
    "today": ("today", iso_date),
    "rules": ("rules", toml_table),
    "plugins": ("plugins", toml_table),
    "kinds": ("kinds", string_map),
    "file-types": ("file_types", string_map),
    "provider": ("provider", string),
    "providers": ("providers", string_map),
    "columns": ("columns", _columns),
    "date-formats": ("date_formats", list_map),
    "keywords": ("keywords", list_map),
    "sender": ("sender", string),
    "lang": ("lang", language_name),
    "reply-to": ("reply_to", string),
    "required-plugins": ("required_plugins", string_list),
    "unsubscribe-scope": ("unsubscribe_scope", one_of("global", "per-list")),
    "audience-country": ("audience_country", string),
    "contact-roles": ("contact_roles", _contact_roles),
    "limits": ("limits", parse_limits),
    "context": ("context", string_list),
    "jobs": ("jobs", jobs_value),
}


@dataclass
class Config:
    """The resolved configuration of one run. Attribute names mirror the keys."""

    source: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    profile: str = "eu-fr"
    #: The user's excludes; :data:`DEFAULT_EXCLUDE` applies besides them (not instead)
    #: unless ``default_excludes`` is off, so ``exclude = ["archive/**"]`` never makes a
    #: run walk into ``.venv`` or ``node_modules``.
    exclude: list[str] = field(default_factory=list)
    extend_exclude: list[str] = field(default_factory=list)
    default_excludes: bool = True
    #: Leave out what the ``.gitignore`` files say git ignores (in a folder walk).
    respect_gitignore: bool = True
    #: Apply the excludes and ``.gitignore`` to files named on the command line too (for
    #: pre-commit, which names every staged file).
    force_exclude: bool = False
    select: list[str] = field(default_factory=lambda: ["ALL"])
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    output_format: str = "concise"
    show_pii: bool = False
    baseline: str | None = None
    #: A file holding the secret key of fingerprints (see :mod:`mailcheck.fingerprints`).
    fingerprint_key_file: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    plugins: dict[str, dict[str, Any]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    #: Set by ``mailcheck campaign``: the consent purpose the campaign is sent for. Its
    #: template is then a marketing message, whatever its wording (an order notice with
    #: a discount code sent to a newsletter audience is one).
    campaign_purpose: str | None = None
    file_types: dict[str, str] = field(default_factory=dict)
    provider: str | None = None
    #: Whether ``provider`` also forces how every contact list is read. ``mailcheck
    #: campaign`` turns it off for the manifest's ``provider`` (the tool that sends): its
    #: audience may come from other tools, each detected from its header.
    provider_reads_lists: bool = True
    providers: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    date_formats: dict[str, list[str]] = field(default_factory=dict)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    sender: str | None = None
    #: The language of the report (``en``, ``fr``); ``None``: the environment's locale.
    lang: str | None = None
    reply_to: str | None = None
    required_plugins: list[str] = field(default_factory=list)
    #: MC201: does an unsubscribe apply to every list ("global") or only its own?
    unsubscribe_scope: str = "global"
    #: ISO country assumed for contact rows without a country (CASL, MC213).
    audience_country: str | None = None
    #: glob -> role of a contact list: audience, send-list, suppression, send-log.
    contact_roles: dict[str, str] = field(default_factory=dict)
    #: What one input may cost at most (``[limits]``).
    limits: Limits = field(default_factory=Limits)
    #: Context files: lists (relative to the config's folder) every run reads whatever
    #: paths it is given, for the cross-list rules (see :meth:`context_paths`).
    context: list[str] = field(default_factory=list)
    #: Worker processes for templates, forms and messages: ``None`` ("auto") for the
    #: cores, when there is enough to lint; 1 for none (see :mod:`mailcheck.parallel`).
    jobs: int | None = None
    #: Resolved path -> the path config globs match it as (``mailcheck lint -``: the
    #: temporary copy of standard input is matched as its ``--stdin-filename``).
    path_aliases: dict[Path, Path] = field(default_factory=dict, repr=False, compare=False)
    #: The plugin manager of the run using this config (set by the engine, as pytest's
    #: ``config.pluginmanager``): readers use it to ask other plugins.
    pluginmanager: Any = field(default=None, repr=False, compare=False)
    _rows_out_cache: dict[Path, frozenset[str]] = field(
        default_factory=dict, repr=False, compare=False
    )

    # -- path helpers -------------------------------------------------------------------

    def relative(self, path: Path) -> str:
        """``path`` relative to the config root in POSIX form (absolute if outside).
        Never raises (a symlink loop on the way: the absolute path is used)."""
        resolved = safe_resolve(path)
        resolved = self.path_aliases.get(resolved, resolved)
        try:
            return resolved.relative_to(safe_resolve(self.root)).as_posix()
        except ValueError:
            return resolved.as_posix()

    def glob_value(self, table: dict[str, str], path: Path) -> str | None:
        """The value of the first glob in ``table`` matching ``path`` (or ``None``)."""
        if not table:  # asked for every file: resolving its path costs a few stat calls
            return None
        relative = self.relative(path)
        for pattern, value in table.items():
            if path_matches(relative, pattern):
                return value
        return None

    def exclude_patterns(self) -> list[str]:
        """Every exclude glob in force: the built-in ones, ``exclude``, ``extend-exclude``."""
        builtin = DEFAULT_EXCLUDE if self.default_excludes else []
        return [*builtin, *self.exclude, *self.extend_exclude]

    def is_excluded(self, path: Path) -> bool:
        relative = self.relative(path)
        if any(path_matches(relative, p) for p in self.exclude_patterns()):
            return True
        return path.name in self._rows_out_files(path.parent)

    def _rows_out_files(self, folder: Path) -> frozenset[str]:
        """Names listed in ``folder``'s :data:`ROWS_OUT_MARKER` (read once per folder)."""
        known = self._rows_out_cache.get(folder)
        if known is None:
            known = self._rows_out_cache[folder] = rows_out_files(folder)
        return known

    def context_paths(self) -> list[Path]:
        """The ``context`` files, relative to the config's folder; a missing one is a
        ConfigError (a hook that silently checked no suppression list would pass)."""
        found = []
        for name in self.context:
            path = self.root / name
            if not path.is_file():
                where = self.source or t("configuration")
                raise ConfigError(
                    t("{where}: context file {path} not found", where=where, path=str(path))
                )
            found.append(path)
        return found

    def plugin_settings(self, name: str) -> dict[str, Any]:
        return self.plugins.get(name, {})

    def message_kind(self, path: Path) -> str | None:
        """``marketing`` / ``transactional`` forced for this file in ``[kinds]``, if any."""
        return self.glob_value(self.kinds, path)


def path_matches(relative: str, pattern: str) -> bool:
    """Gitignore-like glob test: ``*`` spans folders, a bare name matches any part."""
    pattern = pattern.strip().rstrip("/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(relative, pattern + "/*"):
        return True
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(part, pattern) for part in PurePosixPath(relative).parts)
    return False


# -- discovery and loading ---------------------------------------------------------------


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The closest config file at or above ``start`` with its mailcheck table (a FIFO
    or a device of that name is passed over: only a regular file is a config file)."""
    folder = safe_resolve(start if start.is_dir() else start.parent)
    for directory in [folder, *folder.parents]:
        for name in CONFIG_FILES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            data = _read_toml(candidate)
            if name == "pyproject.toml":
                table = _tool_table(candidate, data)
                if table is None:
                    continue
                return candidate, table
            return candidate, data
    return None


def _tool_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """``[tool.mailcheck]`` of a ``pyproject.toml`` (``None`` if it has none)."""
    tool = data.get("tool")
    table = tool.get("mailcheck") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(t("{path}: tool.mailcheck: expected a table", path=path))
    return table


def _read_toml(path: Path) -> dict[str, Any]:
    """The TOML of ``path``, read as every input is (a regular file, a size limit): it
    is read before any ``[limits]`` is known, so the default ``max-config-size`` holds,
    and no config can raise it for itself."""
    limit = Limits().max_config_size
    too_large = t(
        "larger than {size}, far more than any configuration (is it the right file?)",
        size=format_size(limit),
    )
    try:
        raw = read_input(path, limit, "limits.max-config-size", what=too_large)
    except InputError as error:
        raise ConfigError(
            t("{path}: cannot read: {reason}", path=path, reason=message_of(error))
        ) from None
    # Windows Notepad saves "UTF-8 with BOM": a BOM is not TOML, but the file is meant as
    # UTF-8 all the same. "ANSI" (cp1252: 'Date d'\xe9but') is no TOML at all: said so.
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        hex_byte = "0x%02x" % raw[error.start]  # noqa: UP031 - not in the message id call
        raise ConfigError(
            t(
                "{path}: not UTF-8 (byte {byte} on line {line}); save it as UTF-8, as TOML "
                "requires",
                path=path,
                byte=hex_byte,
                line=line,
            )
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(t("{path}: invalid TOML: {error}", path=path, error=str(error))) from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError(
            t("{path}: invalid TOML: arrays or tables nested too deeply", path=path)
        ) from None


def load_config(explicit: Path | None, start: Path) -> Config:
    """Load ``explicit`` (``--config``) or discover a file from ``start``; validate keys."""
    if explicit is not None:
        if not explicit.exists():
            raise ConfigError(t("{path}: config file not found", path=explicit))
        data = _read_toml(explicit)  # a folder, a FIFO, a device: "cannot read: ..."
        if explicit.name == "pyproject.toml":
            data = _tool_table(explicit, data) or {}
        found: tuple[Path, dict[str, Any]] | None = (explicit, data)
    else:
        found = find_config_file(start)
    if found is None:
        return Config()
    source, table = found
    config = Config(source=source, root=source.parent)
    apply_table(config, table, where=str(source))
    return config


def apply_table(config: Config, table: dict[str, Any], where: str) -> None:
    """Validate ``table`` against :data:`SCHEMA` and set it on ``config``."""
    for key, value in table.items():
        if key not in SCHEMA:
            from mailcheck.validation import did_you_mean

            error = t("{where}: unknown key {key}", where=where, key=repr(key))
            raise ConfigError(did_you_mean(error, key, SCHEMA))
        attribute, validate = SCHEMA[key]
        try:
            setattr(config, attribute, validate(value))
        except (TypeError, ValueError) as error:  # ValueError: fail-on = "x"
            raise ConfigError(
                t(
                    "{where}: key {key}: {error}",
                    where=where,
                    key=repr(key),
                    error=message_of(error),
                )
            ) from None
    for glob, kind in config.file_types.items():
        if kind not in FILE_KINDS:
            raise ConfigError(
                t(
                    "{where}: file-types {glob}: {value} is not one of {choices}",
                    where=where,
                    glob=repr(glob),
                    value=repr(kind),
                    choices=", ".join(FILE_KINDS),
                )
            )
    for glob, kind in config.kinds.items():
        if kind not in MESSAGE_KINDS:
            raise ConfigError(
                t(
                    "{where}: kinds {glob}: {value} is not one of {choices}",
                    where=where,
                    glob=repr(glob),
                    value=repr(kind),
                    choices=", ".join(MESSAGE_KINDS),
                )
            )
