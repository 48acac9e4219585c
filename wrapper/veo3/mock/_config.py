"""What a simulator instance does: keys, timings, time scale, credits, limits, callbacks and faults.

Every duration is in *kie seconds* and multiplied by ``time_scale`` before it is waited for, so a test
with ``time_scale=0.001`` sees a 3 s generation finish in 3 ms. Fault latency is the one exception
(wall-clock seconds), because it exists to exercise a client's own timeouts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import attrs

from veo3._spec import _document as _spec

#: The fault kinds (README, "The simulator"), in the order FAULT_MATRIX.md shows them.
FAULT_KINDS = (
    "maintenance",  # in-band 455
    "server_error",  # HTTP 500 with the envelope
    "rate_limit",  # HTTP 429 with the envelope
    "latency",  # the answer is delayed by Fault.delay wall-clock seconds, then served normally
    "drop_before",  # the connection is closed before the request is processed
    "drop_after",  # the request is processed (a task is created), then the connection is closed
    "malformed_json",  # processed; the body is not JSON
    "html_error",  # not processed; HTTP 502 with an HTML page, as a proxy would answer
    "truncated_body",  # processed; the body stops half-way and the connection is closed
)


#: The price table's operations the simulator names by a short key in ``costs`` (the rest: by model).
FLAT_COST_KEYS = {"get-veo3-1-4k-video": "4k", "get-veo3-1-1080p-video": "1080p"}


def _table_costs() -> dict[str, float]:
    """Credits per model (generate's and extend's names), ``"4k"`` and ``"1080p"``, from ``veo3/prices.json``."""
    from veo3._spec._prices import default_prices

    costs: dict[str, float] = {}
    for op_id, price in default_prices().operations.items():
        costs.update(price.by_value)
        if price.flat is not None and op_id in FLAT_COST_KEYS:
            costs[FLAT_COST_KEYS[op_id]] = price.flat
    return costs


#: Credits a task costs, by model and ``"4k"``/``"1080p"`` for an upgrade: the packaged price table.
DEFAULT_COSTS: Mapping[str, float] = _table_costs()


def _known_operations() -> frozenset[str]:
    return frozenset(op.operation_id for op in _spec.iter_operations())


def _int_set(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


def _check_calls(instance: Fault, attribute: attrs.Attribute[frozenset[int]], value: frozenset[int]) -> None:
    if any(n < 1 for n in value):
        raise ValueError("Fault.on_calls holds 1-based call numbers")


@attrs.frozen
class Fault:
    """One fault to inject into an operation's answers.

    It fires on the calls listed in ``on_calls`` (1-based, counted per operation) and otherwise with
    ``probability`` (drawn from the simulator's seeded random generator).
    """

    kind: str = attrs.field(validator=attrs.validators.in_(FAULT_KINDS))
    probability: float = attrs.field(default=0.0, validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)])
    on_calls: frozenset[int] = attrs.field(default=frozenset(), converter=_int_set, validator=_check_calls)
    #: Wall-clock seconds a ``latency`` fault waits before answering (not scaled by ``time_scale``).
    delay: float = attrs.field(default=1.0, validator=attrs.validators.ge(0.0))


FaultTable = Mapping[str, tuple[Fault, ...]]


def _check_faults(instance: MockConfig, attribute: attrs.Attribute[FaultTable], value: FaultTable) -> None:
    unknown = set(value) - _known_operations() - {"*"}
    if unknown:
        raise ValueError(f"faults name unknown operations: {sorted(unknown)}")


def _freeze_faults(value: Mapping[str, Sequence[Fault] | Fault]) -> FaultTable:
    return {op: (faults,) if isinstance(faults, Fault) else tuple(faults) for op, faults in value.items()}


def _optional_keys(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


@attrs.frozen
class MockConfig:
    """How the simulator behaves. The defaults give a friendly kie: any key, tasks done in a few seconds."""

    #: Accepted API keys; ``None`` accepts any non-empty bearer key.
    api_keys: frozenset[str] | None = attrs.field(default=None, converter=_optional_keys)
    #: Multiplies every duration (timings, rate window, retention, callback retry delay).
    time_scale: float = attrs.field(default=1.0, validator=attrs.validators.gt(0.0))
    #: Seed of the random generator (task ids, probabilistic failures and faults); ``None``: not reproducible.
    seed: int | None = None
    #: Kie seconds from create to the end of a generation, an extension, a 1080p and a 4K upgrade.
    generation_seconds: float = 3.0
    extension_seconds: float = 3.0
    hd_seconds: float = 2.0
    uhd_seconds: float = 4.0
    #: Probability that a task (without a prompt marker) ends with successFlag 3, errorCode 501.
    failure_rate: float = attrs.field(default=0.0, validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)])
    #: Starting balance of the account, and what each model (and ``"4k"``) costs per task.
    credits: float = 1_000_000.0
    costs: Mapping[str, float] = attrs.field(factory=lambda: dict(DEFAULT_COSTS))
    #: Create requests allowed per key per ``rate_window`` kie seconds; ``None`` disables the limit.
    #: Defaults: the spec's ``x-rate-limit`` (kie: 20 create requests / 10 s / key).
    rate_limit: int | None = attrs.field(factory=lambda: _spec.create_rate_limit().creates)
    rate_window: float = attrs.field(factory=lambda: _spec.create_rate_limit().seconds)
    rate_limited_operations: frozenset[str] = attrs.field(
        factory=lambda: _spec.create_rate_limit().operations, converter=frozenset
    )
    #: Kie seconds a record is kept (kie: 14 days); older ones answer 422.
    retention_seconds: float = 14 * 24 * 3600.0
    #: Key that signs callbacks (``X-Webhook-Timestamp``/``X-Webhook-Signature``); ``None``: unsigned.
    webhook_key: str | None = attrs.field(default=None, repr=False)
    #: Callback attempts after the first one, the kie seconds between them, wall-clock timeout per attempt.
    callback_retries: int = 3
    callback_retry_delay: float = 5.0
    callback_timeout: float = 15.0
    #: Deliver callbacks to non-loopback hosts (off: they are recorded as blocked, never sent).
    allow_external_callbacks: bool = False
    #: ``"documented"``: URL lists as arrays, camelCase 4K data; ``"legacy"``: bracketed strings, snake_case 4K.
    callback_style: Literal["documented", "legacy"] = "documented"
    #: Send error codes as the HTTP status too (default off: HTTP 200 with the in-band code, kie's convention).
    mirror_http_status: bool = False
    #: Faults by operationId (``"*"``: every operation).
    faults: Mapping[str, tuple[Fault, ...]] = attrs.field(
        factory=dict, converter=_freeze_faults, validator=_check_faults
    )
    #: Base of the URLs the simulator hands out; ``None``: the URL the request came in on.
    public_url: str | None = None
    #: How many received requests and delivered callbacks introspection keeps (oldest dropped first).
    history_size: int = 10_000
    #: Serve the control API under ``/__control/`` (reset, journal, faults, outcomes, clock; see ``_control``).
    control: bool = False
    #: Let non-loopback peers use the control API (off: they get 403 even when the server listens on all hosts).
    control_remote: bool = False
    #: Bytes of uploaded files kept in memory in all (the oldest are dropped to make room; one file larger
    #: than this is refused with HTTP 400), and kie seconds a file is kept (the spec's upload retention).
    upload_capacity_bytes: int = attrs.field(default=64 * 1024 * 1024, validator=attrs.validators.ge(0))
    upload_retention_seconds: float = attrs.field(factory=_spec.upload_retention_seconds)

    def scaled(self, kie_seconds: float) -> float:
        """Wall-clock seconds for a duration in kie seconds."""
        return kie_seconds * self.time_scale
