"""The package's layers, enforced on the source (AST, every import: top level, lazy and ``TYPE_CHECKING``).

The order is written once, in ``LAYERS`` below (each private folder's ``__init__`` docstring and the README's
"Architecture" section say the same in words):

- a module may import its own unit (folder or top-level module) or any unit of a lower layer: it may skip
  layers, never climb them, and never reach sideways into another unit of its own layer;
- the sans-IO core (``veo3._core``) imports no I/O library: no sockets, no event loop, no threads, no
  sleeping (its drivers in ``veo3._client`` perform the I/O);
- no module imports itself back through a chain of imports (no cycle, lazy imports included).

``FRONT_DOORS`` are the declared exceptions: ``python -m veo3.mock`` (and ``conformance``, ``spec_diff``) is
the ``veo3`` command line under another name, so its ``__main__`` calls up into ``veo3.cli``.
The self-checks at the end run the same checks on a copy of the package with a violation planted in it,
so a check that could never fail would be seen.
"""

from __future__ import annotations

import ast
import functools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "wrapper" / "veo3"

#: From the top down. A unit is a top-level folder or module of ``veo3`` (``__init__`` is the public face).
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(layer)
    for layer in (
        {"mcp"},  # `veo3 mcp`: an agent's front door, built on the CLI's journal and options
        {"cli"},  # the `veo3` command line: every tool's front door
        {"testing", "spec_sync"},  # the pytest plugin and kit; `veo3 spec sync` (reports with spec_diff)
        {"mock", "conformance", "spec_diff", "gallery"},  # tools built on the library
        {"__init__"},  # the lazy public face: veo3.Veo3Client, veo3.AsyncVeo3Client, errors, types
        {"_client"},  # the I/O half: drivers, senders, the two client faces
        {"batch"},  # many jobs over the core's flows, run by a client's engine
        {"webhooks", "_core"},  # callbacks; the sans-IO flows
        {"_spec"},  # the only reader of the spec and the price table
        {"errors"},  # the error classes
        {"_utils", "types", "params"},  # helpers with no knowledge of the API; the public vocabulary
    )
)

#: (importing module, imported unit): the declared exceptions to "never climb".
FRONT_DOORS = frozenset(
    {
        ("veo3.mock.__main__", "cli"),
        ("veo3.conformance.__main__", "cli"),
        ("veo3.spec_diff.__main__", "cli"),
        ("veo3.cli._app", "mcp"),  # the `veo3 mcp` command is registered where every command is
    }
)

#: What the sans-IO core may not import (a module, or a module's function, such as ``time.sleep``).
IO_LIBRARIES = frozenset(
    {
        "asyncio",
        "anyio",
        "trio",
        "httpx",
        "httpcore",
        "h11",
        "socket",
        "ssl",
        "selectors",
        "select",
        "threading",
        "multiprocessing",
        "concurrent",
        "subprocess",
        "http.client",
        "urllib.request",
        "time.sleep",
        "veo3._client",
    }
)
CORE = "_core"


@dataclass(frozen=True)
class Import:
    """One import statement's target, as the importing module names it."""

    module: str  # the importing module, e.g. veo3._core._flows
    target: str  # what it imports, e.g. veo3._spec._operations, or httpx, or time.sleep
    line: int


def modules(package: Path) -> dict[str, Path]:
    """Every module of the package under ``package`` by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(package: Path) -> Iterator[Import]:
    """Every import in the package, relative ones resolved; ``from m import name`` names ``m.name`` when that
    is a module of the package (and always outside it, so ``time.sleep`` can be listed)."""
    known = modules(package)
    for name, path in known.items():
        for target, line in _raw_imports(name, path.name == "__init__.py", path.read_text(encoding="utf-8")):
            if target.startswith(package.name + ".") and target not in known:
                target = target.rpartition(".")[0]  # `from veo3.x import Name`: the module veo3.x
            yield Import(name, target, line)


@functools.cache
def _raw_imports(name: str, is_package: bool, text: str) -> tuple[tuple[str, int], ...]:
    """(dotted target, line) for every import of one module's source (cached: the self-checks parse copies)."""
    here = name.split(".") if is_package else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = here[: len(here) - (node.level - 1)]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            found += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return tuple(found)


def unit(module: str) -> str:
    """The unit of a dotted module name of the package: ``veo3._core._flows`` -> ``_core``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer_of(name: str) -> int:
    """The index of ``name``'s layer in ``LAYERS`` (0 is the top)."""
    for index, layer in enumerate(LAYERS):
        if name in layer:
            return index
    raise AssertionError(f"veo3.{name} is in no layer: add it to LAYERS in tests/test_layers.py (and the README)")


def climbs(package: Path) -> list[str]:
    """Imports that go up a layer, or sideways into another unit of the same layer."""
    found = []
    for imp in imports(package):
        if imp.target != package.name and not imp.target.startswith(package.name + "."):
            continue
        source, target = unit(imp.module), unit(imp.target)
        if source == target or (imp.module, target) in FRONT_DOORS:
            continue
        if layer_of(target) <= layer_of(source):
            found.append(f"{imp.module}:{imp.line} imports {imp.target} ({source} may not import {target})")
    return found


