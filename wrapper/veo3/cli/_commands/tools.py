"""The bodies of the tool commands: ``veo3 mock``, ``veo3 conformance``, ``veo3 check-traffic``.

``_app`` declares their options; the work is here, so the declarations stay one line per body. The simulator
and the contract suite are imported inside the functions: ``veo3 --help`` must not load them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import typer

from veo3.cli._exit import ExitCode
from veo3.cli._session import CliUsageError, Session

GENERATED_KEY_PREFIX = "veo3-mock-"


def mock_keys(given: Sequence[str] | None) -> tuple[list[str], bool]:
    """The keys the simulator accepts: ``--api-key`` values, else ``$KIE_API_KEY``, else a new one (True)."""
    keys = [k for k in (given or ()) if k]
    if given and not keys:
        raise CliUsageError("--api-key must not be empty")
    if keys:
        return keys, False
    env = os.environ.get("KIE_API_KEY")
    if env:
        return [env], False
    return [GENERATED_KEY_PREFIX + secrets.token_urlsafe(18)], True


def serve_mock(session: Session, host: str, port: int, api_keys: Sequence[str] | None, **config: Any) -> int:
    """Serve the simulator, accepting exactly the keys it was given (or one it makes and prints)."""
    from veo3 import mock as simulator

    keys, generated = mock_keys(api_keys)
    settings = {k: v for k, v in config.items() if v is not None}
    mock_config = simulator.MockConfig(api_keys=keys, **settings)
    url = f"http://{host}:{port}"
    session.out.note(f"simulator on {url} (Ctrl-C stops it)")
    if mock_config.control:
        session.out.note(f"control API: {url}/__control/ (spec: {url}/__control/openapi.json)")
    if generated:
        # The user asked for no key, so this one is made up for them: it must be shown to be usable.
        session.out.note("no --api-key and no $KIE_API_KEY: the simulator accepts only this new key")
        typer.echo(f"export KIE_API_KEY={keys[0]}")
    else:
        session.out.note(f"accepting {len(keys)} key(s) given (not printed)")
    typer.echo(f"export VEO3_BASE_URL={url}")
    simulator.serve(host, port, mock_config)
    return ExitCode.OK


def conformance(
    session: Session,
    base_url: str | None,
    api_key: str | None,
    *,
    report: Path | None,
    junit: Path | None,
    **options: Any,
) -> int:
    """Run the contract suite against ``base_url`` (else an embedded simulator); print the verdict."""
    from veo3.conformance import _runner as runner

    key = api_key or os.environ.get("KIE_API_KEY") or "conformance-key"
    with ExitStack() as stack:
        target = base_url or os.environ.get("VEO3_BASE_URL")
        if not target:
            from veo3.mock import MockConfig, MockServer

            # Only this key is accepted, so the suite's wrong-key probes must get 401s.
            target = stack.enter_context(MockServer(MockConfig(api_keys=[key]))).url
            session.out.note(f"no --base-url: testing an embedded simulator at {target}")
        target = target.rstrip("/")
        outcome = runner.check_server(target, api_key=key, **options)
    runner.write_reports(target, outcome, api_key_given=True, report=report, junit=junit)
    code = runner.exit_code(outcome)
    verdict = {0: "conforms", 1: "does NOT conform"}.get(code, "could not be tested")
    where = "".join(f"; {label}: {path}" for label, path in (("report", report), ("junit", junit)) if path)
    session.out.note(f"{target} {verdict}{where}")
    if session.out.json_mode:
        session.out.result(runner.document(target, outcome), lambda console: None)
    return code


def check_traffic(session: Session, path: Path, *, api_keys: Sequence[str], junit: Path | None) -> int:
    """Judge recorded traffic against the spec; print the findings (keys redacted)."""
    import veo3.conformance._traffic as traffic

    try:
        result = traffic.check_file(path, secrets=api_keys)
    except traffic.UnreadableTraffic as exc:
        raise CliUsageError(str(exc)) from exc
    if junit is not None:
        traffic.write_junit(result, junit)
    session.out.result(traffic.document(result), lambda console: console.print(traffic.render(result), markup=False))
    if session.out.json_mode:  # people still get the verdict, on stderr
        session.out.note(traffic.verdict(result))
    return ExitCode.UNEXPECTED if result.findings else ExitCode.OK
