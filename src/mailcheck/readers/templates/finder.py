"""Where a referenced template file is: looked up by name, never outside the linted folder.

A name is tried relative to the including file's folder, then in each folder from there
up to the linted folder, and in the template folders projects keep there (``templates/``,
``partials/``, ``layouts/``, ``includes/``, Jekyll's ``_includes/``, Shopify's
``snippets/``...). A name without a suffix gets the suffixes its language uses
(Handlebars ``footer`` -> ``footer.hbs``, ``footer.handlebars``, ``_footer.hbs``; Liquid
``footer`` -> ``footer.liquid``; MJML ``./footer`` -> ``footer.mjml``). An absolute path,
a name that leads out of the linted folder (``../``) and a link that points out of it are
refused with a reason: a lint reads only the tree it was given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mailcheck.files import safe_resolve
from mailcheck.i18n import Text, t
from mailcheck.readers.templates.syntax import Ref

#: Folders where projects keep the pieces of their e-mails, looked into from each folder
#: between the including file and the linted folder.
TEMPLATE_FOLDERS = (
    *("", "templates", "partials", "layouts", "includes", "_includes", "_layouts"),
    *("_partials", "snippets", "components", "emails", "views", "views/partials"),
)
#: Suffixes tried for a name written without one, after the including file's own.
SUFFIXES = {
    "handlebars": (".hbs", ".handlebars", ".mustache", ".html"),
    "mjml": (".mjml",),
    "jekyll": (".html", ".liquid", ".md"),
    "jinja": (".liquid", ".html.twig", ".twig", ".njk", ".html", ".j2", ".jinja", ".jinja2"),
}


class Unresolved(Exception):
    """Why a reference names no file that may be read (said in the template's notes):
    ``reason`` in words, about the file ``name`` when it names one (``str()`` puts the
    name first: ``'x.hbs' was not found in the linted folder``)."""

    def __init__(self, reason: str | Text, name: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.name = name

    def __str__(self) -> str:
        return f"{self.name!r} {self.reason}" if self.name is not None else str(self.reason)


@dataclass(frozen=True)
class TemplateFinder:
    """Looks up referenced files under ``root`` (the linted folder, absolute)."""

    root: Path

    @property
    def real_root(self) -> Path:
        return safe_resolve(self.root)

    def find(self, ref: Ref, including: Path) -> Path:
        """The file ``ref`` names, as seen from ``including``; :class:`Unresolved` else."""
        if not ref.names:
            raise Unresolved(
                t(
                    "is a variable or an expression, decided when the e-mail is sent: it "
                    "cannot be read from the files"
                ),
                ref.written,
            )
        refusals: list[Unresolved] = []
        for name in ref.names:
            found = self._find_one(name, ref.syntax, including, refusals)
            if found is not None:
                return found
        if refusals:
            raise refusals[0]
        raise Unresolved(t("was not found in the linted folder"), ref.written)

    def _find_one(
        self, name: str, syntax: str, including: Path, refusals: list[Unresolved]
    ) -> Path | None:
        written = name.replace("\\", "/")
        if (
            written.startswith("/")
            or PurePosixPath(written).drive
            or (len(written) > 1 and written[1] == ":")
        ):
            refusals.append(Unresolved(t("is an absolute path: not followed"), name))
            return None
        if written.startswith("@") and "/" in written:  # Twig namespace: @App/emails/x
            written = written.split("/", 1)[1]
        for base in self._bases(including.parent, syntax, written):
            for candidate in _candidates(written, syntax, including):
                path = Path(os.path.normpath(base / candidate))
                if not _inside(path, self.root):
                    refusals.append(
                        Unresolved(t("leads outside the linted folder: not followed"), name)
                    )
                    continue
                if not path.is_file():
                    continue
                if not _inside(safe_resolve(path), self.real_root):
                    refusals.append(
                        Unresolved(
                            t("is a link to a file outside the linted folder: not followed"), name
                        )
                    )
                    continue
                return path
        return None

    def _bases(self, folder: Path, syntax: str, written: str) -> list[Path]:
        """Folders to look in: the including file's (alone for a ``./`` or ``../`` path,
        as MJML and relative includes mean), then up to the linted folder with the
        usual template folders under each."""
        if written.startswith(("./", "../")):
            return [folder]
        bases: list[Path] = []
        current = folder
        while True:
            bases.extend(current / sub if sub else current for sub in TEMPLATE_FOLDERS)
            if Path(os.path.abspath(current)) == self.root or not _inside(current, self.root):
                break
            current = current.parent
        if syntax == "mjml":  # relative to the including file first, whatever the form
            bases.insert(0, folder)
        return list(dict.fromkeys(bases))


def _candidates(name: str, syntax: str, including: Path) -> list[str]:
    """File names ``name`` may stand for: as written, with the language's suffixes, and
    the ``_name`` form of partials."""
    names = [name]
    path = PurePosixPath(name)
    if not path.suffix or syntax == "mjml" and path.suffix != ".mjml":
        own = "".join(including.suffixes[-2:]) if len(including.suffixes) > 1 else ""
        tried = [own, including.suffix, *SUFFIXES[syntax]]
        names.extend(name + suffix for suffix in dict.fromkeys(s for s in tried if s))
    underscored = [
        str(PurePosixPath(n).with_name("_" + PurePosixPath(n).name))
        for n in names
        if not PurePosixPath(n).name.startswith("_")
    ]
    return list(dict.fromkeys([*names, *underscored]))


def _inside(path: Path, root: Path) -> bool:
    absolute = Path(os.path.abspath(path))
    return absolute == root or root in absolute.parents
