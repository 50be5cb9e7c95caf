"""The keyword lists as data (src/mailcheck/keywords.py, src/mailcheck/data/keywords)."""

from __future__ import annotations

from importlib import resources

from click.testing import CliRunner

from mailcheck import cli
from mailcheck.keywords import Keywords, builtin_lists

#: Word lists moved out of the analysis and rule code (issue 13), each read by its rules
#: through the lint context's keywords so that ``[keywords]`` and plugins extend them.
MOVED_FROM_CODE = {
    "placeholder_host",
    "placeholder_host_word",
    "link_tag_with_text",
    "contact_url",
    "form_filter",
    "email_field_name",
    "payment_field_name",
    "address_field_name",
    "address_tag_name",
    "partner_markup",
    "privacy_url",
}


def test_mailcheck_keywords_lists_the_lists_moved_from_code():
    listing = CliRunner().invoke(cli.main, ["keywords"])
    assert listing.exit_code == 0
    listed = {line.split()[0] for line in listing.output.splitlines()}
    assert listed >= MOVED_FROM_CODE
    assert listed >= set(builtin_lists())  # plugins may add lists of their own


def test_every_list_says_what_it_is_for():
    folder = resources.files("mailcheck") / "data" / "keywords"
    for name in builtin_lists():
        text = (folder / f"{name}.toml").read_text(encoding="utf-8")
        assert text.startswith("#"), f"{name}.toml: no comment saying what the list is for"
        assert builtin_lists()[name], f"{name}.toml: no terms"


def test_extensions_are_added_to_the_builtin_terms():
    extended = Keywords([{"privacy_url": ["Schutz"]}])
    assert "schutz" in extended["privacy_url"].terms
    assert set(Keywords()["privacy_url"].terms) < set(extended["privacy_url"].terms)
