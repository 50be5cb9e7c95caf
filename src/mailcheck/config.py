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
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import os
import re
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from mailcheck.errors import ConfigError, InputError
from mailcheck.files import read_input, safe_resolve
from mailcheck.findings import Severity

CONFIG_FILES = (".mailcheck.toml", "mailcheck.toml", "pyproject.toml")
PROFILES = ("eu-fr", "eu", "uk", "us", "ca")
FILE_KINDS = ("contacts", "template", "form", "message", "skip")
MESSAGE_KINDS = ("marketing", "transactional")
#: Written by ``--rows-out`` in its folder: the names of the CSVs it wrote there, one a
#: line. Those files are mailcheck's own reports, not the user's lists: a later
#: ``mailcheck lint .`` skips them (else they would be linted as audiences, their
#: addresses in clear counted again, and the next ``--rows-out`` refuse to overwrite them).
#: A name it lists counts only if it is a row file (see :func:`is_rows_out_file`), so a
#: hostile marker can neither hide a list from ``lint`` nor get a file removed.
ROWS_OUT_MARKER = ".mailcheck-rows-out"
#: Held by a run while it writes a rows-out folder (two runs at once would mix files).
ROWS_OUT_LOCK = ".mailcheck-rows-out.lock"
#: The first columns of every row file, and the bytes every row file starts with.
ROWS_OUT_COLUMNS = ("file", "line", "address", "severity", "message")
ROWS_OUT_HEADER = ("\ufeff" + ";".join(ROWS_OUT_COLUMNS)).encode("utf-8")
#: ``<CODE>-<rule-name>.csv``: a bare name, no separator, no ``..``.
ROWS_OUT_NAME = re.compile(r"[A-Z]{2,4}[0-9]{3}-[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.csv")
#: A marker lists one name per rule: a bigger one is not mailcheck's.
_MAX_MARKER_SIZE = 64 << 10
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
DEFAULT_EXCLUDE = [".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"]


def _str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise TypeError("expected a string or a list of strings")


def _str_map(value: Any) -> dict[str, str]:
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return dict(value)
    raise TypeError("expected a table of strings")


def _list_map(value: Any) -> dict[str, list[str]]:
    if isinstance(value, dict):
        return {key: _str_list(v) for key, v in value.items()}
    raise TypeError("expected a table of string lists")


