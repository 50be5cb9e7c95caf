"""Rule registration and selection (src/mailcheck/registry.py)."""

from __future__ import annotations

import types

import pytest

from mailcheck import Kind, Option, Rule, Severity, hookimpl
from mailcheck.errors import ConfigError, PluginError
from mailcheck.manager import create_plugin_manager
from mailcheck.registry import RuleRegistry

DOC = """## What it does
Checks a thing.

## Why it matters
A law says so (GDPR art. 5).

## Example
`x`

## Fix
Do y.
"""


def make_rule(code: str, name: str, doc: str = DOC) -> type[Rule]:
    return type(
        f"Rule{code}",
        (Rule,),
        {
            "__doc__": doc,
            "code": code,
            "name": name,
            "severity": Severity.WARNING,
            "kinds": frozenset({Kind.TEMPLATE}),
        },
    )


def plugin_with(*rules: type[Rule]):
    return types.SimpleNamespace(mailcheck_rules=hookimpl(lambda: list(rules)))


def registry_with(*plugins) -> RuleRegistry:
    pm = create_plugin_manager(load_entry_points=False, extra_plugins=list(plugins))
    return RuleRegistry.from_plugins(pm)


def test_plugin_rule_registered_with_origin():
    registry = registry_with(("acme", plugin_with(make_rule("ACM101", "acme-thing"))))
    assert registry.get("ACM101").origin == "acme"
    assert registry.get("acme-thing").code == "ACM101"


@pytest.mark.parametrize(
    ("code", "name", "doc", "message"),
    [
        ("MC150", "core-squatter", DOC, "not MC"),
        ("A101", "short-prefix", DOC, "2-4 uppercase letters"),
        ("ACME1", "no-digits", DOC, "2-4 uppercase letters"),
        ("ACM101", "Not_Kebab", DOC, "kebab-case"),
        ("ACM101", "undocumented", "Checks things.", "lacks section"),
    ],
)
def test_invalid_plugin_rules_are_refused(code, name, doc, message):
    with pytest.raises(PluginError, match=message):
        registry_with(("acme", plugin_with(make_rule(code, name, doc))))


def test_code_claimed_twice_names_both_plugins():
    first = ("acme", plugin_with(make_rule("ACM101", "acme-one")))
    second = ("other", plugin_with(make_rule("ACM101", "other-one")))
    with pytest.raises(PluginError, match="'acme' and 'other'"):
        registry_with(first, second)


def test_prefix_claimed_twice_names_both_plugins():
    first = ("acme", plugin_with(make_rule("ACM101", "acme-one")))
    second = ("other", plugin_with(make_rule("ACM102", "other-two")))
    with pytest.raises(PluginError, match="prefix ACM is claimed by both 'acme' and 'other'"):
        registry_with(first, second)


def test_most_specific_selector_wins():
    registry = registry_with()
    codes = lambda s, i: {r.code for r in registry.enabled(s, [], i)}  # noqa: E731
    assert "MC101" in codes(["ALL"], [])
    assert "MC101" not in codes(["ALL"], ["MC1"])
    assert "MC101" in codes(["ALL", "MC101"], ["MC1"])
    assert "MC101" not in codes(["MC101"], ["missing-unsubscribe"])
    assert codes(["MC9"], []) == {f"MC90{i}" for i in range(9)}


def test_unknown_selector_is_a_config_error():
    with pytest.raises(ConfigError, match="MC777"):
        registry_with().match("MC777")


def test_option_bounds_are_declared_and_hold_for_the_defaults():
    # every built-in option counting days, sizes, ages or addresses has a floor, and no
    # default breaks its own bounds (the engine refuses it in a config, exit 2)
    registry = RuleRegistry.from_plugins(create_plugin_manager())
    numbers = 0
    for rule in registry.rules.values():
        for key, option in rule.options.items():
            assert option.refusal(option.default) is None, (rule.code, key)
            if option.type in (int, float):
                numbers += 1
                assert option.min is not None and option.unit, (rule.code, key)
    assert numbers >= 8


def test_option_refusal_says_type_then_bound():
    days = Option(30, int, "Days.", min=1, unit="days")
    ratio = Option(0.5, float, "Share.", min=0, max=1)
    assert days.refusal(1) is None and ratio.refusal(1.0) is None
    assert days.refusal("30") == "expected int, got '30'"
    assert days.refusal(True) == "expected int, got True"
    assert days.refusal(-5) == "expected a number of days >= 1, got -5"
    assert ratio.refusal(1.5) == "expected a number between 0 and 1, got 1.5"
    assert days.bounds() == ">= 1 days" and ratio.bounds() == "between 0 and 1"
    assert Option("x", str, "Text.").bounds() == ""


def test_a_summary_is_the_first_sentence_not_cut_at_an_abbreviation():
    """``Rule.summary`` (the rules list, SARIF's short description, the HTML report)
    ends at the end of the first sentence, not at "art." or "e.g." inside it."""

    class Special(Rule):
        """## What it does
        Finds fields that ask for special categories of data (GDPR art. 9): health,
        religion, e.g. a "Religion" field. Other sentence.

        ## Why it matters
        x
        """

    assert Special.summary() == (
        "Finds fields that ask for special categories of data (GDPR art. 9): health, "
        'religion, e.g. a "Religion" field.'
    )

    class Last(Rule):
        """## What it does
        Reports a missing header (see art. 13)
        """

    assert Last.summary() == "Reports a missing header (see art. 13)"
