"""kie's File Upload API in the simulator: three endpoints, their own envelope, real HTTP error statuses.

Unlike the Veo operations (HTTP 200 with an in-band code), an upload answers ``{success, code, msg,
data}`` with the HTTP status equal to ``code`` (spec: ``x-errors: http-status``). Files are kept in
memory, bounded by ``MockConfig.upload_capacity_bytes`` (the oldest are dropped to make room), served
back at their ``downloadUrl`` (``/files/{key}/{uploadPath}/{fileName}``) and gone after
``upload_retention_seconds`` on the simulator's clock. The same name in the same folder overwrites, as on
kie. ``fileUrl`` uploads copy the simulator's own files only: it never fetches from the network.
"""

from __future__ import annotations

import base64
import binascii
import json
import mimetypes
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

from jsonschema.exceptions import best_match
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from veo3._spec import _document as _spec
from veo3._spec._images import sniff_media_type
from veo3._utils._multipart import form_fields, parse_multipart

from ._config import MockConfig
from ._state import FILES_PREFIX, MockState, RecordedRequest, StoredFile, key_fingerprint, own_file

__all__ = ["routes"]

UNAUTHORIZED = "Authentication failed: Invalid API Key"
UPLOADED = "File uploaded successfully"
STREAM, URL, BASE64 = "upload-file-stream", "upload-file-url", "upload-file-base64"


def _envelope(status: int, msg: str, data: Any = None) -> Response:
    body = {"success": status == 200, "code": status, "msg": msg, "data": data}
    return Response(json.dumps(body, separators=(",", ":")), status_code=status, media_type="application/json")


class _Refused(Exception):
    def __init__(self, status: int, msg: str) -> None:
        super().__init__(msg)
        self.status, self.msg = status, msg


def _check_fields(op_id: str, fields: dict[str, Any]) -> None:
    """The request's fields against the operation's schema (JSON body, or the form with a stand-in file)."""
    op = _spec.operation(op_id)
    ref = op.body_schema_ref or op.request_schema_ref("multipart/form-data")
    assert ref is not None
    error = best_match(_spec.validator(ref).iter_errors(fields))
    if error is None:
        return
    if error.validator == "required" and isinstance(error.validator_value, list):
        missing = next(name for name in error.validator_value if name not in fields)
        raise _Refused(400, f"Missing required parameter: {missing}")
    where = ".".join(str(p) for p in error.absolute_path) or "body"
    raise _Refused(400, f"Invalid parameter {where}: {error.message}")


def _random_name(hint: str | None, data: bytes) -> str:
    suffix = ""
    if hint and "." in hint:
        suffix = "." + hint.rsplit(".", 1)[1][:8]
    else:
        sniffed = sniff_media_type(data[:16])
        suffix = (mimetypes.guess_extension(sniffed) or "") if sniffed else ""
    return uuid.uuid4().hex + suffix


def _store(
    state: MockState, base_url: str, fingerprint: str, upload_path: str, name: str, data: bytes
) -> dict[str, Any]:
    if len(data) > state.uploads.capacity:
        raise _Refused(400, f"File too large: the simulator keeps at most {state.uploads.capacity} bytes")
    mime = sniff_media_type(data[:16]) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    key = f"{fingerprint}/{upload_path}/{name}"
    stored = StoredFile(key, data, mime, state.now(), state.wall())
    state.uploads.put(stored)
    uploaded_at = datetime.fromtimestamp(stored.uploaded_wall, tz=UTC).isoformat(timespec="milliseconds")
    return {
        "fileName": name,
        "filePath": f"{upload_path}/{name}",
        "downloadUrl": f"{base_url}{FILES_PREFIX}{quote(key)}",
        "fileSize": len(data),
        "mimeType": mime,
        "uploadedAt": uploaded_at.replace("+00:00", "Z"),
    }


