"""Snapshot and second-visit figures for `python -m bench`, measured in the same browser run as the cold ratio.

(e) a second visit in the same persistent profile (fresh for every pair) once the service worker is installed,
    against a stock loadPyodide() second visit (HTTP cache), alternating in pairs; with the requests that reached
    the server, the worker's wasm fetch+compile time and where the checker's second visit spends its time;
(f) the snapshot's size raw, gzip and brotli, and what it replaces (the stdlib zip and the wheel);
(g) navigation to the first advice on the embed page (answers in the URL), cold and on a second visit.
"""

from __future__ import annotations

import functools
import gzip
import json
import statistics
import tempfile
import threading
import zlib
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

from build_tools.checker_assets import engine_dir
from build_tools.devkit import CHROMIUM, CHROMIUM_ARGS, RECORD_WORKER
from build_tools.sparse_snapshot import unpack

TARGETS = {"cold_ratio": 0.35, "second_ratio": 0.30, "first_visit_gzip_mb": 5.5}
CHECKER = "site/latest/checker/"
EMBED = "site/latest/checker/embed/#rol=medewerker&situatie=prive&over_cvo=ja"
# Records the worker's "ready" report and the moment the first advice is on the page.
INSTRUMENT = RECORD_WORKER + """
new MutationObserver((_, observer) => {
  if (document.querySelector(".cvo-oordeel")) {
    window.__cvoAdviceMs = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""
UPDATE_CHECK = "/checker/sw.js"
SETTLE_MS = 4000  # time on the page after the first visit: service worker precache and V8's code-cache write


@contextmanager
def counting_server(root: Path, handler_class):
    """The benchmark's static server, counting the requests that reach it (i.e. go over the network)."""
    hits: list[str] = []

    class Counting(handler_class):
        def do_GET(self):
            hits.append(self.path)
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    finally:
        server.shutdown()
        server.server_close()


def _visit(context, url: str, ready: str) -> dict:
    page = context.new_page()
    page.add_init_script(INSTRUMENT)
    page.goto(url)
    page.wait_for_selector(ready, state="attached", timeout=120000)
    info = {"ready_ms": float(page.get_attribute(ready.split("[")[0] + "[data-ready-ms]", "data-ready-ms"))}
    if ready.startswith("#cvo-checker"):
        page.wait_for_function("window.__cvoAdviceMs !== undefined || !location.hash", timeout=30000)
        info.update(page.evaluate("({report: window.__cvoReady || null, advice_ms: window.__cvoAdviceMs || null, "
                                  "page_origin: performance.timeOrigin})"))
    return {"page": page, **info}


def _second_visit(browser, base: str, hits: list[str], path: str, ready: str, service_worker: bool) -> dict:
    """First visit, settle, then the measured second visit; counts its network requests.

    Both visits happen in a persistent profile (a fresh user_data_dir each time), as a reader's browser keeps one:
    Playwright's ordinary contexts are off-the-record, and Chromium keeps no code cache for those.
    """
    with tempfile.TemporaryDirectory(prefix="cvo-profile-") as profile:
        context = browser.browser_type.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            service_workers="allow" if service_worker else "block")
        try:
            first = _visit(context, base + path, ready)
            if service_worker:
                first["page"].evaluate("navigator.serviceWorker.ready.then(() => true)")
                first["page"].wait_for_function("navigator.serviceWorker.controller !== null", timeout=60000)
                first["page"].wait_for_function("() => window.__cvoStored", timeout=60000)  # decoded copies kept
            first["page"].wait_for_timeout(SETTLE_MS)
            first["page"].close()
            before = len(hits)
            second = _visit(context, base + path, ready)
            second["page"].wait_for_timeout(1500)  # the browser checks sw.js for an update after the load
            second["network"] = hits[before:]
            second["page"].close()
            return {"first": {k: v for k, v in first.items() if k != "page"},
                    **{k: v for k, v in second.items() if k != "page"}}
        finally:
            context.close()


def _cold_advice(browser, base: str) -> dict:
    context = browser.new_context(service_workers="block")
    try:
        visit = _visit(context, base + EMBED, "#cvo-checker[data-state='ready']")
        visit["page"].close()
        return {k: v for k, v in visit.items() if k != "page"}
    finally:
        context.close()


