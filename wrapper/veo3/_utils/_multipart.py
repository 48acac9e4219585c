"""Reading a ``multipart/form-data`` body (stdlib only): the simulator's stream upload and the contract
checks that judge one."""

from __future__ import annotations

from urllib.parse import unquote

__all__ = ["form_fields", "parse_multipart"]


def _boundary(content_type: str) -> str:
    kind, _, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        raise ValueError("Content-Type must be multipart/form-data with a boundary")
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.lower() == "boundary" and value.strip().strip('"'):
            return value.strip().strip('"')
    raise ValueError("Content-Type must be multipart/form-data with a boundary")


def _disposition(head: bytes) -> tuple[str | None, str | None]:
    """The ``name`` and ``filename`` of a part's ``Content-Disposition``."""
    name: str | None = None
    filename: str | None = None
    for line in head.decode("utf-8", "replace").split("\r\n"):
        header, _, value = line.partition(":")
        if header.strip().lower() != "content-disposition":
            continue
        for item in value.split(";")[1:]:
            key, _, raw = item.strip().partition("=")
            if key == "name":
                name = unquote(raw.strip('"'))
            elif key == "filename":
                filename = unquote(raw.strip('"'))
    return name, filename


def parse_multipart(body: bytes, content_type: str) -> dict[str, tuple[str | None, bytes]]:
    """``{field: (filename, bytes)}``; ``ValueError`` for a body that is not well-formed multipart."""
    chunks = body.split(b"--" + _boundary(content_type).encode("latin-1"))
    if len(chunks) < 2 or not chunks[-1].startswith(b"--"):
        raise ValueError("Malformed multipart body")
    fields: dict[str, tuple[str | None, bytes]] = {}
    for chunk in chunks[1:-1]:
        head, sep, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("Malformed multipart body")
        name, filename = _disposition(head)
        if name is not None:
            fields[name] = (filename, content.removesuffix(b"\r\n"))
    return fields


def form_fields(parts: dict[str, tuple[str | None, bytes]]) -> dict[str, str]:
    """The parts as a JSON object a schema can judge: text fields decoded, a file part as ``""``."""
    return {
        name: "" if filename is not None else data.decode("utf-8", "replace")
        for name, (filename, data) in parts.items()
    }
