"""Writes the in-browser checker's runtime into one version's built site: Pyodide core, pruned stdlib, snapshot and
wheel in a content-hashed folder (assets/pyodide/<hash>/), and the manifest that lists them."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

from . import pyodide_runtime as runtime
from .brotli_decoder import copy_decoder
from .compress import compress_soon
from .snapshot import write_snapshot
from .snapshot_hint import write_snapshot_hint
from .worker_script import WORKER, fill_line
from .wheel import CHECKER_DIR as CHECKER_SOURCES, build_wheel, package_files

PYODIDE_DIR = "assets/pyodide"
# The engine's files live in PYODIDE_DIR/<first ENGINE_HASH_LENGTH hex of their digest>/, so a server may cache them
# for a year (build_tools/headers.py matches exactly such folders) and a new engine gets a new address.
ENGINE_HASH_LENGTH = 16
# The line of the worker that names the engine's folder; the build writes the hashed folder into it.
WORKER_ENGINE_LINE = 'const pyodideBase = new URL("../assets/pyodide/", import.meta.url);'
CHECKER_DIR = "assets/checker"
MANIFEST = "manifest.json"
STDLIB_NAME = "python_stdlib.zip"
# Exercises the scanner's patterns, HTML, emoji (offsets) and the error paths, so the trace sees every import.
SAMPLE_TEXT = (
    "Mail jan@example.nl of bel 06-12345678 of +31 58 1234567. IBAN NL91 ABNA 0417 1643 00, BSN 111222333, "
    "geboren 12 maart 2009, Dorpsstraat 1, 8900 AB Leeuwarden. @cvo_school foto's en een filmpje. "
    "<img src=x onerror=alert(1)> \U0001F600 ëñ"
)


def sample_answers(rules_path: Path) -> list[str]:
    """Answers JSON covering every choice pair and yes/no of the version's questions, plus invalid input."""
    from checker.rules import load_ruleset

    questions = load_ruleset(rules_path).questions
    choices = list(questions.choices.items())
    (first, firsts), (second, seconds) = (choices + [("", ("",))] * 2)[:2]
    samples = []
    for a in firsts:
        for b in seconds:
            for flag in (True, False):
                answers = {k: v for k, v in ((first, a), (second, b)) if k}
                answers.update({key: flag for key in questions.booleans})
                if flag:
                    answers.update({key: SAMPLE_TEXT for key in questions.texts})
                samples.append(json.dumps(answers, sort_keys=True))
    deep = "[" * 5000 + "]" * 5000
    return samples + ["{}", '{"rol": "onbekend"}', '{"tekst": 5}', "[", '"x"', deep, '{"rol": ' + "9" * 5000 + "}"]


def _file_entry(path: Path, relative_to: Path) -> dict:
    relative = Path(os.path.relpath(path, relative_to)).as_posix()
    return {"path": relative, "size": path.stat().st_size, "sha256": runtime.sha256_file(path)}


def write_manifest(checker_dir: Path, version: str, pin: runtime.Pin, lock: dict, files: dict[str, Path],
                   extra: dict | None = None) -> Path:
    """The small JSON the worker reads first: file names, sizes (for progress) and hashes; paths relative to it."""
    manifest = {
        "version": version,
        "pyodide": pin.version,
        "lockInfo": lock,
        "files": {name: _file_entry(path, checker_dir) for name, path in sorted(files.items())},
        **(extra or {}),
    }
    path = checker_dir / MANIFEST
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def engine_dir(version_site: Path) -> Path:
    """The version's content-hashed engine folder, as its manifest names it (for tests and the benchmark)."""
    checker_dir = version_site / CHECKER_DIR
    manifest = json.loads((checker_dir / MANIFEST).read_text(encoding="utf-8"))
    return Path(os.path.normpath(checker_dir / manifest["files"]["pyodide.mjs"]["path"])).parent


def engine_digest(files: list[Path]) -> str:
    """Short SHA-256 over the engine files' names and contents: equal files, equal folder name."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(f"{path.name}\0{runtime.sha256_file(path)}\n".encode())
    return digest.hexdigest()[:ENGINE_HASH_LENGTH]


def move_to_hashed_folder(files: dict[str, Path], pyodide_dir: Path) -> dict[str, Path]:
    """Move the engine files into pyodide_dir/<digest>/; returns the same keys with their new paths."""
    folder = pyodide_dir / engine_digest(list(files.values()))
    folder.mkdir(parents=True, exist_ok=True)
    return {key: path.replace(folder / path.name) for key, path in files.items()}


def point_worker_at(site_dir: Path, folder: Path) -> None:
    """Write the engine's hashed folder into the version's worker.js, so it starts the wasm before the manifest."""
    relative = Path(os.path.relpath(folder, (site_dir / WORKER).parent)).as_posix()
    fill_line(site_dir, WORKER_ENGINE_LINE,
              lambda: WORKER_ENGINE_LINE.replace('"../assets/pyodide/"', json.dumps(relative + "/")))


def write_checker_assets(site_dir: Path, rules_path: Path, version: str, cache_dir: Path, log: logging.Logger) -> None:
    """Put everything the checker page's worker loads under <site>/assets/, deterministically."""
    started = time.perf_counter()
    pin = runtime.load_pin()
    package = runtime.prepare_package(cache_dir, log, pin)
    pyodide_dir = site_dir / PYODIDE_DIR
    checker_dir = site_dir / CHECKER_DIR
    compiled = runtime.compile_sources(package, package_files(CHECKER_SOURCES, rules_path), cache_dir)
    wheel = build_wheel(rules_path, version, pyodide_dir, compiled=compiled)
    samples = sample_answers(rules_path)
    stdlib = runtime.stdlib_zip(package, wheel, samples, cache_dir, log)
    copied = runtime.copy_runtime(package, pyodide_dir, pin) + copy_decoder(cache_dir, pyodide_dir, log)
    (pyodide_dir / STDLIB_NAME).write_bytes(stdlib.read_bytes())
    snapshot = write_snapshot(package, pyodide_dir, stdlib, wheel, samples, cache_dir, log, pin.version)
    # The snapshot is new with every change of rules; its brotli (half a minute) runs beside the next version's work.
    compress_soon(snapshot.path, cache_dir)
    files = {"wheel": wheel, "stdlib": pyodide_dir / STDLIB_NAME, "snapshot": snapshot.path, **{p.name: p for p in copied}}
    files = move_to_hashed_folder(files, pyodide_dir)
    write_manifest(checker_dir, version, pin, runtime.lock_info(package), files,
                   {"snapshot": snapshot.manifest_entry(files["pyodide.asm.wasm"])})
    point_worker_at(site_dir, files["wheel"].parent)
    write_snapshot_hint(site_dir, files["snapshot"])
    total = sum(p.stat().st_size for p in files.values())
    log.info("Checker %s: Pyodide %s, gesnoeide stdlib %d kB, %s %d kB; %.1f MB in %.1f s",
             version, pin.version, stdlib.stat().st_size // 1024, wheel.name, files["wheel"].stat().st_size // 1024,
             total / 1e6, time.perf_counter() - started)