async def _read_fields(op_id: str, request: Request, state: MockState, base_url: str) -> tuple[dict[str, Any], bytes]:
    """The request's text fields (checked against the spec) and the file's bytes."""
    limit = state.uploads.capacity + 64 * 1024  # room for the form's other parts
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise _Refused(400, f"File too large: the simulator keeps at most {state.uploads.capacity} bytes")
    if op_id == STREAM:
        try:
            parts = parse_multipart(bytes(raw), request.headers.get("content-type", ""))
        except ValueError as exc:
            raise _Refused(400, str(exc)) from None
        fields: dict[str, Any] = form_fields(parts)  # a file part stands in as "": the schema judges the text
        _check_fields(op_id, fields)
        filename, data = parts["file"]
        fields["file"] = filename
        return fields, data
    try:
        body = json.loads(raw)
    except ValueError:
        raise _Refused(400, "Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _Refused(400, "Request body must be a JSON object")
    _check_fields(op_id, body)
    if op_id == BASE64:
        encoded = body["base64Data"]
        if encoded.startswith("data:"):
            encoded = encoded.partition(",")[2]
        try:
            return body, base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise _Refused(400, "Base64 decoding failed: Invalid Base64 format") from None
    source = own_file(state, body["fileUrl"], base_url)
    if not isinstance(source, StoredFile):
        raise _Refused(400, "File download failed: the simulator only copies its own uploaded files")
    return body, source.data


def _endpoint(
    state: MockState, config: MockConfig, op_id: str, base_url_of: Callable[[Request], str]
) -> Callable[[Request], Awaitable[Response]]:
    op = _spec.operation(op_id)

    async def endpoint(request: Request) -> Response:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        key = key.strip()
        fingerprint = key_fingerprint(key) if scheme.lower() == "bearer" and key else None
        fields: dict[str, Any] | None = None
        try:
            if fingerprint is None or (config.api_keys is not None and key not in config.api_keys):
                raise _Refused(401, UNAUTHORIZED)
            base_url = base_url_of(request)
            fields, data = await _read_fields(op_id, request, state, base_url)
            name = fields.get("fileName") or _random_name(fields.get("file") or fields.get("fileUrl"), data)
            result = _store(state, base_url, fingerprint, fields["uploadPath"], name, data)
            response = _envelope(200, UPLOADED, result)
        except _Refused as refused:
            response = _envelope(refused.status, refused.msg)
        recorded = None if fields is None else {k: v for k, v in fields.items() if k not in ("file", "base64Data")}
        state.requests.append(
            RecordedRequest(
                method=op.method,
                path=op.path,
                operation=op_id,
                key_fingerprint=fingerprint,
                query={},
                body=recorded,
                code=response.status_code,
                http_status=response.status_code,
                fault=request.scope.get("veo3.mock.fault"),
                at=state.wall(),
            )
        )
        return response

    return endpoint


def _file_endpoint(state: MockState) -> Callable[[Request], Awaitable[Response]]:
    async def serve_file(request: Request) -> Response:
        stored = state.uploads.get(state, unquote(request.url.path.removeprefix(FILES_PREFIX)))
        if stored is None:
            return Response("File not found.", status_code=404, media_type="text/plain")
        body = b"" if request.method == "HEAD" else stored.data
        headers = {"Content-Length": str(len(stored.data))}
        return Response(body, media_type=stored.mime_type, headers=headers)

    return serve_file


def routes(
    state: MockState, config: MockConfig, base_url_of: Callable[[Request], str]
) -> list[tuple[str | None, Route]]:
    """The upload operations' routes (with their operationIds, for fault injection) and the file route.

    The HTTP half only (moto's ``responses.py``): the files live in ``state.uploads`` (``_state``)."""
    found: list[tuple[str | None, Route]] = []
    for op in _spec.iter_operations():
        if op.errors_in_http_status:
            endpoint = _endpoint(state, config, op.operation_id, base_url_of)
            found.append((op.operation_id, Route(op.path, endpoint, methods=[op.method])))
    found.append((None, Route(FILES_PREFIX + "{key:path}", _file_endpoint(state), methods=["GET", "HEAD"])))
    return found
