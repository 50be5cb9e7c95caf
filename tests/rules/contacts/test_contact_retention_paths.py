"""MC203 gives the same findings on the reader's second-precision dates as on other
datetime units (e.g. from a provider's normalize)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mailcheck.batches import flatten
from mailcheck.config import Config
from mailcheck.readers.csv import mailcheck_read_document
from mailcheck.rules.contacts.retention import RetentionExceeded

ROWS = [
    "email,status,consent_date,last_click,last_purchase,legal_basis,created",
    "a@example.com,subscribed,2025-01-10,,,consent,",
    "b@example.com,subscribed,2016-03-01 10:20:30,2019-05-02,,consent,2016-03-01 10:20:30",
    "c@example.com,unsubscribed,2016-03-01,,,consent,",
    "d@example.com,subscribed,2023-06-01,,2022-01-05,customer,",
    "e@example.com,subscribed,2016-03-01,2016-03-01,,consent,",
    "f@example.com,subscribed,,,,consent,2010-12-31",
    "g@example.com,subscribed,,,2015-02-02,customer,2025-12-01",
]


def test_numpy_and_pandas_paths_agree(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    config = Config(root=tmp_path)
    (doc,) = mailcheck_read_document(path=path, kind="contacts", config=config)
    (chunk,) = list(doc.chunks())
    ctx = _context(config)
    dated = [c for c in chunk.columns if str(chunk[c].dtype).startswith("datetime64")]
    assert dated and all(str(chunk[c].dtype) == "datetime64[s]" for c in dated)
    fast = flatten(RetentionExceeded().check_chunk(chunk, doc, ctx))
    slow_chunk = chunk.astype({c: "datetime64[ns]" for c in dated})
    slow = flatten(RetentionExceeded().check_chunk(slow_chunk, doc, ctx))
    assert [f.line for f in fast] == [3, 5, 6, 7, 8]
    assert [(f.line, f.message, f.severity, f.data) for f in fast] == [
        (f.line, f.message, f.severity, f.data) for f in slow
    ]


def _context(config: Config):
    config.today = dt.date(2026, 11, 22)
    from mailcheck.engine import Linter
    from mailcheck.manager import create_plugin_manager

    return Linter(config, pm=create_plugin_manager(load_entry_points=False)).context
