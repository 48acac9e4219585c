"""The simulator's memory: tasks, the account balance, rate windows, and what tests can inspect.

A task's state is computed from the clock when it is read (``status``), so no timer runs per task;
only callbacks are scheduled (see ``_callbacks``).
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import OrderedDict, defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, Generic, TypeVar
from urllib.parse import unquote, urlsplit

import attrs

from ._config import Fault, MockConfig

T = TypeVar("T")

GENERATING, SUCCESS, CREATE_FAILED, GENERATION_FAILED = 0, 1, 2, 3


@lru_cache(maxsize=1024)
def key_fingerprint(key: str) -> str:
    """A short, stable stand-in for an API key (the key itself is never stored)."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


@attrs.define(eq=False)
class MockTask:
    """A task the simulator created: a generation, an extension or a 4K upgrade."""

    task_id: str
    kind: str  # "generate" | "extend" | "4k"
    params: dict[str, Any]
    param_json: str
    base_url: str
    key_fingerprint: str
    created_at: float  # simulator clock, seconds
    created_wall: float  # Unix seconds
    ready_at: float  # simulator clock, seconds
    final_flag: int = SUCCESS
    error_code: int | None = None
    error_message: str | None = None
    aspect_ratio: str = "16:9"
    resolution: str = "720p"
    callback_url: str | None = None
    parent_id: str | None = None
    index: int = 0
    #: Simulator-clock time the 1080p version is ready (set by the first get-1080p-video call).
    hd_ready_at: float | None = None
    #: 4K jobs started for this task, by video index → the 4K task's id.
    uhd_jobs: dict[int, str] = attrs.field(factory=dict)
    #: The 4K upgrade of this task fails (prompt marker ``[4k-fail]``).
    uhd_fails: bool = False
    #: record-info's ``data`` once the task has ended (it no longer changes).
    details_cache: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False)
    #: Record-info reads left before the task ends (set by the control API's "after N polls"); ``None``: by clock.
    polls_left: int | None = attrs.field(default=None, init=False)

    def status(self, now: float) -> int:
        """The task's successFlag at simulator time ``now``."""
        return GENERATING if now < self.ready_at else self.final_flag

    def note_poll(self, now: float) -> None:
        """Count one record-info read; a task held for N polls ends once they are used up."""
        if self.polls_left is None:
            return
        if self.polls_left <= 0:
            self.polls_left, self.ready_at = None, now
        else:
            self.polls_left -= 1

    @property
    def went_through_1080p(self) -> bool:
        """Whether a 1080p version was made (such a video can no longer be extended)."""
        return self.hd_ready_at is not None or self.resolution == "1080p"

    def media_url(self, name: str) -> str:
        """An absolute URL of one of this task's media files, served by the simulator itself."""
        return f"{self.base_url}/media/{self.task_id}/{name}"

    def result_urls(self) -> list[str]:
        """``response.resultUrls`` once successful."""
        return [self.media_url("4k.mp4" if self.kind == "4k" else "video.mp4")]

    def full_result_urls(self) -> list[str] | None:
        """``response.fullResultUrls``: the whole concatenated video, for extensions only."""
        return [self.media_url("full.mp4")] if self.kind == "extend" else None

    def origin_urls(self) -> list[str] | None:
        """``response.originUrls``: only filled when the aspect ratio is not 16:9."""
        return None if self.aspect_ratio == "16:9" or self.kind == "4k" else [self.media_url("origin.mp4")]

    def image_urls(self) -> list[str]:
        """Preview images of a 4K task."""
        return [self.media_url("4k.jpg")]

    def media_names(self) -> frozenset[str]:
        """The file names ``/media/{task_id}/...`` serves for this task once it succeeded."""
        if self.kind == "4k":
            return frozenset({"4k.mp4", "4k.jpg"})
        names = {"video.mp4", "origin.mp4", "1080p.mp4"}
        if self.kind == "extend":
            names.add("full.mp4")
        return frozenset(names)


