"""Fault injection, over a real socket (MockServer) and in-process: every kind, schedules and probabilities."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from mock_support import AUTH, PATHS, api, check
from veo3.mock import FAULT_KINDS, Fault, MockConfig, MockServer

GENERATE = "generate-veo3-1-video"
CREDITS = "get-account-credits"


@contextmanager
def served(*faults: Fault, operation: str = GENERATE, **config: object) -> Iterator[tuple[MockServer, httpx.Client]]:
    with (
        MockServer(MockConfig(seed=3, faults={operation: faults}, **config)) as server,  # type: ignore[arg-type]
        httpx.Client(base_url=server.url, headers=AUTH, timeout=10) as client,
    ):
        yield server, client


def create(client: httpx.Client) -> httpx.Response:
    return client.post(PATHS[GENERATE], json={"prompt": "A dog"})


@pytest.mark.parametrize("kind", ["drop_before", "drop_after"])
def test_drops_close_the_connection_without_any_http_response(kind: str) -> None:
    with served(Fault(kind, on_calls={1})) as (server, client):
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            create(client)
        assert server.state.requests[-1].fault == kind
        assert check(GENERATE, create(client))["code"] == 200, "the next call is served normally"


def test_drop_before_creates_nothing_and_drop_after_creates_the_task_whose_reply_was_lost() -> None:
    with served(Fault("drop_before", on_calls={1}), Fault("drop_after", on_calls={2})) as (server, client):
        with pytest.raises(httpx.RemoteProtocolError):
            create(client)
        assert server.state.tasks == {}
        credits_before = server.state.credits
        with pytest.raises(httpx.RemoteProtocolError):
            create(client)
        (task,) = server.state.tasks.values()
        assert server.state.credits < credits_before, "the lost create was charged"
        details = client.get(PATHS["get-veo3-1-video-details"], params={"taskId": task.task_id})
        assert check("get-veo3-1-video-details", details)["data"]["taskId"] == task.task_id


def test_truncated_body_announces_the_whole_length_sends_half_and_closes() -> None:
    with served(Fault("truncated_body", on_calls={1})) as (server, client):
        with pytest.raises(httpx.RemoteProtocolError, match=r"complete message body"):
            create(client)
        assert len(server.state.tasks) == 1, "processed before the reply broke"


def test_malformed_json_is_a_200_whose_body_is_not_json() -> None:
    with served(Fault("malformed_json", on_calls={1})) as (server, client):
        response = create(client)
        assert response.status_code == 200 and response.headers["content-type"] == "application/json"
        with pytest.raises(ValueError):
            response.json()
        assert len(server.state.tasks) == 1


def test_html_error_is_a_502_html_page_and_nothing_is_processed() -> None:
    with served(Fault("html_error", on_calls={1})) as (server, client):
        response = create(client)
        assert response.status_code == 502 and response.headers["content-type"].startswith("text/html")
        assert b"502 Bad Gateway" in response.content
        assert server.state.tasks == {}


@pytest.mark.parametrize(("kind", "http_status", "code"), [("server_error", 500, 500), ("rate_limit", 429, 429)])
def test_error_faults_answer_with_the_http_status_and_the_envelope(kind: str, http_status: int, code: int) -> None:
    with served(Fault(kind, on_calls={1})) as (server, client):
        response = create(client)
        assert response.status_code == http_status
        assert check(GENERATE, response)["code"] == code
        assert server.state.tasks == {}


@pytest.mark.parametrize(("mirror", "http_status"), [(False, 200), (True, 455)])
def test_maintenance_answers_in_band_455(mirror: bool, http_status: int) -> None:
    with served(Fault("maintenance", on_calls={1}), mirror_http_status=mirror) as (server, client):
        response = create(client)
        assert response.status_code == http_status
        assert check(GENERATE, response)["code"] == 455
        assert server.state.tasks == {}


def test_latency_delays_and_then_serves_normally() -> None:
    with served(Fault("latency", on_calls={1}, delay=0.2)) as (_server, client):
        with pytest.raises(httpx.ReadTimeout):
            client.post(PATHS[GENERATE], json={"prompt": "x"}, timeout=0.05)
        response = create(client)
        assert check(GENERATE, response)["code"] == 200


def test_a_schedule_counts_calls_per_operation_and_wildcard_faults_hit_every_operation() -> None:
    config = MockConfig(
        faults={CREDITS: [Fault("server_error", on_calls={2, 3})], "*": [Fault("html_error", on_calls={5})]}
    )
    with MockServer(config) as server, httpx.Client(base_url=server.url, headers=AUTH) as client:
        statuses = [client.get(PATHS[CREDITS]).status_code for _ in range(6)]
        assert statuses == [200, 500, 500, 200, 502, 200]
        assert create(client).status_code == 200, "the generate count is separate"


def test_probabilistic_faults_are_reproducible_under_a_seed() -> None:
    def run() -> list[int]:
        config = MockConfig(seed=11, faults={CREDITS: [Fault("server_error", probability=0.5)]})
        with api(config) as a:
            return [a.client.get(PATHS[CREDITS]).status_code for _ in range(30)]

    first = run()
    assert first == run()
    assert set(first) == {200, 500}


def test_in_process_drops_raise_what_a_socket_client_would_see() -> None:
    config = MockConfig(faults={GENERATE: [Fault("drop_after", on_calls={1}), Fault("truncated_body", on_calls={2})]})
    with api(config) as a:
        with pytest.raises(httpx.RemoteProtocolError):
            a.generate()
        assert len(a.state.tasks) == 1
        with pytest.raises(httpx.RemoteProtocolError):
            a.generate()
        assert len(a.state.tasks) == 2


def test_fault_configuration_is_checked() -> None:
    assert "drop_after" in FAULT_KINDS and len(FAULT_KINDS) == 9
    with pytest.raises(ValueError):
        Fault("explode")
    with pytest.raises(ValueError):
        Fault("latency", probability=1.5)
    with pytest.raises(ValueError):
        Fault("latency", on_calls={0})
    with pytest.raises(ValueError, match="unknown operations"):
        MockConfig(faults={"no-such-operation": [Fault("maintenance")]})
    single = MockConfig(faults={GENERATE: Fault("maintenance")})  # type: ignore[dict-item]
    assert single.faults[GENERATE] == (Fault("maintenance"),)
