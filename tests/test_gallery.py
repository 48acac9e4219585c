"""``index.html`` beside a batch's manifest: written by ``veo3 batch``, rebuilt by ``veo3 gallery DIR``.

What the page looks like in a browser is tests/test_browser.py; here: what it contains and what it refuses.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import av
import pytest
from gallery_support import HOSTILE, JOBS, SUCCEEDED, run_batch
from typer.testing import CliRunner
from veo3.cli._app import app
from veo3.gallery import ADVICE, GalleryWriter, make_poster, write_gallery


class Page(HTMLParser):
    """The page's text, its tags and their attributes (what a parser, i.e. a browser, sees)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out, result = run_batch(tmp_path_factory.mktemp("gallery"))
    assert result.exit_code == 4, result.output  # one job fails on purpose
    return out


def test_a_batch_leaves_one_tile_per_job_with_posters(batch: Path) -> None:
    page = Page((batch / "index.html").read_text())
    tiles = [a for a in page.all("article")]
    assert sorted(a["id"] for a in tiles) == sorted(f"job-{j['id']}" for j in JOBS)  # type: ignore[type-var]
    posters = [a["src"] for a in page.all("img")]
    assert len(posters) == len(SUCCEEDED)
    for src in posters:
        assert src is not None and src.startswith("posters/")
        with av.open(str(batch / src)) as still:  # a real JPEG of the video's size ratio
            frame = next(still.decode(video=0))
            assert frame.width > 0 and frame.height > 0
    links = {a["href"] for a in page.all("a")}
    assert {"fox.mp4", "cat.mp4", "cat-1080p.mp4", "lighthouse.mp4"} <= links


def test_prompts_are_text_never_markup(batch: Path) -> None:
    html = (batch / "index.html").read_text()
    page = Page(html)
    assert HOSTILE in "".join(page.text)  # shown as typed
    assert [t for t, _ in page.tags].count("script") == 1  # the page's own, nothing from the prompt
    assert not any("onerror" in attrs for _, attrs in page.tags)
    assert all(a["src"] != "x" for a in page.all("img"))


def test_a_failed_job_shows_its_error_and_what_to_do(batch: Path) -> None:
    html = (batch / "index.html").read_text()
    doomed = re.search(r'<article class="tile" id="job-doomed".*?</article>', html, re.S)
    assert doomed is not None
    text = "".join(Page(doomed.group(0)).text)
    assert "errorCode=422" in text and "failed" in text
    assert "veo3 batch" in text and "jobs.jsonl" in text  # the command to run again
    assert "<img" not in doomed.group(0)


def test_the_page_is_self_contained(batch: Path) -> None:
    page = Page((batch / "index.html").read_text())
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or not re.match(r"^[a-z]+:|^//", value), (tag, value)  # nothing from a host
    assert any(a.get("name") == "viewport" for a in page.all("meta"))  # readable on a phone


def test_veo3_gallery_rebuilds_it_from_the_manifest(batch: Path) -> None:
    (batch / "index.html").unlink()
    done = CliRunner().invoke(app, ["gallery", str(batch)])
    assert done.exit_code == 0, done.output
    assert Path(done.stdout.strip()) == batch / "index.html"
    assert len(Page((batch / "index.html").read_text()).all("article")) == len(JOBS)


def test_veo3_gallery_without_a_manifest_exits_2(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["gallery", str(tmp_path)])
    assert done.exit_code == 2
    assert "manifest.jsonl" in done.stderr
    assert not (tmp_path / "index.html").exists()


def write_manifest(directory: Path, *lines: dict[str, object]) -> None:
    directory.mkdir(exist_ok=True)
    (directory / "manifest.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines) + "{half a line")


def test_a_manifest_cannot_point_the_page_outside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.mp4").write_bytes(b"x")
    out = tmp_path / "out"
    write_manifest(out, {"id": "a", "line": 1, "status": "success", "files": ["../secret.mp4", "/etc/passwd"]})
    page = Page(write_gallery(out).read_text())
    assert not [a for a in page.all("a") if a.get("href")]  # neither file is in the folder: no link at all
    assert "video file missing" in "".join(page.text)


def test_file_names_are_percent_encoded_and_escaped(tmp_path: Path) -> None:
    out = tmp_path / "out"
    name = 'a "b" <c>#?.mp4'
    write_manifest(out, {"id": "<i>", "line": 1, "status": "success", "files": [name], "input": {"prompt": "p"}})
    (out / name).write_bytes(b"not a video")  # undecodable: no poster, the video element instead
    page = Page(write_gallery(out).read_text())
    assert {a["href"] for a in page.all("a")} == {"a%20%22b%22%20%3Cc%3E%23%3F.mp4"}
    assert [a["id"] for a in page.all("article")] == ["job-<i>"]


@pytest.mark.parametrize("status", [*ADVICE, "some_new_status"])
def test_every_status_that_is_not_success_says_what_to_do(tmp_path: Path, status: str) -> None:
    write_manifest(tmp_path, {"id": "j", "line": 1, "status": status, "error": "boom <b>", "input": {"prompt": "p"}})
    text = "".join(Page(write_gallery(tmp_path, source=Path("my jobs.jsonl")).read_text()).text)
    assert "boom <b>" in text
    if status in ("failed", "incomplete", "not_started", "some_new_status"):
        assert "veo3 batch 'my jobs.jsonl' --out" in text
    else:
        assert "dashboard" in text


def test_the_running_page_reloads_itself_and_the_finished_one_does_not(tmp_path: Path) -> None:
    write_manifest(tmp_path, {"id": "j", "line": 1, "status": "success", "input": {"prompt": "p"}})

    def refresh() -> str | None:
        return next(a for t, a in Page((tmp_path / "index.html").read_text()).tags if t == "body").get("data-refresh")

    with GalleryWriter(tmp_path, total=3) as writer:
        assert refresh() == "10"
        assert "1 of 3 jobs ended" in (tmp_path / "index.html").read_text()
        writer.update()
    assert refresh() == "0"
    assert not list(tmp_path.glob(".*.part"))  # written beside and renamed


def test_posters_are_made_once(tmp_path: Path, batch: Path) -> None:
    poster = tmp_path / "p.jpg"
    assert make_poster(batch / "fox.mp4", poster)
    assert not make_poster(batch / "manifest.jsonl", tmp_path / "q.jpg")  # not a video: no poster, no crash
    assert not (tmp_path / "q.jpg").exists()
    before = {p: p.stat().st_mtime_ns for p in (batch / "posters").iterdir()}
    write_gallery(batch)
    assert {p: p.stat().st_mtime_ns for p in (batch / "posters").iterdir()} == before


def test_without_pyav_the_page_shows_the_videos_themselves(tmp_path: Path, batch: Path, monkeypatch) -> None:
    import veo3.gallery._page as page_module

    monkeypatch.setattr(page_module, "make_poster", lambda *a, **k: False)
    monkeypatch.setattr(page_module, "pyav_available", lambda: False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "fox.mp4").write_bytes((batch / "fox.mp4").read_bytes())
    write_manifest(out, {"id": "fox", "line": 1, "status": "success", "files": ["fox.mp4"], "input": {"prompt": "p"}})
    page = Page(write_gallery(out).read_text())
    assert not page.all("img")
    assert [v["src"] for v in page.all("video") if v.get("src")] == ["fox.mp4"]
    assert "veo3[gallery]" in "".join(page.text)
