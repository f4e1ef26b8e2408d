"""The snapshot as shipped: Pyodide's header, then only the memory image's non-zero 64 KiB pages.

About 22 of the image's 31.5 MB are whole pages of zeros (the unused stack and freed heap). Compression makes them
almost free on the wire, but the browser still has to inflate, read from Cache Storage, hash and copy them; without
them a visit handles about 9 MB. The worker rebuilds the full image into a zeroed buffer (`expand` in worker.js),
from the page runs the manifest lists.
"""

from __future__ import annotations

PAGE = 65536  # one wasm page
_ZERO = bytes(PAGE)


def image_offset(snapshot: bytes) -> int:
    """Where Pyodide's memory image starts: the header's second little-endian word."""
    return int.from_bytes(snapshot[4:8], "little")


def pack(snapshot: bytes) -> tuple[bytes, dict]:
    """The shipped bytes and their manifest entry {pageSize, length, runs: [[first page, pages], ...]}."""
    start = image_offset(snapshot)
    image = memoryview(snapshot)[start:]
    runs: list[list[int]] = []
    parts = [snapshot[:start]]
    for page in range(0, (len(image) + PAGE - 1) // PAGE):
        chunk = image[page * PAGE:(page + 1) * PAGE]
        if chunk == _ZERO[:len(chunk)]:
            continue
        if runs and runs[-1][0] + runs[-1][1] == page:
            runs[-1][1] += 1
        else:
            runs.append([page, 1])
        parts.append(bytes(chunk))
    return b"".join(parts), {"pageSize": PAGE, "length": len(snapshot), "runs": runs}


def unpack(packed: bytes, entry: dict) -> bytes:
    """The snapshot as Pyodide wrote it (what the worker's expand does); ValueError if the two do not fit."""
    start = image_offset(packed)
    full = bytearray(entry["length"])
    full[:start] = packed[:start]
    taken = start
    for first, count in entry["runs"]:
        at = start + first * entry["pageSize"]
        size = min(count * entry["pageSize"], entry["length"] - at)
        full[at:at + size] = packed[taken:taken + size]
        taken += size
    if taken != len(packed):
        raise ValueError(f"snapshot: {len(packed)} bytes, the page runs describe {taken}")
    return bytes(full)
