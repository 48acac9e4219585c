"""One command run: its configuration, output, journal and client, and the exit-code handling."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from veo3._client._constants import chosen_base_url
from veo3.cli._exit import ExitCode, exit_code_for
from veo3.cli._output import Output

if TYPE_CHECKING:
    from veo3 import Veo3Client
    from veo3.cli._journal import Journal


class CliUsageError(Exception):
    """Bad command-line input found by the CLI itself (exit code 2)."""


@dataclass
class Session:
    """Everything a command needs; create it with the command's common options."""

    json_mode: bool = False
    api_key: str | None = None
    base_url: str | None = None
    journal_path: Path | None = None
    poll_interval: float | None = None
    out: Output = field(init=False)
    _stack: ExitStack = field(init=False, default_factory=ExitStack)
    _client: Veo3Client | None = field(init=False, default=None)
    _journal: Journal | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.out = Output(json_mode=self.json_mode, secrets=(self.api_key,))
        self.base_url = chosen_base_url(self.base_url)

    @property
    def client(self) -> Veo3Client:
        """The API client (created on first use; the key comes from the flag or ``$KIE_API_KEY``)."""
        if self._client is None:
            from veo3 import Veo3Client

            self._client = self._stack.enter_context(Veo3Client(api_key=self.api_key, base_url=self.base_url))
        return self._client

    @property
    def journal(self) -> Journal:
        """The task journal (opened on first use)."""
        if self._journal is None:
            from veo3.cli._journal import Journal

            self._journal = Journal(self.journal_path)
            self._stack.callback(self._journal.close)
        return self._journal

    def run(self, body: Callable[[], int | None]) -> None:
        """Run a command body; map what it raises to an exit code, report it, and exit."""
        import typer

        code: int = ExitCode.OK
        try:
            with self._stack:
                code = body() or ExitCode.OK
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except CliUsageError as exc:
            code = ExitCode.USAGE
            self.out.error(exc, code)
        except BaseException as exc:  # every failure becomes a documented exit code
            code = exit_code_for(exc)
            self.out.error(exc, code)
        raise typer.Exit(int(code))
