"""The fingerprint key: findings are fingerprinted with HMAC-SHA256 under a secret key.

A fingerprint (the ``fingerprint`` of JSON and SARIF output, the entries of a baseline)
hashes a finding's rule, file and content key -- for a contact row, its address. A plain
hash of that is no secret: anyone holding a report and a list of likely addresses can
hash them and match (40 of 40 were matched that way). Keyed with a secret that stays on
the user's machine, the same address gives a fingerprint that nobody without the key
can recompute, while runs on that machine still agree, so a baseline keeps matching.

Where the key comes from, first found wins:

1. ``MAILCHECK_FINGERPRINT_KEY``: the secret itself (a CI secret, a team sharing one
   baseline);
2. ``fingerprint-key-file = "path"`` in the config file (relative to it): a file
   holding the secret;
3. ``fingerprint.key`` in the user's data folder (``platformdirs.user_data_dir``),
   created on first use with mode 0600. Two runs starting at once agree on one key: it
   is written to a temporary file and linked into place, the loser reads the winner's.

If that folder cannot be written, the run uses a random key and says, in one warning
line, that its fingerprints will differ from other runs' and how to set a key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mailcheck.digests import HEX_DIGITS, padded_states
from mailcheck.errors import ConfigError, InputError, message_of
from mailcheck.files import os_reason, read_input
from mailcheck.i18n import Text, t

if TYPE_CHECKING:
    from mailcheck.config import Config

ENV_VAR = "MAILCHECK_FINGERPRINT_KEY"
KEY_FILE_NAME = "fingerprint.key"
#: A key file is read as a config file is (a line of text; the config's limit bounds it).
_LIMIT_KEY = "limits.max-config-size"
_HOW_TO_SET = t(
    "set {variable} (or fingerprint-key-file in the config) to a secret to keep them stable",
    variable=ENV_VAR,
)


@dataclass(frozen=True)
class FingerprintKey:
    """A secret and where it came from (``source`` is said in messages, never the
    secret). ``key_id`` names the key in a baseline without revealing it."""

    secret: bytes
    source: str
    _inner: Any = field(init=False, repr=False, compare=False)
    _outer: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # HMAC (RFC 2104) with its two padded-key states hashed once: each digest then
        # copies them, four times faster than ``hmac.digest`` on every finding of a
        # million-row list (many at once: :mod:`mailcheck.digests`).
        inner, outer = padded_states(self.secret)
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_outer", outer)

    @property
    def key_id(self) -> str:
        return hmac.new(self.secret, b"mailcheck-key-id", hashlib.sha256).hexdigest()[:8]

    def digest(self, text: str) -> str:
        """The fingerprint of ``text``: 20 hex digits of HMAC-SHA256."""
        inner = self._inner.copy()
        inner.update(text.encode("utf-8", "surrogatepass"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:HEX_DIGITS]


#: Keys read from or made in a file, by path, for the life of the process: the file is
#: read once, and a random key made because the folder is not writable stays the same
#: for the whole run (and is warned about once).
_FILE_KEYS: dict[str, FingerprintKey] = {}
_active: FingerprintKey | None = None
_pending: tuple[Config | None, Callable[[str | Text], None] | None] = (None, None)


def user_key_path() -> Path:
    """Where the per-user key lives (``~/.local/share/mailcheck/fingerprint.key`` on
    Linux, the platform's user data folder elsewhere)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("mailcheck", appauthor=False)) / KEY_FILE_NAME


def resolve_key(
    config: Config | None = None, warn: Callable[[str | Text], None] | None = None
) -> FingerprintKey:
    """The key of a run with ``config`` (see the module's docstring for the order).

    A configured key file that cannot be read is a :class:`ConfigError` (the user asked
    for that key; a silent fallback would make every baseline entry look new)."""
    secret = os.environ.get(ENV_VAR, "").strip()
    if secret:
        return FingerprintKey(secret.encode("utf-8", "surrogateescape"), ENV_VAR)
    configured = getattr(config, "fingerprint_key_file", None)
    if configured:
        path = Path(configured).expanduser()
        if not path.is_absolute() and config is not None and config.source is not None:
            path = config.source.parent / path
        return _configured_key(path, _limit(config))
    return _user_key(user_key_path(), _limit(config), warn or (lambda message: None))


def _limit(config: Config | None) -> int:
    from mailcheck.config import Limits

    limits = getattr(config, "limits", None) or Limits()
    return limits.max_config_size


def use_fingerprint_key(
    config: Config | None, warn: Callable[[str | Text], None] | None = None
) -> None:
    """Make the key of a run with ``config`` the one :func:`active_key` gives (the engine
    calls it for each run). The per-user key is resolved only when a fingerprint is first
    needed: a run whose report shows none never creates the key file."""
    global _active, _pending
    _active, _pending = None, (config, warn)
    if getattr(config, "fingerprint_key_file", None):
        # Asked for by name: a file that cannot be read is an error now, before the
        # report starts, not half-way through it.
        activate(resolve_key(config, warn))


def activate(key: FingerprintKey) -> FingerprintKey:
    """Make ``key`` the one :func:`active_key` gives (tests, a caller with its own key)."""
    global _active
    _active = key
    return key


def active_key() -> FingerprintKey:
    """The key of the current run (see :func:`use_fingerprint_key`); without one, the key
    a run without a config file would use."""
    if _active is not None:
        return _active
    return activate(resolve_key(*_pending))


def _configured_key(path: Path, limit: int) -> FingerprintKey:
    where = f"fingerprint-key-file {path}"  # a key and a path: the same in every language
    cached = _FILE_KEYS.get(str(path))
    if cached is not None:
        return cached
    try:
        secret = read_input(path, limit, _LIMIT_KEY).strip()
    except InputError as error:
        raise ConfigError(
            t(
                "{where}: cannot read the fingerprint key: {reason}",
                where=where,
                reason=message_of(error),
            )
        ) from None
    if not secret:
        raise ConfigError(
            t("{where}: the file is empty; put a long random secret in it", where=where)
        )
    key = _FILE_KEYS[str(path)] = FingerprintKey(secret, "fingerprint-key-file")
    return key


def _user_key(path: Path, limit: int, warn: Callable[[Text], None]) -> FingerprintKey:
    cached = _FILE_KEYS.get(str(path))
    if cached is not None:
        return cached
    try:
        key = FingerprintKey(_read_or_create(path, limit), str(path))
    except (OSError, InputError) as error:
        reason = os_reason(error) if isinstance(error, OSError) else message_of(error)
        warn(
            t(
                "cannot keep a fingerprint key in {folder} ({reason}): this run uses a random "
                "one, so its fingerprints and baselines will not match other runs'; {how}",
                folder=path.parent,
                reason=reason,
                how=_HOW_TO_SET,
            )
        )
        key = FingerprintKey(secrets.token_hex(32).encode("ascii"), "a random key for this run")
    _FILE_KEYS[str(path)] = key
    return key


def _read_or_create(path: Path, limit: int) -> bytes:
    """The secret in ``path``, made first if there is none (atomically: two runs that
    start together both end up with the key that was linked into place first)."""
    try:
        secret = read_input(path, limit, _LIMIT_KEY).strip()
    except InputError:
        if path.is_symlink():
            raise
        # Another run may have linked its key into place since: read that one (a file
        # that really cannot be read fails here, as it should).
        secret = read_input(path, limit, _LIMIT_KEY).strip() if path.exists() else None
    if secret is not None:
        if not secret:
            raise InputError(t("{name} is empty (delete it to make a new key)", name=path.name))
        return secret
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    secret = secrets.token_hex(32).encode("ascii")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            os.write(descriptor, secret + b"\n")
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(temporary, path)  # fails if another run was first: read its key
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: replace (last one wins)
            os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
    winner = read_input(path, limit, _LIMIT_KEY).strip()
    if not winner:
        raise InputError(t("{name} is empty (delete it to make a new key)", name=path.name))
    return winner
