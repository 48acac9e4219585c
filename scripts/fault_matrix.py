"""Print the fault matrix (every simulator fault x every operation, through the wrapper) to FAULT_MATRIX.md.

Usage: ``make fault-matrix``, or ``uv run --frozen python scripts/fault_matrix.py [OUTPUT]`` (default
``FAULT_MATRIX.md``). Takes about a minute: each cell starts its own simulator on a loopback socket.
"""

from __future__ import annotations

import sys
from pathlib import Path

from veo3.mock import fault_matrix

HEADER = """# Fault matrix

What `Veo3Client` does when the simulator (`veo3.mock`) injects each fault into each operation, over a real
socket. Each cell: the outcome (`ok (...)` or the `Veo3Error` class raised) · the requests of that operation the
server saw (retries included) · the tasks the one logical call created. The client uses `max_retries=3` and a
{timeout} s request timeout; `latency` holds the answer back {latency} s. Calls with `wait=False` (1080p, 4K).
Regenerate with `make fault-matrix`.

Invariants (asserted by `tests/test_contract_fault_matrix.py`): never more than one task per logical call; a paid
create whose reply was lost after the server processed it ends in `OutcomeUnknownError` (with the operation and
the request body) and is not repeated.
"""


def main() -> int:
    """Run both matrices and write the Markdown file."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "FAULT_MATRIX.md")
    parts = [HEADER.format(timeout=fault_matrix.CLIENT_TIMEOUT, latency=fault_matrix.LATENCY)]
    for every_call, title in ((False, "Transient fault (first request only)"), (True, "Persistent fault")):
        cells = list(fault_matrix.run_matrix(every_call=every_call))
        parts += [f"## {title}", "", fault_matrix.render(cells)]
        bad = [c for c in cells if c.tasks_created > 1]
        if bad:
            parts.append(f"**Violations: {len(bad)} cells created more than one task.**\n")
    out.write_text("\n".join(parts))
    print(out.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
