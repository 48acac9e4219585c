"""The packaged OpenAPI spec: the one source of every bound, enum and required field.

Hand-written code (request validation in the client, the simulator, the contract suite) reads the
rules from here instead of copying them. ``make generate`` copies ``openapi/veo3-api.json`` into the
generated package as ``veo3_api/openapi.json``, so the spec ships inside the wheel next to the client it
produced, and ``make check-generated`` proves the two copies agree.
"""

from __future__ import annotations

import builtins
import importlib
import json
import keyword
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # jsonschema is imported lazily: `import veo3` stays light.
    from jsonschema.protocols import Validator

SPEC_URI = "urn:veo3:openapi"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    """One operation of the spec, named by its ``operationId`` (the only ``Operation`` class).

    Making one reads nothing, so the table in ``_operations`` costs no spec parse at import; each property
    reads the spec on first use, and the ones asked on every request (``paid``, ``paced``, ``module``,
    ``own_server``) are cached.
    """

    operation_id: str

    @cached_property
    def _located(self) -> tuple[str, str, Mapping[str, Any]]:
        try:
            return _index()[self.operation_id]
        except KeyError:
            raise KeyError(self.operation_id) from None

    @property
    def method(self) -> str:
        """The HTTP method, upper-case."""
        return self._located[0]

    @property
    def path(self) -> str:
        """The path, as the spec writes it."""
        return self._located[1]

    @property
    def definition(self) -> Mapping[str, Any]:
        """The spec's operation object (read-only)."""
        return self._located[2]

    @property
    def body_schema_ref(self) -> str | None:
        """The ``$ref`` of the JSON request body's schema, if the operation takes a body."""
        return self.request_schema_ref("application/json")

    def request_schema_ref(self, media_type: str) -> str | None:
        """The ``$ref`` of the request body's schema for ``media_type`` (e.g. ``multipart/form-data``)."""
        content = self.definition.get("requestBody", {}).get("content", {})
        ref = content.get(media_type, {}).get("schema", {}).get("$ref")
        return str(ref) if ref else None

    @property
    def request_media_types(self) -> tuple[str, ...]:
        """The media types the request body may be sent as (empty when the operation takes no body)."""
        return tuple(self.definition.get("requestBody", {}).get("content", {}))

    @property
    def server_url(self) -> str:
        """The operation's server: its own ``servers`` entry (operation, then path item), else the spec's."""
        for servers in (self.definition.get("servers"), load_spec()["paths"][self.path].get("servers")):
            if servers:
                return str(servers[0]["url"])
        return str(load_spec()["servers"][0]["url"])

    @property
    def has_own_server(self) -> bool:
        """Whether the operation lives on another host than the spec's default server (the upload host)."""
        return self.server_url != str(load_spec()["servers"][0]["url"])

    @cached_property
    def errors_in_http_status(self) -> bool:
        """Whether errors come as real HTTP statuses (``x-errors: http-status``: the File Upload API) rather
        than in-band codes in an HTTP 200 (the Veo envelope)."""
        return bool(self.definition.get("x-errors") == "http-status")

    @property
    def query_parameters(self) -> list[Mapping[str, Any]]:
        """The operation's query parameters, as the spec declares them."""
        return [p for p in self.definition.get("parameters", []) if p.get("in") == "query"]

    @cached_property
    def paid(self) -> bool:
        """Starts billed work (the spec's ``x-paid``): never repeated blindly after a lost reply."""
        return bool(self.definition.get("x-paid"))

    @cached_property
    def paced(self) -> bool:
        """Counted against kie's create limit (listed in the spec's ``x-rate-limit``)."""
        return self.operation_id in create_rate_limit().operations

    @cached_property
    def module(self) -> ModuleType:
        """The generated module whose ``sync_detailed``/``asyncio_detailed`` send this operation
        (openapi-python-client's name: the tag's folder, the operationId in snake_case).

        Imported on first use, which keeps ``from veo3 import Veo3Client`` from loading every operation and
        its models (BENCHMARKS.md, start-up).
        """
        return importlib.import_module(f"veo3_api.api.{self.tag}.{python_name(self.operation_id)}")

    @cached_property
    def own_server(self) -> str | None:
        """The spec's ``servers`` URL when the operation lives on another host (the upload host), else ``None``."""
        return self.server_url if self.has_own_server else None

    @property
    def body_ref(self) -> str:
        """The ``$ref`` of this operation's JSON body (``LookupError`` if it takes none)."""
        ref = self.body_schema_ref
        if ref is None:
            raise LookupError(f"{self.operation_id} takes no body")
        return ref

    @property
    def form_ref(self) -> str:
        """The ``$ref`` of this operation's ``multipart/form-data`` body (``LookupError`` if it takes none)."""
        ref = self.request_schema_ref("multipart/form-data")
        if ref is None:
            raise LookupError(f"{self.operation_id} takes no multipart body")
        return ref

    @property
    def tag(self) -> str:
        """The operation's first tag: the folder of its generated module under ``veo3_api.api``."""
        tags = self.definition.get("tags") or ["default"]
        return str(tags[0])

    @cached_property
    def callback_fields(self) -> frozenset[str]:
        """Body fields the operation's callbacks are sent to (their ``{$request.body#/...}`` URL expressions)."""
        found = set()
        for callback in self.definition.get("callbacks", {}).values():
            for expression in callback:
                match = re.fullmatch(r"\{\$request\.body#/([^}]+)\}", expression)
                if match:
                    found.add(match.group(1).replace("~1", "/").replace("~0", "~"))
        return frozenset(found)

    @cached_property
    def request_fields(self) -> tuple[RequestField, ...]:
        """Every field a caller can set: query parameters, then the body's properties (JSON, else the multipart
        form's), in spec order."""
        fields = []
        here = f"#/paths/{_escape(self.path)}/{self.method.lower()}"
        for index, p in enumerate(self.definition.get("parameters", [])):
            if p.get("in") == "query":
                name, schema = str(p["name"]), p["schema"]
                pointer = str(schema.get("$ref") or f"{here}/parameters/{index}/schema")
                fields.append(RequestField(name, python_name(name), "query", bool(p.get("required")), schema, pointer))
        body_ref = self.body_schema_ref or self.request_schema_ref("multipart/form-data")
        if body_ref is not None:
            body = resolve(body_ref)
            required = set(body.get("required", ()))
            for name, schema in body.get("properties", {}).items():
                pointer = f"{body_ref}/properties/{_escape(name)}"
                fields.append(RequestField(name, python_name(name), "body", name in required, schema, pointer))
        return tuple(fields)

    @property
    def success_schema_ref(self) -> str:
        """The ``$ref`` of the envelope schema of the operation's HTTP 200 answer."""
        return str(self.definition["responses"]["200"]["content"]["application/json"]["schema"]["$ref"])

    @property
    def documented_codes(self) -> frozenset[int]:
        """The in-band ``code`` values the spec lists for this operation's HTTP 200 answer."""
        envelope = resolve(self.success_schema_ref)
        return frozenset(int(c) for c in resolve(envelope["properties"]["code"]["$ref"])["enum"])


