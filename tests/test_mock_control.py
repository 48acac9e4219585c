"""The simulator's control API (``/__control/``): steering it over HTTP, as an app in any language would."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from mock_support import Receiver
from veo3 import Veo3Client
from veo3.conformance._runner import execute
from veo3.errors import ServerError, TaskFailedError
from veo3.mock import FAULT_KINDS, MockConfig, MockServer, create_app
from veo3.mock._control import control_spec

KEY = "control-test-key-01"
AUTH = {"Authorization": f"Bearer {KEY}"}
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server() -> Iterator[MockServer]:
    with MockServer(MockConfig(api_keys=[KEY], control=True, time_scale=0.001, seed=5)) as srv:
        yield srv


@pytest.fixture
def control(server: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{server.url}/__control") as client:
        yield client


def quick(client: Veo3Client) -> Veo3Client:
    from veo3.testing._clock import scale_sleeps

    scale_sleeps(client, 0.001)
    return client


def generate(server: MockServer, prompt: str = "A dog in a park", **fields: Any) -> str:
    answer = httpx.post(f"{server.url}/api/v1/veo/generate", json={"prompt": prompt, **fields}, headers=AUTH).json()
    return str(answer["data"]["taskId"])


def test_a_task_made_to_fail_over_http_raises_task_failed_error(server: MockServer, control: httpx.Client) -> None:
    with quick(Veo3Client(KEY, base_url=server.url, rate_limit=None)) as client:
        task = client.generate("A lighthouse at dawn")
        answer = control.post(f"/tasks/{task.task_id}/outcome", json={"outcome": "fail", "errorCode": 422})
        assert answer.status_code == 200 and answer.json()["successFlag"] == 3
        with pytest.raises(TaskFailedError) as failure:
            client.wait(task.task_id, timeout=30)
    assert failure.value.error_code == 422


def test_after_n_polls_the_task_stays_generating_for_exactly_n_reads(server: MockServer, control: httpx.Client) -> None:
    task_id = generate(server)
    answer = control.post(f"/tasks/{task_id}/outcome", json={"outcome": "success", "afterPolls": 2}).json()
    assert answer["pollsLeft"] == 2
    server.state.advance(3600)  # the clock alone no longer ends it
    flags = [
        httpx.get(f"{server.url}/api/v1/veo/record-info", params={"taskId": task_id}, headers=AUTH).json()["data"][
            "successFlag"
        ]
        for _ in range(4)
    ]
    assert flags == [0, 0, 1, 1]


def test_a_failed_task_can_be_made_to_succeed(server: MockServer, control: httpx.Client) -> None:
    task_id = generate(server, "A storm [fail:500]")
    assert control.post(f"/tasks/{task_id}/outcome", json={"outcome": "success"}).json()["successFlag"] == 1
    details = control.get(f"/tasks/{task_id}").json()
    assert details["errorCode"] is None and details["successFlag"] == 1


def test_injected_faults_fire_and_clear(server: MockServer, control: httpx.Client) -> None:
    rule = {"operation": "get-account-credits", "kind": "server_error", "probability": 1.0}
    assert control.post("/faults", json=rule).json()["faults"][0]["kind"] == "server_error"
    with Veo3Client(KEY, base_url=server.url, max_retries=0) as client:
        with pytest.raises(ServerError):
            client.credits()
        assert control.delete("/faults").json() == {"faults": []}
        assert client.credits() > 0
    faults = [
        r["fault"] for r in control.get("/requests", params={"operation": "get-account-credits"}).json()["requests"]
    ]
    assert faults == ["server_error", None]


def test_the_journal_reset_and_clock() -> None:
    with MockServer(MockConfig(api_keys=[KEY], control=True)) as server:  # kie's pace: tasks take 3 s
        control = httpx.Client(base_url=f"{server.url}/__control")
        journal_reset_and_clock(server, control)


def journal_reset_and_clock(server: MockServer, control: httpx.Client) -> None:
    task_id = generate(server)
    httpx.get(f"{server.url}/api/v1/chat/credit", headers=AUTH)
    journal = control.get("/requests").json()["requests"]
    assert [r["operation"] for r in journal] == ["generate-veo3-1-video", "get-account-credits"]
    assert all(KEY not in json.dumps(r) for r in journal)  # fingerprints only
    assert control.get(f"/tasks/{task_id}").json()["successFlag"] == 0
    assert control.post("/clock/advance", json={"seconds": 60}).json()["advancedBy"] == 60
    assert control.get(f"/tasks/{task_id}").json()["successFlag"] == 1
    assert control.post("/reset").json() == {"reset": True}
    assert control.get("/tasks").json() == {"tasks": []}
    assert control.get("/requests").json() == {"requests": []}


def test_callbacks_are_listed(control: httpx.Client) -> None:
    config = MockConfig(api_keys=[KEY], control=True, time_scale=0.001)
    with Receiver() as receiver, MockServer(config) as srv:
        task_id = generate(srv, callBackUrl=receiver.url)
        assert receiver.event.wait(10)
        listed = httpx.get(f"{srv.url}/__control/callbacks", params={"taskId": task_id}).json()["callbacks"]
    assert len(listed) == 1
    assert listed[0]["delivered"] is True and listed[0]["payload"]["data"]["taskId"] == task_id


@pytest.mark.parametrize(
    ("path", "body", "names"),
    [
        ("/faults", {"kind": "earthquake"}, "kind"),
        ("/faults", {"kind": "latency", "operation": "no-such-op"}, "no-such-op"),
        ("/clock/advance", {"seconds": -1}, "seconds"),
        ("/faults", None, "(body)"),
    ],
)
def test_bad_control_requests_get_400_naming_the_problem(
    control: httpx.Client, path: str, body: Any, names: str
) -> None:
    answer = control.post(path, json=body) if body is not None else control.post(path, content=b"{not json")
    assert answer.status_code == 400
    assert names in answer.json()["error"] or "JSON" in answer.json()["error"]


def test_unknown_tasks_get_404(control: httpx.Client) -> None:
    assert control.get("/tasks/veo_task_nope").status_code == 404
    assert control.post("/tasks/veo_task_nope/outcome", json={"outcome": "fail"}).status_code == 404


async def _control_get(app: Any, client: tuple[str, int]) -> int:
    transport = httpx.ASGITransport(app, client=client)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as http:
        return (await http.get("/__control/tasks")).status_code


def test_off_by_default_and_loopback_only() -> None:
    def status(config: MockConfig, peer: str) -> int:
        return asyncio.run(_control_get(create_app(config), (peer, 5000)))

    assert status(MockConfig(), "127.0.0.1") == 404
    assert status(MockConfig(control=True), "127.0.0.1") == 200
    assert status(MockConfig(control=True), "203.0.113.9") == 403
    assert status(MockConfig(control=True, control_remote=True), "203.0.113.9") == 200


def test_the_spec_is_served_and_is_the_one_beside_the_main_spec(control: httpx.Client) -> None:
    served = control.get("/openapi.json").json()
    assert served == control_spec() == json.loads((ROOT / "openapi" / "veo3-mock-control.json").read_text())
    kinds = served["components"]["schemas"]["FaultRule"]["properties"]["kind"]["enum"]
    assert set(kinds) == set(FAULT_KINDS)


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_the_simulator_conforms_to_the_control_spec(mode: str) -> None:
    app = create_app(MockConfig(control=True, time_scale=0.001, seed=3))
    config = schemathesis.Config.from_dict(
        {
            "generation": {"max-examples": 10, "mode": mode, "database": "none"},
            "phases": {
                name: {"enabled": name in ("examples", "fuzzing")}
                for name in ("examples", "coverage", "fuzzing", "stateful")
            },
            "suppress-health-check": ["all"],
            "continue-on-failure": True,
            "seed": 3,
            # A valid FaultRule may name an operation the kie spec does not have: refused with a documented 400.
            "operations": [
                {
                    "include-operation-id": ["inject-fault"],
                    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400"]}},
                }
            ],
        }
    )
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(control_spec())), config=config)
    schema.app = app
    outcome = execute(schema)
    problems = [f"{v.operation} [{v.rule}] {v.title}: {v.message}" for v in outcome.violations] + outcome.errors
    assert problems == []
    assert len(outcome.operations_tested) == 11