def _choice(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise TypeError(f"expected one of {', '.join(choices)}")
        return value

    return check


def _severity_map(value: Any) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise TypeError("expected a table CODE = level")
    try:
        return {key: Severity.parse(level) for key, level in value.items()}
    except ValueError as error:
        raise TypeError(str(error)) from None


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise TypeError("expected a date YYYY-MM-DD")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError("expected true or false")


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise TypeError("expected a string")


def _table(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise TypeError("expected a table")


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$", re.I)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(value: Any) -> int:
    """A byte count: a whole number, or a string with a unit (``"10 MiB"``, ``"4GB"``;
    K, M, G and T are powers of 1,024 whether or not an ``i`` follows)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE.match(value) if isinstance(value, str) else None
    if match is None or float(match.group(1)) <= 0:
        raise TypeError("expected a positive size (a number of bytes, or like '10 MiB')")
    unit = (match.group(2) or "").lower().rstrip("b").rstrip("i")
    size = float(match.group(1)) * _UNITS[unit]
    if not 1 <= size < float("inf"):  # 400 digits are infinite as a float: no crash
        raise TypeError("expected a positive size (a number of bytes, or like '10 MiB')")
    return int(size)


def format_size(size: int) -> str:
    """``10485760`` -> ``"10 MiB"`` (the unit the limits are written in)."""
    for unit, factor in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


@dataclass
class Limits:
    """What one input may cost at most, so that no file can make a run hang or grow past
    about 1 GiB of memory (``[limits]`` in the config file; each key is named in the
    error a file that passes it gets, so the user knows what to raise)."""

    #: A contact list (CSV, TSV, or a member of a ZIP or .gz once uncompressed). Lists
    #: are streamed, so this bounds time, not memory.
    max_list_size: int = 8 << 30
    #: One record of a contact list, or its header line (real exports: under a few KiB, a
    #: notes field rarely past 100 KiB). A record is held whole while it is read: this
    #: bounds the memory a file without line breaks, or a quote that never closes, takes.
    max_record_size: int = 16 << 20
    #: A template, form, message or plain-text body: read whole and parsed as HTML.
    max_document_size: int = 5 << 20
    #: A configuration file, a keyword list, a baseline.
    max_config_size: int = 1 << 20
    max_baseline_size: int = 64 << 20
    #: Entries of one ZIP archive (an export ZIP holds a handful).
    max_zip_members: int = 1000
    #: Uncompressed bytes of one archive (ZIP or gzip) in all, and its ratio to the
    #: archive's size on disk (a text export compresses 5 to 20 times).
    max_uncompressed_size: int = 4 << 30
    max_compression_ratio: int = 200
    #: Depth of nested HTML elements (real pages: under 50; a page of unclosed tags is
    #: refused before analysis that walks from each element to its ancestors).
    max_html_depth: int = 512
    #: Bytes of the header section of a ``.eml`` message.
    max_header_size: int = 256 << 10
    #: MIME parts of one ``.eml`` message (a newsletter has two or three, attachments included).
    max_mime_parts: int = 1000


#: ``[limits]`` key -> (attribute of :class:`Limits`, validator).
LIMIT_KEYS: dict[str, tuple[str, Callable[[Any], int]]] = {
    "max-list-size": ("max_list_size", parse_size),
    "max-record-size": ("max_record_size", parse_size),
    "max-document-size": ("max_document_size", parse_size),
    "max-config-size": ("max_config_size", parse_size),
    "max-baseline-size": ("max_baseline_size", parse_size),
    "max-zip-members": ("max_zip_members", lambda v: _positive_int(v)),
    "max-uncompressed-size": ("max_uncompressed_size", parse_size),
    "max-compression-ratio": ("max_compression_ratio", lambda v: _positive_int(v)),
    "max-html-depth": ("max_html_depth", lambda v: _positive_int(v)),
    "max-header-size": ("max_header_size", parse_size),
    "max-mime-parts": ("max_mime_parts", lambda v: _positive_int(v)),
}


def limit_key(attribute: str) -> str:
    """The ``[limits]`` key of a :class:`Limits` attribute (for error messages)."""
    return "limits." + attribute.replace("_", "-")


def _positive_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise TypeError("expected a positive whole number")


def _limits(value: Any) -> Limits:
    limits = Limits()
    for key, item in _table(value).items():
        if key not in LIMIT_KEYS:
            raise TypeError(f"unknown limit {key!r} (known: {', '.join(LIMIT_KEYS)})")
        attribute, validate = LIMIT_KEYS[key]
        try:
            setattr(limits, attribute, validate(item))
        except TypeError as error:
            raise TypeError(f"{key}: {error}") from None
    return limits


CONTACT_ROLES = ("audience", "send-list", "suppression", "send-log")


def _contact_roles(value: Any) -> dict[str, str]:
    roles = _str_map(value)
    for glob, role in roles.items():
        if role not in CONTACT_ROLES:
            raise TypeError(f"{glob!r}: {role!r} is not one of {', '.join(CONTACT_ROLES)}")
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
    columns = _str_map(value)
    known = canonical_columns()
    for canonical in columns:
        if canonical not in known:
            close = difflib.get_close_matches(canonical, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TypeError(
                f"{canonical!r} is not a canonical column{hint}; known: {', '.join(sorted(known))}"
            )
    return columns


#: key in the file -> (attribute of Config, validator). The one place a new key is added.
SCHEMA: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "profile": ("profile", _choice(*PROFILES)),
    "exclude": ("exclude", _str_list),
    "extend-exclude": ("extend_exclude", _str_list),
    "select": ("select", _str_list),
    "extend-select": ("extend_select", _str_list),
    "ignore": ("ignore", _str_list),
    "per-file-ignores": ("per_file_ignores", _list_map),
    "severity": ("severity", _severity_map),
    "fail-on": ("fail_on", lambda v: Severity.parse(_str(v))),
    "output-format": ("output_format", _str),
    "show-pii": ("show_pii", _bool),
    "baseline": ("baseline", _str),
    "fingerprint-key-file": ("fingerprint_key_file", _str),
    "today": ("today", _date),
    "rules": ("rules", _table),
    "plugins": ("plugins", _table),
    "kinds": ("kinds", _str_map),
    "file-types": ("file_types", _str_map),
    "provider": ("provider", _str),
    "providers": ("providers", _str_map),
    "columns": ("columns", _columns),
    "date-formats": ("date_formats", _list_map),
    "keywords": ("keywords", _list_map),
    "sender": ("sender", _str),
    "reply-to": ("reply_to", _str),
    "required-plugins": ("required_plugins", _str_list),
    "unsubscribe-scope": ("unsubscribe_scope", _choice("global", "per-list")),
    "audience-country": ("audience_country", _str),
    "contact-roles": ("contact_roles", _contact_roles),
    "limits": ("limits", _limits),
}


@dataclass
class Config:
    """The resolved configuration of one run. Attribute names mirror the keys."""

    source: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    profile: str = "eu-fr"
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = field(default_factory=list)
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
    file_types: dict[str, str] = field(default_factory=dict)
    provider: str | None = None
    providers: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    date_formats: dict[str, list[str]] = field(default_factory=dict)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    sender: str | None = None
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
        try:
            return resolved.relative_to(safe_resolve(self.root)).as_posix()
        except ValueError:
            return resolved.as_posix()

    def glob_value(self, table: dict[str, str], path: Path) -> str | None:
        """The value of the first glob in ``table`` matching ``path`` (or ``None``)."""
        relative = self.relative(path)
        for pattern, value in table.items():
            if path_matches(relative, pattern):
                return value
        return None

    def is_excluded(self, path: Path) -> bool:
        relative = self.relative(path)
        if any(path_matches(relative, p) for p in [*self.exclude, *self.extend_exclude]):
            return True
        return path.name in self._rows_out_files(path.parent)

    def _rows_out_files(self, folder: Path) -> frozenset[str]:
        """Names listed in ``folder``'s :data:`ROWS_OUT_MARKER` (read once per folder)."""
        known = self._rows_out_cache.get(folder)
        if known is None:
            known = self._rows_out_cache[folder] = rows_out_files(folder)
        return known

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


def rows_out_files(folder: Path) -> frozenset[str]:
    """The row files ``folder``'s :data:`ROWS_OUT_MARKER` lists (none if it has none):
    only the names that :func:`is_rows_out_file` accepts, so ``../x``, ``/etc/passwd`` or
    a user's list named in a marker are neither skipped by ``lint`` nor ever removed."""
    head = _read_regular(folder / ROWS_OUT_MARKER, _MAX_MARKER_SIZE + 1)
    if head is None or len(head) > _MAX_MARKER_SIZE:
        return frozenset()
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return frozenset()
    names = {line.strip() for line in text.splitlines() if line.strip()}
    return frozenset(name for name in names if is_rows_out_file(folder, name))


def is_rows_out_file(folder: Path, name: str) -> bool:
    """Whether ``folder/name`` is a row file ``--rows-out`` wrote: a bare name of the
    shape ``<CODE>-<rule-name>.csv``, a regular file (not a link) that starts with the
    row files' header row (:data:`ROWS_OUT_HEADER`)."""
    if len(name) > 200 or not ROWS_OUT_NAME.fullmatch(name):
        return False
    head = _read_regular(folder / name, len(ROWS_OUT_HEADER) + 1)
    if head is None or not head.startswith(ROWS_OUT_HEADER):
        return False
    return head[len(ROWS_OUT_HEADER) :] in (b";", b"\r", b"\n")


def _read_regular(path: Path, size: int) -> bytes | None:
    """At most ``size`` bytes from the start of ``path`` if it is a regular file and not
    a symbolic link (checked before and, on the open descriptor, after opening: a FIFO
    never blocks, a device is never read); ``None`` otherwise."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        chunks, wanted = [], size
        while wanted > 0:
            chunk = os.read(descriptor, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)


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
        raise ConfigError(f"{path}: tool.mailcheck: expected a table")
    return table


def _read_toml(path: Path) -> dict[str, Any]:
    """The TOML of ``path``, read as every input is (a regular file, a size limit): it
    is read before any ``[limits]`` is known, so the default ``max-config-size`` holds,
    and no config can raise it for itself."""
    limit = Limits().max_config_size
    too_large = (
        f"larger than {format_size(limit)}, far more than any configuration (is it the right file?)"
    )
    try:
        raw = read_input(path, limit, "limits.max-config-size", what=too_large)
    except InputError as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    # Windows Notepad saves "UTF-8 with BOM": a BOM is not TOML, but the file is meant as
    # UTF-8 all the same. "ANSI" (cp1252: 'Date d'\xe9but') is no TOML at all: said so.
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ConfigError(
            f"{path}: not UTF-8 (byte 0x{raw[error.start]:02x} on line {line}); "
            "save it as UTF-8, as TOML requires"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None


def load_config(explicit: Path | None, start: Path) -> Config:
    """Load ``explicit`` (``--config``) or discover a file from ``start``; validate keys."""
    if explicit is not None:
        if not explicit.exists():
            raise ConfigError(f"{explicit}: config file not found")
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
            raise ConfigError(f"{where}: unknown key {key!r}")
        attribute, validate = SCHEMA[key]
        try:
            setattr(config, attribute, validate(value))
        except (TypeError, ValueError) as error:  # ValueError: fail-on = "x"
            raise ConfigError(f"{where}: key {key!r}: {error}") from None
    for glob, kind in config.file_types.items():
        if kind not in FILE_KINDS:
            raise ConfigError(
                f"{where}: file-types {glob!r}: {kind!r} is not one of {', '.join(FILE_KINDS)}"
            )
    for glob, kind in config.kinds.items():
        if kind not in MESSAGE_KINDS:
            raise ConfigError(
                f"{where}: kinds {glob!r}: {kind!r} is not one of {', '.join(MESSAGE_KINDS)}"
            )