@dataclass(frozen=True)
class RequestField:
    """One field of a request, as the spec names it and as Python keywords name it."""

    json_name: str
    #: The generated client's name for it (``aspect_ratio``, ``image_urls``, ``call_back_url``): the keyword
    #: the library takes and, in kebab-case, the CLI's option.
    python_name: str
    location: Literal["query", "body"]
    required: bool
    #: As written in the spec (may be a ``$ref``; see ``schema``).
    declared: Mapping[str, Any]
    #: A JSON pointer into the spec for ``validator`` (the ``$ref``, or where an inline schema stands).
    pointer: str

    @cached_property
    def schema(self) -> Mapping[str, Any]:
        """The field's schema with ``$ref``s followed (siblings such as ``description`` win)."""
        return resolved(self.declared)

    @property
    def json_type(self) -> str | None:
        """The JSON type of the field's values (``integer``, ``string``, ...; the non-null one of a list)."""
        kind = self.schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        return str(kind) if kind is not None else None

    @property
    def deprecated(self) -> bool:
        """Marked ``deprecated`` in the spec (kept so old payloads validate, not advertised)."""
        return bool(self.schema.get("deprecated"))


# -- Python names: openapi-python-client's rule, so the wrapper, the CLI and the generated models agree
# without importing the generated package (`veo3 --help` must not load httpx). tests/test_client_surface.py
# checks the two agree on every field of the spec.
_DELIMITERS = r"\. _-"
_RESERVED = (set(dir(builtins)) | {"self", "true", "false", "datetime"}) - {"id"}


def python_name(json_name: str) -> str:
    """The snake_case identifier the generated client gives a spec field (``callBackUrl`` -> ``call_back_url``)."""
    value = "".join(c for c in json_name if c.isidentifier() or c.isdecimal() or c in _DELIMITERS)
    leading_underscore = value.startswith("_")
    if any(c.isupper() for c in value):
        value = " ".join(re.split("([A-Z]?[a-z]+)", value))
    name = "_".join(re.findall(rf"[^{re.escape(_DELIMITERS)}]+", value)).lower()
    if name in _RESERVED or keyword.iskeyword(name):
        name += "_"
    if not name.isidentifier() or leading_underscore:
        name = "field_" + name
    return name


