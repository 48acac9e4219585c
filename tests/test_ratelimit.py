"""The client-side limiter: a create starts only ``window`` after the reply of the one ``limit`` slots back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from veo3._core._ratelimit import SlidingWindowLimiter, Ticket


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _run(limit: int, window: float, requests: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sequential requests (gap before asking, duration of the request): their (start, end) times."""
    clock = FakeClock()
    limiter = SlidingWindowLimiter(limit, window, clock=clock)
    spans = []
    for gap, duration in requests:
        clock.now += gap
        ticket, delay = limiter.try_acquire()
        while ticket is None:
            assert delay > 0
            clock.now += delay
            ticket, delay = limiter.try_acquire()
        start = clock.now
        clock.now += duration
        limiter.release(ticket)
        spans.append((start, clock.now))
    return spans


requests_strategy = st.lists(st.tuples(st.floats(0.0, 3.0), st.floats(0.0, 2.0)), min_size=1, max_size=80)


@given(limit=st.integers(1, 25), window=st.floats(0.01, 20.0), requests=requests_strategy)
def test_for_all_request_patterns_a_start_is_a_window_after_the_end_limit_slots_back(
    limit: int, window: float, requests: list[tuple[float, float]]
) -> None:
    spans = _run(limit, window, requests)
    for i in range(limit, len(spans)):
        # arrival lies in [start, end], so arrivals `limit` apart are at least a window apart
        assert spans[i][0] >= spans[i - limit][1] + window - 1e-9


@given(limit=st.integers(1, 25), window=st.floats(0.01, 20.0), requests=requests_strategy)
def test_for_all_request_patterns_a_request_waits_only_when_the_window_is_full(
    limit: int, window: float, requests: list[tuple[float, float]]
) -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(limit, window, clock=clock)
    ends: list[float] = []
    for gap, duration in requests:
        clock.now += gap
        ticket, delay = limiter.try_acquire()
        full = len(ends) >= limit and ends[-limit] + window > clock.now
        assert (ticket is None) == full
        if full:
            assert delay == pytest.approx(ends[-limit] + window - clock.now)
            clock.now += delay
            ticket, _ = limiter.try_acquire()
        assert ticket is not None
        clock.now += duration
        limiter.release(ticket)
        ends.append(clock.now)


def test_while_the_request_limit_slots_back_is_in_flight_nothing_is_granted() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(2, 10.0, clock=clock)
    first, _ = limiter.try_acquire()
    second, _ = limiter.try_acquire()
    assert first is not None and second is not None
    clock.now += 100.0  # long after, but `first` never replied
    ticket, delay = limiter.try_acquire()
    assert ticket is None and 0 < delay <= 0.05
    limiter.release(first)
    assert limiter.try_acquire()[0] is None  # its window starts at its reply
    clock.now += 10.0
    assert isinstance(limiter.try_acquire()[0], Ticket)


def test_the_handed_in_lock_guards_every_change() -> None:
    """The core imports no threading: the clients hand a lock in, and the limiter holds it while it reads
    or changes its slots (a blocking client and its batch's event-loop thread share one limiter)."""

    class RecordingLock:
        def __init__(self) -> None:
            self.held = False
            self.entered = 0

        def __enter__(self) -> None:
            assert not self.held
            self.held, self.entered = True, self.entered + 1

        def __exit__(self, *exc: object) -> None:
            self.held = False

    lock = RecordingLock()
    limiter = SlidingWindowLimiter(1, 10.0, clock=FakeClock(), lock=lock)
    ticket, _ = limiter.try_acquire()
    assert ticket is not None and lock.entered == 1
    limiter.release(ticket)
    assert lock.entered == 2 and not lock.held


@pytest.mark.parametrize(("limit", "window"), [(0, 1.0), (1, 0.0), (3, -1.0)])
def test_nonsense_settings_are_refused(limit: int, window: float) -> None:
    with pytest.raises(ValueError):
        SlidingWindowLimiter(limit, window)