@attrs.define(slots=True)
class RecordedRequest:
    """A request the simulator received (the key only as a fingerprint)."""

    method: str
    path: str
    operation: str | None
    key_fingerprint: str | None
    query: Mapping[str, str]
    body: Any
    code: int | None
    http_status: int | None
    fault: str | None
    at: float


class Calls(Generic[T]):
    """Recorded entries, oldest first, with respx-style conveniences: ``.count`` and ``.last``.

    Indexable and iterable like a list (``calls[0]``, ``list(calls)``); a snapshot, not a live view.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._items = list(items)

    @property
    def count(self) -> int:
        """How many entries there are."""
        return len(self._items)

    @property
    def last(self) -> T:
        """The latest entry (``IndexError`` when there is none)."""
        if not self._items:
            raise IndexError("nothing was recorded")
        return self._items[-1]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    def __getitem__(self, index: int) -> T:
        return self._items[index]

    def __bool__(self) -> bool:
        return bool(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Calls):
            return self._items == other._items
        return isinstance(other, list) and self._items == other

    __hash__ = None  # type: ignore[assignment]  # mutable-looking container, like list

    def __repr__(self) -> str:
        return f"Calls({self._items!r})"


@attrs.define
class DeliveredCallback:
    """A callback the simulator sent (or, for a non-loopback URL without permission, refused to send)."""

    url: str
    task_id: str
    kind: str
    payload: dict[str, Any]
    headers: dict[str, str]
    attempts: int = 0
    delivered: bool = False
    status_codes: list[int | None] = attrs.field(factory=list)
    error: str | None = None


class MockState:
    """Tasks, balance, rate windows and introspection of one simulator instance.

    ``tasks`` maps task ids to ``MockTask``; ``requests`` and ``callbacks`` hold the latest
    ``history_size`` ``RecordedRequest``/``DeliveredCallback`` entries; ``credits`` is the balance.
    """

    def __init__(self, config: MockConfig) -> None:
        self.config = config
        self.reset()

    def reset(self) -> None:
        """Forget every task, request and callback; restore the credits and the seeded random generator."""
        self.tasks: dict[str, MockTask] = {}
        self.uploads = UploadStore(self.config.upload_capacity_bytes)
        self.requests: deque[RecordedRequest] = deque(maxlen=self.config.history_size)
        self.callbacks: deque[DeliveredCallback] = deque(maxlen=self.config.history_size)
        self.credits: float = self.config.credits
        # Separate streams: turning faults on does not change the task ids or outcomes of a seeded run.
        self.random = random.Random(self.config.seed)
        self.fault_random = random.Random(None if self.config.seed is None else f"faults-{self.config.seed}")
        self.call_counts: defaultdict[str, int] = defaultdict(int)
        self._windows: defaultdict[str, deque[float]] = defaultdict(deque)
        self._offset = 0.0
        #: Faults added while running (control API, ``veo3_mock.inject``), by operationId or ``"*"``.
        self.injected_faults: defaultdict[str, list[Fault]] = defaultdict(list)

    # -- introspection ------------------------------------------------------------------------------

    def requests_for(self, operation_id: str | None = None) -> Calls[RecordedRequest]:
        """The recorded requests to ``operation_id`` (all of them for ``None``), oldest first."""
        return Calls(r for r in self.requests if operation_id is None or r.operation == operation_id)

    def callbacks_for(self, task_id: str | None = None) -> Calls[DeliveredCallback]:
        """The recorded callbacks of ``task_id`` (all of them for ``None``), oldest first."""
        return Calls(c for c in self.callbacks if task_id is None or c.task_id == task_id)

    # -- time ---------------------------------------------------------------------------------------

    def now(self) -> float:
        """The simulator clock (monotonic seconds, plus whatever ``advance`` added)."""
        return time.monotonic() + self._offset

    def wall(self) -> float:
        """Unix time as the simulator sees it (moves with ``advance``)."""
        return time.time() + self._offset

    def advance(self, kie_seconds: float) -> None:
        """Move the simulator clock forward: tasks finish (their callbacks follow within 50 ms), records age."""
        self._offset += self.config.scaled(kie_seconds)

    # -- tasks --------------------------------------------------------------------------------------

    def new_task_id(self, prefix: str = "veo_task_") -> str:
        """A fresh task id; reproducible under a seed."""
        while True:
            task_id = f"{prefix}{self.random.getrandbits(64):016x}"
            if task_id not in self.tasks:
                return task_id

    def is_expired(self, task: MockTask) -> bool:
        """Whether the task is past the retention window."""
        return self.now() - task.created_at >= self.config.scaled(self.config.retention_seconds)

    # -- limits -------------------------------------------------------------------------------------

    def allow_create(self, fingerprint: str) -> bool:
        """Count one create request for this key; False when it is over the rate limit."""
        limit = self.config.rate_limit
        if limit is None:
            return True
        now = self.now()
        window = self._windows[fingerprint]
        horizon = now - self.config.scaled(self.config.rate_window)
        while window and window[0] <= horizon:
            window.popleft()
        if len(window) >= limit:
            return False
        window.append(now)
        return True

    def charge(self, cost: float) -> bool:
        """Take ``cost`` credits; False (nothing taken) when the balance is too low."""
        if cost > self.credits:
            return False
        self.credits -= cost
        return True


# -- uploaded files (the File Upload API's state; its HTTP endpoints are in ``_uploads``) -----------------

#: Where the simulator serves uploaded files: ``/files/{key}/{uploadPath}/{fileName}``.
FILES_PREFIX = "/files/"


@attrs.define
class StoredFile:
    """One uploaded file, as the simulator keeps it."""

    key: str  # "{fingerprint}/{uploadPath}/{fileName}": the URL path under /files/
    data: bytes
    mime_type: str
    stored_at: float  # simulator clock
    uploaded_wall: float


class UploadStore:
    """Uploaded files in memory: at most ``capacity`` bytes in all (oldest dropped first)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.files: OrderedDict[str, StoredFile] = OrderedDict()
        self.total = 0

    def put(self, stored: StoredFile) -> None:
        """Keep ``stored``, replacing a file with the same key and dropping the oldest past the capacity."""
        self.drop(stored.key)
        while self.files and self.total + len(stored.data) > self.capacity:
            self.drop(next(iter(self.files)))
        self.files[stored.key] = stored
        self.total += len(stored.data)

    def drop(self, key: str) -> None:
        """Forget one file (if kept)."""
        old = self.files.pop(key, None)
        if old is not None:
            self.total -= len(old.data)

    def get(self, state: MockState, key: str) -> StoredFile | None:
        """The file at ``key`` unless missing or past the retention (an expired file is dropped)."""
        stored = self.files.get(key)
        if stored is not None and state.now() - stored.stored_at >= state.config.scaled(
            state.config.upload_retention_seconds
        ):
            self.drop(key)
            return None
        return stored


def own_file(state: MockState, url: str, base_url: str) -> StoredFile | bool | None:
    """For a URL on the simulator's ``/files/``: the stored file, or ``None`` if missing or expired;
    ``False`` when the URL is not one of the simulator's upload URLs."""
    prefix = base_url + FILES_PREFIX
    if not url.startswith(prefix):
        return False
    return state.uploads.get(state, unquote(urlsplit(url).path.removeprefix(urlsplit(prefix).path)))


def missing_uploads(state: MockState, base_url: str, image_urls: Any) -> bool:
    """Whether any of a generate's ``imageUrls`` is a simulator upload that is missing or expired (kie
    cannot fetch it: the task fails, as kie fails tasks whose images it cannot fetch)."""
    if not isinstance(image_urls, list):
        return False
    return any(isinstance(u, str) and own_file(state, u, base_url) is None for u in image_urls)
