"""The contact rules' messages in plain words, in English and French: a row message is a
text (message id and parameters) rendered in the report's language, built once per
distinct value; what a list lacks (coverage) is a text too, English in machine formats."""

from __future__ import annotations

import datetime as dt

from mailcheck.i18n import Text
from mailcheck.rules.contacts.addresses import _invalid_message
from mailcheck.rules.contacts.common import RowText, SharedTexts
from mailcheck.rules.contacts.kept_records import _message as kept_message
from mailcheck.rules.contacts.retention import _SOURCES, _stale_message


def test_mc203_says_when_and_how_long_ago_in_each_language():
    # Called once per distinct (source, day, age) of the flagged rows (message_by), the
    # source by its number.
    opt_in = str(_SOURCES.index("opt-in"))
    message = _stale_message(1095)({"source": opt_in, "day": "2016-02-03", "age": "2749"})
    assert str(message) == (
        "signed up on 2016-02-03, no click or purchase for 2,749 days (limit: 1,095 days)"
    )
    assert message.render("fr") == (
        "inscrit le 03/02/2016, aucun clic ni achat depuis 7 ans et 6 mois (limite : 3 ans)"
    )
    click = _stale_message(1095)(
        {"source": str(_SOURCES.index("last click/activity")), "day": "2019-05-03", "age": "2760"}
    )
    assert click.render("fr").startswith("dernier clic le 03/05/2019, il y a 7 ans")


def test_rows_that_say_the_same_share_one_text_rendered_once():
    build = _stale_message(1095)
    key = {"source": str(_SOURCES.index("collection")), "day": "2016-02-03", "age": "9"}
    first, second = build(key), build(dict(key))
    assert first is second and isinstance(first, RowText)
    assert str(first) is str(second)  # the English is rendered once
    texts = SharedTexts()
    assert texts("k", lambda: Text("a {x}", {"x": 1})).render("fr") == "a 1"


def test_invalid_and_departed_contacts_in_plain_words():
    invalid = _invalid_message({"reason": "An email address must have an @-sign."})
    assert (str(invalid), invalid.render("fr")) == (
        "invalid address: there is no @",
        "adresse invalide : il manque le @",
    )
    kept = kept_message(
        {
            "left_as": "spam complaint, hard bounce",
            "last_event": "departure",
            "last_event_at": "2019-03-12",
            "kept_columns": "Prénom, Nom",
        }
    )
    assert kept.render("fr").startswith(
        "signalé comme spam, adresse inexistante le 12/03/2019, mais toute la fiche est conservée"
    )
    assert dt.date(2019, 3, 12).isoformat() in str(kept)


def test_what_a_list_lacks_is_french_in_reports_and_english_in_json(mailchecker):
    from mailcheck.findings import Coverage, NotChecked
    from mailcheck.rules.contacts.gaps import mapping_hint

    gap = NotChecked(
        "MC205",
        "invalid-optin-source",
        "proof of consent",
        Text("no opt-in source column found"),
        mapping_hint("consent_source"),
    )
    coverage = Coverage("liste.csv", "contacts", (), (gap, gap))
    assert coverage.to_dict()["not_checked"][0]["reason"] == "no opt-in source column found"
    (group,) = coverage.groups()  # one line for the same reason (texts are unhashable)
    assert group.describe("fr") == (
        "preuve du consentement (MC205, MC205) : aucune colonne de source d'inscription trouvée ; "
        'indiquez-en une avec [columns] consent_source = "<en-tête>"'
    )
    mailchecker.make_csv("liste.csv", header=["email", "prenom"], rows=[["a@example.fr", "A"]])
    french = mailchecker.run(
        "liste.csv", "--select", "MC205", "--lang", "fr", "--output-format", "concise"
    )
    assert "aucune colonne de source d'inscription trouvée" in french.output
