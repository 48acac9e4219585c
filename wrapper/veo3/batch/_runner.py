"""The batch runner: jobs in, one ``JobResult`` out per job as it ends (asyncio; the sync client wraps it).

Per job: generate, wait, each extension (create, wait), the 1080p/4K versions, then the downloads.
Every create goes through the store first (see ``_store``): a job that ended is skipped, a task already
created is waited for, a create whose reply was lost is never resent (the job ends ``outcome_unknown``),
and only what was never created is created. ``concurrency`` jobs run at once; creates are paced by the
client's ``rate_limit``; each task gets at most one status request per poll, on a schedule learned from
earlier tasks of its model (``veo3._core._polling.LearnedSchedule``), or wakes on its callback
(``via="callback"``). With a ``balance``, a job starts only if the credits it still needs (``PriceTable``)
fit in what is left; else new work stops and ``refused`` says why (a 402 from the API stops it too).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from veo3._core._effects import Call, Created, Flow
from veo3._core._polling import LearnedSchedule, duration_key
from veo3._spec import _document as _spec
from veo3._spec._operations import EXTEND, GENERATE, GET_4K, GET_1080P, Operation
from veo3._spec._prices import PriceTable, default_prices
from veo3.webhooks._refs import new_ref, ref_digest, with_ref

from ..errors import (
    AuthenticationError,
    ConfigurationError,
    FeatureDisabledError,
    InsufficientCreditsError,
    OutcomeUnknownError,
    RequestValidationError,
    TaskFailedError,
    Veo3Error,
    WaitTimeoutError,
)
from ._jobs import Job, validate_job
from ._plan import _json_body
from ._store import OUTCOME_UNKNOWN, REJECTED, BatchStore, MemoryStore

if TYPE_CHECKING:
    from veo3._core._flows import CallbackSource, Core

    from ..types import TaskInfo

__all__ = ["FAILED", "INCOMPLETE", "NOT_STARTED", "SUCCESS", "BatchClient", "BatchRunner", "JobResult"]

T = TypeVar("T")


class _AsyncDriver(Protocol):
    async def run(self, flow: Flow[T]) -> T:
        """Perform ``flow``'s effects; its result."""
        ...


class _Engine(Protocol):
    @property
    def flows(self) -> Core:
        """The sans-IO operations."""
        ...

    @property
    def driver(self) -> _AsyncDriver:
        """What runs them."""
        ...


class _ByReference(Protocol):
    """A receiver that can wait for the callback of a create by its reference (``CallbackReceiver``)."""

    async def wait_for(self, task_id: str | None, timeout: float | None = None, *, ref: str | None = None) -> Any:
        """The callback event whose URL carried ``ref``."""
        ...


class BatchClient(Protocol):
    """What a batch needs of a client (``AsyncVeo3Client`` has it): its ``engine`` (flows and an asyncio
    driver) and, for ``via="callback"``, its callback receiver. Batch sits below the clients and never
    imports them."""

    @property
    def engine(self) -> _Engine:
        """The client's flows and driver (``veo3._client._base.Engine``)."""
        ...

    @property
    def callback_receiver(self) -> CallbackSource:
        """Where the client's callbacks arrive."""
        ...


SUCCESS = "success"
FAILED = "failed"  # a task failed, or the API refused a create for good (content policy, ...)
INCOMPLETE = "incomplete"  # stopped short (timeout, network, credits): a re-run carries on
NOT_STARTED = "not_started"  # never begun (new work stopped): a re-run starts it
#: Final outcomes: a re-run skips the job. OUTCOME_UNKNOWN: a create was sent, its reply lost, and kie
#: has no endpoint to find the task without its id; resending could pay twice, so it is not resent.
FINAL = frozenset({SUCCESS, FAILED, OUTCOME_UNKNOWN})
# API answers after which no new work should start (the account cannot pay or is not allowed).
_STOPPERS = (InsufficientCreditsError, AuthenticationError, FeatureDisabledError)