def _spec_path() -> Path:
    """Where the generated package keeps its copy of the spec, found without importing the package
    (``import veo3_api`` loads httpx, which alone would triple the time ``veo3 --help`` takes)."""
    found = find_spec("veo3_api")
    if found is None or not found.submodule_search_locations:
        raise ModuleNotFoundError("veo3_api (the generated client) is not installed")
    return Path(next(iter(found.submodule_search_locations))) / "openapi.json"


@cache
def load_spec() -> Mapping[str, Any]:
    """The parsed spec (cached; treat it as read-only)."""
    spec: dict[str, Any] = json.loads(_spec_path().read_text(encoding="utf-8"))
    return spec


def resolve(ref: str) -> Mapping[str, Any]:
    """The schema a local ``#/components/...`` reference points at."""
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported: {ref!r}")
    node: Any = load_spec()
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node  # type: ignore[no-any-return]


def _escape(part: str) -> str:
    """``part`` as one segment of a JSON pointer."""
    return part.replace("~", "~0").replace("/", "~1")


def coerce_query(raw: str, json_type: str | None) -> Any:
    """A query-string value as the JSON value its schema judges (a query string carries text only)."""
    if json_type in ("integer", "number") and re.fullmatch(r"-?\d+", raw):
        return int(raw)
    return raw


def resolved(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """``schema`` with a top-level ``$ref`` merged in, repeatedly (siblings such as ``description`` win)."""
    out = dict(schema)
    while "$ref" in out:
        ref = out.pop("$ref")
        out = {**resolve(ref), **out}
    return out


@cache
def _index() -> dict[str, tuple[str, str, Mapping[str, Any]]]:
    """operationId -> (METHOD, path, operation object), in file order."""
    found = {}
    for path, item in load_spec()["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                op = item[method]
                found[str(op["operationId"])] = (method.upper(), str(path), op)
    return found


def iter_operations() -> Iterator[Operation]:
    """Every operation of the spec, in file order."""
    return (operation(operation_id) for operation_id in _index())


@cache
def operation(operation_id: str) -> Operation:
    """The operation with this ``operationId``; ``KeyError`` if the spec has none."""
    if operation_id not in _index():
        raise KeyError(operation_id)
    return Operation(operation_id)


@dataclass(frozen=True)
class RateLimit:
    """kie's create-rate limit (the spec's ``x-rate-limit``): ``creates`` per ``seconds`` per key."""

    creates: int
    seconds: float
    operations: frozenset[str]


@cache
def create_rate_limit() -> RateLimit:
    """The documented create-rate limit, read from the spec."""
    raw = load_spec()["x-rate-limit"]
    return RateLimit(int(raw["creates"]), float(raw["seconds"]), frozenset(raw["operations"]))


@cache
def validator(ref: str) -> Validator:
    """A JSON Schema (2020-12) validator for the schema at ``ref``, resolving references within the spec."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resource = Resource.from_contents(dict(load_spec()), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return Draft202012Validator({"$ref": SPEC_URI + ref}, registry=registry)


def upload_server_url() -> str:
    """The File Upload API's default host: the ``servers`` entry of the spec's upload operations."""
    urls = {op.server_url for op in iter_operations() if op.has_own_server}
    if len(urls) != 1:
        raise LookupError(f"expected one upload server in the spec, found {sorted(urls)}")
    return urls.pop()


@dataclass(frozen=True)
class ImageLimits:
    """What a local image for Veo ``imageUrls`` may be (the stream upload schema's ``x-image-limits``)."""

    max_bytes: int
    media_types: tuple[str, ...]


@cache
def image_limits() -> ImageLimits:
    """The documented image limits, read from the spec."""
    for op in iter_operations():
        ref = op.request_schema_ref("multipart/form-data")
        raw = resolve(ref).get("x-image-limits") if ref else None
        if raw:
            return ImageLimits(int(raw["maxBytes"]), tuple(raw["mediaTypes"]))
    raise LookupError("the spec declares no x-image-limits")


def max_images(generation_type: str | None) -> int:
    """How many ``imageUrls`` a generation mode takes (``None``: the mode is left to the server, so the
    largest count any mode takes, the ``imageUrls`` schema's ``maxItems``)."""
    if generation_type is None:
        prop = resolve("#/components/schemas/GenerateRequest")["properties"]["imageUrls"]
        return int(prop["maxItems"])
    per_mode = resolve("#/components/schemas/GenerationType")["x-max-images"]
    return int(per_mode[generation_type])


def upload_retention_seconds() -> float:
    """How long kie keeps an uploaded file (at least; the upload result's ``x-retention-seconds``)."""
    return float(resolve("#/components/schemas/UploadResult")["x-retention-seconds"])
