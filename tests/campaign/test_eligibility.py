"""Each audience contact of a campaign included or excluded, with the condition that
failed (src/mailcheck/campaign/eligibility.py), and the verdict."""

from __future__ import annotations

import pytest

import mailcheck
from mailcheck.campaign import load_manifest

#: fixtures/campaign/audience.csv: line -> the reasons it may not receive the newsletter.
EXPECTED = {
    4: ["retention"],
    5: ["no-proof"],
    6: ["status"],
    7: ["unsubscribed-elsewhere"],
    8: ["suppressed"],
    9: ["purpose"],
    11: ["retention", "customer-exception"],
    12: ["b2b-exception"],
    13: ["b2b-exception"],
    14: ["no-reply"],
    15: ["invalid"],
}


def by_line(result) -> dict[int, list[str]]:
    return {row["line"]: row["reasons"] for row in result.excluded}


def manifest_dict(example, **changes) -> dict:
    folder = example.parent
    base = {
        "template": str(folder.parent / "templates" / "brevo-fr-newsletter.html"),
        "audience": str(folder / "audience.csv"),
        "suppressions": [str(folder / "desabonnes.csv")],
        "other-lists": [str(folder / "ancienne-liste.csv")],
        "from": "lettre@atelier-exemple.fr",
        "purpose": "newsletter",
        "send-date": "2026-12-01",
        "provider": "brevo",
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def test_the_example_campaign_contact_by_contact(example):
    result = mailcheck.check_campaign(example)
    assert by_line(result) == EXPECTED
    assert result.verdict == "NO-GO" and not result.go
    assert result.go_with_send_list
    assert (result.contacts, result.may_receive, result.may_not_receive) == (14, 3, 11)
    assert sum(result.excluded_by_reason.values()) == result.may_not_receive
    assert result.excluded_by_reason["b2b-exception"] == 2


def test_reasons_carry_masked_addresses_and_an_action(example):
    rows = {row["line"]: row for row in mailcheck.check_campaign(example).excluded}
    assert rows[4]["address"] == "o***@example.com"
    assert rows[4]["action"] == "delete"
    assert rows[8]["action"] == "suppress"
    assert rows[5]["action"] == "re-permission"
    assert rows[15]["address"] == "b***"  # not an address: its first character only
    assert all("@" not in row["address"] or "***@" in row["address"] for row in rows.values())


def test_partners_need_their_own_consent_and_no_customer_exception(example):
    result = mailcheck.check_campaign(manifest_dict(example, purpose="partners"))
    lines = by_line(result)
    assert 2 not in lines  # partner_offers_consent = yes
    assert lines[3] == ["purpose"]  # partner_offers_consent = no
    assert "customer-exception" in lines[10]  # a recent customer: not for partners
    assert 9 not in lines  # no newsletter, but yes to partners


def test_a_single_bundled_consent_does_not_cover_partners(tmp_path, example):
    audience = tmp_path / "bundled.csv"
    audience.write_text(
        "email,status,consent_date,source,opt_in\n"
        "a.one@example.com,subscribed,2025-01-01,form,yes\n"
        "b.two@example.com,subscribed,2025-01-01,form,no\n",
        encoding="utf-8",
    )
    partners = mailcheck.check_campaign(
        manifest_dict(example, audience=str(audience), purpose="partners")
    )
    assert by_line(partners) == {2: ["purpose"], 3: ["purpose"]}
    newsletter = mailcheck.check_campaign(manifest_dict(example, audience=str(audience)))
    assert by_line(newsletter) == {3: ["purpose"]}  # said no to the one consent


def test_customer_exception_covers_own_offers_with_a_recent_purchase(example):
    lines = by_line(mailcheck.check_campaign(manifest_dict(example, purpose="offers")))
    assert 10 not in lines
    assert lines[11] == ["retention", "customer-exception"]


def test_b2b_exception_needs_a_job_related_message_and_a_professional_address(example):
    lines = by_line(mailcheck.check_campaign(manifest_dict(example, **{"job-related": True})))
    assert 12 not in lines
    assert lines[13] == ["b2b-exception"]  # gmail.com


def test_retention_is_judged_on_the_send_date(example):
    early = by_line(mailcheck.check_campaign(manifest_dict(example, **{"send-date": "2024-01-01"})))
    assert 4 not in early  # last click 2021-05-01: within three years of 2024-01-01
    late = by_line(mailcheck.check_campaign(manifest_dict(example, **{"send-date": "2026-12-01"})))
    assert late[4] == ["retention"]


def test_a_no_reply_sender_is_no_go_even_with_the_send_list(example):
    result = mailcheck.check_campaign(manifest_dict(example, **{"from": "noreply@atelier.fr"}))
    assert result.verdict == "NO-GO"
    assert not result.go_with_send_list
    assert any("no-reply" in line for line in result.blocking)


def _with_template(example, path, title: str, body: str):
    """The example campaign sending ``path``: a French page with ``title`` and ``body``
    and the sender's postal address, no unsubscribe link."""
    path.write_text(
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body>{body}<p>Boutique SAS, 12 rue de la Paix, 75002 Paris</p></body></html>",
        encoding="utf-8",
    )
    return mailcheck.check_campaign(manifest_dict(example, template=str(path)))


def test_a_template_without_unsubscribe_link_blocks(tmp_path, example):
    result = _with_template(
        example,
        tmp_path / "promo.html",
        "Soldes",
        "<h1>-30 % sur toute la boutique</h1><p>Black Friday !</p>"
        '<p><a href="https://boutique.example.com/soldes">J\'en profite</a></p>',
    )
    assert result.verdict == "NO-GO" and not result.go_with_send_list
    assert any("MC101" in line for line in result.blocking)


def test_a_campaign_template_is_marketing_however_it_reads(tmp_path, example):
    """Sent to a newsletter audience, an order notice without an unsubscribe link is a
    marketing message: MC101 blocks, though ``lint`` alone would judge it transactional."""
    template = tmp_path / "commande.html"
    result = _with_template(
        example,
        template,
        "Votre commande n°45821 est expédiée",
        "<h1>Votre commande n°45821 est expédiée</h1>"
        '<p><a href="https://boutique.example.com/suivi/45821">Suivre mon colis</a></p>',
    )
    assert result.verdict == "NO-GO" and not result.go_with_send_list
    (blocking,) = [line for line in result.blocking if "MC101" in line]
    assert "sent as a campaign for a marketing consent" in blocking
    linted = mailcheck.lint([template])
    assert not [f for f in linted if f.code == "MC101"]  # transactional alone


def test_the_send_list_as_audience_is_go(tmp_path, example):
    send = tmp_path / "send.csv"
    mailcheck.check_campaign(example, send_list=send)
    result = mailcheck.check_campaign(manifest_dict(example, audience=str(send)))
    assert result.verdict == "GO" and result.go
    assert result.may_receive == result.contacts == 3
    assert result.excluded == []


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"purpose": "spam"}, "purpose"),
        ({"send-date": "tomorrow"}, "send-date"),
        ({"audience": "missing.csv"}, "audience"),
        ({"colour": "blue"}, "colour"),
        ({"job-related": "yes"}, "job-related"),
    ],
)
def test_a_bad_manifest_names_the_key(example, changes, key):
    with pytest.raises(mailcheck.ConfigError, match=key):
        load_manifest(manifest_dict(example, **changes))


