"""What a person sees: the batch gallery and the docs site in a real headless Chromium.

Playwright drives the system's Chromium (Debian's ``chromium-headless-shell``, which ``.ci/run`` installs)
through the DevTools protocol; its own browser download is never used. Skipped, with the reason, only
when no Chromium is installed. Screenshots go to ``$VEO3_SCREENSHOTS`` when set (to look at them).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from gallery_support import HOSTILE, JOBS, SUCCEEDED, run_batch

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
CHROMIUM = next((path for name in BROWSERS if (path := shutil.which(name))), None)
pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None, reason="no Chromium installed (apt-get install chromium-headless-shell; .ci/run does)"
    ),
    pytest.mark.timeout(180),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Seen:
    """A page and everything it complained about or asked for."""

    def __init__(self, browser: Any, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def shot(self, name: str, full_page: bool = False) -> None:
        folder = os.environ.get("VEO3_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # In a thread of its own: Playwright's sync API keeps an event loop running in this one, and the batch
    # command starts its own with asyncio.run.
    with ThreadPoolExecutor(1) as pool:
        out, result = pool.submit(run_batch, tmp_path_factory.mktemp("browser-gallery")).result()
    assert result.exit_code == 4, result.output  # one job fails on purpose
    return out / "index.html"


def test_the_gallery_shows_every_job_with_its_poster(browser: Any, gallery: Path) -> None:
    seen = Seen(browser, viewport={"width": 1280, "height": 900})
    seen.page.goto(gallery.as_uri())  # as a person opens it: a file, no server
    seen.page.wait_for_load_state("load")
    seen.shot("gallery-desktop", full_page=True)
    tiles = seen.page.locator("article.tile")
    assert tiles.count() == len(JOBS)
    for job in JOBS:
        assert seen.page.locator(f"#job-{job['id']}").is_visible()
    posters = seen.page.evaluate("[...document.images].map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert len(posters) == len(SUCCEEDED)
    assert all(complete and width > 0 and height > 0 for complete, width, height in posters), posters
    assert seen.errors == []
    assert all(url.startswith("file://") for url in seen.requests), seen.requests  # nothing from the network
    seen.close()


def test_a_prompt_with_markup_shows_as_text(browser: Any, gallery: Path) -> None:
    seen = Seen(browser)
    seen.page.goto(gallery.as_uri())
    assert seen.page.locator("#job-fox .prompt").inner_text() == HOSTILE
    assert seen.page.title() != "pwned"  # the prompt's script never ran
    assert seen.page.locator("img[src=x]").count() == 0
    assert seen.errors == []
    seen.close()


def test_a_failed_job_shows_its_error_and_what_to_do(browser: Any, gallery: Path) -> None:
    seen = Seen(browser)
    seen.page.goto(gallery.as_uri())
    failure = seen.page.locator("#job-doomed")
    assert failure.locator(".status").inner_text().lower() == "failed"
    note = failure.locator(".error")
    assert note.is_visible()
    assert "errorCode=422" in note.inner_text()
    assert "veo3 batch" in note.locator("code").inner_text()
    seen.close()


def test_a_click_plays_the_video(browser: Any, gallery: Path) -> None:
    seen = Seen(browser)
    seen.page.goto(gallery.as_uri())
    seen.page.locator("#job-cat a.media").click()
    dialog = seen.page.locator("dialog#player")
    assert dialog.is_visible()
    seen.page.wait_for_function("document.querySelector('dialog video').currentTime > 0", timeout=10_000)
    assert seen.page.evaluate("document.querySelector('dialog video').videoWidth") > 0
    seen.shot("gallery-playing")
    seen.page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert seen.errors == []
    seen.close()


def test_the_gallery_fits_a_phone(browser: Any, gallery: Path) -> None:
    seen = Seen(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    seen.page.goto(gallery.as_uri())
    seen.shot("gallery-phone", full_page=True)
    lefts = seen.page.evaluate(
        "[...document.querySelectorAll('article.tile')].map(t => t.getBoundingClientRect().left)"
    )
    assert len(set(lefts)) == 1  # one column
    assert seen.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
    seen.close()


# -- the docs site -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The docs built strictly (as `make docs` does) and served on a loopback port (the search index is fetched,
    which file:// forbids)."""
    built = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(built)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=120)
    handler = functools.partial(_QuietHandler, directory=str(built))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_the_cli_reference_lists_every_command(browser: Any, site: str) -> None:
    import typer
    from veo3.cli._app import app

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    seen = Seen(browser, viewport={"width": 1280, "height": 900})
    seen.page.goto(f"{site}/reference/cli/")
    seen.shot("docs-cli")
    headings = {h.rstrip("¶").strip() for h in seen.page.locator("article h2").all_inner_texts()}
    assert headings == {f"veo3 {name}" for name, command in commands.items() if not command.hidden}
    assert seen.page.get_by_text("--aspect-ratio").first.is_visible()  # an option made from the spec
    assert seen.errors == []
    assert all(url.startswith(site) for url in seen.requests), seen.requests  # no CDN, no web font
    seen.close()


def test_the_api_reference_and_search_work_offline(browser: Any, site: str) -> None:
    seen = Seen(browser, viewport={"width": 1280, "height": 900})
    seen.page.goto(f"{site}/reference/api/")
    assert seen.page.locator("h2#veo3.Veo3Client, [id='veo3.Veo3Client']").first.is_visible()
    seen.page.keyboard.press("/")  # Material's search shortcut
    seen.page.keyboard.type("gallery")
    results = seen.page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    assert results.count() > 0
    seen.shot("docs-search")
    assert seen.errors == []
    assert all(url.startswith(site) for url in seen.requests), seen.requests
    seen.close()
