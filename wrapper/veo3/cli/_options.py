"""Options shared by the commands, and ``@session_options``: the ones every API command takes.

``@session_options`` shows Typer ``--json``, ``--api-key``, ``--base-url`` (and ``--journal``,
``--poll-interval``) in place of a command's ``session`` parameter and hands the command a ready
:class:`Session`, so no command repeats those declarations.
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects.
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from veo3.cli._session import Session
from veo3.cli._signature import expand, option

F = TypeVar("F", bound=Callable[..., Any])

JsonOpt = Annotated[bool, typer.Option("--json", help="Print exactly one JSON document on stdout (nothing else).")]
ApiKeyOpt = Annotated[
    str | None,
    typer.Option("--api-key", help="API key (default: $KIE_API_KEY). Never printed.", show_default=False),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url", help="API base URL (default: $VEO3_BASE_URL or https://api.kie.ai).", show_default=False
    ),
]
JournalOpt = Annotated[
    Path | None,
    typer.Option(
        "--journal", help="Task journal file (default: $VEO3_JOURNAL or the user data folder).", show_default=False
    ),
]
TimeoutOpt = Annotated[float, typer.Option("--timeout", help="Seconds to wait before giving up (exit 5).")]
#: Filled by ``@spec_options``: the spec's optional request fields, one option each (see ``_spec_options``).
SpecOptions = dict[str, Any]
PollOpt = Annotated[
    float | None,
    typer.Option(
        "--poll-interval",
        help="Seconds between status checks (default: adaptive, 2 s growing to 15 s).",
        show_default=False,
    ),
]
WaitFlag = Annotated[bool, typer.Option("--wait", help="Wait for the task to finish (with progress on stderr).")]
OutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Also download the video to this file or folder.", show_default=False),
]


#: The default of a command's ``session`` parameter: ``@session_options`` always replaces it.
SESSION: Any = None


def session_options(*, api: bool = True, journal: bool = True, poll: bool = False) -> Callable[[F], F]:
    """Give a command ``--json`` and, as asked, ``--api-key``/``--base-url``, ``--journal``,
    ``--poll-interval``, in place of its ``session`` parameter (a :class:`Session` made from them)."""
    parameters = [option("json_mode", JsonOpt, False)]
    if api:
        parameters += [option("api_key", ApiKeyOpt), option("base_url", BaseUrlOpt)]
    if journal:
        parameters.append(option("journal", JournalOpt))
    if poll:
        parameters.append(option("poll_interval", PollOpt))

    def fold(values: Mapping[str, Any]) -> Session:
        return Session(
            json_mode=values["json_mode"],
            api_key=values.get("api_key"),
            base_url=values.get("base_url"),
            journal_path=values.get("journal"),
            poll_interval=values.get("poll_interval"),
        )

    return lambda command: expand(command, "session", parameters, fold)
