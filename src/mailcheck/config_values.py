"""Validators of config-file values: each takes a value as TOML gives it and returns it
typed, or raises ``TypeError`` saying what was expected (the caller,
:func:`mailcheck.config.apply_table`, adds the file and the key)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from mailcheck.findings import Severity
from mailcheck.i18n import t


def string_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise TypeError(t("expected a string or a list of strings"))


def string_map(value: Any) -> dict[str, str]:
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return dict(value)
    raise TypeError(t("expected a table of strings"))


def list_map(value: Any) -> dict[str, list[str]]:
    if isinstance(value, dict):
        return {key: string_list(v) for key, v in value.items()}
    raise TypeError(t("expected a table of string lists"))


def one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise TypeError(t("expected one of {choices}", choices=", ".join(choices)))
        return value

    return check


def severity_map(value: Any) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise TypeError(t("expected a table CODE = level"))
    try:
        return {key: Severity.parse(level) for key, level in value.items()}
    except ValueError as error:
        raise TypeError(str(error)) from None


def iso_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise TypeError(t("expected a date YYYY-MM-DD"))


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(t("expected true or false"))


def string(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(t("expected a string"))


def toml_table(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise TypeError(t("expected a table"))


def positive_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise TypeError(t("expected a positive whole number"))


def jobs_value(value: Any) -> int | None:
    """``jobs``: ``"auto"`` (``None``: the cores, when there is enough to lint) or how
    many worker processes at most (1: none)."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise TypeError(t('expected "auto" or a positive whole number'))


def language_name(value: Any) -> str:
    """``lang``: one of the languages mailcheck speaks (``en``, ``fr``)."""
    from mailcheck.i18n import LANGUAGES

    if not isinstance(value, str) or value.strip().lower() not in LANGUAGES:
        raise TypeError(t("expected one of {choices}", choices=", ".join(LANGUAGES)))
    return value.strip().lower()
