"""How a command ends: the exit codes, the one line on stderr that every error and
warning is, and the stop on Ctrl-C, SIGTERM or a closed pipe.

Exit codes, stable: 0 nothing at or above ``--fail-on``; 1 findings at or above it;
2 usage, config or strict-plugin error, no input could be read, or an output could not
be written; 130 interrupted (Ctrl-C, SIGTERM); 141 the report's reader went away. Every
error is one line on stderr, never a traceback.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

import click

from mailcheck import __version__
from mailcheck.cli.language import say
from mailcheck.errors import MailcheckError, message_of
from mailcheck.findings import LintResult, Severity
from mailcheck.i18n import Text, t
from mailcheck.outputs import OutputError, silence, write_failure
from mailcheck.pii import mask_text
from mailcheck.terminal import printable

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: 128 + SIGPIPE: the output was closed before the report ended.
EXIT_BROKEN_PIPE = 141
#: 128 + SIGINT: the run was interrupted (Ctrl-C, SIGTERM); no file it writes is left half
#: written, and none claims to be complete.
EXIT_INTERRUPTED = 130
#: Errors that only a write gives: a full disk or quota, a file too large.
_WRITE_ONLY_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG") if hasattr(errno, name)
)


def exit_code(result: LintResult, fail_on: Severity, exit_zero: bool) -> int:
    """The exit code of a finished ``lint`` run (see the table above)."""
    if result.nothing_readable:
        return EXIT_ERROR
    return EXIT_FINDINGS if result.fails(fail_on) and not exit_zero else EXIT_CLEAN


def _stderr_line(message: str | Text) -> str:
    """A message as stderr shows it, in the run's language: addresses masked (stderr
    ends up in CI logs, so even ``--show-pii`` does not reveal them there), controls
    escaped, on one line."""
    return printable(mask_text(say(message)))


def warn(message: str | Text) -> None:
    """One warning line on stderr: ``mailcheck: warning: ...``."""
    click.echo(say(t("mailcheck: warning: {message}", message=_stderr_line(message))), err=True)


def note(message: str | Text) -> None:
    """One note line on stderr: ``mailcheck: ...``."""
    click.echo(say(t("mailcheck: {message}", message=_stderr_line(message))), err=True)


def fail(message: str | Text) -> None:
    """One error line on stderr (``mailcheck: error: ...``) and exit 2."""
    click.echo(say(t("mailcheck: error: {message}", message=_stderr_line(message))), err=True)
    sys.exit(EXIT_ERROR)


def one_line_errors(command: Callable) -> Callable:
    """Turn mailcheck errors into one line + exit 2, an interruption (Ctrl-C, SIGTERM)
    into one line + exit 130; log anything else (pre-commit style)."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            with _termination_interrupts():
                return _write_errors_named(command, args, kwargs)
        except KeyboardInterrupt:
            # Ctrl-C or SIGTERM: every file being written was discarded on the way here.
            click.echo(say(t("mailcheck: interrupted")), err=True)
            sys.exit(EXIT_INTERRUPTED)
        except MailcheckError as error:
            fail(message_of(error))
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:
            # The reader of the report went away (``| head``): stop quietly, as a Unix
            # tool killed by SIGPIPE does; stdout goes to devnull so that flushing it at
            # exit does not fail again (the recipe of Python's signal docs).
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            # The log is meant to be attached to a bug report: its addresses are masked
            # (an exception's text may quote a cell or a file name), and it is written
            # whatever the encoding of this system (mode 0600, as mkstemp makes it).
            details = mask_text(traceback.format_exc())
            try:
                with tempfile.NamedTemporaryFile(
                    "w",
                    prefix="mailcheck-crash-",
                    suffix=".md",
                    delete=False,
                    encoding="utf-8",
                    errors="backslashreplace",
                ) as log:
                    log.write(f"# mailcheck {__version__} crash\n\n```\n{details}```\n")
                where = t("details: {path}", path=log.name)
            except OSError as log_error:
                where = t("no crash log: {reason}", reason=log_error.strerror or log_error)
            fail(
                t(
                    "internal error: {kind}: {error} ({where})",
                    kind=type(error).__name__,
                    error=error,
                    where=where,
                )
            )

    return wrapper


@contextmanager
def _termination_interrupts() -> Iterator[None]:
    """Make SIGTERM (and SIGHUP, a closed terminal) stop the run as Ctrl-C does, with a
    ``KeyboardInterrupt`` that removes the temporary files on its way up; a signal the
    caller chose to ignore (``nohup``) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            previous[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _write_errors_named(command: Callable, args: tuple, kwargs: dict):
    """Run ``command``; a full disk met outside mailcheck's own files (standard output
    written by click, a temporary file) is one line too, never an internal error."""
    try:
        return command(*args, **kwargs)
    except OSError as error:
        if error.errno not in _WRITE_ONLY_ERRNOS:
            raise
        silence(sys.stdout)  # what is left in its buffer must not fail again at exit
        if _raised_by_echo(error):
            raise write_failure(t("standard output"), t("the output"), error) from None
        raise OutputError(
            t(
                "cannot write the output: {reason} (standard output, or a temporary file in "
                "{folder})",
                reason=error.strerror or error,
                folder=tempfile.gettempdir(),
            )
        ) from None


def _raised_by_echo(error: BaseException) -> bool:
    """Whether ``error`` came from ``click.echo`` (what the commands print to stdout)."""
    frame = error.__traceback__
    while frame is not None:
        code = frame.tb_frame.f_code
        if code.co_name == "echo" and frame.tb_frame.f_globals.get("__name__") == "click.utils":
            return True
        frame = frame.tb_next
    return False
