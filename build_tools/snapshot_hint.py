"""Writes the snapshot's file name and SHA-256 into the version's worker.js, so a visit starts reading the
snapshot at once, beside the wasm, instead of after the manifest (see README, "Second visit")."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .pyodide_runtime import PyodideSetupError

WORKER = "checker/worker.js"
# The worker's line that the build fills in; with null the worker waits for the manifest as before.
HINT_LINE = "const snapshotHint = null;"


def write_snapshot_hint(site_dir: Path, snapshot: Path) -> None:
    """Fill in the worker's hint line; the snapshot lies in the engine folder the worker already points at."""
    worker = site_dir / WORKER
    text = worker.read_text(encoding="utf-8")
    if text.count(HINT_LINE) != 1:
        raise PyodideSetupError(f"{worker}: de regel '{HINT_LINE}' staat er niet precies één keer in.")
    hint = json.dumps({"path": snapshot.name, "sha256": hashlib.sha256(snapshot.read_bytes()).hexdigest()})
    worker.write_text(text.replace(HINT_LINE, f"const snapshotHint = {hint};"), encoding="utf-8")
