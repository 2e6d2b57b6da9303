"""Cutting a streamed body into lines: lines that span reads, empty lines, a last line
without its newline, and a real chunked answer over HTTP (as watches and logs arrive)."""

from __future__ import annotations

import pytest

from kite_tui.core.config import ClusterSpec
from kite_tui.core.kube.client import build_client
from kite_tui.core.kube.stream import LineSplitter, line_batches
from tests.helpers import BodyServer, body_server


def split(chunks: list[bytes]) -> tuple[list[list[bytes]], bytes]:
    splitter = LineSplitter()
    return [splitter.feed(c) for c in chunks], splitter.rest()


def test_whole_lines_in_one_chunk() -> None:
    assert split([b"a\nbb\n"]) == ([[b"a", b"bb"]], b"")


def test_a_line_across_chunk_boundaries_is_joined() -> None:
    batches, rest = split([b'{"type":"ADD', b"ED", b'"}\n{"ty', b'pe":"DELETED"}\n'])
    assert batches == [[], [], [b'{"type":"ADDED"}'], [b'{"type":"DELETED"}']]
    assert rest == b""


@pytest.mark.parametrize("cut", range(1, 12))
def test_any_cut_gives_the_same_lines(cut: int) -> None:
    data = b"one\n\ntwo\nthree"
    batches, rest = split([data[:cut], data[cut:]])
    assert [line for batch in batches for line in batch] == [b"one", b"", b"two"]
    assert rest == b"three"


def test_newlines_at_chunk_edges_and_empty_chunks() -> None:
    batches, rest = split([b"a", b"\n", b"", b"\nb", b"\n"])
    assert batches == [[], [b"a"], [], [b""], [b"b"]]
    assert rest == b""


def test_empty_lines_and_carriage_returns_are_the_callers_to_judge() -> None:
    # A log keeps its empty lines; the watch decoder skips them. "\r" stays too.
    assert split([b"x\r\n\n\ny\n"]) == ([[b"x\r", b"", b"", b"y"]], b"")


def test_the_rest_is_taken_once() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b"cut sh") == []
    assert splitter.feed(b"ort") == []
    assert splitter.rest() == b"cut short"
    assert splitter.rest() == b""


def test_a_chunked_answer_arrives_one_batch_per_chunk(servers: list[BodyServer]) -> None:
    chunks = [b'{"a":1}\n{"b"', b':2}\n{"c":3}\n{"d"', b":4}\n", b"\n", b"no newline"]
    server = body_server(servers, (200, "application/json", chunks))
    client = build_client(ClusterSpec(name="x", server=server.url), 5)
    try:
        resp = client.request("/watch")
        try:
            batches = list(line_batches(resp))
        finally:
            resp.release_conn()
    finally:
        client.close()
    assert batches == [
        [b'{"a":1}'],
        [b'{"b":2}', b'{"c":3}'],
        [b'{"d":4}'],
        [b""],
        [b"no newline"],
    ]


def test_a_plain_answer_is_read_as_it_comes(servers: list[BodyServer]) -> None:
    server = body_server(servers, (200, "text/plain", b"line 1\nline 2\nlast"))
    client = build_client(ClusterSpec(name="x", server=server.url), 5)
    try:
        resp = client.request("/log")
        try:
            lines = [line for batch in line_batches(resp) for line in batch]
        finally:
            resp.release_conn()
    finally:
        client.close()
    assert lines == [b"line 1", b"line 2", b"last"]