def test_a_hashed_suppression_list_excludes_its_contacts(tmp_path, example):
    # A provider's export of its suppressions, or a shared do-not-contact list: SHA-256
    # of the lower-cased address for one, MD5 for the other, no address in clear.
    import hashlib

    hashed = tmp_path / "suppression-sha256.csv"
    hashed.write_text(
        "email_sha256\n"
        f"{hashlib.sha256(b'ok.claire@example.com').hexdigest()}\n"
        f"{hashlib.md5(b'ok.paul@example.org', usedforsecurity=False).hexdigest().upper()}\n",
        encoding="utf-8",
    )
    plain = example.parent / "desabonnes.csv"
    result = mailcheck.check_campaign(
        manifest_dict(example, suppressions=[str(plain), str(hashed)])
    )
    reasons = by_line(result)
    assert reasons[2] == ["suppressed"] and reasons[3] == ["suppressed"]
    assert {line: r for line, r in reasons.items() if line not in (2, 3)} == EXPECTED


def test_a_bought_or_rented_source_is_never_sent_to(tmp_path, example):
    """A contact whose opt-in source can never be consent (MC205's errors) is left out,
    to be deleted (asking them again would be mailing them), whatever else the row says."""
    audience = tmp_path / "export-contacts.csv"
    audience.write_bytes(
        "EMAIL;STATUT;DATE_INSCRIPTION;SOURCE\r\n"
        "ana.lima@example.com;abonné;01/02/2026;Formulaire site\r\n"
        "paul.chevalier@example.com;abonné;01/02/2026;Location de fichier\r\n"
        "lea.roux@example.com;abonné;01/02/2026;Fichier acheté 2025\r\n"
        "marc.blanc@example.com;abonné;01/02/2026;Salon\r\n".encode("cp1252")
    )
    result = mailcheck.check_campaign(manifest_dict(example, audience=str(audience)))
    assert by_line(result) == {3: ["invalid-source"], 4: ["invalid-source"]}
    rows = {row["line"]: row for row in result.excluded}
    assert rows[3]["action"] == "delete"
    assert result.may_receive == 2


