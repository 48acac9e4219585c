"""The README and the docs pages stay honest: their examples run, and every ``veo3`` command and option they
show exists (and every command is shown somewhere)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import av
import pytest
from typer.testing import CliRunner
from veo3.cli._app import app
from veo3.mock import MockConfig, MockServer

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
#: What a reader reads: the README's one screen and the docs site's pages (docs/hooks/ is build code).
PAGES = [README, *sorted(p for p in (ROOT / "docs").rglob("*.md") if "hooks" not in p.parts)]


def blocks(language: str) -> list[str]:
    found = []
    for page in PAGES:
        found += re.findall(rf"```{language}\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    return found


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_the_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (example,) = re.findall(r"```python\n(.*?)```", section("Library example"), re.S)
    with MockServer(MockConfig(time_scale=0.001)) as srv:
        monkeypatch.setenv("VEO3_BASE_URL", srv.url)
        monkeypatch.setenv("KIE_API_KEY", "readme-key")
        monkeypatch.chdir(tmp_path)
        exec(compile(example, str(README), "exec"), {})
        kinds = sorted(t.kind for t in srv.state.tasks.values())
    assert kinds == ["extend", "generate"]
    with av.open(str(tmp_path / "lighthouse.mp4")) as container:
        assert next(container.decode(container.streams.video[0])).width > 0


RUNNABLE = [b for b in blocks("python") if not b.startswith("# illustration")]


@pytest.mark.parametrize("example", RUNNABLE, ids=lambda b: b.splitlines()[-1].strip()[:40])
def test_every_python_block_runs(example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Python block of the README and the docs runs (one whose first line is ``# illustration`` is exempt).

    Blocks that need a server get a simulator through the environment, like a user's shell.
    """
    with MockServer(MockConfig(time_scale=0.001)) as srv:
        monkeypatch.setenv("VEO3_BASE_URL", srv.url)
        monkeypatch.setenv("KIE_API_KEY", "readme-key")
        monkeypatch.chdir(tmp_path)
        exec(compile(example, str(README), "exec"), {})


def readme_commands() -> list[list[str]]:
    commands = []
    for block in blocks("sh"):
        for line in block.splitlines():
            line = line.split("#", 1)[0].split("|", 1)[0].strip()
            if line.startswith("veo3 "):
                commands.append(shlex.split(line)[1:])
    return commands


def test_the_docs_show_every_command() -> None:
    import typer

    group = typer.main.get_command(app)
    visible = {name for name, command in group.commands.items() if not command.hidden}  # type: ignore[attr-defined]
    assert {"generate", "extend", "chain", "status", "wait", "download", "hd", "4k", "credits", "tasks"} <= visible
    assert {c[0] for c in readme_commands()} >= visible


@pytest.mark.parametrize("args", readme_commands(), ids=shlex.join)
def test_every_readme_command_parses(args: list[str]) -> None:
    """Each command line in the README and the docs is accepted by the parser (``--help`` stops before running it)."""
    result = CliRunner().invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    for option in (a for a in args if a.startswith("--")):
        assert option in result.stdout
