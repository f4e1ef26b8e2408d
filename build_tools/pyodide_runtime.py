"""The pinned Pyodide runtime: fetch and verify the npm tarball, unpack it, and build a precompiled, pruned stdlib.

The stdlib is traced and compiled inside Pyodide itself on Node.js (build_tools/node/stdlib.mjs), because
`pyodide py-compile` needs a native CPython of Pyodide's exact version, which cannot be installed here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .wheel import DEFAULT_EPOCH, content_digest, write_zip

PIN_PATH = Path(__file__).with_name("pyodide.pin.json")
NODE_SCRIPT = Path(__file__).with_name("node") / "stdlib.mjs"
NODE_TIMEOUT = 600


class PyodideSetupError(RuntimeError):
    """The runtime could not be fetched, verified or prepared; the message says what to do."""


@dataclass(frozen=True)
class Pin:
    package: str
    version: str
    sha256: str
    runtime_files: tuple[str, ...]
    pin_file: str = PIN_PATH.name  # named in checksum errors: which file to update

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"


def load_pin(path: Path = PIN_PATH) -> Pin:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Pin(data["package"], data["version"], data["sha256"].lower(), tuple(data["runtime_files"]), path.name)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_checksum(path: Path, expected: str, pin_file: str = PIN_PATH.name) -> None:
    """Raise PyodideSetupError unless the file's SHA-256 is the one pinned in build_tools/<pin_file>."""
    actual = sha256_file(path)
    if actual != expected:
        raise PyodideSetupError(
            f"{path.name}: SHA-256 is {actual}, maar {pin_file} pint {expected}. "
            "Het pakket is niet gebruikt en niet bewaard. Controleer de registry of werk versie en checksum "
            f"samen bij in build_tools/{pin_file}."
        )


def _run(command: list[str], what: str, **kwargs) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=NODE_TIMEOUT, **kwargs)
    except FileNotFoundError:
        raise PyodideSetupError(f"{what}: '{command[0]}' niet gevonden; installeer Node.js 20 met npm.") from None
    except subprocess.TimeoutExpired:
        raise PyodideSetupError(f"{what}: duurde langer dan {NODE_TIMEOUT} s.") from None
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise PyodideSetupError(f"{what} mislukt (exit {result.returncode}):\n{tail}")
    return result


def npm_pack(spec: str, destination: Path) -> Path:
    """`npm pack <spec>` into `destination`; returns the tarball path."""
    result = _run(["npm", "pack", spec, "--pack-destination", str(destination), "--json"], f"npm pack {spec}")
    start = result.stdout.find("[")
    filename = json.loads(result.stdout[start:])[0]["filename"]
    return destination / filename


def fetch_tarball(cache_dir: Path, pin: Pin, log: logging.Logger, pack=npm_pack) -> Path:
    """The verified tarball in the cache; a download only lands there after its checksum matched."""
    folder = cache_dir / "pyodide"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{pin.package}-{pin.version}.tgz"
    if target.exists():
        try:
            verify_checksum(target, pin.sha256, pin.pin_file)
            return target
        except PyodideSetupError:
            log.warning("%s in de cache is beschadigd (checksum); opnieuw ophalen", pin.package)
            target.unlink()
    log.info("%s %s ophalen met npm pack", pin.package, pin.version)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".download-") as tmp:
        downloaded = pack(pin.spec, Path(tmp))
        verify_checksum(downloaded, pin.sha256, pin.pin_file)
        os.replace(downloaded, target)
    return target


def unpack(tarball: Path, cache_dir: Path, pin: Pin) -> Path:
    """The tarball's package/ folder, unpacked once per checksum (atomic rename, so never half there)."""
    target = cache_dir / "pyodide" / f"{pin.version}-{pin.sha256[:12]}"
    if target.is_dir():
        return target
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".unpack-") as tmp:
        with tarfile.open(tarball, "r:gz") as archive:
            archive.extractall(tmp, filter="data")
        try:
            os.rename(Path(tmp) / "package", target)
        except OSError:
            if not target.is_dir():  # another build may have unpacked it meanwhile
                raise
    return target


def prepare_package(cache_dir: Path, log: logging.Logger, pin: Pin | None = None) -> Path:
    """Fetch (if needed), verify and unpack the pinned release; returns the unpacked folder."""
    pin = pin or load_pin()
    return unpack(fetch_tarball(cache_dir, pin, log), cache_dir, pin)


