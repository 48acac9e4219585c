"""What both drivers do when a call is interrupted while a paid create is in flight or done.

kie has no endpoint that lists an account's tasks: a create whose reply is dropped is a task someone pays
for and nobody can find. So a paid request that has left is never abandoned on the first interruption
(``asyncio`` cancellation, a task group closing, a timeout; ``KeyboardInterrupt`` in the sync client):
the driver waits for its reply (at most the request timeout), lets the flow read it, and only then lets
the interruption go on. Every task a create named reaches the client's ``on_task_created`` hook the moment
its reply is read, and an interrupted call adds a note to the exception and logs a warning naming it. When
the reply could not be had (it failed, or a second interruption stopped the wait), the note says plainly
that a paid task may exist and how to find it. See ``docs/guides/reliability.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

from veo3._core._effects import Reply
from veo3._utils._logging import get_logger

__all__ = ["LateReply", "explain_interruption", "waiting_for_reply"]

logger = get_logger("veo3")  # with the key-redacting filter, like every veo3 logger

_LOST = (
    "a paid task may exist: kie cannot look a task up without its id, so check the kie.ai dashboard before "
    "sending it again (with a callback URL, its callback names the task)"
)


class LateReply(BaseException):
    """A paid request's reply, got after the call was interrupted; ``interruption`` is raised once the flow
    has read it. A ``BaseException`` so that no ``except Exception`` on the way swallows it."""

    def __init__(self, reply: Reply, interruption: BaseException) -> None:
        super().__init__()
        self.reply = reply
        self.interruption = interruption


def waiting_for_reply(exc: BaseException) -> None:
    """Log that ``exc`` interrupted a paid request in flight, whose reply the driver now waits for."""
    logger.warning(
        "%s while a paid request was in flight: waiting for its reply (at most the request timeout) so the "
        "task it creates is not lost; interrupt again to stop at once",
        type(exc).__name__,
    )


def explain_interruption(
    exc: BaseException, created: Sequence[str], *, in_flight: bool = False, lost: BaseException | None = None
) -> None:
    """Note on ``exc`` (and log) which paid tasks the interrupted call created, or that one may exist."""
    if created:
        ids = ", ".join(created)
        text = (
            f"veo3: interrupted after kie created task(s) {ids}: they run (and are billed) on kie; "
            f"wait for them with client.wait(task_id) (the on_task_created hook got them too)"
        )
        exc.add_note(text)
        logger.warning("%s", text)
    if in_flight or lost is not None:
        why = f" ({type(lost).__name__}: {lost})" if lost is not None else ""
        text = f"veo3: interrupted while a paid create request was in flight and its reply was lost{why}: {_LOST}"
        exc.add_note(text)
        logger.warning("%s", text)
