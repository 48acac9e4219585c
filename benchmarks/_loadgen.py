"""A lean HTTP/1.1 keep-alive load generator on asyncio streams, so the server, not the client, is measured.

It speaks only what the benchmarks need (fixed requests, replies with Content-Length) and only to loopback.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlsplit

from benchmarks._payloads import API_KEY


class Connection:
    """One keep-alive connection sending requests one at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self._reader, self._writer, self._host = reader, writer, host

    @classmethod
    async def open(cls, base_url: str) -> Connection:
        """Connect to ``base_url`` (http://127.0.0.1:port)."""
        parts = urlsplit(base_url)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError("the load generator only talks to loopback")
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        return cls(reader, writer, parts.netloc)

    async def request(self, method: str, target: str, body: Any = None) -> tuple[int, bytes]:
        """Send one request, return (status, body)."""
        payload = b"" if body is None else json.dumps(body).encode()
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: {self._host}\r\nAuthorization: Bearer {API_KEY}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        self._writer.write(head.encode() + payload)
        header = await self._reader.readuntil(b"\r\n\r\n")
        lines = header.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self._reader.readexactly(length)

    async def close(self) -> None:
        """Close the connection."""
        self._writer.close()
        await self._writer.wait_closed()


async def create_and_poll(
    base_url: str, create: tuple[str, dict[str, Any]], poll: str, total: int, concurrency: int, polls_per_create: int
) -> tuple[float, int, int]:
    """``total`` requests over ``concurrency`` connections: each cycle one create then ``polls_per_create`` polls.

    Returns (seconds, requests sent, non-200 answers).
    """
    path, body = create
    counter = {"left": total, "errors": 0}

    async def worker() -> None:
        conn = await Connection.open(base_url)
        task_id = ""
        try:
            while counter["left"] > 0:
                counter["left"] -= 1
                status, reply = await conn.request("POST", path, body)
                if status != 200 or not reply.startswith(b"{") or json.loads(reply).get("code") != 200:
                    counter["errors"] += 1
                else:
                    task_id = json.loads(reply)["data"]["taskId"]
                for _ in range(polls_per_create):
                    if counter["left"] <= 0:
                        break
                    counter["left"] -= 1
                    status, reply = await conn.request("GET", f"{poll}?taskId={task_id}")
                    if status != 200:
                        counter["errors"] += 1
        finally:
            await conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - start, total, counter["errors"]
