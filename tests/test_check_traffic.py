"""``veo3 check-traffic``: recorded sessions (HAR recorded against the simulator, VCR cassettes) judged by the spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from traffic_support import HarRecorder
from typer.testing import CliRunner
from veo3 import Veo3Client
from veo3._spec import _document as _spec
from veo3.cli._app import app
from veo3.conformance import _traffic as traffic
from veo3.mock import MockConfig, MockServer
from veo3.testing._clock import scale_sleeps

KEY = "sk-traffic-SECRET-0123456789"
DETAILS_PATH = "/api/v1/veo/record-info"


@pytest.fixture(scope="module")
def session_har(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A clean generate -> wait -> download session against the simulator, recorded as HAR."""
    recorder = HarRecorder()
    out = tmp_path_factory.mktemp("session")
    with MockServer(MockConfig(api_keys=[KEY], time_scale=0.001, seed=4)) as server:
        http = httpx.Client(transport=recorder)
        with Veo3Client(KEY, base_url=server.url, http_client=http, rate_limit=None) as client:
            scale_sleeps(client, 0.001)
            info = client.generate_and_wait("A red fox running through snow")
            client.download(info, out / "fox.mp4")
        http.close()
    return recorder.har()


def write(tmp_path: Path, document: dict[str, Any], name: str = "session.har") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def check(*args: str) -> Any:
    return CliRunner().invoke(app, ["check-traffic", *args])


def test_a_clean_session_conforms(session_har: dict[str, Any], tmp_path: Path) -> None:
    entries = session_har["log"]["entries"]
    paths = [httpx.URL(e["request"]["url"]).path for e in entries]
    assert paths[0] == "/api/v1/veo/generate" and DETAILS_PATH in paths and paths[-1].startswith("/media/")
    junit = tmp_path / "traffic.xml"
    result = check(str(write(tmp_path, session_har)), "--json", "--junit", str(junit))
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["conforms"] is True and document["violations"] == []
    # Every kie request was judged; the media download is not a kie operation.
    assert len(document["judged"]) == len(entries) - 1
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0" and suite.get("tests") == str(len(entries) - 1)
    assert KEY not in result.output


def _break_record_info(har: dict[str, Any]) -> tuple[dict[str, Any], int]:
    broken = json.loads(json.dumps(har))
    for number, entry in enumerate(broken["log"]["entries"], 1):
        if httpx.URL(entry["request"]["url"]).path == DETAILS_PATH:
            body = json.loads(entry["response"]["content"]["text"])
            body["data"]["successFlag"] = "done"  # the spec says: an integer
            body["data"]["note"] = f"served for {KEY}"  # a key echoed back must still not be printed
            entry["response"]["content"]["text"] = json.dumps(body)
            return broken, number
    raise AssertionError("no record-info entry")


def test_a_broken_record_info_answer_fails_naming_entry_rule_and_field(
    session_har: dict[str, Any], tmp_path: Path
) -> None:
    broken, number = _break_record_info(session_har)
    junit = tmp_path / "traffic.xml"
    result = check(str(write(tmp_path, broken)), "--junit", str(junit))
    assert result.exit_code == 1, result.output
    assert f"#{number} GET {DETAILS_PATH}" in result.stdout
    assert "rule: inband_data_conformance" in result.stdout
    assert "field: data/successFlag" in result.stdout
    assert KEY not in result.output
    failures = ElementTree.parse(junit).getroot().iter("failure")
    assert [f.get("type") for f in failures] == ["inband_data_conformance"]


def test_the_json_report_names_the_same(session_har: dict[str, Any], tmp_path: Path) -> None:
    broken, number = _break_record_info(session_har)
    result = check(str(write(tmp_path, broken)), "--json")
    assert result.exit_code == 1
    (violation,) = json.loads(result.stdout)["violations"]
    assert violation["entry"] == f"#{number} GET {DETAILS_PATH}"
    assert (violation["rule"], violation["field"]) == ("inband_data_conformance", "data/successFlag")
    assert violation["operation"] == "get-veo3-1-video-details"


def test_an_answer_with_data_to_a_request_without_a_key_is_a_violation(
    session_har: dict[str, Any], tmp_path: Path
) -> None:
    stripped = json.loads(json.dumps(session_har))
    first = stripped["log"]["entries"][0]
    first["request"]["headers"] = [h for h in first["request"]["headers"] if h["name"].lower() != "authorization"]
    result = check(str(write(tmp_path, stripped)), "--json")
    assert result.exit_code == 1
    rules = {v["rule"] for v in json.loads(result.stdout)["violations"]}
    assert rules == {"inband_auth_enforced"}


