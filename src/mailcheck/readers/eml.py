"""The built-in ``.eml`` reader, on the standard library's :mod:`email` package.

Multipart, quoted-printable, base64 and charsets are decoded by :mod:`email`. Each
``text/html`` or ``text/plain`` part that is not an attachment becomes a
:class:`~mailcheck.documents.Body` labelled with its part, and -- when the part is not
transfer-encoded, so its lines are the file's lines -- with the offset that turns a line in
the part into a line in the ``.eml``. Encoded parts point at the part's first body line.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import EmailPolicy
from pathlib import Path

from mailcheck import hookimpl
from mailcheck.analysis.body import part_name
from mailcheck.config import Config, format_size
from mailcheck.documents import Body, MessageDocument
from mailcheck.errors import InputError
from mailcheck.files import display_path, read_document
from mailcheck.i18n import Text, t
from mailcheck.pii import clip
from mailcheck.readers.html import check_body

_HEADER_LINE = re.compile(r"^([!-9;-~]+):", re.M)
_KNOWN_HEADERS = ("from", "to", "subject", "date", "message-id", "content-type", "mime-version")


@hookimpl(trylast=True)
def mailcheck_read_document(path: Path, kind: str, config: Config) -> list[MessageDocument] | None:
    if kind != "message":
        return None
    data = read_document(path, config)
    if b"\x00" in data[:4096]:
        raise InputError(t("binary data, not an e-mail message"))
    limit = config.limits.max_header_size
    _check_header_block(data, limit)
    _count_delimiters(data, config.limits.max_mime_parts)
    source = data.decode("utf-8", errors="replace")
    header_block, _, _ = source.replace("\r\n", "\n").partition("\n\n")
    header_lines = header_positions(header_block)
    if not any(name in header_lines for name in _KNOWN_HEADERS):
        raise InputError(t("not an e-mail message (no From, To, Subject or Content-Type header)"))
    try:
        message = email.message_from_bytes(data, policy=_BoundedPolicy.new(limit))
    except InputError:
        raise
    except RecursionError:
        raise InputError(
            t("MIME parts nested too deeply to read (a real message nests a few levels)")
        ) from None
    except Exception as error:  # noqa: BLE001 - the email package raises many kinds
        raise InputError(t("malformed message: {error}", error=str(error))) from None
    _check_parts(message, config.limits.max_mime_parts)
    notes: list[str | Text] = []
    bodies = list(_bodies(message, source.replace("\r\n", "\n"), notes))
    for body in bodies:
        check_body(body, config)
    return [
        MessageDocument(
            path=path,
            display_path=display_path(path),
            kind=kind,
            message=message,
            bodies=bodies,
            header_lines=header_lines,
            source_text=source,
            warnings=notes,
        )
    ]


#: A single header may hold this share of ``[limits] max-header-size`` (16 KiB of the
#: default 256 KiB): the standard library's parser of structured headers (encoded words,
#: address lists) takes time and memory far beyond linear in a header's length (20,000
#: encoded words in a 390 KB Subject: 3.9 GiB).
_FIELD_SHARE = 16


def _check_header_block(data: bytes, limit: int) -> None:
    """Refuse a message whose header section (up to the first empty line) is larger than
    ``limit``, looking no further than ``limit`` bytes for its end."""
    window = data[: limit + 4]
    ends = [at for at in (window.find(b"\n\n"), window.find(b"\n\r\n")) if at >= 0]
    if ends:
        size = min(ends) + 1
        told = t("header section of {size}", size=format_size(size))
    else:  # no end in sight: the whole message would be headers
        size = len(data)
        told = t("header section with no end in the first {size}", size=format_size(limit))
    if size > limit:
        raise InputError(
            t(
                "{what}, larger than the {limit} limit (limits.max-header-size raises it)",
                what=told,
                limit=format_size(limit),
            )
        )


class _BoundedPolicy(EmailPolicy):
    """``policy.default`` that refuses, while the message is parsed, a header longer than
    ``max_field`` and header sections (the message's and its parts') larger than
    ``max_total`` in all: the parts' headers are parsed too (their Content-Type, during
    the parse itself), and the top-level check cannot see them."""

    max_field: int = 16 << 10
    max_total: int = 256 << 10
    seen: list[int] | None = None

    @classmethod
    def new(cls, limit: int) -> _BoundedPolicy:
        return cls(max_field=max(limit // _FIELD_SHARE, 1024), max_total=limit, seen=[0])

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        size = sum(len(line) for line in sourcelines)
        if self.seen is not None:
            self.seen[0] += size
            if self.seen[0] > self.max_total:
                raise InputError(
                    t(
                        "header sections of more than {size} in all (the message's and its "
                        "parts'), over the limit (limits.max-header-size raises it)",
                        size=format_size(self.max_total),
                    )
                )
        if size > self.max_field:
            name = sourcelines[0].split(":", 1)[0][:40]
            raise InputError(
                t(
                    "the '{name}' header is {size} long, over the {most} one header may hold "
                    "(1/{share} of limits.max-header-size, which raises it)",
                    name=name,
                    size=format_size(size),
                    most=format_size(self.max_field),
                    share=_FIELD_SHARE,
                )
            )
        return super().header_source_parse(sourcelines)


_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))', re.I)
_DELIMITER = re.compile(rb"^--([^\r\n]{1,200}?)\s*$", re.M)


def _count_delimiters(data: bytes, most: int) -> None:
    """Refuse, before the parse, a message whose multipart delimiter lines (``--``
    and a boundary some Content-Type declares) announce more than ``most`` parts: the
    standard library's parser takes seconds per ten thousand parts."""
    boundaries = {b or bare for b, bare in _BOUNDARY.findall(data)}
    if not boundaries:
        return
    parts = 0
    for match in _DELIMITER.finditer(data):
        if match.group(1) in boundaries:
            parts += 1
            if parts > most:
                raise InputError(
                    t(
                        "message of more than {count} MIME parts, over the limit "
                        "(limits.max-mime-parts raises it)",
                        count=most,
                    )
                )