def io_in_core(package: Path) -> list[str]:
    """Imports of an I/O library (or of the clients) by a module of the sans-IO core."""
    found = []
    for imp in imports(package):
        if unit(imp.module) != CORE:
            continue
        named = imp.target.split(".")
        if any(".".join(named[:n]) in IO_LIBRARIES for n in range(1, len(named) + 1)):
            found.append(f"{imp.module}:{imp.line} imports {imp.target}")
    return found


def cycles(package: Path) -> list[list[str]]:
    """The package's import cycles between modules (strongly connected components of 2 or more)."""
    known = modules(package)
    graph: dict[str, set[str]] = {name: set() for name in known}
    for imp in imports(package):
        target = imp.target
        while target and target not in known:  # `from veo3.x import Name`: the module veo3.x
            target = target.rpartition(".")[0]
        if target and target != imp.module and not imp.module.startswith(target + "."):
            graph[imp.module].add(target)  # a package's own __init__ runs first anyway: not an edge back
    # Tarjan's algorithm, iterative.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


# -- the package ----------------------------------------------------------------------------------------


def test_every_unit_has_a_layer() -> None:
    units = {unit(name) for name in modules(PACKAGE)}
    for name in units:
        layer_of(name)


def test_imports_go_down_the_layers() -> None:
    assert climbs(PACKAGE) == []


def test_the_sans_io_core_imports_no_io_library() -> None:
    assert io_in_core(PACKAGE) == []


def test_no_import_cycles() -> None:
    assert cycles(PACKAGE) == []


#: A client's insides: only the client package (and the core they belong to) may touch them; every other
#: tool goes through ``client.engine`` (``_client._base.Engine``: the flows and the driver).
CLIENT_PRIVATES = frozenset({"_core", "_driver", "_limiter", "_api_key", "_webhook_key", "_receiver"})


def private_reaches(package: Path) -> list[str]:
    """``x._core``-style attribute uses outside ``_client``/``_core`` (an object's own ``self._x`` aside)."""
    found = []
    for name, path in modules(package).items():
        if unit(name) in ("_client", "_core"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Attribute) or node.attr not in CLIENT_PRIVATES:
                continue
            if not (isinstance(node.value, ast.Name) and node.value.id == "self"):
                found.append(f"{name}:{node.lineno} reaches .{node.attr}")
    return found


def test_tools_use_the_engine_seam_not_the_clients_insides() -> None:
    assert private_reaches(PACKAGE) == []


# -- self-checks: each check fails on a planted violation ------------------------------------------------


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the package's source to plant violations in."""
    target = tmp_path / "veo3"
    shutil.copytree(
        PACKAGE, target, ignore=lambda folder, names: [n for n in names if "." in n and not n.endswith(".py")]
    )
    return target


def _plant(path: Path, code: str, *, lazily: bool = False) -> None:
    text = path.read_text(encoding="utf-8")
    if lazily:  # inside a function, as a lazy import would be
        code = "def _planted() -> None:\n    " + code.replace("\n", "\n    ") + "\n"
    path.write_text(text + "\n" + code + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    "code",
    ["import httpx", "from httpx import Client", "import asyncio", "import threading", "from time import sleep"],
)
@pytest.mark.parametrize("lazily", [False, True])
def test_the_core_check_fails_when_the_core_imports_io(copy: Path, code: str, lazily: bool) -> None:
    assert io_in_core(copy) == []
    _plant(copy / "_core" / "_effects.py", code, lazily=lazily)
    found = io_in_core(copy)
    assert len(found) == 1 and found[0].startswith("veo3._core._effects:"), found


def test_the_core_check_fails_when_the_core_imports_a_client(copy: Path) -> None:
    _plant(copy / "_core" / "_flows.py", "from veo3._client._drivers import SyncDriver")
    assert io_in_core(copy) and any("_core may not import _client" in c for c in climbs(copy))


@pytest.mark.parametrize(
    ("where", "code", "says"),
    [
        ("_spec/_document.py", "from veo3._core import _effects", "_spec may not import _core"),
        ("_core/_policy.py", "from veo3.webhooks import verify", "_core may not import webhooks"),  # sideways
        ("batch/_runner.py", "from .._client._async import AsyncVeo3Client", "batch may not import _client"),
        ("errors.py", "from veo3 import Veo3Client", "errors may not import __init__"),
    ],
)
def test_the_layer_check_fails_on_a_climb(copy: Path, where: str, code: str, says: str) -> None:
    assert climbs(copy) == []
    _plant(copy / where, code, lazily=True)
    assert [c for c in climbs(copy) if says in c], climbs(copy)


def test_the_front_doors_are_the_only_way_up(copy: Path) -> None:
    _plant(copy / "mock" / "_app.py", "from veo3.cli import run_command", lazily=True)
    assert [c for c in climbs(copy) if c.startswith("veo3.mock._app:")]


def test_the_cycle_check_fails_on_a_cycle(copy: Path) -> None:
    assert cycles(copy) == []
    _plant(copy / "mock" / "_state.py", "from . import _uploads", lazily=True)  # _uploads imports _state
    assert ["veo3.mock._state", "veo3.mock._uploads"] in cycles(copy)


def test_the_seam_check_fails_on_a_private_reach(copy: Path) -> None:
    assert private_reaches(copy) == []
    _plant(copy / "testing" / "_clock.py", "def _planted(client: Any) -> Any:\n    return client._driver")
    assert [c for c in private_reaches(copy) if c.startswith("veo3.testing._clock:")]
