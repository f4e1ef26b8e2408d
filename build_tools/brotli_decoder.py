"""The pinned wasm brotli decoder (npm brotli-dec-wasm) that the checker's worker uses for the engine's .br files.

The wasm and the snapshot are fetched as their brotli siblings (build_tools/compress.py writes them) and decoded in
the browser: 5.2 instead of 6.6 MB gzip on a first visit from a server without brotli (README, "A first visit's
bytes"). Fetched and verified like Pyodide itself (pyodide_runtime: npm pack, SHA-256 pin).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from . import pyodide_runtime as runtime

PIN_PATH = Path(__file__).with_name("brotli_decoder.pin.json")


def copy_decoder(cache_dir: Path, destination: Path, log: logging.Logger) -> list[Path]:
    """Fetch (once) and verify the pinned decoder; copy its module, wasm and licence flat into destination (the
    names decode.js imports; the licence prefixed with the package's name)."""
    pin = runtime.load_pin(PIN_PATH)
    package = runtime.unpack(runtime.fetch_tarball(cache_dir, pin, log), cache_dir, pin)
    destination.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in pin.runtime_files:
        target = destination / (f"{pin.package}-{name}" if name.startswith("LICENSE") else Path(name).name)
        shutil.copyfile(package / name, target)
        copied.append(target)
    return copied
