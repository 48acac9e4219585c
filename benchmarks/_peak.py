"""Child wrapper: run ``-c CODE`` or ``--entry module:function ARGS...``, then print this process's peak RSS.

``ru_maxrss`` of a child is useless here: Linux carries the parent's high-water mark over fork and exec, so
every child of a 60 MiB benchmark process "peaks" at 60 MiB. ``VmHWM`` in ``/proc/self/status`` belongs to
the current address space only (the one exec created). The last stdout line is ``VmHWM <KiB>``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def vmhwm_kib() -> int:
    """Peak resident set of this process's current address space, in KiB (0 where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:
    """Run what ``argv`` names; report the peak even when it exits through ``SystemExit``."""
    mode, target, *args = sys.argv[1:]
    try:
        if mode == "-c":
            exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})
        else:
            module, _, function = target.partition(":")
            sys.argv = [module, *args]
            getattr(importlib.import_module(module), function)()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    finally:
        sys.stdout.flush()
        print(f"\nVmHWM {vmhwm_kib()}")


if __name__ == "__main__":
    main()
