"""Exit codes: the contract CI builds on (httpie's ``ExitStatus`` pattern), documented in the README.

0 and 1 are the audit's verdict; 2 and 3 mean there is no verdict, so a CI job can tell "the product has
blockers" from "the command was called wrongly" and from "launchready itself crashed".
"""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    READY = 0
    """No finding at or above the --fail-on level."""
    BLOCKERS = 1
    """At least one fail (or unverifiable) finding at or above the --fail-on level."""
    USAGE = 2
    """Bad arguments or a bad config file: nothing was audited. One line on stderr says which and why."""
    INTERNAL_ERROR = 3
    """launchready crashed (a bug): one line on stderr, and the path of the saved traceback to report."""
    OUTPUT_CLOSED = 141
    """Whoever read the output went away (a broken pipe, ``| head``): the report was not delivered. 128 + 13,
    what a shell reports for a process killed by SIGPIPE, so it can never be read as a verdict."""
