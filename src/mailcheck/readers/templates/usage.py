"""Which files of a run are pieces of other templates (an included footer, a layout):
they are judged as part of the e-mails that use them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from mailcheck.files import display_path, safe_resolve
from mailcheck.readers.templates.compose import compose
from mailcheck.readers.templates.finder import TemplateFinder


@dataclass
class Use:
    """How a file is used: ``user``, the first template using it (as reports name it);
    ``as_layout``, whether some template extends it or hands it content (else it is
    only included)."""

    user: str
    as_layout: bool = False


def pieces_in_use(
    templates: Iterable[Path],
    root_of: Callable[[Path], Path],
    read: Callable[[Path], str],
    max_size: int,
) -> dict[Path, Use]:
    """The files (resolved) that ``templates`` use. A template that cannot be read uses
    nothing here (its own lint says why, MC900 included when composing it fails)."""
    users: dict[Path, Use] = {}
    for template in templates:
        try:
            text = read(template)
            finder = TemplateFinder(root_of(template))
            composition = compose(template, text, finder, read, max_size)
        except Exception:  # noqa: BLE001 - said when the template itself is linted
            continue
        if composition is None:
            continue
        for used in composition.used:
            use = users.setdefault(safe_resolve(used), Use(display_path(template)))
            use.as_layout = use.as_layout or used in composition.layouts
    return users
