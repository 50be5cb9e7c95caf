"""Languages (src/mailcheck/i18n.py, i18n_extract.py): choosing one, rendering a text,
and the French catalogues covering every message id."""

from __future__ import annotations

import datetime as dt

import pytest

from mailcheck.i18n import Date, Days, Text, choose_language, placeholders, t, translations
from mailcheck.i18n_extract import code_message_ids, missing, rule_message_ids


@pytest.mark.parametrize(
    ("asked", "configured", "environ", "expected"),
    [
        ("fr", None, {}, "fr"),
        (None, "fr", {"LANG": "en_US.UTF-8"}, "fr"),
        ("en", "fr", {"LANG": "fr_FR.UTF-8"}, "en"),
        (None, None, {"LANG": "fr_FR.UTF-8"}, "fr"),
        (None, None, {"LC_ALL": "fr_CA.UTF-8", "LANG": "en_US"}, "fr"),
        (None, None, {"LANG": "de_DE.UTF-8"}, "en"),  # not spoken yet: English
        (None, None, {"LANG": "C.UTF-8"}, "en"),
        (None, None, {}, "en"),
    ],
)
def test_the_language_of_a_run(asked, configured, environ, expected):
    assert choose_language(asked, configured, environ) == expected


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        choose_language("xx")


def test_english_rendering_is_the_message_machine_formats_always_had():
    text = t(
        "no qualifying activity since {date} ({age} ago; {count} rows)",
        date=Date(dt.date(2019, 5, 14)),
        age=Days(2749),
        count=12430,
    )
    assert str(text) == "no qualifying activity since 2019-05-14 (2,749 days ago; 12,430 rows)"


def test_french_writes_dates_durations_and_numbers_its_own_way():
    assert Date(dt.date(2016, 2, 3)).render("fr") == "03/02/2016"
    assert Days(2749).render("fr") == "7 ans et 6 mois"
    assert Days(400).render("fr") == "1 an et 1 mois"
    assert Days(20).render("fr") == "20 jours"
    nested = Text("{inner}", {"inner": Days(730)})
    assert nested.render("fr") == "2 ans"


def test_every_message_id_has_a_french_translation():
    lacking = missing("fr")
    shown = "\n".join(f"{m.where}: {m.msgid[:80]!r}" for m in lacking[:40])
    assert not lacking, f"{len(lacking)} message ids lack a French translation:\n{shown}"


def test_no_translation_drops_or_invents_a_parameter():
    catalog = translations("fr")
    wrong = []
    for message in [*code_message_ids(), *rule_message_ids()]:
        french = catalog.get(message.msgid)
        if french is not None and placeholders(french) != placeholders(message.msgid):
            wrong.append(f"{message.where}: {message.msgid[:60]!r} -> {french[:60]!r}")
    assert not wrong, "\n".join(wrong)


def test_a_text_with_no_translation_falls_back_to_english():
    assert t("a message nobody translated {x}", x=3).render("fr") == "a message nobody translated 3"
