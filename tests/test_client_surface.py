"""The request surface is the spec's: every field reaches the library and the CLI by its derived name.

Nothing here lists a field: each test walks the spec's operations and checks the generated code, the
clients' signatures and the CLI's options against them.
"""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import textwrap
import warnings
from pathlib import Path
from typing import Any

import attrs
import av
import httpx
import pytest
import respx
from client_support import API_KEY, BASE, GENERATE, envelope
from typer.main import get_command
from veo3 import AsyncVeo3Client, Veo3Client, params
from veo3._spec import _document as _spec
from veo3._spec._operations import Operation
from veo3._spec._validation import ALIASES, json_names
from veo3.cli._app import app
from veo3.cli._spec_options import cli_options
from veo3.errors import RequestValidationError
from veo3.mock import MockConfig, MockServer

OPERATIONS = [op.operation_id for op in _spec.iter_operations()]
# Which command sends which operation's optional fields (commands with @spec_options).
COMMANDS = {
    "generate": "generate-veo3-1-video",
    "extend": "extend-veo3-1-video",
    "chain": "extend-veo3-1-video",
    "hd": "get-veo3-1-1080p-video",
    "4k": "get-veo3-1-4k-video",
}


def _generated_names(operation_id: str) -> dict[str, str]:
    """``{json name: python name}`` as the generated client spells each request field."""
    op = Operation(operation_id)
    names: dict[str, str] = {}
    kwargs = inspect.signature(op.module._get_kwargs).parameters
    for field in op.request_fields:
        if field.location == "query":
            python = field.python_name
            assert python in kwargs, (operation_id, field.json_name, list(kwargs))
            names[field.json_name] = python
    if "body" in kwargs:
        model = kwargs["body"].annotation
        names |= {json_name: python for python, json_name in json_names(model).items()}
    return names


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_python_names_are_the_generated_clients(operation_id: str) -> None:
    fields = _spec.operation(operation_id).request_fields
    assert {f.json_name: f.python_name for f in fields} == _generated_names(operation_id)


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_optional_field_is_a_typed_keyword_of_the_generated_options(operation_id: str) -> None:
    options = Operation(operation_id).module.Options
    optional = {f.python_name for f in _spec.operation(operation_id).request_fields if not f.required}
    assert set(options.__annotations__) == optional


def test_the_public_params_combine_the_generated_options_with_the_extras() -> None:
    for name in params.__all__:
        typed = getattr(params, name)
        assert {"extra_body", "extra_query", "extra_headers"} <= set(typed.__annotations__)
    assert set(params.GenerateParams.__annotations__) >= set(Operation(GENERATE).module.Options.__annotations__)


@pytest.mark.parametrize(("command", "operation_id"), COMMANDS.items())
def test_every_optional_field_is_a_cli_option_in_kebab_case(command: str, operation_id: str) -> None:
    click_command = get_command(app).commands[command]  # type: ignore[attr-defined]
    flags = {flag for param in click_command.params for flag in param.opts}
    for field in _spec.operation(operation_id).request_fields:
        if not field.required:
            assert "--" + field.python_name.replace("_", "-") in flags, field.json_name
    assert "--extra" in flags


def test_cli_choices_come_from_the_spec_enums() -> None:
    for option in cli_options("generate-veo3-1-video"):
        enum = option.field.schema.get("enum")
        if enum:
            choice = option.annotation().__metadata__[0]
            assert choice is not None
            assert [str(v) for v in enum] == [str(v) for v in option._values]


@pytest.mark.parametrize("cls", [Veo3Client, AsyncVeo3Client])
def test_no_spec_field_is_shadowed_by_a_methods_own_parameter(cls: type) -> None:
    methods = {"generate": GENERATE, "extend": "extend-veo3-1-video", "get_1080p": "get-veo3-1-1080p-video"}
    methods |= {
        "get_4k": "get-veo3-1-4k-video",
        "get_task": "get-veo3-1-video-details",
        "wait": "get-veo3-1-video-details",
    }
    for method, operation_id in methods.items():
        own = set(inspect.signature(getattr(cls, method)).parameters) - {"params"}
        fields = {f.python_name for f in _spec.operation(operation_id).request_fields if not f.required}
        assert not own & fields, (method, own & fields)


def test_sync_and_async_clients_have_the_same_signatures() -> None:
    public = [n for n, v in vars(Veo3Client).items() if callable(v) and not n.startswith("_")]
    for name in public:
        if name == "close":
            continue
        sync, async_ = inspect.signature(getattr(Veo3Client, name)), inspect.signature(getattr(AsyncVeo3Client, name))
        assert sync.parameters == async_.parameters, name  # names, kinds, defaults and types
        # the same result, awaited (or iterated with `async for`)
        assert str(sync.return_annotation) == str(async_.return_annotation).replace("AsyncIterator", "Iterator"), name
        method = getattr(AsyncVeo3Client, name)
        returns_async_iterator = str(async_.return_annotation).startswith("AsyncIterator")
        assert inspect.iscoroutinefunction(method) or returns_async_iterator, name