@dataclass
class JobResult:
    """How one job ended: its status, task ids, files, error and (estimated) credits spent on it."""

    job: Job
    status: str
    task_ids: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    error: str | None = None
    credits: float = 0.0
    #: True when the job had ended in an earlier run (nothing was sent for it now).
    resumed: bool = False

    @property
    def final(self) -> bool:
        """True when a re-run will skip this job."""
        return self.status in FINAL

    def manifest_line(self) -> dict[str, Any]:
        """The job's line in ``manifest.jsonl``."""
        return {
            "id": self.job.id,
            "line": self.job.line,
            "input": dict(self.job.source),
            "status": self.status,
            "task_ids": self.task_ids,
            "files": self.files,
            "error": self.error,
            "credits": self.credits,
        }


class _Stop(Exception):
    """Ends a job early with a result."""

    def __init__(self, status: str, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


@dataclass
class BatchRunner:
    """Runs jobs on an ``AsyncVeo3Client`` (any ``BatchClient``); see the module docstring."""

    client: BatchClient
    store: BatchStore = field(default_factory=MemoryStore)
    out_dir: Path | None = None
    concurrency: int = 8
    timeout: float = 1800.0
    prices: PriceTable = field(default_factory=default_prices)
    #: Credits available to this run (``None``: not checked).
    balance: float | None = None
    callback_url: str | None = None
    via: str = "poll"
    #: How tasks are polled; ``None``: the client's own schedule, the one ``wait()`` uses.
    schedule: LearnedSchedule | None = None
    #: Applied to every error message kept (the CLI strips secrets with it).
    redact: Callable[[str], str] = str
    on_change: Callable[[BatchRunner], None] | None = None
    # progress, read by on_change
    running: int = 0
    done: int = 0
    failed: int = 0
    spent: float = 0.0
    refused: str | None = None
    #: Why new work stopped early (``stop()``: a signal, say); ``None`` while the run goes on.
    stopping: str | None = None
    _reserved: float = 0.0
    _active: set[asyncio.Task[JobResult]] = field(default_factory=set)
    _unfinished: set[str] = field(default_factory=set)
    _sending: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.concurrency, bool) or not isinstance(self.concurrency, int) or self.concurrency < 1:
            raise ConfigurationError(f"concurrency must be an integer >= 1, got {self.concurrency!r}")
        if self.via not in ("poll", "callback"):
            raise ConfigurationError(f"via must be 'poll' or 'callback', got {self.via!r}")
        if self.schedule is None:
            self.schedule = self.client.engine.flows.schedule

    # -- the run -------------------------------------------------------------------------------------

    async def results(self, jobs: Iterable[Job]) -> AsyncIterator[JobResult]:
        """Run ``jobs`` (read lazily, ``concurrency`` at a time); yield each one's result as it ends."""
        queue: asyncio.Queue[JobResult | BaseException | None] = asyncio.Queue(maxsize=self.concurrency)
        source = iter(jobs)

        async def worker() -> None:
            for job in source:  # next() never awaits: workers share the iterator safely
                if self.stopping is not None:
                    break
                task = asyncio.ensure_future(self._job(job))
                self._active.add(task)
                try:
                    result = await task
                finally:
                    self._active.discard(task)
                await queue.put(result)

        workers = [asyncio.create_task(worker()) for _ in range(self.concurrency)]

        async def close() -> None:
            outcomes = await asyncio.gather(*workers, return_exceptions=True)
            error = next((o for o in outcomes if isinstance(o, BaseException)), None)
            await queue.put(error)

        closer = asyncio.create_task(close())
        try:
            while (item := await queue.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            for task in (*workers, closer):
                task.cancel()
            await asyncio.gather(*workers, closer, return_exceptions=True)

    def stop(self, reason: str) -> None:
        """Stop early and cleanly (the CLI calls this on SIGINT/SIGTERM): no job or create starts after this;
        a create already sent gets its reply and its task id is stored (the client shields it); waits and
        downloads stop where they are (a partial download is resumed later). The jobs cut short end
        ``incomplete`` (``not_started`` if nothing was created): running the batch again carries on."""
        if self.stopping is None:
            self.stopping = reason
            for task in self._active:
                task.cancel()

    @property
    def still_running(self) -> list[str]:
        """Task ids created (or resumed) whose wait did not end: they run on kie, a re-run picks them up."""
        return sorted(self._unfinished)

    @property
    def sending(self) -> list[str]:
        """The creates whose request has left and whose reply is not in yet ("job X step N (kind)")."""
        return list(self._sending.values())

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change(self)

    async def _job(self, job: Job) -> JobResult:
        previous = self.store.ended(job.key)
        if previous is not None:
            result = JobResult(
                job,
                str(previous.get("status")),
                list(previous.get("task_ids", [])),
                list(previous.get("files", [])),
                previous.get("error"),
                float(previous.get("credits", 0.0)),
                resumed=True,
            )
            self._count(result)
            return result
        self.running += 1
        self._changed()
        result = JobResult(job, INCOMPLETE)
        reserved = 0.0
        try:
            try:
                validate_job(self.client.engine.flows, job)  # an invalid extension must not follow a paid generation
            except RequestValidationError as exc:
                raise _Stop(FAILED, f"invalid job (nothing sent): {exc}") from None
            reserved = self._reserve(job)
            await self._steps(job, result)
            result.status = SUCCESS
        except _Stop as stop:
            result.status, result.error = stop.status, self.redact(stop.error)
        except asyncio.CancelledError:
            if self.stopping is None:
                raise
            current = asyncio.current_task()
            if current is not None:
                current.uncancel()  # stop() cancelled this job; the run itself goes on to report it
            started = result.task_ids or self.store.steps(job.key)  # a create's id may be stored, not yet listed
            result.status = INCOMPLETE if started else NOT_STARTED
            result.error = f"stopped ({self.stopping}): nothing lost; run the batch again to carry on"
        finally:
            self._reserved -= reserved
            self.running -= 1
        if result.final:
            self.store.job_ended(job.key, result.manifest_line())
        self._count(result)
        return result

    def _count(self, result: JobResult) -> None:
        if result.status == SUCCESS:
            self.done += 1
        else:
            self.failed += 1
        self._changed()

    # -- credits ---------------------------------------------------------------------------------------

    def _still_to_pay(self, job: Job) -> float:
        """Credits the job's uncreated steps and upgrades will cost."""
        steps = self.store.steps(job.key)
        bodies = [(GENERATE.operation_id, _json_body(GENERATE, {"prompt": job.prompt, **job.options}))]
        bodies += [(EXTEND.operation_id, _json_body(EXTEND, {"prompt": s.prompt, **s.options})) for s in job.extend]
        cost = sum(
            self.prices.cost(op, body)
            for number, (op, body) in enumerate(bodies)
            if number not in steps or steps[number].state == REJECTED
        )
        cost += self.prices.cost(GET_1080P.operation_id) if job.hd else 0.0
        return cost + (self.prices.cost(GET_4K.operation_id) if job.uhd else 0.0)

    def _reserve(self, job: Job) -> float:
        """Set aside what the job still needs, or stop it (and all new work) if the balance cannot cover it."""
        need = self._still_to_pay(job)
        if need and self.refused is not None:
            raise _Stop(NOT_STARTED, f"not started: {self.refused}")
        if need and self.balance is not None:
            left = self.balance - self.spent - self._reserved
            if need > left:
                self.refused = (
                    f"the balance ({left:g} credits left of {self.balance:g}) is below what the next job needs "
                    f"({need:g} credits, price table {self.prices.path}): no new work was started"
                )
                raise _Stop(NOT_STARTED, f"not started: {self.refused}")
        self._reserved += need
        return need

    def _charge(self, result: JobResult, cost: float) -> None:
        """Count what a paid request cost, for the job and for the run (the balance check reads ``spent``)."""
        self.spent += cost
        result.credits += cost

    def _stop_new_work(self, exc: Veo3Error) -> None:
        if self.refused is None:
            self.refused = f"the API refused to go on: {self.redact(str(exc))}"

    # -- steps -----------------------------------------------------------------------------------------

    async def _steps(self, job: Job, result: JobResult) -> None:
        recorded = self.store.steps(job.key)
        chain: list[tuple[str, str, Mapping[str, Any]]] = [("generate", job.prompt, job.options)]
        chain += [("extend", step.prompt, step.options) for step in job.extend]
        parent: str | None = None
        info: TaskInfo | None = None
        for number, (kind, prompt, options) in enumerate(chain):
            record = recorded.get(number)
            model = self._duration_key(kind, prompt, options)
            lost = record is not None and not record.task_id and record.state != REJECTED  # submitting/unknown
            if lost and record is not None and record.ref is not None and self._resolvable(record.ref):
                # The reply was lost, but the create's callback names its task: wait for it, send nothing.
                task_id = await self._by_callback(job, number, kind, record.ref)
                created_at, fresh = record.created_at, False
            elif lost:
                assert record is not None
                raise _Stop(
                    OUTCOME_UNKNOWN,
                    f"step {number} ({kind}) was sent but its reply was lost ({record.error or 'process ended'}); "
                    "kie cannot look the task up without its id, so it was not sent again: check your kie.ai "
                    "dashboard",
                )
            elif record is not None and record.task_id:
                task_id, created_at, fresh = record.task_id, record.created_at, False
            else:
                task_id = await self._create(job, number, kind, prompt, options, parent, result)
                created_at, fresh = time.time(), True
            result.task_ids.append(task_id)
            self._unfinished.add(task_id)
            info = await self._wait(task_id, model, created_at, fresh)
            self._unfinished.discard(task_id)
            parent = info.task_id
        assert info is not None and parent is not None
        stem = job.file_stem
        if info.video_url:
            await self._download(info.video_url, f"{stem}.mp4", parent, result)
        if job.hd:
            hd = self.client.engine.flows.get_1080p(parent, wait=True, timeout=self.timeout)
            url = await self._upgrade(hd, job, result)
            self._charge(result, self.prices.cost(GET_1080P.operation_id))
            await self._download(url, f"{stem}-1080p.mp4", parent, result)
        if job.uhd:
            uhd = self.client.engine.flows.get_4k(parent, wait=True, timeout=self.timeout, params=self._uhd_options())
            urls = await self._upgrade(uhd, job, result)
            self._charge(result, self.prices.cost(GET_4K.operation_id))
            await self._download(urls[0], f"{stem}-4k.mp4", parent, result)

    def _duration_key(self, kind: str, prompt: str, options: Mapping[str, Any]) -> str:
        """Which durations a task's schedule learns from (``duration_key``: its operation and model)."""
        op = GENERATE if kind == "generate" else EXTEND
        return duration_key(op, _json_body(op, {"prompt": prompt, **options}), self.prices)

    def _uhd_options(self) -> Any:
        """get_4k's callback keyword (the spec's callback field), when callbacks are on."""
        return {_callback_keyword(GET_4K): self._callback("4k")} if self.callback_url is not None else {}

    def _callback(self, kind: str | None = None) -> str | None:
        if self.callback_url is None or kind is None:
            return self.callback_url
        separator = "&" if "?" in self.callback_url else "?"
        return f"{self.callback_url}{separator}kind={kind}"

    async def _create(
        self,
        job: Job,
        number: int,
        kind: str,
        prompt: str,
        options: Mapping[str, Any],
        parent: str | None,
        result: JobResult,
    ) -> str:
        keywords = dict(options)
        op = GENERATE if kind == "generate" else EXTEND
        ref: str | None = None
        if self.callback_url is not None and keywords.get(_callback_keyword(op)) is None:
            # A fresh token in the callback URL: kie's callback names this create even if its reply is lost.
            token = new_ref()
            ref = ref_digest(token)
            keywords[_callback_keyword(op)] = with_ref(self._callback() or "", token)
        request = {"prompt": prompt, **keywords} | ({"task_id": parent} if parent else {})
        handle: int | None = None
        created: str | None = None
        replied = lost = False

        def journal() -> None:  # just before the request goes out: never while waiting for a pacing slot
            nonlocal handle
            if self.stopping is not None:
                raise _Stop(INCOMPLETE if parent else NOT_STARTED, f"not sent: {self.stopping}")
            handle = self.store.begin_step(job.key, number, kind, request, parent)
            self._sending[handle] = f"job {job.id} step {number} ({kind})"

        def reply() -> None:
            nonlocal replied
            replied = True

        def store_created(task: Any) -> None:  # the moment the reply is read, even if the job is being stopped
            nonlocal created
            assert handle is not None
            created = task.task_id
            self.store.step_created(handle, task.task_id)
            self._unfinished.add(task.task_id)

        engine = self.client.engine
        try:
            if kind == "generate":
                flow = engine.flows.generate(prompt, keywords)
            else:
                assert parent is not None
                flow = engine.flows.extend(parent, prompt, keywords)
            await engine.driver.run(_journaled(flow, journal, reply, store_created))
        except (RequestValidationError, ConfigurationError, TypeError) as exc:
            raise _Stop(FAILED, f"step {number} ({kind}) is invalid: {exc}") from None  # nothing was sent
        except OutcomeUnknownError as exc:
            assert handle is not None
            self.store.step_failed(handle, OUTCOME_UNKNOWN, self.redact(str(exc)))
            if not self._resolvable(ref):
                raise _Stop(OUTCOME_UNKNOWN, f"step {number} ({kind}): {exc}; not sent again") from None
            lost = True  # never resent: the task's callback will name it (below)
        except Veo3Error as exc:
            if handle is not None:
                self.store.step_failed(handle, REJECTED, self.redact(str(exc)))
            if isinstance(exc, _STOPPERS):
                self._stop_new_work(exc)
                raise _Stop(INCOMPLETE, f"step {number} ({kind}) refused: {exc}") from None
            raise _Stop(FAILED, f"step {number} ({kind}) refused: {exc}") from None
        except BaseException as exc:
            # Interrupted. Before the request left (a pacing slot): nothing was sent, nothing recorded.
            # After its reply named the task: stored above. A reply that created nothing (the client
            # does not retry once interrupted): rejected. Else the reply was lost: the task may exist.
            if handle is not None and created is None:
                unknown = not replied or isinstance(exc.__cause__, OutcomeUnknownError)
                state = OUTCOME_UNKNOWN if unknown else REJECTED
                self.store.step_failed(handle, state, f"interrupted ({type(exc).__name__}) while the create was sent")
            raise
        finally:
            if handle is not None:
                self._sending.pop(handle, None)
        if lost:
            assert ref is not None
            created = await self._by_callback(job, number, kind, ref)
        assert created is not None
        self._charge(result, self.prices.cost(op.operation_id, _json_body(op, {"prompt": prompt, **keywords})))
        self._changed()
        return created

    def _resolvable(self, ref: str | None) -> bool:
        """Whether a create whose reply was lost can be named by its callback (it carried a reference and
        this run receives callbacks)."""
        return ref is not None and self.via == "callback"

    async def _by_callback(self, job: Job, number: int, kind: str, ref: str) -> str:
        """The task id of a create whose reply was lost, from the callback its reference names."""
        receiver = cast(_ByReference, self.client.callback_receiver)
        try:
            event = await receiver.wait_for(None, self.timeout, ref=ref)
        except WaitTimeoutError:
            raise _Stop(
                OUTCOME_UNKNOWN,
                f"step {number} ({kind}) was sent but its reply was lost, and no callback named it within "
                f"{self.timeout:g}s; it was not sent again: check your kie.ai dashboard",
            ) from None
        task_id: str = event.task_id
        assert task_id is not None  # the receiver publishes only events that name a task
        self.store.step_resolved(job.key, number, task_id)
        self._unfinished.add(task_id)
        return task_id

    async def _wait(self, task_id: str, model: str, created_at: float, fresh: bool) -> TaskInfo:
        engine = self.client.engine
        core = engine.flows
        try:
            if self.via == "callback":
                flow = core.wait(task_id, timeout=self.timeout, via="callback", receiver=self.client.callback_receiver)
            else:
                assert self.schedule is not None  # set in __post_init__
                elapsed = max(0.0, time.time() - created_at) / self.schedule.scale
                intervals = self.schedule.intervals(self.store.durations(model), elapsed, core.rng, model)
                flow = core.poll_task(task_id, timeout=self.timeout, intervals=intervals, sleep_first=fresh)
            info: TaskInfo = await engine.driver.run(flow)
        except TaskFailedError as exc:
            self.store.task_status(task_id, state=FAILED, status="FAILED", urls=[], error=exc.error_message)
            raise _Stop(FAILED, str(exc)) from None
        except Veo3Error as exc:
            raise _Stop(INCOMPLETE, f"waiting for task {task_id}: {exc}") from None
        urls = list(info.full_result_urls or info.result_urls)
        self.store.task_status(task_id, state=SUCCESS, status="SUCCESS", urls=urls, error=None)
        if info.created_at is not None and info.completed_at is not None and self.schedule is not None:
            seconds = (info.completed_at - info.created_at).total_seconds() / self.schedule.scale
            if seconds > 0:
                self.store.add_duration(model, seconds)
        return info

    async def _upgrade(self, flow: Flow[T], job: Job, result: JobResult) -> T:
        try:
            return await self.client.engine.driver.run(flow)
        except _STOPPERS as exc:
            self._stop_new_work(exc)
            raise _Stop(INCOMPLETE, f"upgrade refused: {exc}") from None
        except Veo3Error as exc:
            raise _Stop(INCOMPLETE, f"upgrade: {exc}") from None

    async def _download(self, url: str, name: str, task_id: str, result: JobResult) -> None:
        if self.out_dir is None:
            return
        dest = self.out_dir / name
        if not dest.exists():  # downloads rename a complete file into place: present means done
            try:
                engine = self.client.engine
                await engine.driver.run(engine.flows.download(url, dest, resume=True, on_progress=None))
            except Veo3Error as exc:
                raise _Stop(INCOMPLETE, f"download of {name}: {exc}") from None
        self.store.add_file(task_id, str(dest))
        result.files.append(str(dest))


def _journaled(
    flow: Flow[T], before: Callable[[], None], replied: Callable[[], None], created: Callable[[Any], None]
) -> Flow[T]:
    """``flow``, calling ``before()`` just before its first request is performed (after any pacing sleeps),
    ``replied()`` when that request's reply is in, and ``created(task)`` when the reply names a task."""
    value: Any = None
    error: BaseException | None = None
    called = False
    while True:
        try:
            effect = flow.send(value) if error is None else flow.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        if isinstance(effect, Created):
            created(effect.task)
        if isinstance(effect, Call) and not called:
            called = True
            before()
        try:
            value, error = (yield effect), None
        except Exception as exc:  # the driver throws a failed effect's error back into the flow
            value, error = None, exc
        if isinstance(effect, Call):
            replied()


def _callback_keyword(op: Operation) -> str:
    """The keyword of the field the operation's callbacks go to (from the spec's callbacks)."""
    return _spec.python_name(min(op.callback_fields))