@pytest.mark.parametrize(
    "content",
    ["not json or yaml: [", '{"log": {"entries": [{"request": {}}]}}', '{"something": "else"}', "[1, 2]", ""],
)
def test_unreadable_input_exits_2(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.har"
    path.write_text(content)
    result = check(str(path))
    assert result.exit_code == 2, result.output


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    assert check(str(tmp_path / "absent.har")).exit_code == 2


def test_a_file_with_no_kie_request_exits_2(tmp_path: Path) -> None:
    har = HarRecorder().har()
    result = check(str(write(tmp_path, har)))
    assert result.exit_code == 2
    assert "no request to a kie operation" in result.output


VCR = """\
command: 'st run'
recorded_with: 'Schemathesis 4'
seed: 1
http_interactions:
- id: '1'
  status: 'SUCCESS'
  recorded_at: '2026-01-01T00:00:00.000000'
  checks: []
  request:
    uri: 'http://127.0.0.1:8787/api/v1/veo/record-info?taskId=veo_task_1'
    method: 'GET'
    headers:
      "Authorization":
      - "Bearer {key}"
  response:
    status:
      code: '200'
      message: "OK"
    elapsed: '0.01'
    headers:
      "content-type":
      - "application/json"
    body:
      encoding: 'utf-8'
      string: "{body}"
    http_version: '1.1'
- id: '2'
  status: 'ERROR'
  recorded_at: '2026-01-01T00:00:00.000000'
  checks: []
  request:
    uri: 'http://127.0.0.1:8787/api/v1/chat/credit'
    method: 'GET'
    headers: {{}}
"""


def test_a_vcr_cassette_is_read_like_schemathesis_writes_it(tmp_path: Path) -> None:
    body = json.dumps({"code": 200, "msg": "success", "data": {"taskId": 7}}).replace('"', '\\"')
    path = tmp_path / "cassette.yaml"
    path.write_text(VCR.format(key=KEY, body=body))
    result = traffic.check_file(path)
    assert result.format == "vcr"
    assert result.unanswered == ["#2 GET /api/v1/chat/credit"]
    (finding,) = result.findings
    assert (finding.rule, finding.field) == ("inband_data_conformance", "data/taskId")
    assert finding.entry == "#1 GET /api/v1/veo/record-info"


@pytest.mark.parametrize("encoding", ["no-such-codec", "ascii"])
def test_a_cassette_body_its_encoding_cannot_carry_exits_2(tmp_path: Path, encoding: str) -> None:
    body = json.dumps({"code": 200, "msg": "caf\u00e9", "data": None}, ensure_ascii=False).replace('"', '\\"')
    path = tmp_path / "cassette.yaml"
    path.write_text(VCR.format(key=KEY, body=body).replace("encoding: 'utf-8'", f"encoding: '{encoding}'"), "utf-8")
    result = check(str(path))
    assert result.exit_code == 2, result.output


def test_keys_are_redacted_wherever_they_appear(tmp_path: Path) -> None:
    body = json.dumps({"code": 200, "msg": "success", "data": {"taskId": KEY}}).replace('"', '\\"')
    path = tmp_path / "cassette.yaml"
    path.write_text(VCR.format(key=KEY, body=body).replace("taskId=veo_task_1", f"taskId={KEY}"))
    result = check(str(path), "--json")
    assert KEY not in result.output
    assert "***" in result.output


def test_a_cassette_schemathesis_recorded_conforms(tmp_path: Path) -> None:
    """A real cassette: schemathesis's own VCR writer, fed by a run against the simulator."""
    from schemathesis.config import OutputConfig
    from schemathesis.engine import events, from_schema
    from schemathesis.reporting.vcr import VcrWriter
    from veo3.conformance._runner import build_config, load_schema
    from veo3.mock import create_app

    config = build_config("http://localhost", api_key=KEY, max_examples=2, phases=("examples", "fuzzing"), seed=1)
    schema = load_schema(config, app=create_app(MockConfig(api_keys=[KEY], time_scale=0.001, seed=1)))
    path = tmp_path / "cassette.yaml"
    with path.open("w") as stream:
        writer = VcrWriter(stream, OutputConfig())
        writer.open(seed=1, command="st run")
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                writer.write(event.recorder)
        writer.close()
    result = traffic.check_file(path)
    assert (result.format, result.findings) == ("vcr", [])
    assert len({label.split(" ", 2)[2] for label in result.judged}) == len(list(_spec.iter_operations()))
