"""Unit tests for build_tools.sparse_snapshot: zero pages left out and put back, byte for byte."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.sparse_snapshot import PAGE, pack, unpack


def snapshot_with(pages: list[bytes], tail: bytes = b"") -> bytes:
    """Pyodide's shape: magic, the image offset, a JSON part, then the memory image."""
    header = b"\0snp" + (16).to_bytes(4, "little") + b'{"a":1}\0'
    return header + b"".join(pages) + tail


def test_zero_pages_are_left_out_and_listed_as_runs_of_the_others():
    data = bytes(range(256)) * (PAGE // 256)
    full = snapshot_with([bytes(PAGE), data, data, bytes(PAGE), data])
    packed, entry = pack(full)
    assert entry == {"pageSize": PAGE, "length": len(full), "runs": [[1, 2], [4, 1]]}
    assert len(packed) == 16 + 3 * PAGE
    assert unpack(packed, entry) == full


def test_a_partial_last_page_and_a_page_with_one_byte_set_are_kept():
    one = bytearray(PAGE)
    one[PAGE - 1] = 7
    full = snapshot_with([bytes(PAGE), bytes(one)], tail=b"\0\0\x01")
    packed, entry = pack(full)
    assert entry["runs"] == [[1, 2]]
    assert unpack(packed, entry) == full


def test_bytes_that_do_not_fit_the_runs_are_refused():
    full = snapshot_with([b"\1" * PAGE])
    packed, entry = pack(full)
    with pytest.raises(ValueError, match="page runs describe"):
        unpack(packed + b"x", entry)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["zero", "data", "one"]), max_size=12), st.binary(max_size=300))
def test_unpack_inverts_pack(kinds, tail):
    page = {"zero": bytes(PAGE), "data": b"\5" * PAGE, "one": b"\0" * (PAGE - 1) + b"\1"}
    full = snapshot_with([page[k] for k in kinds], tail)
    packed, entry = pack(full)
    assert unpack(packed, entry) == full
