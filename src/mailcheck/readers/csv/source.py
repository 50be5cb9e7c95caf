"""Opening a contact list's bytes: regular files only, bounded, OS errors said in words.

Shared by every way a list is read (plain, gzip, ZIP member; fast and exact paths).
"""

from __future__ import annotations

from pathlib import Path

from mailcheck.config import Config, Limits
from mailcheck.documents import ContactListDocument
from mailcheck.files import open_input


def _os_reason(error: Exception) -> str:
    """ "permission denied", not "[Errno 13] Permission denied: 'x.csv'" (the message
    already names the file)."""
    strerror = getattr(error, "strerror", None)
    return strerror[:1].lower() + strerror[1:] if strerror else str(error)


def _open_list(path: Path, config: Config):
    """A contact list, opened as every input is: regular files only, FIFO-safe, and never
    read past ``[limits] max-list-size``."""
    return open_input(path, config.limits.max_list_size, "limits.max-list-size")


def _max_record(doc: ContactListDocument) -> int:
    """``limits.max-record-size`` of the config the document was opened with."""
    if doc.max_record_size is None:
        return Limits.max_record_size
    return doc.max_record_size
