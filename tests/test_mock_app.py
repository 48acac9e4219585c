"""The simulator in-process: lifecycle, business rules, validation from the spec, auth, credits, limits."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mock_support import AUTH, KEY, api
from veo3._spec import _document as _spec
from veo3.mock import MockConfig, create_app
from veo3.mock._rules import (
    HD_PROCESSING,
    TOO_OLD,
    UHD_DONE,
    UHD_FAILED,
    UHD_PROCESSING,
)
from veo3.mock._state import key_fingerprint

SEEDS = _spec.resolve("#/components/schemas/Seeds")


def test_generation_goes_from_generating_to_success_with_urls_on_the_simulator() -> None:
    with api() as a:
        created = a.generate("A dog playing in a park", watermark="MyBrand", model="veo3")
        task_id = created["data"]["taskId"]
        running = a.details(task_id)["data"]
        assert running["successFlag"] == 0 and running["response"] is None and running["completeTime"] is None
        a.finish()
        done = a.details(task_id)["data"]
        assert done["successFlag"] == 1
        assert done["response"]["resultUrls"] == [f"http://testserver/media/{task_id}/video.mp4"]
        assert done["response"]["fullResultUrls"] is None
        assert done["completeTime"] >= done["createTime"]
        assert json.loads(done["paramJson"]) == {
            "prompt": "A dog playing in a park",
            "waterMark": "MyBrand",
            "model": "veo3",
        }
        assert a.state.tasks[task_id].params["watermark"] == "MyBrand"


def test_a_task_finishes_by_itself_after_the_scaled_generation_time() -> None:
    with api(MockConfig(generation_seconds=3.0, time_scale=0.001)) as a:
        task_id = a.generate()["data"]["taskId"]
        task = a.state.tasks[task_id]
        assert task.ready_at - task.created_at == pytest.approx(0.003)
        for _ in range(500):
            if a.details(task_id)["data"]["successFlag"] == 1:
                break
            time.sleep(0.01)
        assert a.details(task_id)["data"]["successFlag"] == 1


@pytest.mark.parametrize(("ratio", "has_origin"), [("16:9", False), ("9:16", True), ("Auto", True), (None, False)])
def test_origin_urls_only_when_the_aspect_ratio_is_not_16_9(ratio: str | None, has_origin: bool) -> None:
    with api() as a:
        fields = {"aspect_ratio": ratio} if ratio else {}
        task_id = a.created(**fields)
        origin = a.details(task_id)["data"]["response"]["originUrls"]
        assert bool(origin) is has_origin


def test_extension_of_a_successful_task_has_full_result_urls_and_can_be_chained() -> None:
    with api() as a:
        first = a.created(aspect_ratio="9:16")
        second = a.extend(first, "Then it rains")
        assert second["code"] == 200
        second_id = second["data"]["taskId"]
        a.finish()
        details = a.details(second_id)["data"]
        assert details["successFlag"] == 1
        assert details["response"]["fullResultUrls"] == [f"http://testserver/media/{second_id}/full.mp4"]
        assert details["response"]["originUrls"], "an extension keeps the original aspect ratio"
        third = a.extend(second_id, "And the sun comes out")
        assert third["code"] == 200


def test_extend_refuses_unknown_running_and_failed_tasks() -> None:
    with api() as a:
        assert a.extend("veo_task_nope")["code"] == 404
        running = a.generate()["data"]["taskId"]
        assert a.extend(running)["code"] == 422
        failed = a.created("A cat [fail:501]")
        assert a.details(failed)["data"]["successFlag"] == 3
        refused = a.extend(failed)
        assert refused["code"] == 422 and refused["msg"] == "record status is not success."


def test_1080p_is_processing_then_ready_and_the_video_can_no_longer_be_extended() -> None:
    with api() as a:
        task_id = a.created()
        assert a.extend(task_id)["code"] == 200, "extendable before 1080p"
        processing = a.hd(task_id)
        assert processing == {"code": 400, "msg": HD_PROCESSING, "data": None}
        assert a.last.status_code == 200
        a.finish()
        ready = a.hd(task_id, index=0)
        assert ready["code"] == 200
        assert ready["data"]["resultUrl"] == f"http://testserver/media/{task_id}/1080p.mp4"
        refused = a.extend(task_id)
        assert refused["code"] == 422 and "1080P" in refused["msg"]


def test_a_video_generated_in_1080p_cannot_be_extended_and_its_1080p_is_ready_at_once() -> None:
    with api() as a:
        task_id = a.created(resolution="1080p")
        assert a.details(task_id)["data"]["response"]["resolution"] == "1080p"
        assert a.extend(task_id)["code"] == 422
        assert a.hd(task_id)["code"] == 200


def test_1080p_refuses_unknown_tasks_running_tasks_and_missing_indexes() -> None:
    with api() as a:
        assert a.hd("veo_task_nope")["code"] == 404
        running = a.generate()["data"]["taskId"]
        assert a.hd(running)["code"] == 422
        a.finish()
        assert a.hd(running, index=1)["code"] == 422


def test_4k_starts_then_processes_then_reports_the_urls() -> None:
    with api() as a:
        task_id = a.created()
        started = a.uhd(task_id, index=0)
        assert started["code"] == 200
        job_id = started["data"]["taskId"]
        assert started["data"]["resultUrls"] is None and started["data"]["imageUrls"] is None
        assert a.uhd(task_id) == {"code": 422, "msg": UHD_PROCESSING, "data": started["data"]}
        assert a.details(job_id)["data"]["successFlag"] == 0
        a.finish()
        done = a.uhd(task_id)
        assert done["code"] == 422 and done["msg"] == UHD_DONE
        assert done["data"]["resultUrls"] == [f"http://testserver/media/{job_id}/4k.mp4"]
        assert done["data"]["imageUrls"] == [f"http://testserver/media/{job_id}/4k.jpg"]
        details = a.details(job_id)["data"]
        assert details["successFlag"] == 1 and details["response"]["resolution"] == "4k"


def test_4k_of_a_task_marked_4k_fail_fails() -> None:
    with api() as a:
        task_id = a.created("A bird [4k-fail]")
        job_id = a.uhd(task_id)["data"]["taskId"]
        a.finish()
        assert a.uhd(task_id) == {"code": 500, "msg": UHD_FAILED, "data": None}
        assert a.details(job_id)["data"]["successFlag"] == 3


def test_records_past_the_retention_window_answer_422() -> None:
    with api(MockConfig(retention_seconds=3600 * 24)) as a:
        task_id = a.created()
        assert a.details(task_id)["code"] == 200
        a.state.advance(3600 * 24)
        for answer in (a.details(task_id), a.extend(task_id), a.hd(task_id), a.uhd(task_id)):
            assert answer == {"code": 422, "msg": TOO_OLD, "data": None}


def test_the_default_retention_is_14_days() -> None:
    with api() as a:
        task_id = a.created()
        a.state.advance(13 * 24 * 3600)
        assert a.details(task_id)["code"] == 200
        a.state.advance(2 * 24 * 3600)
        assert a.details(task_id)["msg"] == TOO_OLD


def test_credits_fall_per_task_by_model_and_run_out_with_402() -> None:
    costs = {"veo3": 250.0, "veo3_fast": 60.0, "fast": 60.0, "4k": 120.0}
    with api(MockConfig(credits=500.0, costs=costs)) as a:
        assert a.credits() == {"code": 200, "msg": "success", "data": 500.0}
        task_id = a.created(model="veo3")
        assert a.credits()["data"] == 250.0
        a.extend(task_id)
        assert a.credits()["data"] == 190.0
        assert a.uhd(task_id)["code"] == 200
        assert a.credits()["data"] == 70.0
        before = len(a.state.tasks)
        refused = a.generate(model="veo3")
        assert refused == {"code": 402, "msg": "Insufficient credits", "data": None}
        assert a.last.status_code == 200 and len(a.state.tasks) == before
        assert a.credits()["data"] == 70.0
        assert a.generate(model="veo3_fast")["code"] == 200


def test_4k_without_credits_answers_an_in_band_402_as_the_spec_documents_it() -> None:
    from veo3.mock._config import DEFAULT_COSTS

    assert 402 in _spec.operation("get-veo3-1-4k-video").documented_codes
    with api(MockConfig(credits=DEFAULT_COSTS["veo3_fast"])) as a:  # enough for the video, not for its 4K
        task_id = a.created(model="veo3_fast")
        answer = a.uhd(task_id)
        assert answer["code"] == 402 and a.last.status_code == 200


def test_create_requests_over_the_rate_limit_get_http_429_until_the_window_passes() -> None:
    with api(MockConfig(rate_limit=3, rate_window=10.0)) as a:
        for _ in range(3):
            assert a.generate()["code"] == 200
        limited = a.generate()
        assert limited["code"] == 429 and a.last.status_code == 429
        assert a.credits()["code"] == 200, "reads are not create requests"
        a.state.advance(10.0)
        assert a.generate()["code"] == 200


def test_the_rate_limit_is_per_key() -> None:
    with api(MockConfig(rate_limit=1)) as a:
        assert a.generate()["code"] == 200
        assert a.generate()["code"] == 429
        other = a.call("generate-veo3-1-video", json_body={"prompt": "x"}, headers={"Authorization": "Bearer other"})
        assert other["code"] == 200


def test_the_default_rate_limit_is_20_creates_per_window() -> None:
    with api() as a:
        codes = [a.generate()["code"] for _ in range(21)]
        assert codes == [200] * 20 + [429]


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   ", "Basic abc", "Bearer wrong-key"])
def test_missing_or_unknown_keys_get_401(header: str | None) -> None:
    with api(MockConfig(api_keys=[KEY])) as a:
        headers = {"Authorization": header} if header is not None else {"Authorization": ""}
        for op in ("get-account-credits", "generate-veo3-1-video"):
            body = {"prompt": "x"} if op == "generate-veo3-1-video" else None
            answer = a.call(op, json_body=body, headers=headers)
            assert answer["code"] == 401
        assert a.state.tasks == {}


def test_any_non_empty_key_is_accepted_by_default_and_only_its_fingerprint_is_recorded() -> None:
    with api() as a:
        assert a.call("get-account-credits", headers={"Authorization": "Bearer whatever"})["code"] == 200
        recorded = a.state.requests[-1]
        assert recorded.key_fingerprint == key_fingerprint("whatever")
        assert "whatever" not in repr(recorded)
        assert recorded.operation == "get-account-credits" and recorded.method == "GET"


def test_requests_are_recorded_with_operation_body_and_code() -> None:
    with api() as a:
        a.generate("hello", seeds=12345)
        recorded = a.state.requests[-1]
        assert recorded.path == "/api/v1/veo/generate"
        assert recorded.body == {"prompt": "hello", "seeds": 12345}
        assert recorded.code == 200 and recorded.http_status == 200 and recorded.fault is None
        assert recorded.key_fingerprint == key_fingerprint(KEY)


@given(seed=st.integers().filter(lambda n: not SEEDS["minimum"] <= n <= SEEDS["maximum"]))
def test_for_all_out_of_range_seeds_generate_answers_422_naming_the_field_and_rule(seed: int) -> None:
    with api() as a:
        answer = a.generate(seeds=seed)
        assert answer["code"] == 422
        assert answer["msg"].startswith("seeds:")
        assert ("minimum" if seed < SEEDS["minimum"] else "maximum") in answer["msg"]
        assert a.state.tasks == {}


@given(seed=st.integers(SEEDS["minimum"], SEEDS["maximum"]))
def test_for_all_in_range_seeds_generate_creates_a_task(seed: int) -> None:
    with api() as a:
        assert a.generate(seeds=seed)["code"] == 200


@given(
    name=st.text(min_size=1, max_size=20).filter(
        lambda s: s not in {"prompt", *_spec.resolve("#/components/schemas/GenerateRequest")["properties"]}
    )
)
def test_for_all_unknown_fields_generate_answers_422_naming_the_field(name: str) -> None:
    with api() as a:
        answer = a.generate(**{name: 1})
        assert answer["code"] == 422 and "additionalProperties" in answer["msg"]


@pytest.mark.parametrize(
    ("operation_id", "body", "field", "rule"),
    [
        ("generate-veo3-1-video", {}, "prompt", "required"),
        ("generate-veo3-1-video", {"prompt": "   "}, "prompt", "pattern"),
        ("generate-veo3-1-video", {"prompt": "x", "model": "veo4"}, "model", "enum"),
        ("generate-veo3-1-video", {"prompt": "x", "imageUrls": []}, "imageUrls", "minItems"),
        ("generate-veo3-1-video", {"prompt": "x", "callBackUrl": "ftp://x"}, "callBackUrl", "pattern"),
        ("extend-veo3-1-video", {"taskId": "t"}, "prompt", "required"),
        ("extend-veo3-1-video", {"taskId": "t", "prompt": "p", "model": "veo3_fast"}, "model", "enum"),
        ("get-veo3-1-4k-video", {"taskId": "t", "index": -1}, "index", "minimum"),
        ("download-url", {"url": "not a url"}, "url", "pattern"),
        ("download-url", [], "body", "type"),
    ],
)
def test_invalid_bodies_answer_422_naming_field_and_rule(operation_id: str, body: Any, field: str, rule: str) -> None:
    with api() as a:
        answer = a.call(operation_id, json_body=body)
        assert answer["code"] == 422
        assert answer["msg"].startswith(f"{field}:") and f"rule: {rule}" in answer["msg"]


def test_a_body_that_is_not_json_answers_422() -> None:
    with api() as a:
        response = a.client.post("/api/v1/veo/generate", content=b"{nope", headers={"Content-Type": "application/json"})
        assert response.json()["code"] == 422 and "body" in response.json()["msg"]


@pytest.mark.parametrize(
    ("params", "field", "rule"),
    [
        ({}, "taskId", "required"),
        ({"taskId": " "}, "taskId", "pattern"),
        ({"taskId": "t", "index": "-1"}, "index", "minimum"),
        ({"taskId": "t", "index": "a"}, "index", "type"),
    ],
)
def test_invalid_query_parameters_answer_422(params: dict[str, str], field: str, rule: str) -> None:
    with api() as a:
        answer = a.call("get-veo3-1-1080p-video", params=params)
        assert answer["code"] == 422 and answer["msg"].startswith(f"{field}:") and f"rule: {rule}" in answer["msg"]


def test_unknown_task_answers_404() -> None:
    with api() as a:
        assert a.details("veo_task_nope")["code"] == 404
        assert a.uhd("veo_task_nope")["code"] == 404


@pytest.mark.parametrize(
    ("marker", "flag", "code"), [("[fail:400]", 3, 400), ("[fail:501]", 3, 501), ("[create-fail:500]", 2, 500)]
)
def test_prompt_markers_make_a_task_fail_reproducibly(marker: str, flag: int, code: int) -> None:
    with api() as a:
        task_id = a.created(f"A dog {marker}")
        details = a.details(task_id)["data"]
        assert details["successFlag"] == flag and details["errorCode"] == code
        assert details["errorMessage"] and details["response"] is None


@pytest.mark.parametrize("code", [400, 422, 501, 505])
def test_reject_marker_refuses_the_create_call_without_a_task_or_charge(code: int) -> None:
    with api() as a:
        before = a.credits()["data"]
        answer = a.generate(f"A dog [reject:{code}]")
        assert answer["code"] == code and answer["data"] is None
        assert a.state.tasks == {} and a.credits()["data"] == before


def test_the_same_seed_gives_the_same_task_ids_and_failures() -> None:
    def run() -> list[tuple[str, int]]:
        with api(MockConfig(seed=42, failure_rate=0.5)) as a:
            ids = [a.created(f"p{i}") for i in range(12)]
            return [(task_id, a.details(task_id)["data"]["successFlag"]) for task_id in ids]

    first, second = run(), run()
    assert first == second
    assert {flag for _, flag in first} == {1, 3}, "failure_rate=0.5 makes some fail and some succeed"


def test_mirror_http_status_sends_error_codes_as_the_http_status_but_not_progress_answers() -> None:
    with api(MockConfig(mirror_http_status=True)) as a:
        assert a.details("veo_task_nope")["code"] == 404 and a.last.status_code == 404
        task_id = a.created()
        assert a.hd(task_id)["code"] == 400 and a.last.status_code == 200
        assert a.uhd(task_id)["code"] == 200
        assert a.uhd(task_id)["code"] == 422 and a.last.status_code == 200


def test_download_url_gives_a_link_for_simulator_files_and_refuses_external_urls() -> None:
    with api() as a:
        task_id = a.created()
        video = a.details(task_id)["data"]["response"]["resultUrls"][0]
        link = a.download_url(video)
        assert link["code"] == 200 and link["data"].startswith(video)
        assert a.client.get(link["data"]).content[4:8] == b"ftyp"
        external = a.download_url("https://example.com/video.mp4")
        assert external == {"code": 422, "msg": "Invalid URL (External file URLs are not supported)", "data": None}
        assert a.download_url(f"http://testserver/media/{task_id}/nothing.mp4")["code"] == 404


def test_media_of_running_unknown_or_expired_tasks_is_not_served() -> None:
    with api() as a:
        running = a.generate()["data"]["taskId"]
        assert a.client.get(f"/media/{running}/video.mp4").status_code == 404
        assert a.client.get("/media/veo_task_nope/video.mp4").status_code == 404
        a.finish()
        assert a.client.get(f"/media/{running}/video.mp4").status_code == 200
        assert a.client.get(f"/media/{running}/1080p.mp4").status_code == 404, "no 1080p asked for yet"
        a.state.advance(15 * 24 * 3600)
        assert a.client.get(f"/media/{running}/video.mp4").status_code == 404


def test_reset_forgets_tasks_requests_and_restores_credits() -> None:
    with api(MockConfig(seed=1, credits=1000.0)) as a:
        first = a.created()
        a.state.reset()
        assert a.state.tasks == {} and not a.state.requests and a.credits()["data"] == 1000.0
        assert a.created() == first, "the seeded generator starts over"


def test_unknown_paths_answer_with_the_envelope() -> None:
    with api() as a:
        response = a.client.get("/api/v1/nothing", headers=AUTH)
        assert response.status_code == 404 and response.json()["code"] == 404


def test_an_undeclared_method_gets_405_with_an_allow_header() -> None:
    with api() as a:
        response = a.client.request("PUT", "/api/v1/veo/generate")
        assert response.status_code == 405 and response.headers["allow"] == "POST"
        assert response.json()["code"] == 405


def test_markers_only_take_error_codes() -> None:
    with api() as a:
        assert a.generate("A dog [reject:200]")["code"] == 200
        assert a.generate("A dog [reject:451]")["code"] == 451


def test_absurdly_deep_json_is_refused_in_band() -> None:
    with api() as a:
        deep = b"[" * 100_000 + b"]" * 100_000
        response = a.client.post("/api/v1/veo/generate", content=deep, headers={"Content-Type": "application/json"})
        assert response.status_code == 200 and response.json()["code"] == 422


def test_asgi_clients_that_send_the_server_as_a_list_are_served() -> None:
    app = create_app()
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/chat/credit",
        "query_string": b"",
        "headers": [(b"authorization", b"Bearer k")],
        "server": ["localhost", 80],
        "scheme": "http",
        "root_path": "",
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 200 and json.loads(sent[1]["body"])["code"] == 200
