"""The snapshot as shipped: Pyodide's header, then only the memory image's non-zero 4 KiB blocks.

About 23 of the image's 31.5 MB are whole blocks of zeros (the unused stack, freed heap, and the static data the
XOR turned into zeros). Compression makes them almost free on the wire, but the browser still has to inflate (or,
from a server that does not compress, download), read from Cache Storage, hash and copy them; without them a visit
handles about 8.3 MB. The worker rebuilds the full image into a zeroed buffer (`expandInto` in worker.js),
from the page runs the manifest lists.
"""

from __future__ import annotations

# 4 KiB rather than a wasm page (64 KiB): 8.3 instead of 9.2 MB shipped, for 27 runs instead of 8 in the manifest.
PAGE = 4096
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
