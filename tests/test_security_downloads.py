"""A hostile media server: whatever URL, task id or body it sends, a download stays inside the chosen folder.

The property tests draw arbitrary text (separators, ``..``, absolute paths, NUL and other control characters,
Windows device names) and percent-encode it zero to three times, as a URL path would carry it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import respx
from client_support import API_KEY, make, record
from client_support import kind as kind  # the sync/async fixture
from hostile_server import Behaviour, hostile_server
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner
from veo3 import TaskInfo, TaskStatus
from veo3._core import _download
from veo3._core._download import DEFAULT_NAME, name_from_url, resolve_destination, safe_file_name
from veo3.cli._app import app
from veo3.errors import DownloadError

CDN = "https://cdn.example"
DATA = b"\x00\x00\x00\x18ftypmp42" + os.urandom(4096)

# Text a hostile server might put in a file name: path syntax, encodings of it, controls, device names.
_HOSTILE_PARTS = st.sampled_from(
    ["..", ".", "/", "\\", "%2e%2e", "%2f", "%5c", "%252e", "\x00", "\n", "\r", "\u202e", "C:", "//", "~",
     "CON", "nul", "COM1", "lpt9", ".mp4", "mp4", " ", "...", "etc", "passwd", "a" * 300, "\u00e9" * 120]
)  # fmt: skip
HOSTILE_TEXT = st.one_of(st.text(), st.lists(st.one_of(_HOSTILE_PARTS, st.text(max_size=5)), max_size=12).map("".join))


@st.composite
def encoded(draw: st.DrawFn) -> str:
    """Hostile text percent-encoded 0 to 3 times (``safe`` varies, so some separators stay raw)."""
    text = draw(HOSTILE_TEXT)
    for _ in range(draw(st.integers(0, 3))):
        text = quote(text, safe=draw(st.sampled_from(["", "/", "/\\.%"])))
    return text


def _is_one_safe_name(name: str) -> bool:
    return (
        name not in ("", ".", "..")
        and "/" not in name
        and "\\" not in name
        and not name.startswith((".", " "))
        and not name.endswith((".", " "))
        and all(ord(c) >= 0x20 and c not in "\x7f\u202e:" for c in name)
        and len(name.encode()) <= 255 - len("..part")
    )


@given(encoded(), st.text(max_size=40))
def test_safe_file_name_is_always_one_harmless_component(text: str, fallback: str) -> None:
    """Property: any text, decoded any number of times, yields one name that cannot leave a folder."""
    name = safe_file_name(text, fallback)
    assert _is_one_safe_name(name), name
    assert name.split(".", 1)[0].rstrip(" ").upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}
    folder = Path("/srv/videos")
    assert (folder / name).parent == folder
    assert os.path.normpath(folder / name).startswith(str(folder) + os.sep)


@given(encoded())
def test_resolve_destination_stays_in_the_folder(path_text: str) -> None:
    """Property: a URL's last segment, whatever it holds, resolves to a file directly inside the folder."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "out"
        folder.mkdir()
        target = resolve_destination(folder, name_from_url(f"{CDN}/v/{path_text}"))
        assert target.parent == folder
        assert target.resolve().parent == folder.resolve()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{CDN}/v/clip.mp4", "clip.mp4"),
        (f"{CDN}/v/..%2F..%2Fetc%2Fcron.d%2Fx.mp4", "x.mp4"),
        (f"{CDN}/v/%252e%252e%252fevil.mp4", "evil.mp4"),
        (f"{CDN}/v/..%5C..%5Cwin.ini.mp4", "win.ini.mp4"),
        (f"{CDN}/v/%2Fetc%2Fpasswd", DEFAULT_NAME),
        (f"{CDN}/v/CON.mp4", "_CON.mp4"),
        (f"{CDN}/v/.bashrc", DEFAULT_NAME),
        (f"{CDN}/v/a%00b%0A.mp4", "ab.mp4"),
        (f"{CDN}/v/evil%E2%80%AEpm4.exe", "evilpm4.exe"),
        (f"{CDN}/v/x.mp4.%20.%20", "x.mp4"),
        (f"{CDN}/v/C:clip.mp4", "C_clip.mp4"),
        (f"{CDN}/", DEFAULT_NAME),
    ],
)
def test_name_from_url_examples(url: str, expected: str) -> None:
    assert name_from_url(url) == expected


