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
    cache = cache_dir / "compressed"
    for suffix in (".br", ".gz"):
        entry = _entry(cache, data, suffix)
        with _started_lock:
            if entry in _started or entry.is_file():
                continue
            future: Future = Future()
            _started[entry] = future
        # A daemon thread: a build that fails meanwhile exits at once (a half-written entry is only a .tmp file).
        threading.Thread(target=_fill, args=(future, cache, data, suffix), daemon=True).start()


def _fill(future: Future, cache: Path, data: bytes, suffix: str) -> None:
    try:
        _cached(cache, data, suffix, wait=False)
        future.set_result(None)
    except BaseException as exc:  # handed to whoever waits for it
        future.set_exception(exc)


def _entry(cache: Path, data: bytes, suffix: str) -> Path:
    return cache / f"{hashlib.sha256(data).hexdigest()}-q{BROTLI_QUALITY if suffix == '.br' else GZIP_LEVEL}{suffix}"


def _cached(cache: Path | None, data: bytes, suffix: str, wait: bool = True) -> bytes:
    """Brotli at quality 11 takes most of a minute for the 10 MB wasm, so results are kept by content hash."""
    make = _brotli if suffix == ".br" else _gzip
    if cache is None:
        return make(data)
    entry = _entry(cache, data, suffix)
    with _started_lock:
        started = _started.pop(entry, None) if wait else None
    if started is not None:
        started.result()  # written to the cache, or raises what went wrong
    if entry.is_file():
        return entry.read_bytes()
    result = make(data)
    cache.mkdir(parents=True, exist_ok=True)
    partial = entry.with_name(entry.name + f".{os.getpid()}-{threading.get_ident()}.tmp")
    partial.write_bytes(result)
    os.replace(partial, entry)
    return result


def _packed(path: Path, cache: Path | None) -> dict[str, bytes]:
    """The siblings worth writing for one file's content: suffix -> bytes."""
    data = path.read_bytes()
    kept = {}
    for suffix in (".br", ".gz"):
        packed = _cached(cache, data, suffix)
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
    groups = list(by_content.values())
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # brotli releases the GIL
        results = list(pool.map(lambda group: _packed(group[0], cache), groups))
    written = 0
    for group, siblings in zip(groups, results):
        for path in group:
            for suffix, packed in siblings.items():
                target = path.with_name(path.name + suffix)
                if not target.exists():  # e.g. Material's own sitemap.xml.gz
                    target.write_bytes(packed)
                    written += 1
    return written
