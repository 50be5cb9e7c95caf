"""The rule registry: every rule of every plugin, validated, and the user's selection.

Selectors (``--select``, ``--ignore``, ``[severity]``, ``per-file-ignores`` ...) accept a
code (``MC101``), a code prefix (``MC1``, ``MCH``), a rule name (``missing-unsubscribe``) or
``ALL``. As in ruff, the most specific selector wins: ``--ignore MC1 --select MC101``
keeps MC101 on. A selector matching no rule is a config error.
"""

from __future__ import annotations

from collections.abc import Iterable

from mailcheck.errors import ConfigError, PluginError, message_of
from mailcheck.findings import Severity
from mailcheck.i18n import Text, t
from mailcheck.rule import CORE_CODE, PLUGIN_CODE, RULE_NAME, Rule, missing_sections

#: Plugins allowed to register ``MC`` codes: mailcheck's own built-ins.
_CORE_PREFIX = "MC"


class RuleRegistry:
    """Rules by code, with their origin; built from a plugin manager's ``mailcheck_rules``."""

    def __init__(self, rules: dict[str, type[Rule]]) -> None:
        self.rules = dict(sorted(rules.items()))
        self.by_name = {rule.name: rule for rule in self.rules.values()}

    @classmethod
    def from_plugins(cls, pm) -> RuleRegistry:
        rules: dict[str, type[Rule]] = {}
        prefix_owner: dict[str, str] = {}
        names: dict[str, str] = {}
        for impl in pm.hook.mailcheck_rules.get_hookimpls():
            origin = impl.plugin_name
            builtin = pm.infos.get(origin) is not None and pm.infos[origin].builtin
            for rule in impl.function() or []:
                _validate_rule(rule, origin, builtin)
                if rule.code in rules:
                    raise PluginError(
                        t(
                            "rule code {code} is registered by both {first} and {second}",
                            code=rule.code,
                            first=repr(rules[rule.code].origin),
                            second=repr(origin),
                        )
                    )
                if rule.name in names:
                    raise PluginError(
                        t(
                            "rule name {name} is registered by both {first} and {second}",
                            name=repr(rule.name),
                            first=repr(names[rule.name]),
                            second=repr(origin),
                        )
                    )
                prefix = rule.code[:-3]
                owner = prefix_owner.setdefault(prefix, origin)
                if not builtin and owner != origin:
                    raise PluginError(
                        t(
                            "rule prefix {prefix} is claimed by both {first} and {second}",
                            prefix=prefix,
                            first=repr(owner),
                            second=repr(origin),
                        )
                    )
                rule.origin = origin
                rules[rule.code] = rule
                names[rule.name] = origin
        return cls(rules)

    # -- selectors ----------------------------------------------------------------------

    def match(self, selector: str) -> list[type[Rule]]:
        """Rules matched by one selector; :class:`ConfigError` if none."""
        found = [rule for rule in self.rules.values() if specificity(selector, rule) >= 0]
        if not found:
            from mailcheck.validation import did_you_mean

            error = t("unknown rule code or name {selector}", selector=repr(selector))
            raise ConfigError(did_you_mean(error, selector, [*self.rules, *self.by_name]))
        return found

    def validate_selectors(self, selectors: Iterable[str], where: str | Text) -> None:
        for selector in selectors:
            try:
                self.match(selector)
            except ConfigError as error:
                raise ConfigError(
                    t("{where}: {error}", where=where, error=message_of(error))
                ) from None

    def get(self, code_or_name: str) -> type[Rule] | None:
        return self.rules.get(code_or_name.upper()) or self.by_name.get(code_or_name.lower())

    def enabled(
        self, select: list[str], extend_select: list[str], ignore: list[str]
    ) -> list[type[Rule]]:
        """Rules left on by the selection (most specific selector wins, ignore on ties)."""
        chosen = []
        for rule in self.rules.values():
            on = max((specificity(s, rule) for s in [*select, *extend_select]), default=-1)
            off = max((specificity(s, rule) for s in ignore), default=-1)
            if on >= 0 and on > off:
                chosen.append(rule)
        return chosen


def specificity(selector: str, rule: type[Rule]) -> int:
    """How specifically ``selector`` names ``rule``: -1 no match, 0 ALL, higher is closer."""
    if selector == "ALL":
        return 0
    if selector.lower() == rule.name:
        return 100
    upper = selector.upper()
    if rule.code.startswith(upper):
        return len(upper)
    return -1


def most_specific(table: dict[str, object], rule: type[Rule]) -> object | None:
    """The value of the most specific selector in ``table`` matching ``rule``."""
    best, value = -1, None
    for selector, candidate in table.items():
        score = specificity(selector, rule)
        if score > best:
            best, value = score, candidate
    return value


def severity_for(rule: type[Rule], profile: str, overrides: dict[str, Severity]) -> Severity:
    """The severity a rule's findings get in this run: user override, else profile default."""
    override = most_specific(overrides, rule)
    return override if isinstance(override, Severity) else rule.default_severity(profile)


def _validate_rule(rule: type[Rule], origin: str, builtin: bool) -> None:
    where = t(
        "plugin {plugin}: rule {rule}",
        plugin=repr(origin),
        rule=repr(getattr(rule, "__name__", rule)),
    )
    if not (isinstance(rule, type) and issubclass(rule, Rule)):
        raise PluginError(t("{where} is not a mailcheck.Rule subclass", where=where))
    code = getattr(rule, "code", "")
    if builtin:
        if not CORE_CODE.match(code):
            raise PluginError(
                t(
                    "{where}: built-in code {code} must be MC + 3 digits",
                    where=where,
                    code=repr(code),
                )
            )
    else:
        match = PLUGIN_CODE.match(code)
        if not match or match.group(1) == _CORE_PREFIX:
            raise PluginError(
                t(
                    "{where}: code {code} must be 2-4 uppercase letters (not MC) + 3 digits",
                    where=where,
                    code=repr(code),
                )
            )
    if not RULE_NAME.match(getattr(rule, "name", "")):
        raise PluginError(
            t(
                "{where}: name {name} is not kebab-case",
                where=where,
                name=repr(getattr(rule, "name", "")),
            )
        )
    if not isinstance(getattr(rule, "severity", None), Severity):
        raise PluginError(t("{where}: severity must be a mailcheck.Severity", where=where))
    if not getattr(rule, "kinds", None):
        raise PluginError(t("{where}: kinds must name at least one document kind", where=where))
    missing = missing_sections(rule)
    if missing:
        raise PluginError(
            t(
                "{where}: docstring lacks section(s) {sections}",
                where=where,
                sections=", ".join(missing),
            )
        )
