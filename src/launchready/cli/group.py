"""The top-level command group: how every error leaves the process (the exit-code contract).

- a usage error (bad option value, unknown option, missing argument) prints ONE line, ``error: …`` with the
  option's name, and exits 2 — click's multi-line usage box and Rich's panel are not CI-friendly;
- an unexpected exception exits 3 ("internal error") with one line and the path of a file holding the
  traceback, never 1 (which CI reads as "the product has blockers") and never a traceback on the screen;
- Ctrl-C exits 130, as shells expect;
- a reader that went away (``launchready audit | head``) exits 141, like a process killed by SIGPIPE: click
  itself would exit 1, which CI reads as "blockers".

Plain ``typer.echo`` rather than Rich: messages quote user input such as ``[prodct]``, which Rich would
eat as markup, and this path must not import Rich just to fail. Typer (>= 0.29) vendors click as
``typer._click``; its exceptions are the ones raised here, so they are imported from there.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from typing import Any

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer._click.utils import PacifyFlushWrapper
from typer.core import TyperGroup

from launchready.cli.exit_status import ExitStatus


def echo_error(message: str, *, label: str = "error") -> None:
    """``error: message`` on stderr, on one line (newlines in quoted input are already escaped by repr)."""
    one_line = " ".join(message.split("\n"))
    typer.echo(f"{typer.style(label + ':', fg='red', bold=True)} {one_line}", err=True)


def save_traceback(exc: BaseException, args: Sequence[str]) -> str | None:
    """Write the command line and traceback to a temporary file; return its path (None if that fails)."""
    try:
        handle, path = tempfile.mkstemp(prefix="launchready-crash-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(f"launchready {' '.join(args)}\n\n")
            stream.write("".join(traceback.format_exception(exc)))
        return path
    except OSError:
        return None


def report_crash(exc: BaseException, args: Sequence[str]) -> int:
    """Print the one-line internal-error message; return exit status 3."""
    path = save_traceback(exc, args)
    where = f"traceback saved to {path}" if path else "the traceback could not be saved"
    summary = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    detail = f"{type(exc).__name__}: {summary}" if summary else type(exc).__name__
    echo_error(f"{detail[:200]} — {where}; please report it", label="internal error")
    return ExitStatus.INTERNAL_ERROR


class LaunchreadyGroup(TyperGroup):
    """Typer's group with launchready's error contract (see the module docstring)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        except NoArgsIsHelpError as exc:
            exc.show()  # `launchready` alone: the help, as before
            code: int = exc.exit_code
        except UsageError as exc:
            echo_error(exc.format_message())
            code = ExitStatus.USAGE
        except typer.TyperException as exc:
            echo_error(exc.format_message())
            code = exc.exit_code
        except typer.Abort:
            echo_error("aborted")
            code = 130
        except typer.Exit as exc:
            code = exc.exit_code
        except KeyboardInterrupt:
            code = 130
        except SystemExit:
            if not isinstance(sys.stdout, PacifyFlushWrapper) and not isinstance(
                sys.stderr, PacifyFlushWrapper
            ):
                raise
            code = ExitStatus.OUTPUT_CLOSED  # click's EPIPE handling: it wraps the streams, then exits 1
        except Exception as exc:
            code = report_crash(exc, sys.argv[1:] if args is None else args)
        else:
            code = result if isinstance(result, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)
