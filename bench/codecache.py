"""Does V8's wasm code cache apply on a later visit? Measured with Chromium's own trace events, not assumed.

A first visit decodes the brotli wasm and keeps the decoded copy in Cache Storage (worker.js, storeDecoded); later
visits compile that copy as the service worker answers it (Chromium keeps V8's code beside a Cache Storage entry
only for a response a service worker served). In a fresh persistent profile (a normal one: Playwright's ordinary
contexts are off-the-record, with no code cache): the first visit, waiting for the stored copies; a second visit
that runs EVALUATIONS evaluations in the page's own worker and stays SETTLE_MS on the page; a third visit. The
second and third are traced over CDP: `wasm.CompilationChunkFinished` is V8 offering its optimised code for
caching, `v8.wasm.compiledModule` Blink's caching callback receiving it for the checker's wasm, `v8.wasm.cachedModule`
a write, `v8.wasm.moduleCacheHit` a visit compiling from the cache. The profile's `Code Cache/wasm/` folder is
listed too (it holds the brotli decoder's wasm, a fetched response; the checker's code is Cache Storage side data).

The row marked "diagnosis" runs Chromium with V8's `--wasm-caching-timeout-ms=0`, which never ships to readers, so
V8 offers its code at once: whether Blink then writes it depends on the response alone.
`python -m bench.codecache --site SITE` runs it alone; `make bench` prints the same table.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench.snapshot import EMBED
from build_tools.devkit import CHROMIUM, CHROMIUM_ARGS, RECORD_WORKER, V8_CACHE_AT_ONCE, serve_directory, traced_checker_visit

EVALUATIONS = 1000  # far more than a reader's visit: a teacher checks a message or two
SETTLE_MS = 6000  # V8 writes its cache 2 s after the last optimised function (--wasm-caching-timeout-ms)


def _traced_visit(context, url: str, evaluations: int) -> dict:
    ready_ms, events = traced_checker_visit(context, url, evaluations, SETTLE_MS)
    names = [event["name"] for event in events]
    written = [e["args"].get("producedCacheSize", 0) for e in events if e["name"] == "v8.wasm.cachedModule"]
    return {"ready_ms": ready_ms, "writes": len(written), "written_bytes": max(written, default=0),
            "hits": names.count("v8.wasm.moduleCacheHit"), "top_tier": names.count("wasm.TopTierCompilation"),
            "chunks": names.count("wasm.CompilationChunkFinished"),
            "offered": sum(1 for e in events if e["name"] == "v8.wasm.compiledModule"
                           and "pyodide.asm.wasm" in e["args"].get("url", ""))}


def _wasm_cache_files(profile: Path) -> int:
    folder = profile / "Default" / "Code Cache" / "wasm"
    return sum(1 for p in folder.glob("*_0")) if folder.is_dir() else 0


def probe(browser_type, base: str, diagnosis: bool) -> dict:
    """A first visit, a second with heavy use and a third, in one fresh persistent profile."""
    with tempfile.TemporaryDirectory(prefix="cvo-codecache-") as profile:
        context = browser_type.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS + ([V8_CACHE_AT_ONCE] if diagnosis else []),
            headless=True, service_workers="allow")
        try:
            url = base + EMBED
            page = context.new_page()  # a plain first visit: after it the service worker controls the next ones
            page.add_init_script(RECORD_WORKER)
            page.goto(url)
            page.wait_for_selector("#cvo-checker[data-state='ready']", state="attached", timeout=120000)
            page.wait_for_function("() => window.__cvoStored", timeout=60000)  # the decoded copies a later visit compiles
            page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
            page.close()
            first = _traced_visit(context, url, EVALUATIONS)  # the second visit: the decoded copy, used heavily
            second = _traced_visit(context, url, 0)  # the third
            return {"path": "decoded copy, via service worker",
                    "diagnosis": diagnosis, "first": first, "second": second,
                    "files": _wasm_cache_files(Path(profile))}
        finally:
            context.close()


def measure(browser_type, base: str) -> list[dict]:
    return [probe(browser_type, base, diagnosis) for diagnosis in (False, True)]


def report(rows: list[dict]) -> str:
    lines = ["", "V8 wasm code cache on later visits (persistent profile; on the second visit, TF fns: functions V8 "
             f"optimised during {EVALUATIONS} evaluations,", f"then {SETTLE_MS / 1000:.0f} s on the page; chunks: V8's "
             "caching events; to Blink: received by Blink's caching callback;", "writes: cache entries Blink wrote; "
             "files: in Code Cache/wasm/, the decoder's wasm; third visit: hits and ready)", "-" * 104,
             f"{'wasm compiled from':<32} {'flags':<22} {'TF fns':>6} {'chunks':>6} {'to Blink':>8} {'writes':>6} "
             f"{'files':>5} {'3rd: hits':>10} {'ready':>8}"]
    for row in rows:
        first, second = row["first"], row["second"]
        flags = "timeout 0 (diagnosis)" if row["diagnosis"] else "none (as readers)"
        written = f" ({first['written_bytes'] / 1e3:.0f} kB)" if first["writes"] else ""
        lines.append(f"{row['path']:<32} {flags:<22} {first['top_tier']:>6} {first['chunks']:>6} {first['offered']:>8} "
                     f"{first['writes']:>6} {row['files']:>5} {second['hits']:>10} {second['ready_ms']:>5.0f} ms{written}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.codecache", description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site (python -m build_tools build -d SITE)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="cvo-codecache-root-") as tmp, sync_playwright() as playwright:
        root = Path(tmp)
        os.symlink(args.site.resolve(), root / "site")
        with serve_directory(root) as base:
            print(report(measure(playwright.chromium, base)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