# -- extras: what the spec does not know yet ------------------------------------------------------


def _sent(call: Any, data: Any = None, **kwargs: Any) -> httpx.Request:
    with respx.mock(base_url=BASE) as mock:
        route = mock.route().respond(200, json=envelope(data={"taskId": "t1"} if data is None else data))
        with Veo3Client(API_KEY, base_url=BASE) as client:
            call(client, **kwargs)
    return route.calls.last.request


def test_extra_body_sends_unknown_fields_and_still_validates_known_ones(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="veo3"):
        request = _sent(lambda c, **k: c.generate("a cat", **k), extra_body={"personGeneration": "allow_adult"})
    # exactly one debug line names what went out unchecked
    assert sum("personGeneration" in r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG) == 1
    assert json.loads(request.content) == {"prompt": "a cat", "personGeneration": "allow_adult"}
    with respx.mock(base_url=BASE, assert_all_called=False) as mock, Veo3Client(API_KEY, base_url=BASE) as client:
        anything = mock.route().respond(200, json=envelope())
        with pytest.raises(RequestValidationError) as info:
            client.generate("a cat", extra_body={"duration": 5})
        assert anything.call_count == 0
    assert info.value.field == "duration"


def test_extra_query_and_headers_travel_but_cannot_replace_the_key() -> None:
    request = _sent(lambda c, **k: c.credits(**k), 12.0, extra_query={"lang": "en"}, extra_headers={"X-Trace": "abc"})
    assert request.url.params["lang"] == "en"
    assert request.headers["X-Trace"] == "abc"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    with Veo3Client(API_KEY, base_url=BASE) as client, pytest.raises(RequestValidationError):
        client.credits(extra_headers={"authorization": "Bearer other"})


def test_an_unknown_keyword_is_a_type_error_that_points_to_extra_body() -> None:
    with Veo3Client(API_KEY, base_url=BASE) as client:
        with pytest.raises(TypeError, match="extra_body"):
            client.generate("a cat", person_generation="x")  # type: ignore[call-arg]
        with pytest.raises(TypeError, match="did you mean 'image_urls'"):
            client.generate("a cat", imageUrls=["https://a/b.png"])  # type: ignore[call-arg]


def test_a_renamed_keyword_still_works_and_warns() -> None:
    (old, new), *_ = ALIASES.items()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        request = _sent(lambda c, **k: c.generate("a cat", **k), **{old: "https://hooks.example/cb"})
    assert any(issubclass(w.category, DeprecationWarning) and new in str(w.message) for w in caught)
    assert caught[0].filename == __file__  # the warning points at the caller's line
    json_name = next(f.json_name for f in _spec.operation(GENERATE).request_fields if f.python_name == new)
    assert json.loads(request.content)[json_name] == "https://hooks.example/cb"


# -- typing: mypy sees the spec's fields ------------------------------------------------------------


def test_mypy_checks_the_keywords_against_the_spec(tmp_path: Path) -> None:
    from mypy import api

    duration = next(f for f in _spec.operation(GENERATE).request_fields if f.python_name == "duration")
    allowed = duration.schema["enum"]
    source = tmp_path / "use.py"
    source.write_text(
        textwrap.dedent(
            f"""
            from veo3 import Veo3Client
            client = Veo3Client("k")
            client.generate("a cat", duration={allowed[0]}, aspect_ratio="16:9")
            client.generate("a cat", duration={max(allowed) + 1})
            client.generate("a cat", colour="red")
            """
        )
    )
    out, _, status = api.run([str(source), "--no-incremental", "--cache-dir=/dev/null", "--strict"])
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1
    assert [int(line.split(":")[1]) for line in errors] == [5, 6], out


# -- the simulator honours the new field -----------------------------------------------------------


@pytest.mark.parametrize("seconds", [4, 6])
def test_a_generated_video_lasts_the_duration_asked_for(tmp_path: Path, seconds: int) -> None:
    with (
        MockServer(MockConfig(time_scale=0.001, rate_limit=None)) as server,
        Veo3Client(API_KEY, base_url=server.url) as client,
    ):
        info = client.generate_and_wait("a cat", duration=seconds, timeout=30)
        path = client.download(info, tmp_path)
    with av.open(str(path)) as container:
        assert container.duration is not None
        assert container.duration / 1e6 == pytest.approx(seconds)


def test_every_field_of_every_request_model_is_reachable() -> None:
    """The generated request models hold nothing the surface misses (the oracle is the models, not the spec)."""
    for operation_id in OPERATIONS:
        op = Operation(operation_id)
        kwargs = inspect.signature(op.module._get_kwargs).parameters
        if "body" not in kwargs:
            continue
        model = kwargs["body"].annotation
        attributes = {f.name for f in attrs.fields(model) if f.init}
        reachable = {f.python_name for f in op.request_fields}
        assert attributes == reachable, operation_id
        importlib.import_module(model.__module__)
