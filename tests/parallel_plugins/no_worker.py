"""A plugin that cannot be imported in a worker process (as a plugin needing the
parent's state would): workers cannot start, the run stays serial."""

from __future__ import annotations

import multiprocessing

from mailcheck import hookimpl

if multiprocessing.parent_process() is not None:
    raise ImportError("not in a worker")


@hookimpl
def mailcheck_keywords():
    return {}