def _sizes(site: Path) -> dict:
    import brotli  # noqa: PLC0415 (only the benchmark needs it)

    manifest = json.loads((site / "latest/assets/checker/manifest.json").read_text(encoding="utf-8"))
    folder = site / "latest/assets/checker"
    sizes = {}
    for name in ("snapshot", "stdlib", "wheel", "pyodide.asm.wasm"):
        data = (folder / manifest["files"][name]["path"]).read_bytes()
        sizes[name] = (len(data), len(gzip.compress(data, 6, mtime=0)), len(brotli.compress(data, quality=11)))
    raw = unpack((folder / manifest["files"]["snapshot"]["path"]).read_bytes(), manifest["snapshot"]["sparse"])
    sizes["snapshot_full"] = len(raw)
    sizes["snapshot_plain_gzip"] = len(zlib.compress(_undo_xor(raw, manifest, site), 6))
    return sizes


def _undo_xor(encoded: bytes, manifest: dict, site: Path) -> bytes:
    """The snapshot as Pyodide writes it (before the XOR with the data segments), for the size comparison."""
    wasm = (engine_dir(site / "latest") / "pyodide.asm.wasm").read_bytes()
    length = manifest["snapshot"]["xorLength"]
    image = bytearray(length)
    for offset, data in _active_data_segments(wasm):
        end = min(length, offset + len(data))
        if offset < end:
            image[offset:end] = data[: end - offset]
    header = int.from_bytes(encoded[4:8], "little")
    out = bytearray(encoded)
    memory = memoryview(out)[header: header + length]
    for i, byte in enumerate(image):
        if byte:
            memory[i] ^= byte
    return bytes(out)