def test_only_yes_no_columns_record_a_purpose_consent(tmp_path, example):
    """A header naming a purpose records consent only when its cells answer yes or no: a
    date ("Last marketing email click date"), a company (Dolibarr's "Tiers") or a refusal
    ("Opt-out newsletter", where "Oui" is a no) is no consent column."""
    audience = tmp_path / "contacts.csv"
    audience.write_bytes(
        "Email;Date inscription;Origine;Tiers;Last marketing email click date;"
        "Opt-out newsletter\r\n"
        "ana.lima@example.com;01/02/2026;Formulaire site;Garage Dupont;2026-03-01;Non\r\n"
        "maud.lacroix@example.org;01/02/2026;Formulaire site;;;Oui\r\n"
        "yann.riviere@example.net;01/02/2026;Formulaire site;Boulangerie Martin;;Non\r\n".encode(
            "cp1252"
        )
    )
    for purpose in ("newsletter", "offers", "partners"):
        result = mailcheck.check_campaign(
            manifest_dict(example, audience=str(audience), purpose=purpose)
        )
        lines = by_line(result)
        assert lines[3][0] == "status", purpose  # opted out: "Oui" under "Opt-out"
        if purpose == "partners":  # no partners' own consent: not covered
            assert lines.get(2) == ["purpose"] and lines.get(4) == ["purpose"]
        else:
            assert lines == {3: ["status"]}, purpose


def test_a_contact_the_provider_suppresses_is_never_sent_to(tmp_path, example):
    """A suppression reason (a spam complaint, a do-not-contact) keeps the contact out
    even where the list's own status still says subscribed or says nothing."""
    audience = tmp_path / "contacts.csv"
    audience.write_text(
        "email,status,consent_date,source,Email Suppressions\n"
        "ana.lima@example.com,subscribed,2026-01-02,form,[]\n"
        "bob.roy@example.com,subscribed,2026-01-02,form,['SPAM_COMPLAINT']\n",
        encoding="utf-8",
    )
    mautic = tmp_path / "mautic.csv"
    mautic.write_text(
        "id,email,date_added,consent_date,source,dnc_reason\n"
        "1,cy.dumas@example.org,2026-01-02 10:00:00,2026-01-02,form,\n"
        "2,di.bonnet@example.org,2026-01-02 10:00:00,2026-01-02,form,Unsubscribed\n",
        encoding="utf-8",
    )
    for path in (audience, mautic):
        result = mailcheck.check_campaign(manifest_dict(example, audience=str(path)))
        assert by_line(result) == {3: ["status"]}, path.name


