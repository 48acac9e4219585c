"""Exit codes of the ``veo3`` command, and the mapping from exceptions to them.

=====  =====================================================================================
code   meaning
=====  =====================================================================================
0      success
1      unexpected error (a bug, or ``spec-diff`` found a breaking change the ignore file does not accept)
2      usage or validation error: bad arguments, a request the spec forbids, or a missing
       API key; refused before any request was sent (``spec-diff``: also an internal error)
3      API error: the API answered with an error code, an unreadable answer, or could not
       be reached (includes a create request whose reply was lost)
4      the task failed (successFlag 2 or 3)
5      timed out waiting for a task, a 1080p or a 4K video
130    interrupted (Ctrl-C); any task already created is in the journal
=====  =====================================================================================
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    API_ERROR = 3
    TASK_FAILED = 4
    TIMED_OUT = 5
    INTERRUPTED = 130


def exit_code_for(exc: BaseException) -> ExitCode:
    """The exit code for an exception raised while running a command."""
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    from veo3 import errors  # light; imported here so `veo3 --help` does not load it

    if isinstance(exc, errors.RequestValidationError | errors.ConfigurationError):
        return ExitCode.USAGE
    if isinstance(exc, errors.TaskFailedError):
        return ExitCode.TASK_FAILED
    if isinstance(exc, errors.WaitTimeoutError):
        return ExitCode.TIMED_OUT
    if isinstance(exc, errors.Veo3Error):
        return ExitCode.API_ERROR
    return ExitCode.UNEXPECTED
