"""Check that every example in the spec is valid against the schema it illustrates.

openapi-spec-validator checks the spec's structure; it does not check examples. Run by `make lint`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from typing import Any

from veo3._spec import _document as _spec


def _media_examples(where: str, media: Mapping[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    schema = media.get("schema", {})
    for name, ex in media.get("examples", {}).items():
        yield f"{where} example {name!r}", schema, ex["value"]
    if "example" in media:
        yield f"{where} example", schema, media["example"]


def _operation_examples(where: str, op: Mapping[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    for param in op.get("parameters", []):
        if "example" in param:
            yield f"{where} parameter {param['name']}", param["schema"], param["example"]
    body = op.get("requestBody", {}).get("content", {})
    for media_type, media in body.items():
        yield from _media_examples(f"{where} request {media_type}", media)
    for status, response in op.get("responses", {}).items():
        for media_type, media in response.get("content", {}).items():
            yield from _media_examples(f"{where} response {status} {media_type}", media)
    for cb_name, cb in op.get("callbacks", {}).items():
        for expr, item in cb.items():
            for method, cb_op in item.items():
                yield from _operation_examples(f"{where} callback {cb_name} {method.upper()} {expr}", cb_op)


def iter_examples() -> Iterator[tuple[str, Any, Any]]:
    """(where, schema, example) for every example in the spec."""
    spec = _spec.load_spec()
    for op in _spec.iter_operations():
        yield from _operation_examples(f"{op.method} {op.path}", op.definition)
    for name, schema in spec["components"]["schemas"].items():
        for i, ex in enumerate(schema.get("examples", [])):
            yield f"components.schemas.{name} examples[{i}]", {"$ref": f"#/components/schemas/{name}"}, ex


def main() -> int:
    failures = 0
    count = 0
    base = _spec.validator("#/components/schemas/ErrorResponse")
    for where, schema, example in iter_examples():
        count += 1
        checker = base.evolve(schema=_rebase(schema))
        for err in checker.iter_errors(example):
            failures += 1
            print(f"{where}: {err.message} at {list(err.absolute_path)}", file=sys.stderr)
    for op in _spec.iter_operations():
        for status, response in op.definition["responses"].items():
            if "content" in response and not response["content"]["application/json"].get("examples"):
                failures += 1
                print(f"{op.method} {op.path} response {status}: no example", file=sys.stderr)
        # Any media type (JSON, or multipart for the stream upload) must illustrate itself.
        for media_type, media in op.definition.get("requestBody", {}).get("content", {}).items():
            if not media.get("examples"):
                failures += 1
                print(f"{op.method} {op.path} request {media_type}: no example", file=sys.stderr)
    print(f"{count} examples checked, {failures} problems")
    return 1 if failures else 0


def _rebase(schema: Any) -> Any:
    """Point the schema's local references at the spec registered under ``_spec.SPEC_URI``."""
    if isinstance(schema, dict):
        return {k: (_spec.SPEC_URI + v if k == "$ref" and v.startswith("#") else _rebase(v)) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_rebase(v) for v in schema]
    return schema


if __name__ == "__main__":
    sys.exit(main())
