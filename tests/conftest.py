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


@pytest.fixture(autouse=True)
def _no_real_user_folder(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's data folder (the per-user fingerprint
    key lives there): it is a temporary one, and runs use a fixed key."""
    from mailcheck import fingerprints
    from mailcheck.testing import TEST_FINGERPRINT_KEY

    data_home = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setattr(
        fingerprints, "user_key_path", lambda: data_home / "mailcheck" / fingerprints.KEY_FILE_NAME
    )
    monkeypatch.setenv(fingerprints.ENV_VAR, TEST_FINGERPRINT_KEY)
    fingerprints.use_fingerprint_key(None)


@pytest.fixture
def newsletter_no_unsub() -> str:
    return NEWSLETTER_NO_UNSUB


@pytest.fixture
def newsletter_ok() -> str:
    return NEWSLETTER_OK
