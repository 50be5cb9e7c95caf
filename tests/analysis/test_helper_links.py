"""The link helpers of server-side template languages (src/mailcheck/analysis/helper_links.py)."""

from __future__ import annotations

import pytest

from mailcheck.analysis.helper_links import helper_links


@pytest.mark.parametrize(
    ("source", "text", "url", "literal_url"),
    [
        (
            '<%= link_to "Se désabonner", unsubscribe_url %>',
            "Se désabonner",
            "unsubscribe_url",
            False,
        ),
        (
            '<%= link_to "Se désabonner", unsubscribe_url(token: @s.token), style: "color:#666" %>',
            "Se désabonner",
            "unsubscribe_url(token: @s.token)",
            False,
        ),
        (
            '<%= link_to("Unsubscribe", @unsubscribe_url) %>',
            "Unsubscribe",
            "@unsubscribe_url",
            False,
        ),
        ("<%= link_to t('.unsub'), unsubscribe_path %>", "t('.unsub')", "unsubscribe_path", False),
        (
            '<%= link_to "Abmelden", "https://shop.de/abmelden?t=#{@t}" %>',
            "Abmelden",
            "https://shop.de/abmelden?t=#{@t}",
            True,
        ),
        (
            "<%= link_to unsubscribe_url do %>Se désabonner<% end %>",
            "Se désabonner",
            "unsubscribe_url",
            False,
        ),
        (
            "{!! link_to_route('newsletter.unsubscribe', 'Se désabonner', [$token]) !!}",
            "Se désabonner",
            "newsletter.unsubscribe",
            True,
        ),
        (
            "{{ link_to($unsubscribeUrl, 'Darse de baja') }}",
            "Darse de baja",
            "$unsubscribeUrl",
            False,
        ),
    ],
)
def test_helpers_give_their_text_and_target(source, text, url, literal_url):
    page = f"<p>Bougies Céleste</p>\n<p>{source}</p>\n"
    (link,) = helper_links(page)
    assert (link.text, link.url, link.literal_url) == (text, url, literal_url)
    assert page[link.start : link.end] == source


def test_other_tags_are_no_helper_links():
    page = '<p><%= @user.name %> <%# link_to "x", y %> {{ link_to }}</p>'
    assert list(helper_links(page)) == []
