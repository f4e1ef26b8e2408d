"""Reproducible .br and .gz siblings of the site's large compressible files, for servers that send them as they are
(nginx gzip_static/brotli_static, Apache rewrite rules). By rule, not by list: any file of at least MIN_SIZE bytes
whose format is not already compressed, kept only where it saves at least a tenth."""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import brotli

MIN_SIZE = 1024
MIN_SAVING = 0.10
# Already compressed formats (the wheel is a deflated zip; the stdlib zip is stored and does compress).
SKIPPED_SUFFIXES = {".br", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".woff", ".woff2",
                    ".pdf", ".whl"}
BROTLI_QUALITY = 11
GZIP_LEVEL = 9
ENCODINGS = {".br": "br", ".gz": "gzip"}


def is_candidate(path: Path) -> bool:
    return path.is_file() and not path.is_symlink() and path.suffix.lower() not in SKIPPED_SUFFIXES \
        and path.stat().st_size >= MIN_SIZE


def candidates(site_dir: Path) -> list[Path]:
    return [path for path in sorted(site_dir.rglob("*")) if is_candidate(path)]


def _brotli(data: bytes) -> bytes:
    return brotli.compress(data, quality=BROTLI_QUALITY)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)  # no name, no time: byte-identical rebuilds


# Siblings started early by compress_soon, by cache entry: precompress waits for them instead of starting again.
_started: dict[Path, Future] = {}
_started_lock = threading.Lock()


def compress_soon(path: Path, cache_dir: Path) -> None:
    """Start path's siblings now, into the cache, on a background thread: the snapshot's brotli takes half a minute,
    which the build would otherwise spend at its end instead of beside the next version's work."""
    if not is_candidate(path):
        return
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    for suffix in (".br", ".gz"):
        entry = _entry(cache_dir / "compressed", digest, suffix)
        with _started_lock:
            if entry in _started or entry.is_file():
                continue
            future: Future = Future()
            _started[entry] = future
        # A daemon thread: a build that fails meanwhile exits at once (a half-written entry is only a .tmp file).
        threading.Thread(target=_fill, args=(future, entry, data, suffix), daemon=True).start()


def _fill(future: Future, entry: Path, data: bytes, suffix: str) -> None:
    try:
        _write_entry(entry, _make(suffix)(data))
        future.set_result(None)
    except BaseException as exc:  # handed to whoever waits for it
        future.set_exception(exc)


def _make(suffix: str):
    return _brotli if suffix == ".br" else _gzip


def _entry(cache: Path, digest: str, suffix: str) -> Path:
    return cache / f"{digest}-q{BROTLI_QUALITY if suffix == '.br' else GZIP_LEVEL}{suffix}"


def _write_entry(entry: Path, packed: bytes) -> bytes:
    entry.parent.mkdir(parents=True, exist_ok=True)
    partial = entry.with_name(entry.name + f".{os.getpid()}-{threading.get_ident()}.tmp")
    partial.write_bytes(packed)
    os.replace(partial, entry)
    return packed


def _cached(cache: Path | None, data: bytes, digest: str, suffix: str) -> bytes:
    """Brotli at quality 11 takes most of a minute for the 10 MB wasm, so results are kept by content hash."""
    if cache is None:
        return _make(suffix)(data)
    entry = _entry(cache, digest, suffix)
    with _started_lock:
        started = _started.pop(entry, None)
    if started is not None:
        started.result()  # written to the cache, or raises what went wrong
    if entry.is_file():
        return entry.read_bytes()
    return _write_entry(entry, _make(suffix)(data))


def _packed(path: Path, digest: str, cache: Path | None) -> dict[str, bytes]:
    """The siblings worth writing for one file's content: suffix -> bytes."""
    data = path.read_bytes()
    kept = {}
    for suffix in (".br", ".gz"):
        packed = _cached(cache, data, digest, suffix)
        if len(packed) <= len(data) * (1 - MIN_SAVING):
            kept[suffix] = packed
    return kept


def precompress(site_dir: Path, cache_dir: Path | None = None) -> int:
    """Write <file>.br and <file>.gz next to each candidate; returns how many were written."""
    cache = cache_dir / "compressed" if cache_dir else None
    # Identical files (latest/ is a copy of the version in force) are compressed once.
    by_content: dict[str, list[Path]] = {}
    for path in candidates(site_dir):
        by_content.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), []).append(path)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # brotli releases the GIL
        results = list(pool.map(lambda item: _packed(item[1][0], item[0], cache), by_content.items()))
    written = 0
    for group, siblings in zip(by_content.values(), results):
        for path in group:
            for suffix, packed in siblings.items():
                target = path.with_name(path.name + suffix)
                if not target.exists():  # e.g. Material's own sitemap.xml.gz
                    target.write_bytes(packed)
                    written += 1
    return written
