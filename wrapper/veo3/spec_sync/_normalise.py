"""From kie's fragments to one plain OpenAPI document, before the overlay applies.

Each page carries a fragment for one operation. Normalising is four explicit steps, and nothing else:

1. **Mintlify form to OpenAPI.** Newer pages do not publish OpenAPI under ``paths`` but Mintlify's own
   shape: ``paths: {path, method, servers, request: {parameters: {query: {name: {schema: [..]}}},
   body: {media type: {schemaArray: [..]}}}, response: {status: {media type: {schemaArray: [..]}}}}``,
   with each property wrapped as ``allOf: [schema]``, the required list as ``requiredProperties`` and
   security schemes by ``title``.
   That is rewritten to ``paths: {path: {method: operation}}`` (:func:`_from_mintlify`).
2. **Vendor keys out.** ``x-apidog-*`` and ``x-run-in-apidog`` (kie's doc tool's bookkeeping) are dropped.
3. **A fragment's servers go to its paths.** A fragment's top-level ``servers`` becomes the path item's
   ``servers`` (the File Upload pages name another host than the Veo pages).
4. **Merge.** The fragments' paths are joined, in manifest order; two pages defining the same operation is
   an error. Only ``openapi`` and ``paths`` are kept: ``info``, ``security`` and ``components`` of a
   fragment describe the page, not the API, and the overlay states ours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from veo3.spec_sync._errors import SpecSyncError

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_VENDOR_PREFIXES = ("x-apidog", "x-run-in-apidog")


def without_vendor_keys(node: Any) -> Any:
    """``node`` with kie's doc-tool keys removed at every level."""
    if isinstance(node, dict):
        return {k: without_vendor_keys(v) for k, v in node.items() if not str(k).startswith(_VENDOR_PREFIXES)}
    if isinstance(node, list):
        return [without_vendor_keys(v) for v in node]
    return node


def _mintlify_schema(node: Any) -> Any:
    """One Mintlify schema as plain JSON Schema: single-member ``allOf`` unwrapped, ``requiredProperties``
    renamed ``required``, the per-property boolean ``required`` and ``refIdentifier`` dropped."""
    if isinstance(node, list):
        return [_mintlify_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    members = node.get("allOf")
    if isinstance(members, list) and len(members) == 1 and set(node) == {"allOf"}:
        return _mintlify_schema(members[0])
    out: dict[str, Any] = {}
    for key, value in node.items():
        if (key == "required" and isinstance(value, bool)) or key == "refIdentifier":
            continue
        if key == "requiredProperties":
            out["required"] = value
        elif key == "properties" and isinstance(value, dict):
            out[key] = {name: _mintlify_schema(schema) for name, schema in value.items()}
        else:
            out[key] = _mintlify_schema(value)
    return out


def _schema_array(entry: Mapping[str, Any], where: str) -> Any:
    schemas = entry.get("schemaArray")
    if not isinstance(schemas, list) or not schemas:
        raise SpecSyncError(f"{where}: Mintlify body without a schemaArray")
    plain = [_mintlify_schema(s) for s in schemas]
    return plain[0] if len(plain) == 1 else {"anyOf": plain}


def _from_mintlify(paths: Mapping[str, Any], source: str) -> dict[str, Any]:
    path, method = paths.get("path"), str(paths.get("method", "")).lower()
    if not isinstance(path, str) or method not in METHODS:
        raise SpecSyncError(f"{source}: Mintlify fragment without a path and an HTTP method")
    request: dict[str, Any] = paths["request"] if isinstance(paths.get("request"), dict) else {}
    operation: dict[str, Any] = {}
    parameters = []
    for location, named in (request.get("parameters") or {}).items():
        for name, spec in (named or {}).items():
            schemas = spec.get("schema") if isinstance(spec, dict) else None
            schema = dict(schemas[0]) if isinstance(schemas, list) and schemas else {}
            parameter: dict[str, Any] = {"name": name, "in": location}
            if schema.pop("required", False) is True:
                parameter["required"] = True
            if "description" in schema:
                parameter["description"] = schema.pop("description")
            parameter["schema"] = _mintlify_schema(schema)
            parameters.append(parameter)
    if parameters:
        operation["parameters"] = parameters
    body = request.get("body") or {}
    if body:
        content = {mt: {"schema": _schema_array(entry, f"{source} request {mt}")} for mt, entry in body.items()}
        operation["requestBody"] = {"content": content}
    responses: dict[str, Any] = {}
    for status, entry in (paths.get("response") or {}).items():
        answer: dict[str, Any] = {"description": str(entry.get("description", ""))}
        content = {
            mt: {"schema": _schema_array(value, f"{source} response {status} {mt}")}
            for mt, value in entry.items()
            if "/" in str(mt) and isinstance(value, dict)
        }
        if content:
            answer["content"] = content
        responses[str(status)] = answer
    operation["responses"] = responses
    schemes = [s.get("title") for s in request.get("security") or [] if isinstance(s, dict) and s.get("title")]
    if schemes:
        operation["security"] = [{str(name): []} for name in schemes]
    if paths.get("deprecated") is True:
        operation["deprecated"] = True
    item: dict[str, Any] = {method: operation}
    if paths.get("servers"):
        item = {"servers": paths["servers"], **item}
    return {path: item}


def fragment_paths(fragment: Any, source: str) -> dict[str, Any]:
    """The path items of one fragment, as plain OpenAPI without vendor keys (steps 1 to 3)."""
    if not isinstance(fragment, dict) or not isinstance(fragment.get("paths"), dict) or not fragment["paths"]:
        raise SpecSyncError(f"{source}: the fragment has no 'paths'")
    paths = fragment["paths"]
    if "path" in paths and "method" in paths:
        items = _from_mintlify(paths, source)
    else:
        items = {}
        for path, item in paths.items():
            if not str(path).startswith("/") or not isinstance(item, dict):
                raise SpecSyncError(f"{source}: {path!r} is not a path item")
            items[str(path)] = dict(item)
        servers = fragment.get("servers")
        if servers:
            items = {
                p: {"servers": servers, **{k: v for k, v in i.items() if k != "servers"}} for p, i in items.items()
            }
    return without_vendor_keys(items)  # type: ignore[no-any-return]


def merge_fragments(fragments: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """One OpenAPI document from ``(source, fragment)`` pairs (step 4)."""
    version = None
    paths: dict[str, Any] = {}
    for source, fragment in fragments:
        if version is None and isinstance(fragment, dict):
            version = fragment.get("openapi")
        for path, item in fragment_paths(fragment, source).items():
            merged = paths.setdefault(path, {})
            for key, value in item.items():
                if key in METHODS and key in merged:
                    raise SpecSyncError(f"{source}: {key.upper()} {path} is defined by two pages")
                merged[key] = value
    return {"openapi": str(version or "3.0.1"), "paths": paths}