def test_an_unticked_consent_box_is_no_consent(tmp_path, example):
    """A form's export leaves the consent cell empty when the box was not ticked: with
    no status to say otherwise, that contact consented to nothing."""
    audience = tmp_path / "Inscription atelier (réponses).csv"
    audience.write_text(
        "Horodateur,Adresse e-mail,Je souhaite recevoir la newsletter de l'atelier\n"
        "05/11/2026 14:30:12,agathe.morin@example.com,\"Oui, j'accepte de recevoir la "
        'newsletter"\n'
        "04/11/2026 09:01:44,benoit.lucas@example.org,\n"
        '03/11/2026 10:00:00,emma.girard@example.com,"Oui, j\'accepte"\n'
        "02/11/2026 10:00:00,hugo.petit@example.com,Oui\n",
        encoding="utf-8",
    )
    result = mailcheck.check_campaign(manifest_dict(example, audience=str(audience)))
    assert by_line(result) == {3: ["purpose"]}


def test_french_tacit_consent_is_judged_as_implied_consent_in_canada(tmp_path, example):
    """Cyberimpact's French "Tacite" is CASL's implied consent: two years after the
    purchase it no longer covers a campaign, as "implied" does not."""
    audience = tmp_path / "cyberimpact-membres.csv"
    audience.write_text(
        "Courriel,Type de consentement,Date du consentement,Dernier achat,Pays\n"
        "marc.caron@example.ca,Tacite,2024-03-01,2024-03-01,CA\n"
        "lea.roy@example.ca,Exprès,2025-06-01,,CA\n"
        "paul.roy@example.ca,Tacite,2025-06-01,2025-06-01,CA\n"
        "anne.roy@example.fr,Tacite,2024-03-01,2024-03-01,FR\n",
        encoding="utf-8",
    )
    result = mailcheck.check_campaign(manifest_dict(example, audience=str(audience)))
    # past two years for the Canadian; within the three years of the French soft opt-in
    assert by_line(result) == {2: ["customer-exception"]}


def test_unread_dates_are_said_in_the_campaign_report(tmp_path, example):
    audience = tmp_path / "contacts.csv"
    audience.write_text(
        "email,status,consent_date,source\n"
        "ana.lima@example.com,subscribed,2026-01-02,form\n"
        "bob.roy@example.com,subscribed,mardi dernier,form\n",
        encoding="utf-8",
    )
    result = mailcheck.check_campaign(manifest_dict(example, audience=str(audience)))
    said = [str(warning) for warning in result.warnings]
    assert any("1 cell of column 'consent_date' not read as a date (line 3)" in w for w in said)


def test_lines_under_the_table_are_no_contacts(tmp_path, example):
    """A Salesforce report ends with a confidentiality line and a copyright line: they
    are neither contacts without an address (which would make a clean list a NO-GO) nor
    copied to the send list."""
    audience = tmp_path / "report1733412600000.csv"
    audience.write_text(
        "First Name,Last Name,Email,Email Opt Out,Lead Source,Created Date\n"
        "Anne,A,anne.a@example.com,0,Web,2025-03-12\n"
        "Bea,B,bea.b@example.com,0,Web,2025-03-12\n"
        "\n"
        '"Confidential Information - Do Not Distribute"\n'
        '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n',
        encoding="utf-8",
    )
    send = tmp_path / "send.csv"
    result = mailcheck.check_campaign(
        manifest_dict(example, audience=str(audience)), send_list=send
    )
    assert (result.contacts, result.may_receive) == (2, 2)
    assert "Confidential" not in send.read_text(encoding="utf-8")
    assert "bea.b@example.com" in send.read_text(encoding="utf-8")
