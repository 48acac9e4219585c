"""The pytest plugin (``veo3.testing.pytest_plugin``): installed through its entry point, its fixtures, the docs' test
(docs/guides/simulator.md).

Tests that run pytest in a temporary folder (``pytester``, subprocesses) prove the *installed* plugin is what
provides the fixtures: no conftest there, and ``-p no:veo3`` (the entry point's name) takes them away.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest
from veo3 import AsyncVeo3Client, Veo3Client
from veo3.errors import AuthenticationError, ServerError, TaskFailedError
from veo3.testing import Veo3Mock

pytest_plugins = ["pytester"]

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "guides" / "simulator.md"
GENERATE = "generate-veo3-1-video"
DETAILS = "get-veo3-1-video-details"


def guide_test_file() -> str:
    (block,) = re.findall(r"```python\n(# test_video_app\.py.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return block


def run_outside(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_outside=source)
    # A subprocess in the temporary folder: plugins come only from entry points, as for any user. Unrelated
    # plugins are switched off: schemathesis's alone takes seconds to start.
    quiet = ("-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:schemathesis", "-p", "no:hypothesispytest")
    return pytester.runpytest_subprocess(*quiet, "-q", *args)


def test_the_guide_example_passes(pytester: pytest.Pytester) -> None:
    result = run_outside(pytester, guide_test_file())
    result.assert_outcomes(passed=3)


def test_a_test_file_outside_the_project_only_needs_the_installed_package(pytester: pytest.Pytester) -> None:
    source = "def test_x(veo3_client):\n    assert veo3_client.credits() > 0\n"
    assert not list(pytester.path.glob("conftest.py"))
    run_outside(pytester, source).assert_outcomes(passed=1)
    # The plugin is the entry point named "veo3": disabling it takes the fixture away.
    disabled = pytester.runpytest("-p", "no:veo3", "-p", "no:cacheprovider", "-q")
    disabled.assert_outcomes(errors=1)
    disabled.stdout.fnmatch_lines(["*fixture 'veo3_client' not found*"])


def test_importing_the_plugin_loads_nothing_heavy() -> None:
    heavy = ("veo3.mock", "veo3._client._sync", "httpx", "starlette", "uvicorn", "jsonschema", "schemathesis")
    code = (
        f"import sys, veo3.testing.pytest_plugin, veo3.testing; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_fixtures_point_at_one_simulator(veo3_mock: Veo3Mock, veo3_client: Veo3Client) -> None:
    assert veo3_client.credits() > 0
    assert veo3_mock.requests.last.operation == "get-account-credits"
    # The simulator accepts exactly its key.
    with (
        Veo3Client("some-other-key", base_url=veo3_mock.url, max_retries=0) as stranger,
        pytest.raises(AuthenticationError),
    ):
        stranger.credits()


@pytest.mark.veo3_mock(seed=11, time_scale=0.002, credits=500)
def test_the_marker_configures_the_simulator(veo3_mock: Veo3Mock, veo3_client: Veo3Client) -> None:
    assert (veo3_mock.config.seed, veo3_mock.config.time_scale) == (11, 0.002)
    assert veo3_client.credits() == 500


def test_introspection_and_outcomes(veo3_mock: Veo3Mock, veo3_client: Veo3Client) -> None:
    done = veo3_client.generate_and_wait("A dog in a park")
    assert done.is_success
    task = veo3_client.generate("A cat on a sofa")
    veo3_mock.fail(task.task_id, 451, after_polls=3)
    with pytest.raises(TaskFailedError) as failure:
        veo3_client.wait(task.task_id)
    assert failure.value.error_code == 451
    polls = [r for r in veo3_mock.requests_for(DETAILS) if r.query.get("taskId") == task.task_id]
    assert len(polls) == 4  # three while held, the fourth sees the failure
    assert veo3_mock.requests_for(GENERATE).count == 2
    assert set(veo3_mock.tasks) == {done.task_id, task.task_id}
    veo3_mock.reset()
    assert veo3_mock.requests.count == 0 and not veo3_mock.tasks


def test_injected_faults_and_clearing_them(veo3_mock: Veo3Mock) -> None:
    client = veo3_mock.client(max_retries=0)
    veo3_mock.inject("server_error", "get-account-credits", probability=1.0)
    with pytest.raises(ServerError):
        client.credits()
    veo3_mock.clear_faults()
    assert client.credits() > 0
    with pytest.raises(ValueError, match="unknown operation"):
        veo3_mock.inject("server_error", "no-such-operation")


def test_the_clock(veo3_mock_factory: object) -> None:
    mock = veo3_mock_factory(time_scale=1.0)  # type: ignore[operator]
    with mock.client() as client:
        task = client.generate("A slow sunset")
        assert client.get_task(task.task_id).status.name == "GENERATING"
        mock.advance(60)
        assert client.get_task(task.task_id).is_success


def test_the_async_client(veo3_mock: Veo3Mock, veo3_async_client: AsyncVeo3Client) -> None:
    async def main() -> bool:
        info = await veo3_async_client.generate_and_wait("A fox in the snow")
        return info.is_success

    assert asyncio.run(main())
    assert veo3_mock.requests_for(GENERATE).count == 1
