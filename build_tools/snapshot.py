"""A build-time Pyodide memory snapshot with the checker imported and warmed up, restored by the browser worker.

Made on Node.js from the very runtime files that ship (build_tools/node/snapshot.mjs), verified there by restoring
it the way the worker does, and cached in .cache/ under a key of everything that determines its bytes: the three
runtime files, the contents (not the zip dates) of the stdlib zip and the wheel, the samples and the script.
The Node script pins clocks and randomness, so equal inputs give a byte-identical snapshot.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import pyodide_runtime as runtime
from .sparse_snapshot import pack

NODE_SCRIPT = Path(__file__).with_name("node") / "snapshot.mjs"
SNAPSHOT_NAME = "checker.snapshot"
# Pyodide's private snapshot API is tied to one release; another pin needs this code re-checked.
SUPPORTED_PYODIDE = "314.0.7"
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Snapshot:
    path: Path
    xor_length: int  # bytes of the memory image XORed with the wasm's data segments (the worker undoes it)
    modules: int  # sys.modules when the snapshot was taken; a restore must not import more
    sparse: dict | None = None  # the shipped file's page runs (sparse_snapshot.pack); None for the cached full file

    def manifest_entry(self, wasm: Path) -> dict:
        return {"xorLength": self.xor_length, "wasmSha256": runtime.sha256_file(wasm), "modules": self.modules,
                "sparse": self.sparse}


def entries_digest(archive: Path) -> str:
    """SHA-256 over a zip's entry names and contents, so zip timestamps (SOURCE_DATE_EPOCH) do not count."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(archive) as opened:
        for name in sorted(opened.namelist()):
            data = opened.read(name)
            digest.update(f"{name}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def _normalised_copy(archive: Path, target: Path) -> Path:
    """The same entries with one fixed date and fixed modes: zipimport keeps entry dates in memory, and only names
    and contents may decide the snapshot's bytes."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as copy:
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, _FIXED_DATE)
            info.external_attr = (0o40755 << 16 | 0x10) if name.endswith("/") else (0o100644 << 16)
            info.create_system = 3
            copy.writestr(info, source.read(name))
    return target


def cache_key(package_dir: Path, stdlib: Path, wheel: Path, samples: list[str]) -> str:
    parts = [runtime.sha256_file(package_dir / name) for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")]
    parts += [entries_digest(stdlib), entries_digest(wheel), samples, runtime.sha256_file(NODE_SCRIPT),
              runtime.sha256_file(Path(__file__))]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:20]


def build_snapshot(package_dir: Path, stdlib: Path, wheel: Path, samples: list[str], cache_dir: Path,
                   log: logging.Logger, version: str) -> Snapshot:
    """The verified snapshot in the cache (made once per key); raises PyodideSetupError if it cannot be made."""
    if version != SUPPORTED_PYODIDE:
        raise runtime.PyodideSetupError(
            f"pyodide {version}: de geheugensnapshot is alleen gecontroleerd voor {SUPPORTED_PYODIDE}; "
            "controleer build_tools/node/snapshot.mjs en werk SUPPORTED_PYODIDE bij.")
    folder = cache_dir / "pyodide" / "snapshot"
    folder.mkdir(parents=True, exist_ok=True)
    key = cache_key(package_dir, stdlib, wheel, samples)
    target, meta = folder / f"snapshot-{key}.bin", folder / f"snapshot-{key}.json"
    if target.exists() and meta.exists():
        info = json.loads(meta.read_text(encoding="utf-8"))
        return Snapshot(target, info["xorLength"], info["modules"])
    log.info("Geheugensnapshot van de checker maken in Pyodide op Node.js")
    with tempfile.TemporaryDirectory(dir=folder, prefix=".build-") as tmp:
        work = Path(tmp)
        with zipfile.ZipFile(work / "empty.zip", "w"):
            pass
        staged = work / target.name
        job = {
            "pyodideDir": str(package_dir),
            "lockInfo": runtime.lock_info(package_dir),
            "stdlib": str(_normalised_copy(stdlib, work / "stdlib.zip")),
            "wheel": str(_normalised_copy(wheel, work / "checker.whl")),
            "emptyStdlib": str(work / "empty.zip"),
            "samples": samples,
            "out": str(staged),
        }
        (work / "job.json").write_text(json.dumps(job), encoding="utf-8")
        result = runtime._run(["node", str(NODE_SCRIPT), str(work / "job.json")], "Geheugensnapshot maken")
        info = json.loads(result.stdout.strip().splitlines()[-1])
        os.replace(staged, target)
        meta.write_text(json.dumps(info, sort_keys=True) + "\n", encoding="utf-8")
    return Snapshot(target, info["xorLength"], info["modules"])


def write_snapshot(package_dir: Path, pyodide_dir: Path, stdlib: Path, wheel: Path, samples: list[str],
                   cache_dir: Path, log: logging.Logger, version: str) -> Snapshot:
    """Build (or reuse) the snapshot and write it, without its zero pages, next to the shipped pyodide.asm.wasm."""
    snapshot = build_snapshot(package_dir, stdlib, wheel, samples, cache_dir, log, version)
    shipped = pyodide_dir / SNAPSHOT_NAME
    packed, sparse = pack(snapshot.path.read_bytes())
    shipped.write_bytes(packed)
    if runtime.sha256_file(package_dir / "pyodide.asm.wasm") != runtime.sha256_file(pyodide_dir / "pyodide.asm.wasm"):
        raise runtime.PyodideSetupError("pyodide.asm.wasm in de site is niet die waarvan de snapshot is gemaakt.")
    return Snapshot(shipped, snapshot.xor_length, snapshot.modules, sparse)
