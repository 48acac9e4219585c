"""A testing kit for apps built on kie's Veo API: the simulator as pytest fixtures.

Installing ``veo3`` registers the pytest plugin :mod:`veo3.testing.pytest_plugin` (entry point ``pytest11``),
which provides ``veo3_mock``, ``veo3_client``, ``veo3_async_client`` and ``veo3_mock_factory``. ``Veo3Mock``
is the handle those fixtures give: the simulator's URL and key, introspection, faults, outcomes and clock.
``use_time(client, clock=..., sleep=...)`` is the supported way to fake a client's time in a test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from veo3.testing._clock import use_time
    from veo3.testing._mock import Veo3Mock

__all__ = ["Veo3Mock", "use_time"]


def __getattr__(name: str) -> Any:
    # Lazy: the plugin imports this package in every pytest run; the simulator loads only when used.
    if name == "Veo3Mock":
        from veo3.testing._mock import Veo3Mock

        return Veo3Mock
    if name == "use_time":
        from veo3.testing._clock import use_time

        return use_time
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
