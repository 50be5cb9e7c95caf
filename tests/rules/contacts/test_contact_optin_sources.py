"""MC205 invalid-optin-source: the opt-in source vocabulary (data/keywords/optin_source*.toml)
in the seven languages -- bought, rented, swapped or scraped lists are invalid; contests,
imports, hand entries, partners, trade shows and business cards need a consent date; a
form, a purchase or an account need nothing more."""

from __future__ import annotations

import pytest

#: A French CRM export saved by Excel (Windows-1252, ";"), sources typed by hand.
HEADER = "Adresse e-mail;Nom;Origine du contact;Date d'inscription;Statut\n"


def lint_sources(mailchecker, sources: list[str], dated: bool = False):
    rows = "".join(
        f"contact{i}@exemple.fr;Nom{i};{source};{'12/03/2025' if dated else ''};inscrit\n"
        for i, source in enumerate(sources)
    )
    mailchecker.make_csv("export-crm.csv", HEADER + rows, encoding="cp1252")
    run = mailchecker.run("export-crm.csv", "--select", "MC205")
    return {f["line"]: f["severity"] for f in run.findings}


def test_french_phrasings_of_bought_and_rented_lists_are_invalid(mailchecker):
    sources = [
        "Formulaire site",  # 2: clean
        "Achat de fichier",  # 3
        "Fichier acheté 2019",  # 4
        "Base louée (salon pro)",  # 5: rented wins over the trade show
        "Location de fichier",  # 6
        "Échange de fichiers partenaire",  # 7
        "Achat en boutique",  # 8: a customer's purchase: clean
        "Courtier en données",  # 9
        "Store location",  # 10: a place, not a rental: clean
        "Achat d'adresses",  # 11
    ]
    found = lint_sources(mailchecker, sources, dated=True)
    assert found == {line: "error" for line in (3, 4, 5, 6, 7, 9, 11)}


def test_french_doubtful_sources_need_a_consent_date(mailchecker):
    sources = [
        "Jeu concours",  # 2
        "Jeu-concours été 2024",  # 3
        "Import manuel",  # 4
        "Salon",  # 5
        "Carte de visite",  # 6
        "Partenaire",  # 7
        "Fichier tiers",  # 8
        "Formulaire d'inscription",  # 9: clean
        "Création de compte",  # 10: clean
    ]
    found = lint_sources(mailchecker, sources)
    assert found == {line: "warning" for line in range(2, 9)}
    assert lint_sources(mailchecker, sources, dated=True) == {}


@pytest.mark.parametrize(
    ("invalid", "doubtful", "valid"),
    [
        ("bought list from a data vendor", "Sweepstakes 2024", "Signup form"),
        ("gekaufte Adressen", "Gewinnspiel", "Anmeldeformular"),
        ("lista comprada", "sorteo", "formulario de registro"),
        ("lista acquistata", "concorso a premi", "modulo di iscrizione"),
        ("gekochte lijst", "winactie", "inschrijfformulier"),
        ("base alugada", "sorteio", "formulário de inscrição"),
    ],
)
def test_each_language_has_all_three_meanings(mailchecker, invalid, doubtful, valid):
    rows = [invalid, doubtful, valid]
    mailchecker.make_csv(
        "contacts.csv",
        "email;source;consent_date\n"
        + "".join(f"p{i}@example.com;{source};\n" for i, source in enumerate(rows)),
    )
    run = mailchecker.run("contacts.csv", "--select", "MC205")
    assert {f["line"]: f["severity"] for f in run.findings} == {2: "error", 3: "warning"}
