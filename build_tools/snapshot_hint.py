"""Writes the snapshot's file name and SHA-256 into the version's worker.js, so a visit starts reading the
snapshot at once, beside the wasm, instead of after the manifest (see README, "Second visit")."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .worker_script import WORKER, fill_line  # noqa: F401 (WORKER: where the line is, for callers)

# The worker's line that the build fills in; with null the worker waits for the manifest as before.
HINT_LINE = "const snapshotHint = null;"


def write_snapshot_hint(site_dir: Path, snapshot: Path) -> None:
    """Fill in the worker's hint line; the snapshot lies in the engine folder the worker already points at."""
    def hint() -> str:
        sha256 = hashlib.sha256(snapshot.read_bytes()).hexdigest()
        return f"const snapshotHint = {json.dumps({'path': snapshot.name, 'sha256': sha256})};"

    fill_line(site_dir, HINT_LINE, hint)