def _check_parts(message: EmailMessage, most: int) -> None:
    """Refuse a message of more than ``most`` MIME parts, multipart containers left out
    (counted with a stack: the parts of a message nest)."""
    count, stack = 0, [message]
    while stack:
        part = stack.pop()
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            stack.extend(payload)
            continue
        count += 1
        if count > most:
            raise InputError(
                t(
                    "message of more than {count} MIME parts, over the limit "
                    "(limits.max-mime-parts raises it)",
                    count=most,
                )
            )


def header_positions(header_block: str) -> dict[str, int]:
    """Lower-cased header name -> 1-based line of its first occurrence."""
    positions: dict[str, int] = {}
    for number, line in enumerate(header_block.split("\n"), start=1):
        match = _HEADER_LINE.match(line)
        if match:
            positions.setdefault(match.group(1).lower(), number)
    return positions


#: Transfer encodings the :mod:`email` package decodes; another one is read as written.
_KNOWN_ENCODINGS = frozenset(
    {"", "7bit", "8bit", "binary", "quoted-printable", "base64", "x-uuencode", "uuencode", "uue"}
)


def _bodies(message: EmailMessage, source: str, notes: list[str | Text]):
    """The text parts of ``message``, in order. A malformed part is still read the way
    mail apps show it, and ``notes`` says how (one line each): a multipart without a
    usable boundary as one text part, an unknown transfer encoding as written, an
    unknown charset as UTF-8. A message is never passed for a body that was not read."""
    index = 0
    search_from = 0
    for part in message.walk():
        unsplit = part.get_content_maintype() == "multipart" and not part.is_multipart()
        if unsplit:
            # No boundary= parameter, or one that never appears: the parser leaves the
            # whole body as one string, which is what mail apps display.
            notes.append(
                t(
                    "the {type} part has no usable boundary (none declared, or never found "
                    "in the body): its body is read as one text part, as mail apps show it",
                    type=part.get_content_type(),
                )
            )
        elif not _text_part(part):
            continue
        index += 1
        label = f"{part.get_content_type()} part {index}"
        encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        if encoding not in _KNOWN_ENCODINGS:
            notes.append(
                t(
                    "{part}: unknown transfer encoding '{encoding}': read as written",
                    part=part_name(label),
                    encoding=clip(encoding, 40),
                )
            )
        try:
            text = str(part.get_payload()) if unsplit else part.get_content()
        except (LookupError, ValueError):  # unknown or lying charset
            notes.append(
                t(
                    "{part}: unknown charset '{charset}': read as UTF-8",
                    part=part_name(label),
                    charset=clip(str(part.get_param("charset", "")), 40),
                )
            )
            payload = part.get_payload(decode=True) or b""
            text = payload.decode("utf-8", errors="replace")
        if any(type(defect).__name__.startswith("InvalidBase64") for defect in part.defects):
            notes.append(
                t("{part}: damaged base64: read as far as it decodes", part=part_name(label))
            )
        # CRLF files: the source is compared with "\n" line ends, so the part must be too.
        text = text.replace("\r\n", "\n")
        content_type = "text/plain" if unsplit else part.get_content_type()
        offset, exact, search_from = _line_offset(part, text, source, search_from)
        if not exact and encoding == "quoted-printable" and search_from < len(source):
            charset = (part.get_content_charset() or "utf-8").lower().replace("_", "-")
            raw_lines = source[search_from + 2 :].split("\n")
            line_map = quoted_printable_map(
                raw_lines, offset + 1, text, charset in ("utf-8", "utf8")
            )
            if line_map:
                yield MappedBody(
                    text=text,
                    content_type=content_type,
                    label=label,
                    line_offset=offset,
                    exact_lines=False,
                    line_map=line_map,
                )
                continue
        yield Body(
            text=text,
            content_type=content_type,
            label=label,
            line_offset=offset,
            exact_lines=exact,
        )


