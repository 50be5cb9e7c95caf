"""Helpers for the form-rule tests: lint one HTML form and list (code, line, severity)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[3] / "fixtures" / "forms"


class FormLinter:
    def __init__(self, mailchecker) -> None:
        self.mailchecker = mailchecker

    def run(self, html: str, name: str = "form.html", *args: str):
        self.mailchecker.make_file(name, html)
        run = self.mailchecker.run(name, "--select", "MC30,MC31", *args)
        assert run.exit_code in (0, 1), run.stderr
        return run

    def hits(self, html: str, code: str, name: str = "form.html") -> list[tuple[int, str]]:
        """(line, severity) of the findings of ``code``, sorted."""
        run = self.run(html, name)
        return sorted((f["line"], f["severity"]) for f in run.findings if f["code"] == code)

    def messages(self, html: str, code: str, name: str = "form.html") -> list[str]:
        run = self.run(html, name)
        return [f["message"] for f in run.findings if f["code"] == code]


@pytest.fixture
def forms(mailchecker) -> FormLinter:
    return FormLinter(mailchecker)


def page(body: str, lang: str = "fr") -> str:
    """A minimal page around a form body; the form starts on line 4."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<body>\n'
        f"{body}\n"
        '<p><a href="/confidentialite">Politique de confidentialité</a></p>\n</body>\n</html>\n'
    )
