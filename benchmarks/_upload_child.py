"""Child-process entry point: upload one file with ``Veo3Client.upload_file``; print seconds and bytes as JSON.

``python -m benchmarks._upload_child URL FILE``. The last stdout line is this process's own peak RSS.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from benchmarks._peak import vmhwm_kib


def main() -> None:
    """Upload ``argv[2]`` to the sink at ``argv[1]`` (as both API and upload host), after a 1-byte warm-up."""
    from veo3 import Veo3Client

    url, path = sys.argv[1], Path(sys.argv[2])
    warm = path.with_suffix(".warm")
    warm.write_bytes(b"x")
    with Veo3Client("bench-key-not-secret", base_url=url, timeout=120.0) as client:
        client.upload_file(warm)  # first-use imports and the connection are start-up costs
        start = time.perf_counter()
        uploaded = client.upload_file(path)
        seconds = time.perf_counter() - start
    warm.unlink()
    print(json.dumps({"seconds": seconds, "bytes": uploaded.size}))
    print(f"VmHWM {vmhwm_kib()}")


if __name__ == "__main__":
    main()