def _text_part(part: EmailMessage) -> bool:
    """A text/html or text/plain part that is not an attachment: a body readers read."""
    return (
        not part.is_multipart()
        and part.get_content_maintype() == "text"
        and part.get_content_subtype() in ("html", "plain")
        and not part.is_attachment()
    )


@dataclass(eq=False)
class MappedBody(Body):
    """A quoted-printable part: its decoded lines are not the file's (soft line breaks join
    lines, ``=3D`` escapes shorten them), so positions go through a map built from the raw
    encoded lines. ``line_map[i][j]`` is the file (line, column) of character ``j`` of
    decoded line ``i + 1``."""

    line_map: list[list[tuple[int, int]]] = field(default_factory=list)

    def position(self, tag) -> tuple[int, int]:
        return self._mapped((tag.sourceline or 1) - 1, tag.sourcepos or 0)

    def offset_position(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset)
        column = offset - (self.text.rfind("\n", 0, offset) + 1)
        return self._mapped(line, column)

    def _mapped(self, line: int, column: int) -> tuple[int, int]:
        if 0 <= line < len(self.line_map) and self.line_map[line]:
            row = self.line_map[line]
            if column < len(row):
                return row[column]
            last_line, last_column = row[-1]
            return last_line, last_column + 1
        return self.line_offset + 1, 1


_QP_ESCAPE = re.compile(r"=([0-9A-Fa-f]{2})")


def quoted_printable_map(
    raw_lines: list[str], first_line: int, text: str, utf8: bool
) -> list[list[tuple[int, int]]]:
    """Map each decoded character of a quoted-printable body to its (line, column) in the
    file. ``raw_lines`` start at the body's first line (``first_line`` in the file).
    Returns ``[]`` when the raw lines do not decode to ``text`` line for line."""
    wanted = text.count("\n") + 1
    rows: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for number, raw in enumerate(raw_lines):
        raw = raw.rstrip("\r")
        soft = raw.endswith("=")
        content = raw[:-1] if soft else raw.rstrip(" \t")
        column = 0
        while column < len(content):
            match = _QP_ESCAPE.match(content, column) if content[column] == "=" else None
            byte = int(match.group(1), 16) if match else ord(content[column])
            # A UTF-8 continuation byte belongs to the character already started.
            if not (utf8 and match and 0x80 <= byte < 0xC0):
                current.append((first_line + number, column + 1))
            column += 3 if match else 1
        if not soft:
            rows.append(current)
            current = []
            if len(rows) >= wanted:
                break
    if len(rows) < wanted - 1:
        return []
    for row, decoded in zip(rows, text.split("\n"), strict=False):
        if len(row) != len(decoded):
            return []  # an encoding quirk we do not model: keep the part-level position
    return rows


def _line_offset(part: EmailMessage, text: str, source: str, start: int) -> tuple[int, bool, int]:
    """(lines to add to a line of ``text`` to get the line in ``source``, exact?, resume)."""
    encoding = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    probe = text.lstrip()[:120]
    if encoding in ("7bit", "8bit", "binary") and probe:
        found = source.find(probe, start)
        if found >= 0:
            leading = len(text) - len(text.lstrip())
            first_line = source.count("\n", 0, found) + 1
            return first_line - 1 - text.count("\n", 0, leading), True, found + len(probe)
    # Encoded part: point at its first body line (after its own headers).
    content_type = part.get("Content-Type", "")
    marker = source.find(str(content_type).split(";")[0], start) if content_type else -1
    if marker >= 0:
        body_start = source.find("\n\n", marker)
        if body_start >= 0:
            line = source.count("\n", 0, body_start) + 3  # the blank line, then the body
            return line - 1, False, body_start
    return 0, False, start