def lock_info(package_dir: Path) -> dict:
    """The lock file's `info` block: all loadPyodide needs when no packages are loaded."""
    return json.loads((package_dir / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]


def _node_job(job: dict, what: str, collect_pyc: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="cvo-stdlib-") as tmp:
        path = Path(tmp) / "job.json"
        out = Path(tmp) / "out"
        out.mkdir()
        path.write_text(json.dumps({**job, "outDir": str(out)}), encoding="utf-8")
        result = _run(["node", str(NODE_SCRIPT), str(path)], what)
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        if job.get("trace"):
            summary["modules"] = json.loads((out / "modules.json").read_text(encoding="utf-8"))
        if job.get("compile") or collect_pyc:
            summary["pyc"] = {p.relative_to(out / "pyc").as_posix(): p.read_bytes()
                              for p in sorted((out / "pyc").rglob("*.pyc"))}
        return summary


def zip_entries(pyc: dict[str, bytes]) -> dict[str, bytes]:
    """The .pyc files plus a directory entry for every package folder, like the stock zip has."""
    entries = dict(pyc)
    for name in pyc:
        parts = name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            entries["/".join(parts[:depth]) + "/"] = b""
    return entries


# Bumped when the cached zip's bytes change for the same modules (2: entries dated by a constant, not the build).
STDLIB_FORMAT = 2


def stdlib_zip(package_dir: Path, wheel: Path, samples: list[str], cache_dir: Path, log: logging.Logger) -> Path:
    """The precompiled stdlib pruned to the checker's load path; cached by Pyodide + module list."""
    folder = cache_dir / "pyodide" / "stdlib"
    folder.mkdir(parents=True, exist_ok=True)
    script = sha256_file(NODE_SCRIPT)
    base = {"pyodideDir": str(package_dir), "lockInfo": lock_info(package_dir)}
    # Keyed on what the wheel contains, not its bytes (its entry dates follow SOURCE_DATE_EPOCH).
    trace_file = folder / f"trace-{_key(package_dir.name, content_digest(wheel), samples, script)}.json"
    modules = json.loads(trace_file.read_text(encoding="utf-8")) if trace_file.exists() else None
    if modules is not None:
        cached = folder / f"stdlib-{_key(package_dir.name, modules, script, STDLIB_FORMAT)}.zip"
        if cached.exists():
            return cached
    job = {**base, "wheel": str(wheel), "samples": samples, "trace": modules is None, "compile": True,
           "modules": modules or []}
    result = _node_job(job, "Standaardbibliotheek traceren en compileren in Pyodide")
    modules = result["modules"] if modules is None else modules
    target = folder / f"stdlib-{_key(package_dir.name, modules, script, STDLIB_FORMAT)}.zip"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".build-") as tmp:
        staged = Path(tmp) / target.name
        write_zip(staged, zip_entries(result["pyc"]), epoch=DEFAULT_EPOCH)  # a cache entry: dated by nothing
        # The pruned zip must carry the same load path on its own before it is cached.
        _node_job({**base, "wheel": str(wheel), "samples": samples, "trace": False, "compile": False,
                   "modules": [], "verifyStdlib": str(staged)}, "Gesnoeide standaardbibliotheek controleren")
        os.replace(staged, target)
    trace_file.write_text(json.dumps(modules, indent=1) + "\n", encoding="utf-8")
    return target


def compile_sources(package_dir: Path, sources: dict[str, bytes], cache_dir: Path) -> dict[str, bytes]:
    """Unchecked-hash .pyc for .py files (e.g. "checker/web.py"), as "checker/__pycache__/web.<tag>.pyc".

    Shipped next to the sources in the wheel, so the browser imports the checker without compiling it.
    """
    python = {name: data for name, data in sorted(sources.items()) if name.endswith(".py")}
    folder = cache_dir / "pyodide" / "pyc"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    for name, data in python.items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    cached = folder / f"sources-{_key(package_dir.name, digest.hexdigest(), sha256_file(NODE_SCRIPT))}.json"
    if cached.exists():
        return {k: bytes.fromhex(v) for k, v in json.loads(cached.read_text(encoding="utf-8")).items()}
    with tempfile.TemporaryDirectory(prefix="cvo-sources-") as tmp:
        jobs = []
        for name, data in python.items():
            host = Path(tmp, name)
            host.parent.mkdir(parents=True, exist_ok=True)
            host.write_bytes(data)
            jobs.append({"name": name, "path": str(host), "dfile": "/lib/python3.14/site-packages/" + name})
        summary = _node_job({"pyodideDir": str(package_dir), "lockInfo": lock_info(package_dir), "sources": jobs},
                            "Checker compileren in Pyodide", collect_pyc=True)
    compiled = {}
    for name in python:
        folder_name, _, module = name.rpartition("/")
        target = f"{folder_name}/__pycache__/{module[:-3]}.{summary['cacheTag']}.pyc"
        compiled[target] = summary["pyc"][name + "c"]
    staged = cached.with_name(cached.name + f".{os.getpid()}")
    staged.write_text(json.dumps({k: v.hex() for k, v in compiled.items()}, sort_keys=True), encoding="utf-8")
    os.replace(staged, cached)
    return compiled


def copy_runtime(package_dir: Path, destination: Path, pin: Pin | None = None) -> list[Path]:
    """Copy only the core runtime files the browser loads (no lock file, no stock stdlib, no source maps)."""
    pin = pin or load_pin()
    destination.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in pin.runtime_files:
        shutil.copyfile(package_dir / name, destination / name)
        copied.append(destination / name)
    return copied
