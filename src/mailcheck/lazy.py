"""Heavy libraries imported on first use: one idiom for all of them.

A run that reads no contact list (one template from a pre-commit hook, ``--version``,
``rules``) must not pay for pandas, numpy and pyarrow (about 0.4 s together), and a
contact-list lint must not pay for BeautifulSoup (about 0.15 s). Yet the modules that use
them are imported on every run: rule modules are imported when their rules are
registered, readers when their plugin is. So these modules write::

    from mailcheck.lazy import pd  # instead of: import pandas as pd

and the library is imported the first time one of its attributes is read (``pd.Series``).
Type checkers see the real modules (the ``TYPE_CHECKING`` branch below).

Why a stand-in object and not :class:`importlib.util.LazyLoader`: a lazy loader puts a
half-initialised module in ``sys.modules`` under the real name, so ``"pandas" in
sys.modules`` no longer tells whether pandas was imported, and a submodule
(``pyarrow.compute``) cannot be deferred without importing its package first. The
stand-in here is never in ``sys.modules``: the library is imported by the ordinary import
system, once, and the stand-in copies each attribute it hands out, so that later reads
cost what a module attribute costs.

Two libraries are imported by BeautifulSoup, at its import, for what mailcheck does not
use when it lints a template: soupsieve for ``Tag.select()`` (its CSS parser compiles
about 70 regular expressions, 0.05 s; mailcheck never selects by CSS), and
charset-normalizer to guess the encoding of bytes (we give bs4 decoded text; the text
reader calls it itself for a file that is not UTF-8). There the stand-in is put in
``sys.modules`` (:func:`defer_bs4_extras`), so that bs4's ``import soupsieve`` gets it; on
first use it takes itself out and imports the real module. (The standard LazyLoader does
not serve: in Python 3.11, a second ``import soupsieve`` reads the lazy module's
``__spec__``, which runs its code.)
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any


class LazyModule(ModuleType):
    """A stand-in for the module ``name``, imported when an attribute is first read."""

    def __getattr__(self, attribute: str) -> Any:
        # Only called for attributes not yet copied here: the first read of each.
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        if sys.modules.get(self.__name__) is self:  # registered by defer_bs4_extras
            del sys.modules[self.__name__]
        value = getattr(importlib.import_module(self.__name__), attribute)
        setattr(self, attribute, value)
        return value

    def __repr__(self) -> str:
        return f"<lazy module {self.__name__!r}>"


def lazy_module(name: str) -> ModuleType:
    """A stand-in for the module ``name``: imported on the first attribute read."""
    return LazyModule(name)


#: What bs4 imports at its import and a template lint does not use (module docstring).
BS4_EXTRAS = ("soupsieve", "charset_normalizer")


def defer_bs4_extras() -> None:
    """Have bs4's ``import soupsieve`` and ``import charset_normalizer`` return modules
    whose code runs on first use.

    Done only before bs4 is imported, for each module not imported yet and installed
    (a missing one stays missing: bs4 does without, as before). A stand-in carries the
    real module's spec, so that ``importlib.util.find_spec`` still answers."""
    if "bs4" in sys.modules:
        return
    for name in BS4_EXTRAS:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        stand_in = LazyModule(name)
        stand_in.__spec__ = spec
        sys.modules[name] = stand_in


if TYPE_CHECKING:
    import bs4
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
else:
    bs4 = lazy_module("bs4")
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    pa = lazy_module("pyarrow")
    pc = lazy_module("pyarrow.compute")
    pacsv = lazy_module("pyarrow.csv")

__all__ = [
    "LazyModule",
    "bs4",
    "BS4_EXTRAS",
    "defer_bs4_extras",
    "lazy_module",
    "np",
    "pa",
    "pacsv",
    "pc",
    "pd",
]
