"""Template sources composed of several files (layouts, includes, partials), put
together before they are linted: :mod:`.syntax` reads the composition tags,
:mod:`.finder` finds the files they name inside the linted folder, :mod:`.compose`
assembles the e-mail and maps positions back to the linted file."""

from mailcheck.readers.templates.compose import Composition, Location, compose, uses_other_files
from mailcheck.readers.templates.finder import TemplateFinder

__all__ = ["Composition", "Location", "TemplateFinder", "compose", "uses_other_files"]