def test_overlong_names_keep_their_extension() -> None:
    name = safe_file_name("\u00e9" * 400 + ".mp4")
    assert name.endswith(".mp4") and len(name.encode()) <= 200
    name.encode().decode()  # no multi-byte character cut in half


def test_a_cut_extension_never_ends_in_a_space_or_dot() -> None:
    assert safe_file_name("a.b" + " " * 20 + "c") == "a.b"
    assert safe_file_name("clip.m" + "p" * 30) == "clip." + "m" + "p" * 15


def test_a_task_id_fallback_is_made_safe_too() -> None:
    assert safe_file_name("no-extension", "../../x.mp4") == "x.mp4"
    assert safe_file_name("", "../..") == DEFAULT_NAME


def test_a_file_destination_is_the_callers_choice(tmp_path: Path) -> None:
    assert resolve_destination(tmp_path / "mine.bin", "../../evil.mp4") == tmp_path / "mine.bin"
    assert resolve_destination(f"{tmp_path}/new/", "../evil.mp4") == tmp_path / "new" / "evil.mp4"


def _snapshot(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@given(encoded())
def test_library_download_never_writes_outside_the_folder(path_text: str) -> None:
    """Property: a download from any URL path writes exactly one file, directly inside the chosen folder."""
    client = make("sync")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "a" / "b" / "out"
        folder.mkdir(parents=True)
        with respx.mock(assert_all_called=False) as mock:
            mock.get(url__startswith=CDN).respond(200, content=DATA)
            try:
                path = client("download", f"{CDN}/v/{path_text}", folder)
            except DownloadError as exc:  # a URL httpx cannot even send: refused before any write
                assert "not a valid URL" in str(exc)
                assert _snapshot(root) == {root / "a", root / "a" / "b", folder}
                return
        assert path.parent == folder and path.read_bytes() == DATA
        assert _snapshot(root) == {root / "a", root / "a" / "b", folder, path}


def test_taskinfo_with_a_hostile_task_id_and_nameless_url(kind: str, tmp_path: Path) -> None:
    client = make(kind)
    url = f"{CDN}/download?id=1"
    info = TaskInfo("../../../tmp/x", TaskStatus.SUCCESS, result_urls=[url])
    with respx.mock() as mock:
        mock.get(url__startswith=CDN).respond(200, content=DATA)
        path = client("download", info, tmp_path)
    assert path == tmp_path / "x.mp4"


# -- the media host: bounded, typed, no key -------------------------------------------------------


def test_the_media_host_never_sees_the_api_key(kind: str, tmp_path: Path) -> None:
    client = make(kind)
    with respx.mock() as mock:
        media = mock.get(f"{CDN}/v/clip.mp4").respond(302, headers={"Location": "https://other.example/c.mp4"})
        other = mock.get("https://other.example/c.mp4").respond(200, content=DATA)
        client("download", f"{CDN}/v/clip.mp4", tmp_path)
    for route in (media, other):
        sent = route.calls.last.request.headers
        assert "authorization" not in sent and API_KEY not in str(sent)


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://cdn.example/x.mp4", "gopher://x/"])
def test_a_redirect_to_another_scheme_is_a_download_error(kind: str, tmp_path: Path, location: str) -> None:
    """A real transport (not respx) refuses the scheme; the download says so at once, without retrying."""
    client = make(kind, http_client=None)  # its own pool: real sockets, one event loop per call
    with hostile_server({"/v/clip.mp4": Behaviour("redirect", location=location)}) as server:
        with pytest.raises(DownloadError, match="UnsupportedProtocol"):
            client("download", f"{server.url}/v/clip.mp4", tmp_path)
        assert server.routes["/v/clip.mp4"].requests == 1  # not repeated: it would be refused again
    assert list(tmp_path.iterdir()) == []


def test_a_redirect_loop_is_a_download_error(kind: str, tmp_path: Path) -> None:
    client = make(kind)
    with respx.mock() as mock:
        mock.get(f"{CDN}/v/clip.mp4").respond(302, headers={"Location": f"{CDN}/v/clip.mp4"})
        with pytest.raises(DownloadError, match="TooManyRedirects"):
            client("download", f"{CDN}/v/clip.mp4", tmp_path)


def test_an_unsendable_url_is_a_download_error(kind: str, tmp_path: Path) -> None:
    client = make(kind)
    with pytest.raises(DownloadError, match="not a valid URL"):
        client("download", "https://cdn.example/v/a\x00b.mp4", tmp_path)


def test_an_announced_size_over_the_cap_is_refused_before_writing(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make(kind, http_client=None)  # its own pool: real sockets, one event loop per call
    monkeypatch.setattr(_download, "MAX_DOWNLOAD_BYTES", 1000)
    with (
        hostile_server({"/v/clip.mp4": Behaviour("endless", length=10**15)}) as server,
        pytest.raises(DownloadError, match="more than the 1000"),
    ):
        client("download", f"{server.url}/v/clip.mp4", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_endless_body_is_cut_off_at_the_cap(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunked body that never ends stops at ``MAX_DOWNLOAD_BYTES``: no unbounded disk use, no hang."""
    client = make(kind, http_client=None)  # its own pool: real sockets, one event loop per call
    monkeypatch.setattr(_download, "MAX_DOWNLOAD_BYTES", 64 * 1024)
    with (
        hostile_server({"/v/clip.mp4": Behaviour("endless")}) as server,
        pytest.raises(DownloadError, match="longer than the 65536"),
    ):
        client("download", f"{server.url}/v/clip.mp4", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_body_longer_than_its_content_length_is_cut_at_the_length(kind: str, tmp_path: Path) -> None:
    client = make(kind, http_client=None)  # its own pool: real sockets, one event loop per call
    with hostile_server({"/v/clip.mp4": Behaviour("endless", length=5000)}) as server:
        path = client("download", f"{server.url}/v/clip.mp4", tmp_path)
    assert path.stat().st_size == 5000 and list(tmp_path.iterdir()) == [path]


class _Overlong(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body longer than the Content-Length it comes with (a transport that does not enforce the length)."""

    def __iter__(self) -> Iterator[bytes]:
        yield from [b"\0" * 4096] * 4

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in [b"\0" * 4096] * 4:
            yield chunk


def test_bytes_beyond_the_content_length_are_refused(kind: str, tmp_path: Path) -> None:
    client = make(kind)
    with respx.mock() as mock:
        response = httpx.Response(200, headers={"Content-Length": "5000"}, stream=_Overlong())
        mock.get(f"{CDN}/v/clip.mp4").mock(return_value=response)
        with pytest.raises(DownloadError, match="longer than the 5000"):
            client("download", f"{CDN}/v/clip.mp4", tmp_path, resume=True)
    assert list(tmp_path.iterdir()) == []  # not even a part file kept for a resume


# -- other local users: the part file -------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="needs O_NOFOLLOW")
def test_a_planted_symlink_part_file_is_never_written_through(kind: str, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / ".clip.mp4.part").symlink_to(victim)
    client = make(kind)
    with respx.mock() as mock:
        mock.get(f"{CDN}/v/clip.mp4").respond(200, content=DATA)
        with pytest.raises(DownloadError, match="cannot write"):
            client("download", f"{CDN}/v/clip.mp4", folder, resume=True)
    assert victim.read_bytes() == b"precious"
    assert not (folder / "clip.mp4").exists()


# -- the command line uses the same rule ----------------------------------------------------------


def test_cli_download_of_a_hostile_url_and_task_id_stays_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "videos"
    env = {"KIE_API_KEY": API_KEY, "VEO3_BASE_URL": "https://api.kie.ai", "VEO3_JOURNAL": str(tmp_path / "j.db")}
    hostile = "../../..%2F..%2Fevil.mp4"
    task = record("..%2F..%2Fpwn", 1, response={"resultUrls": [f"{CDN}/v/%2e%2e%2f%2e%2e%2fx"]})
    with respx.mock() as mock:
        mock.get(url__startswith=CDN).respond(200, content=DATA)
        mock.get(url__startswith="https://api.kie.ai").respond(200, json=task)
        runner = CliRunner()
        first = runner.invoke(app, ["download", f"{CDN}/v/{hostile}", f"{folder}/", "--json"], env=env)
        second = runner.invoke(app, ["download", "pwn", f"{folder}/", "--json"], env=env)
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    paths = {Path(json.loads(r.stdout)["path"]) for r in (first, second)}
    assert paths == {folder / "evil.mp4", folder / "pwn.mp4"}
    assert {p for p in tmp_path.rglob("*") if p.suffix == ".mp4"} == paths
