"""A deterministic, pure-Python wheel of the `checker` package with one version's rules bundled in."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import time
import zipfile
from pathlib import Path

DIST_NAME = "cvo_checker"
PACKAGE = "checker"
CHECKER_DIR = Path(__file__).resolve().parents[1] / PACKAGE
# Zip cannot store dates before 1980; this constant is used when SOURCE_DATE_EPOCH is unset.
DEFAULT_EPOCH = 315532800
_SKIP_DIRS = {"__pycache__"}
_SUFFIXES = {".py", ".toml"}


def zip_date_time(epoch: int | None = None) -> tuple[int, int, int, int, int, int]:
    """The one timestamp every archive entry gets: `epoch`, else SOURCE_DATE_EPOCH if set, else a constant."""
    if epoch is None:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    return time.gmtime(max(epoch, DEFAULT_EPOCH))[:6]


def write_zip(path: Path, entries: dict[str, bytes], epoch: int | None = None) -> None:
    """Write `entries` sorted, uncompressed, with fixed timestamps and modes, so equal input gives equal bytes."""
    date_time = zip_date_time(epoch)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time)
            info.external_attr = (0o40755 << 16 | 0x10) if name.endswith("/") else (0o100644 << 16)
            info.create_system = 3
            archive.writestr(info, entries[name])
    os.replace(tmp, path)


def wheel_version(version: str) -> str:
    """A site version ("2.0") as a wheel version; anything non-PEP 440 becomes a local label."""
    if re.fullmatch(r"\d+(\.\d+)*", version):
        return version
    return "0+" + (re.sub(r"[^A-Za-z0-9]+", ".", version).strip(".").lower() or "unknown")


def wheel_name(version: str) -> str:
    return f"{DIST_NAME}-{wheel_version(version)}-py3-none-any.whl"


def package_files(source_dir: Path, rules_path: Path) -> dict[str, bytes]:
    """The package's .py/.toml files, with the version's rules and questions (regels.toml, vragen.toml) bundled."""
    files = {}
    for path in sorted(source_dir.rglob("*")):
        relative = path.relative_to(source_dir)
        if path.is_file() and path.suffix in _SUFFIXES and not _SKIP_DIRS & set(relative.parts):
            files[f"{PACKAGE}/{relative.as_posix()}"] = path.read_bytes()
    if f"{PACKAGE}/web.py" not in files:
        raise FileNotFoundError(f"{source_dir}: checker/web.py ontbreekt; de checker kan niet worden gebouwd.")
    files[f"{PACKAGE}/regels.toml"] = rules_path.read_bytes()
    questions = rules_path.with_name("vragen.toml")
    if not questions.is_file():
        raise FileNotFoundError(f"{questions}: de vragen van deze versie ontbreken (vragen.toml hoort naast regels.toml).")
    files[f"{PACKAGE}/vragen.toml"] = questions.read_bytes()
    return files


def content_digest(path: Path) -> str:
    """SHA-256 of an archive's entry names and contents, not its bytes: the same wheel built on another day
    (another SOURCE_DATE_EPOCH in its entry dates) has the same digest, so caches keyed on it stay warm."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            digest.update(name.encode() + b"\0" + hashlib.sha256(archive.read(name)).digest())
    return digest.hexdigest()


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def dist_info(files: dict[str, bytes], version: str) -> dict[str, bytes]:
    """METADATA, WHEEL and RECORD for `files`."""
    info_dir = f"{DIST_NAME}-{wheel_version(version)}.dist-info"
    meta = {
        f"{info_dir}/METADATA": (
            f"Metadata-Version: 2.1\nName: cvo-checker\nVersion: {wheel_version(version)}\n"
            f"Summary: CVO social-media protocol checker (rules of protocol version {version})\n"
        ).encode(),
        f"{info_dir}/WHEEL": b"Wheel-Version: 1.0\nGenerator: build_tools.wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    rows = [f"{name},{_record_hash(data)},{len(data)}" for name, data in sorted({**files, **meta}.items())]
    rows.append(f"{info_dir}/RECORD,,")
    meta[f"{info_dir}/RECORD"] = ("\n".join(rows) + "\n").encode()
    return meta


def build_wheel(rules_path: Path, version: str, out_dir: Path, source_dir: Path = CHECKER_DIR,
                compiled: dict[str, bytes] | None = None) -> Path:
    """Build the checker wheel for `version` into `out_dir` and return its path.

    `compiled` adds bytecode (checker/__pycache__/*.cpython-314.pyc) next to the sources: ignored by other
    Pythons, it spares Pyodide compiling the checker in the browser.
    """
    files = {**package_files(source_dir, rules_path), **(compiled or {})}
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / wheel_name(version)
    write_zip(path, {**files, **dist_info(files, version)})
    return path
