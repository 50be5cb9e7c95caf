"""Modules imported on first use (:class:`importlib.util.LazyLoader`).

BeautifulSoup is only needed once a template or a form is read, but the rule modules
that use it are imported when their rules are registered, on every run: a contact-list
lint would pay for importing bs4 (about 0.15 s) for nothing.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """``name`` as a module whose code runs on its first attribute access."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


bs4 = lazy_module("bs4")
