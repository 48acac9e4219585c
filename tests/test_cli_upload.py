"""``veo3 upload`` and ``veo3 generate --image``: local images uploaded to the simulator, bad input refused.

Done-when of issue 13: ``veo3 generate "a cat" --image ./cat.png --json`` (a real process) creates a task whose
recorded ``imageUrls[0]`` serves the uploaded bytes; a bad ``--image`` exits 2 and sends nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner
from veo3._spec import _document as _spec
from veo3._spec._images import solid_png
from veo3.cli._app import app
from veo3.mock import MockConfig, MockServer

KEY = "sk-test-cli-upload-Zx81"
VEO3 = (sys.executable, "-m", "veo3.cli")


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer(MockConfig(time_scale=0.001, seed=5)) as srv:
        yield srv


@pytest.fixture
def env(server: MockServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"KIE_API_KEY": KEY, "VEO3_BASE_URL": server.url, "VEO3_JOURNAL": str(tmp_path / "journal.sqlite3")}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("VEO3_UPLOAD_BASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cat.png").write_bytes(solid_png(16, 9, (240, 180, 40)))
    return dict(os.environ, **values)


def test_generate_with_a_local_image_records_the_uploaded_url(server: MockServer, env: dict[str, str]) -> None:
    done = subprocess.run(
        [*VEO3, "generate", "a cat", "--image", "./cat.png", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    task_id = json.loads(done.stdout)["task_id"]
    image_url = server.state.tasks[task_id].params["imageUrls"][0]
    assert image_url.startswith(server.url + "/")
    assert httpx.get(image_url).content == Path("cat.png").read_bytes()
    assert KEY not in done.stdout + done.stderr


def test_a_missing_image_exits_2_with_nothing_sent(server: MockServer, env: dict[str, str]) -> None:
    before = len(server.state.requests)
    done = subprocess.run(
        [*VEO3, "generate", "x", "--image", "./missing.png"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "missing.png" in done.stderr and "no such file" in done.stderr
    assert len(server.state.requests) == before


def _refused(server: MockServer, *args: str) -> str:
    before = len(server.state.requests)
    result = CliRunner().invoke(app, ["generate", "x", *args])
    assert result.exit_code == 2, result.output
    assert len(server.state.requests) == before, "a refused command sends nothing"
    return str(result.output)


def test_a_file_that_is_not_an_accepted_image_is_refused_by_its_content(
    server: MockServer, env: dict[str, str]
) -> None:
    Path("fake.png").write_text("not an image at all")
    Path("anim.png").write_bytes(b"GIF89a" + bytes(32))  # a GIF, whatever its name says
    assert "not a recognised image" in _refused(server, "--image", "fake.png")
    assert "image/gif" in _refused(server, "--image", "anim.png")


def test_an_image_over_the_documented_limit_is_refused(server: MockServer, env: dict[str, str]) -> None:
    limit = _spec.image_limits().max_bytes
    big = Path("big.png")
    big.write_bytes(solid_png(2, 2, (0, 0, 0)))
    with big.open("r+b") as fh:
        fh.truncate(limit + 1)  # sparse: a PNG header, then zeros past the limit
    assert str(limit) in _refused(server, "--image", "big.png")


def test_more_images_than_the_mode_takes_are_refused(server: MockServer, env: dict[str, str]) -> None:
    frames = _spec.max_images("FIRST_AND_LAST_FRAMES_2_VIDEO")
    args = ["--generation-type", "FIRST_AND_LAST_FRAMES_2_VIDEO"] + ["--image", "cat.png"] * (frames + 1)
    assert "at most" in _refused(server, *args)
    # A request the spec forbids is refused before the image is uploaded.
    assert "seeds" in _refused(server, "--image", "cat.png", "--seeds", "5")


def test_upload_prints_each_url(server: MockServer, env: dict[str, str]) -> None:
    Path("dog.png").write_bytes(solid_png(3, 3, (1, 2, 3)))
    result = CliRunner().invoke(app, ["upload", "cat.png", "dog.png", "--json"])
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert [Path(f["path"]).name for f in files] == ["cat.png", "dog.png"]
    for document in files:
        assert httpx.get(document["url"]).content == Path(document["path"]).read_bytes()
    plain = CliRunner().invoke(app, ["upload", "cat.png"])
    assert plain.exit_code == 0 and plain.stdout.strip().startswith(server.url)
    assert CliRunner().invoke(app, ["upload", "nope.png"]).exit_code == 2
