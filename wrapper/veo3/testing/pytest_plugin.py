"""The ``veo3`` pytest plugin (entry point ``pytest11``): kie's Veo API simulated, as fixtures.

Fixtures:

- ``veo3_mock``: a running simulator (:class:`veo3.testing.Veo3Mock`): ``.url``, ``.api_key``, introspection
  (``.tasks``, ``.requests_for(operation_id)``, ``.callbacks``), faults (``.inject``), outcomes
  (``.succeed``/``.fail``, now or after N polls) and the clock (``.advance``);
- ``veo3_client`` / ``veo3_async_client``: a ``Veo3Client`` / ``AsyncVeo3Client`` pointed at it;
- ``veo3_mock_factory``: ``veo3_mock_factory(**MockConfig keywords)`` starts more simulators.

Per test: ``@pytest.mark.veo3_mock(time_scale=0.01, seed=1, faults={...})`` passes ``MockConfig`` keywords.
By default a simulator accepts exactly one new key and runs 1000x faster than kie, clients waiting in step.

This module is imported by every pytest run wherever ``veo3`` is installed, so it imports nothing but
pytest here: the simulator and the clients load when a fixture is first used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from veo3 import AsyncVeo3Client, Veo3Client
    from veo3.testing._mock import Veo3Mock

MARKER = "veo3_mock"


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker (so ``--strict-markers`` accepts it)."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): MockConfig keywords for this test's veo3_mock simulator "
        "(e.g. time_scale=0.01, seed=1, failure_rate=0.5, faults={...}).",
    )


@pytest.fixture
def veo3_mock_factory() -> Iterator[Callable[..., Veo3Mock]]:
    """Start simulators: ``veo3_mock_factory(**MockConfig keywords)`` or ``veo3_mock_factory(config)``.

    Each one stops (and its clients close) when the test ends.
    """
    from veo3.testing._mock import Veo3Mock

    started: list[Veo3Mock] = []

    def start(config: Any = None, **settings: Any) -> Veo3Mock:
        mock = Veo3Mock(config, **settings)
        started.append(mock)
        return mock

    yield start
    for mock in reversed(started):
        mock.close()


@pytest.fixture
def veo3_mock(request: pytest.FixtureRequest, veo3_mock_factory: Callable[..., Veo3Mock]) -> Veo3Mock:
    """A running simulator, configured by the test's ``@pytest.mark.veo3_mock(...)`` if any."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None and marker.args:
        raise pytest.UsageError(f"@pytest.mark.{MARKER} takes MockConfig keywords only, got {marker.args!r}")
    return veo3_mock_factory(**(dict(marker.kwargs) if marker is not None else {}))


@pytest.fixture
def veo3_client(veo3_mock: Veo3Mock) -> Veo3Client:
    """A ``Veo3Client`` pointed at ``veo3_mock`` with its key (closed after the test)."""
    return veo3_mock.client()


@pytest.fixture
def veo3_async_client(veo3_mock: Veo3Mock) -> Iterator[AsyncVeo3Client]:
    """An ``AsyncVeo3Client`` pointed at ``veo3_mock`` with its key.

    Use it in your async tests as is (or ``async with``); if the test leaves it open, it is closed afterwards.
    """
    import asyncio
    import contextlib

    client = veo3_mock.async_client()
    yield client
    # The test's event loop is gone by now; closing on a fresh one releases what is left.
    with contextlib.suppress(Exception):
        asyncio.run(client.aclose())
