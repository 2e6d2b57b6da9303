"""Reading a streamed response body (a watch, a followed log) as lines, as its reads arrive.

`LineSplitter` does the cutting, whatever the chunk boundaries; `read_chunks` reads a urllib3
response as the bytes arrive (never waiting to fill a buffer: a quiet watch or log must not
hold back a line it already has); `line_batches` puts the two together, one list of lines
per read, so a caller can handle a burst at once.

Lines come without their ``\\n``; empty lines and ``\\r`` are left in, for the caller to judge
(a log keeps its empty lines, the watch decoder skips them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["LineSplitter", "line_batches", "read_chunks"]

READ_SIZE = 65536


class LineSplitter:
    """Cuts a byte stream into lines as its chunks come; a line may span any number of them."""

    __slots__ = ("_tail",)

    def __init__(self) -> None:
        self._tail: list[bytes] = []  # the start of a line whose end has not come yet

    def feed(self, chunk: bytes) -> list[bytes]:
        """The lines `chunk` completes, in order, without their newline."""
        if b"\n" not in chunk:
            if chunk:
                self._tail.append(chunk)
            return []
        *lines, rest = chunk.split(b"\n")
        if self._tail:
            lines[0] = b"".join((*self._tail, lines[0]))
            self._tail = []
        if rest:
            self._tail.append(rest)
        return lines

    def rest(self) -> bytes:
        """What is left once the stream ended: a last line without its newline (the
        container died mid-line, the server cut the stream), or b"". Taken once."""
        rest = b"".join(self._tail)
        self._tail = []
        return rest


def read_chunks(resp: Any) -> Iterator[bytes]:
    """The body of a streamed urllib3 response, decoded, in the pieces it arrives in: one
    per HTTP chunk, or whatever one socket read returns when the body is not chunked."""
    if resp.chunked and resp.supports_chunked_reads():
        return iter(resp.read_chunked(decode_content=True))
    return iter(lambda: resp.read1(READ_SIZE), b"")


def line_batches(resp: Any) -> Iterator[list[bytes]]:
    """The lines of a streamed body: the lines each read completes, as one list (reads that
    complete none give nothing), then a last line without its newline, alone."""
    splitter = LineSplitter()
    for chunk in read_chunks(resp):
        lines = splitter.feed(chunk)
        if lines:
            yield lines
    rest = splitter.rest()
    if rest:
        yield [rest]