def _leb(data: bytes, i: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def _active_data_segments(wasm: bytes):
    i = 8
    while i < len(wasm):
        section, i = wasm[i], i + 1
        size, i = _leb(wasm, i)
        if section == 11:
            count, j = _leb(wasm, i)
            for _ in range(count):
                kind, j = _leb(wasm, j)
                if kind == 1:  # passive: not placed at instantiation
                    length, j = _leb(wasm, j)
                    j += length
                    continue
                if kind == 2:
                    _, j = _leb(wasm, j)
                opcode, j = wasm[j], j + 1
                offset, j = _leb(wasm, j) if opcode == 0x41 else (0, j)
                j += 1  # end
                length, j = _leb(wasm, j)
                yield offset, wasm[j:j + length]
                j += length
        i += size


def measure(browser, root: Path, site: Path, handler_class, pairs: int) -> dict:
    """All of (e), (f), (g), alternating stock and checker second visits in pairs."""
    results = {"checker_second": [], "stock_second": [], "cold_advice": [], "sizes": _sizes(site)}
    with counting_server(root, handler_class) as (base, hits):
        for i in range(pairs):
            order = ("stock", "checker") if i % 2 == 0 else ("checker", "stock")
            for which in order:
                if which == "stock":
                    results["stock_second"].append(
                        _second_visit(browser, base, hits, "bench/", "html[data-state='ready']", False))
                else:
                    results["checker_second"].append(
                        _second_visit(browser, base, hits, EMBED, "#cvo-checker[data-state='ready']", True))
            results["cold_advice"].append(_cold_advice(browser, base))
    return results


def report(results: dict, cold: dict) -> str:
    """The table's second part; `cold` is the main benchmark's results (cold pairs and transfer rows)."""
    cold_ratio = statistics.median(c / s for s, c in zip(cold["stock"], cold["checker"]))
    first_visit_gzip = sum(row[2] for row in cold["checker_bytes"])
    ok = lambda good: "ok" if good else "MISSED"  # noqa: E731
    stock = [v["ready_ms"] for v in results["stock_second"]]
    checker = [v["ready_ms"] for v in results["checker_second"]]
    ratios = [c / s for s, c in zip(stock, checker)]
    ratio = statistics.median(ratios)
    # The browser checks the service worker's script for a new build after every navigation (how new rules arrive);
    # everything else a second visit sends to the server is the checker's own loading.
    update_checks = [sum(1 for path in v["network"] if path.endswith(UPDATE_CHECK)) for v in results["checker_second"]]
    loading = [len(v["network"]) - checks for v, checks in zip(results["checker_second"], update_checks)]
    compile_first = [v["first"]["report"]["compileMs"] for v in results["checker_second"]]
    compile_second = [v["report"]["compileMs"] for v in results["checker_second"]]
    starts = sorted({v["report"]["start"] for v in results["checker_second"]} |
                    {v["report"]["start"] for v in results["cold_advice"]})
    advice_cold = statistics.median(v["advice_ms"] for v in results["cold_advice"])
    advice_second = statistics.median(v["advice_ms"] for v in results["checker_second"])
    sizes = results["sizes"]
    mb = lambda n: f"{n / 1e6:.2f} MB"  # noqa: E731
    s_raw, s_gz, s_br = sizes["snapshot"]
    replaced_gz = sizes["stdlib"][1] + sizes["wheel"][1]
    lines = [
        "",
        "snapshot and second visit (same run)",
        "-" * 96,
        f"{'    cold ratio b/a (from above)':<52} {cold_ratio:>22.2f}  {'<= 0.35':>10}  {ok(cold_ratio <= TARGETS['cold_ratio'])}",
        f"{'(e) stock loadPyodide second visit, median':<52} {statistics.median(stock):>19.0f} ms",
        f"{'    checker second visit (service worker), median':<52} {statistics.median(checker):>19.0f} ms",
        f"{'    ratio, median of {} pairs (min-max)'.format(len(ratios)):<52} "
        f"{ratio:>9.2f} ({min(ratios):.2f}-{max(ratios):.2f})  {'<= 0.30':>10}  {ok(ratio <= TARGETS['second_ratio'])}",
        f"{'    requests of the loading reaching the server':<52} {max(loading):>22}  {'0':>10}  {ok(max(loading) == 0)}",
        f"{'    update checks of sw.js by the browser (kept)':<52} {max(update_checks):>22}",
        f"{'    wasm fetch+compile, first / second visit, median':<52} "
        f"{statistics.median(compile_first):>9.0f} / {statistics.median(compile_second):.0f} ms",
        f"{'    worker start mode(s)':<52} {', '.join(starts):>22}",
        f"{'(f) snapshot as shipped raw / gzip / brotli':<52} {mb(s_raw) + ' / ' + mb(s_gz) + ' / ' + mb(s_br):>36}",
        f"{'    the same with its zero pages (as Pyodide wrote it)':<52} {mb(sizes['snapshot_full']):>22}",
        f"{'    same snapshot without the XOR, gzip':<52} {mb(sizes['snapshot_plain_gzip']):>22}",
        f"{'    not fetched at start: stdlib zip + wheel, gzip':<52} {mb(replaced_gz):>22}",
        f"{'    first visit transfer, gzip (d, above)':<52} {mb(first_visit_gzip):>22}  {'<= 5.5 MB':>10}  "
        f"{ok(first_visit_gzip <= TARGETS['first_visit_gzip_mb'] * 1e6)}",
        f"{'(g) navigation -> first advice, cold, median':<52} {advice_cold:>19.0f} ms",
        f"{'    navigation -> first advice, second visit, median':<52} {advice_second:>19.0f} ms",
    ]
    if max(loading) + max(update_checks):
        lines.append("    second-visit requests: " + ", ".join(sorted(set(results["checker_second"][-1]["network"]))))
    lines.append("    checker second visit, step ends (ms from navigation, median): " + _steps(results["checker_second"]))
    return "\n".join(lines)


STEPS = ("worker", "manifest", "compiled", "snapshot", "instantiated", "restored", "ready")


def _steps(visits: list[dict]) -> str:
    """The worker's marks on the page's clock: where a second visit spends its time."""
    shifted = [{name: at + v["report"]["timeOrigin"] - v["page_origin"] for name, at in v["report"]["marks"].items()}
               for v in visits if v.get("report") and "marks" in v["report"]]
    steps = [(name, statistics.median(m[name] for m in shifted)) for name in STEPS if shifted and all(name in m for m in shifted)]
    return ", ".join(f"{name} {at:.0f}" for name, at in steps) or "not reported"
