"""Shared test inputs for the core tests."""

from __future__ import annotations

import pytest

NEWSLETTER_NO_UNSUB = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Soldes d'hiver</title></head>
<body>
  <h1>-30 % sur toute la boutique</h1>
  <p>Écrivez à jeanne.martin@example.com pour vos questions.</p>
  <p><a href="https://boutique.example.com/soldes">J'en profite</a></p>
  <p>Boutique SAS, 12 rue de la Paix, 75002 Paris · <a href="https://boutique.example.com/confidentialite">Confidentialité</a></p>
</body>
</html>
"""

NEWSLETTER_OK = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>La lettre</title></head>
<body>
  <p>Bonjour *|FNAME|*,</p>
  <p><a href="*|UNSUB|*">Se désinscrire</a></p>
  <p>Boutique SAS, 12 rue de la Paix, 75002 Paris · <a href="https://boutique.example.com/confidentialite">Confidentialité</a></p>
</body>
</html>
"""


@pytest.fixture
def newsletter_no_unsub() -> str:
    return NEWSLETTER_NO_UNSUB


@pytest.fixture
def newsletter_ok() -> str:
    return NEWSLETTER_OK
