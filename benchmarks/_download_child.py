"""Child-process entry point: download one URL with raw httpx or veo3, print seconds and bytes as JSON.

``python -m benchmarks._download_child raw|veo3 URL DEST``. The parent reads this child's peak RSS.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from benchmarks._peak import vmhwm_kib


def _warm_url(url: str) -> str:
    """A 1 kB file on the same server: fetched first, so lazy imports and the connection are not timed."""
    return url.rsplit("/", 1)[0] + "/1000.mp4"


def _best_of(download: Callable[[], object]) -> float:
    """Seconds of the fastest of up to 5 downloads, stopping once 1 s was spent (a 10 MB file takes ~30 ms:
    one transfer is too short a sample on a shared machine; a 500 MB file is timed once)."""
    times: list[float] = []
    while len(times) < 5 and sum(times) < 1.0:
        start = time.perf_counter()
        download()
        times.append(time.perf_counter() - start)
    return min(times)


def _raw(url: str, dest: Path) -> float:
    with httpx.Client(timeout=60.0) as client:

        def fetch(link: str) -> None:
            with client.stream("GET", link) as response, dest.open("wb") as out:
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    out.write(chunk)

        fetch(_warm_url(url))
        return _best_of(lambda: fetch(url))


def _veo3(url: str, dest: Path) -> float:
    from veo3 import Veo3Client

    with Veo3Client("bench-key-not-secret", base_url="http://127.0.0.1:9") as client:
        client.download(_warm_url(url), dest, resume=False)
        return _best_of(lambda: client.download(url, dest, resume=False))


def main() -> None:
    """Download ``argv[2]`` into ``argv[3]`` with the client named by ``argv[1]``; time only the download."""
    mode, url, dest = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    # Both sides import the client: merely importing veo3 (~400 modules) slowed a raw httpx download by
    # ~10 % in a check while building this, so a baseline without it would not isolate the download path.
    import veo3._client._sync  # noqa: F401

    seconds = (_raw if mode == "raw" else _veo3)(url, dest)
    print(json.dumps({"seconds": seconds, "bytes": dest.stat().st_size}))
    print(f"VmHWM {vmhwm_kib()}")  # this process's own peak RSS (see _peak.py)


if __name__ == "__main__":
    main()
