"""The pipe protocol between ``ptkg serve``/``ptkg query`` and their query workers.

A frame is two big-endian 32-bit lengths, a JSON header of the first length and a body of the
second.  Plain data only: a worker answering a hostile query is the least trusted process, so
nothing it sends is unpickled or executed.
"""

from __future__ import annotations

import json
import struct
from typing import BinaryIO

_HEAD = struct.Struct(">II")
MAX_HEADER = 16 << 20


def encode(header: dict, body: bytes = b"") -> bytes:
    raw = json.dumps(header, ensure_ascii=False).encode("utf-8")
    return _HEAD.pack(len(raw), len(body)) + raw + body


def decode_lengths(head: bytes) -> tuple[int, int]:
    n_header, n_body = _HEAD.unpack(head)
    if n_header > MAX_HEADER:
        raise ValueError(f"frame header of {n_header} bytes")
    return n_header, n_body


def write(f: BinaryIO, header: dict, body: bytes = b"") -> None:
    f.write(encode(header, body))
    f.flush()


def _exactly(f: BinaryIO, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = f.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read(f: BinaryIO) -> tuple[dict, bytes] | None:
    """The next frame, or None at end of stream."""
    head = _exactly(f, _HEAD.size)
    if head is None:
        return None
    n_header, n_body = decode_lengths(head)
    raw = _exactly(f, n_header)
    body = _exactly(f, n_body) if n_body else b""
    if raw is None or body is None:
        return None
    return json.loads(raw.decode("utf-8")), body


HEAD_SIZE = _HEAD.size
