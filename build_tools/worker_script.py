"""The build's edits to a version's checker/worker.js: each fills in one marked line of the theme's copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .pyodide_runtime import PyodideSetupError

WORKER = "checker/worker.js"


def fill_line(site_dir: Path, line: str, filled: Callable[[], str]) -> None:
    """Replace `line`, which must stand exactly once in the site's worker.js, by `filled()` (made only then)."""
    worker = site_dir / WORKER
    text = worker.read_text(encoding="utf-8")
    if text.count(line) != 1:
        raise PyodideSetupError(f"{worker}: de regel '{line}' staat er niet precies één keer in.")
    worker.write_text(text.replace(line, filled()), encoding="utf-8")
