"""Checking a configuration against what is installed: every rule code, rule option,
plugin table, required plugin and keyword list it names must exist (else a
:class:`~mailcheck.errors.ConfigError` naming the file and the key, exit 2).

Apart from the engine because it runs once, before any file is read, and the CLI calls
:func:`validate_selection` on its own (to name each selector after the option or the file
that gave it).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from mailcheck.config import Config
from mailcheck.errors import ConfigError
from mailcheck.i18n import Text, t
from mailcheck.keywords import Keywords
from mailcheck.manager import MailcheckPluginManager
from mailcheck.registry import RuleRegistry


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` most likely misspells (``fail_on`` -> ``fail-on``, ``MC1011``
    -> ``MC101``, ``missing-unsubscrib`` -> ``missing-unsubscribe``), or ``None``: the
    same word with ``-`` for ``_`` or in another case first, then the longest choice the
    word starts with, else the nearest by
    :func:`difflib.get_close_matches` (ratio 0.6 or more)."""
    options = list(choices)
    for variant in (word.replace("_", "-"), word.lower(), word.upper(), _digits(word)):
        if variant != word and variant in options:
            return variant
    # A code typed with a digit too many (MC1011): the longest choice it starts with.
    starts = [
        option for option in options if len(option) > 2 and word.lower().startswith(option.lower())
    ]
    if starts:
        return max(starts, key=len)
    by_fold = {option.lower(): option for option in options}
    found = difflib.get_close_matches(word.lower(), list(by_fold), n=1, cutoff=0.6)
    return by_fold[found[0]] if found else None


def _digits(word: str) -> str:
    """A rule code typed with letters for digits (``MC2O3``, ``MC1l0``) as it was meant:
    after its first digit, O is 0 and I or l is 1."""
    first = next((i for i, char in enumerate(word) if char.isdigit()), None)
    if first is None:
        return word
    return word[:first].upper() + word[first:].translate(_LOOKALIKES)


_LOOKALIKES = str.maketrans("OoIl", "0011")


def did_you_mean(error: str | Text, word: str, choices: Iterable[str]) -> str | Text:
    """``error`` and `` (did you mean 'fail-on'?)`` when a choice is close to ``word``."""
    suggestion = closest(word, choices)
    if suggestion is None:
        return error
    return t("{error} (did you mean {suggestion}?)", error=error, suggestion=repr(suggestion))


def known_code(registry: RuleRegistry, code: str) -> bool:
    """Whether ``code`` is a rule code or the prefix of one (``MC2``, ``MC201``)."""
    return any(rule.code.startswith(code) for rule in registry.rules.values())


def validate_against_registry(
    config: Config,
    registry: RuleRegistry,
    pm: MailcheckPluginManager,
    *,
    selectors_validated: bool = False,
) -> None:
    """Unknown codes, names, options, plugins or keyword lists anywhere in the config are
    errors (exit 2). ``selectors_validated``: the caller checked the selectors already
    (the CLI does, to name each after the option or the file that gave it)."""
    where = _config_name(config)
    if not selectors_validated:
        validate_selection(config, registry)
    _validate_rule_options(config, registry, where)
    _validate_plugin_tables(config, pm, where)
    missing = [name for name in config.required_plugins if not _plugin_present(pm, name)]
    if missing:
        raise ConfigError(
            t(
                "{where}: required plugin(s) not installed: {names}",
                where=where,
                names=", ".join(missing),
            )
        )
    _validate_keyword_lists(config, pm, where)


def validate_selection(
    config: Config, registry: RuleRegistry, *, replaced: frozenset[str] = frozenset()
) -> None:
    """Every rule selector of the config (select, ignore, severities, per-file ignores)
    names a rule, a prefix or ALL; an error names the file and the key. ``replaced``:
    keys the caller overrides whole (the CLI's ``--select``), not in use, so not checked."""
    where = _config_name(config)
    if "select" not in replaced:
        registry.validate_selectors(config.select, f"{where}: select")
    registry.validate_selectors(config.extend_select, f"{where}: extend-select")
    registry.validate_selectors(config.ignore, f"{where}: ignore")
    registry.validate_selectors(config.severity, f"{where}: severity")
    for glob, selectors in config.per_file_ignores.items():
        registry.validate_selectors(selectors, f"{where}: per-file-ignores {glob!r}")


def _config_name(config: Config) -> str | Text:
    return str(config.source) if config.source else t("configuration")


def _validate_rule_options(config: Config, registry: RuleRegistry, where: str) -> None:
    """``[rules.CODE]`` tables: a known rule, known options, values of the option's type
    and within its bounds."""
    for code, options in config.rules.items():
        rule = registry.get(code)
        if rule is None:
            raise ConfigError(
                t("{where}: rules: unknown rule code {code}", where=where, code=repr(code))
            )
        if not isinstance(options, dict):
            raise ConfigError(
                t("{where}: rules.{code}: expected a table of options", where=where, code=code)
            )
        for key, value in options.items():
            option = rule.options.get(key)
            if option is None:
                known = ", ".join(rule.options) or t("none")
                raise ConfigError(
                    t(
                        "{where}: rules.{code}: unknown option {key} (known: {known})",
                        where=where,
                        code=code,
                        key=repr(key),
                        known=known,
                    )
                )
            refusal = option.refusal(value)  # type and bounds: the one check of rule options
            if refusal:
                raise ConfigError(
                    t(
                        "{where}: rules.{code}.{key}: {refusal}",
                        where=where,
                        code=code,
                        key=key,
                        refusal=refusal,
                    )
                )


def _validate_plugin_tables(config: Config, pm: MailcheckPluginManager, where: str) -> None:
    """``[plugins.NAME]`` tables: a plugin that declares options, and only its keys."""
    declared: dict[str, dict] = {}
    for impl in pm.hook.mailcheck_plugin_options.get_hookimpls():
        declared[impl.plugin_name] = impl.function() or {}
    for name, table in config.plugins.items():
        if name not in declared:
            raise ConfigError(
                t(
                    "{where}: plugins: no installed plugin named {name} takes options",
                    where=where,
                    name=repr(name),
                )
            )
        if not isinstance(table, dict):
            raise ConfigError(
                t("{where}: plugins.{name}: expected a table", where=where, name=name)
            )
        unknown = sorted(set(table) - set(declared[name]))
        if unknown:
            raise ConfigError(
                t(
                    "{where}: plugins.{name}: unknown key(s) {keys}",
                    where=where,
                    name=name,
                    keys=", ".join(unknown),
                )
            )


def _validate_keyword_lists(config: Config, pm: MailcheckPluginManager, where: str) -> None:
    """``[keywords]`` extends lists that exist (the core's or a plugin's)."""
    known_lists = set(Keywords())
    known_lists.update(name for ext in pm.hook.mailcheck_keywords() for name in ext)
    unknown_lists = sorted(set(config.keywords) - known_lists)
    if unknown_lists:
        raise ConfigError(
            t(
                "{where}: keywords: unknown list(s) {names}",
                where=where,
                names=", ".join(unknown_lists),
            )
        )


def _plugin_present(pm, name: str) -> bool:
    return any(
        name in (info.name, info.distribution) and info.error is None for info in pm.infos.values()
    )
