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


def _long_body(*phrases: str) -> str:
    """A folded newsletter body of several KB with ``phrases`` spread through it."""
    filler = "nos nouveautes de la semaine et les conseils de notre equipe pour votre jardin "
    parts = [filler * 30]
    for phrase in phrases:
        parts += [phrase, filler * 30]
    return " ".join(parts)


def test_a_long_text_finds_what_the_whole_pattern_finds():
    """Long texts are searched with the terms whose words occur in them only: the same
    terms, at the same places, in the same order as the pattern of every term."""
    from mailcheck.keywords import KeywordList, fold

    words = KeywordList(
        "test",
        [
            "ne plus recevoir",
            "ne plus recevoir nos e-mails",
            "% off",
            "order #",
            "se desabonner",
            "desabonner",
            "jardinage",  # a word of the filler's word "jardin" plus more: not there
            "conseils",
        ],
    )
    texts = [
        _long_body(fold("Pour ne plus recevoir nos e-mails, cliquez"), "30% off", "order #1234"),
        _long_body("se desabonner ici", "desabonner", "ne plus recevoir"),
        _long_body("rien de tout cela"),
        _long_body("jardinage-ne plus recevoir"),
    ]
    texts += ["pour ne plus recevoir nos e-mails", "30% off, order #12", "% off", "x" * 600]
    for text in texts:
        assert words.findall_folded(text) == words.pattern.findall(text)
        assert words.search_folded(text) == (words.pattern.search(text) or [None])[0]
    assert words.findall_folded(texts[0])[:4] == ["conseils"] * 4
    found = [term for term in words.findall_folded(texts[0]) if term != "conseils"]
    assert found == ["ne plus recevoir nos e mails", "% off", "order #"]
    assert [t for t in words.findall_folded(texts[3]) if t != "conseils"] == [
        "jardinage",
        "ne plus recevoir",
    ]


def test_a_text_without_any_term_runs_no_search_of_the_whole_list():
    from mailcheck.keywords import KeywordList

    words = KeywordList("test", ["ne plus recevoir", "desabonner", "% off"])
    assert words.search_folded(_long_body("rien a voir")) is None
    assert words.findall_folded(_long_body("30 off", "ne plus")) == []
    assert words.search_folded("pour vous desabonner, ici") == "desabonner"  # a short text
    assert words.search_folded("ne plus jamais recevoir") is None
    assert "pattern" not in vars(words)  # the pattern of every term was never compiled


def test_terms_of_unspaced_scripts_are_found_inside_words():
    """Japanese and Chinese have no spaces between words, and Korean attaches particles:
    their terms are found inside a run of letters, as the whole pattern finds them, while
    a Latin term still needs whole words."""
    from mailcheck.keywords import KeywordList, fold

    words = KeywordList("test", ["配信停止", "注文番号", "수신거부", "(株)", "order", "% off"])
    texts = [
        fold("メール配信停止はこちら"),
        fold("ご注文番号：12345"),
        fold("광고 수신거부를 원하시면"),
        fold("㈱サンプル"),  # NFKC: (株)
        fold("reorder today, 30% off"),
        _long_body(fold("メール配信停止は"), "order"),
    ]
    assert [words.search_folded(text) for text in texts] == [
        "配信停止",
        "注文番号",
        fold("수신거부"),  # Hangul folds to its letters (NFKD)
        "(株)",
        "% off",  # "reorder" holds "order" but is another word
        "配信停止",
    ]
    for text in texts:
        assert words.findall_folded(text) == words.pattern.findall(text)
    assert words.search_folded(_long_body("rien")) is None
