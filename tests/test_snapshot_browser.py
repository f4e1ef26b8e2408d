"""The checker restored from the build-time memory snapshot in Chromium: the same advice as CPython on every
scenario, and a corrupt snapshot that falls back to the normal start, saying so in the console."""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager

import brotli
import pytest

from build_tools.checker_assets import engine_dir
from build_tools.devkit import RECORD_WORKER
from conftest import CURRENT, QuietHandler, serve_directory
from test_browser_checker import COLLECT_MESSAGES, SCENARIOS, assert_every_scenario_matches_cpython, parent_server  # noqa: F401

MANIFEST = f"/{CURRENT}/assets/checker/manifest.json"
FALLBACK_WARNING = "starten vanuit de snapshot mislukt"
# The worker's "ready" message says how it started; this keeps it where the test can read it (every frame).
RECORD_READY = RECORD_WORKER


def flip_bytes(data: bytes) -> bytes:
    """Damage the Python heap in the middle of the memory image (not the header): only a checksum notices."""
    damaged = bytearray(data)
    for offset in range(len(data) // 2, len(data) // 2 + 4096, 7):
        damaged[offset] ^= 0x5A
    return bytes(damaged)


def bad_magic(data: bytes) -> bytes:
    """A wrong magic number: Pyodide's own check refuses it after the wasm is instantiated."""
    return b"\0\0\0\0" + data[4:]


@contextmanager
def serve_with_snapshot(root, corrupt, matching_checksum: bool):
    """Serve the built site, with a corrupted checker.snapshot (and optionally a manifest whose checksum matches it)."""
    shipped = engine_dir(root / CURRENT) / "checker.snapshot"
    snapshot = corrupt(shipped.read_bytes())
    manifest = json.loads((root / MANIFEST.lstrip("/")).read_text(encoding="utf-8"))
    if matching_checksum:
        manifest["files"]["snapshot"]["sha256"] = hashlib.sha256(snapshot).hexdigest()
    # The worker fetches the brotli sibling (theme/checker/decode.js); both forms carry the same damage.
    overrides = {"/" + shipped.relative_to(root).as_posix(): (snapshot, "application/octet-stream"),
                 "/" + shipped.relative_to(root).as_posix() + ".br": (brotli.compress(snapshot, quality=1),
                                                                    "application/octet-stream"),
                 MANIFEST: (json.dumps(manifest).encode(), "application/json")}

    class Corrupting(QuietHandler):
        def do_GET(self):
            path = self.path.split("?")[0]
            if path not in overrides:
                return super().do_GET()
            body, kind = overrides[path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serve_directory(root, handler_class=Corrupting) as url:
        yield url


def run_every_scenario(browser, site_url: str, parent_url: str) -> tuple[dict, list[str]]:
    """All scenarios through the embed page in a cross-origin iframe; returns the worker's ready report and console."""
    context = browser.new_context(service_workers="block")  # every start is a cold one, from this server
    console = []
    context.on("console", lambda message: console.append(message.text))
    try:
        page = context.new_page()
        page.on("console", lambda message: console.append(message.text))
        page.add_init_script(COLLECT_MESSAGES + RECORD_READY)
        page.goto(parent_url)
        embed = site_url + f"{CURRENT}/checker/embed/"
        page.evaluate("src => { document.querySelector('iframe').src = src; }", embed)
        page.wait_for_function(
            "window.__messages.some(m => m.data && m.data.type === 'cvo-checker:ready')", timeout=90000)
        report = page.frames[1].evaluate("window.__cvoReady")
        # Every scenario is asked at once after ready, while the worker warms up between them.
        assert_every_scenario_matches_cpython(page, embed, CURRENT, [p for v, p in SCENARIOS if v == CURRENT])
        page.frames[1].wait_for_function("window.__cvoWarm", timeout=60000)
        report["warm"] = page.frames[1].evaluate("window.__cvoWarm")
        return report, console
    finally:
        context.close()


def test_the_checker_restored_from_the_snapshot_matches_cpython_on_every_scenario(browser, site_server, parent_server):
    report, console = run_every_scenario(browser, site_server, parent_server)
    assert report["start"] == "snapshot", report
    assert report["warm"]["steps"] >= 20, report  # warmed up on the version's own wording, after ready
    assert not [line for line in console if FALLBACK_WARNING in line]
    assert not [line for line in console if "Traceback" in line], console  # warming up raised nothing


@pytest.mark.parametrize("corrupt, matching_checksum", [(flip_bytes, False), (bad_magic, True)],
                         ids=["damaged-bytes-caught-by-the-checksum", "bad-header-caught-by-pyodide"])
def test_a_corrupt_snapshot_falls_back_to_the_normal_start_and_says_so(browser, built_site, parent_server,
                                                                        corrupt, matching_checksum):
    with serve_with_snapshot(built_site, corrupt, matching_checksum) as url:
        report, console = run_every_scenario(browser, url, parent_server)
    assert report["start"] == "fresh", report
    assert report["warm"]["steps"] >= 20, report  # a fresh start warms up too
    assert [line for line in console if FALLBACK_WARNING in line], console


def test_the_snapshot_restore_works_under_the_strict_csp(browser, built_site):
    from conftest import serve_directory
    from test_security import HEADERS, RECORD_VIOLATIONS

    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.add_init_script(RECORD_VIOLATIONS + RECORD_READY)
        with serve_directory(built_site, headers=HEADERS) as url:
            page.goto(url + f"{CURRENT}/checker/embed/#rol=medewerker&situatie=prive&over_cvo=ja")
            page.wait_for_selector("text=Toegestaan, mits", timeout=60000)
            assert page.evaluate("window.__cvoReady")["start"] == "snapshot"
            assert page.evaluate("window.__csp") == []
    finally:
        context.close()


DAMAGE_CACHED_COPY = """async (url) => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    const cached = await cache.match(url);
    if (!cached) continue;
    const bytes = new Uint8Array(await cached.arrayBuffer());
    bytes[bytes.length >> 1] ^= 0x5a;
    await cache.put(url, new Response(bytes));
  }
}"""


def test_a_second_visit_reads_the_snapshot_from_cache_storage_and_still_checks_it(browser, built_site):
    snapshot = "/" + (engine_dir(built_site / CURRENT) / "checker.snapshot").relative_to(built_site).as_posix()
    wasm = "/" + (engine_dir(built_site / CURRENT) / "pyodide.asm.wasm").relative_to(built_site).as_posix()
    context = browser.new_context()  # service workers allowed: the first visit installs one
    console = []
    context.on("console", lambda message: console.append(message.text))
    try:
        page = context.new_page()
        page.on("console", lambda message: console.append(message.text))
        page.add_init_script(RECORD_READY)
        with serve_directory(built_site) as url:
            page.goto(url + f"{CURRENT}/checker/embed/#rol=medewerker&situatie=prive&over_cvo=ja")
            page.wait_for_selector("text=Toegestaan, mits", timeout=60000)
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30000)
            # The first start decoded the wasm and the snapshot (brotli) and keeps the decoded copies once ready.
            page.wait_for_function("window.__cvoStored", timeout=30000)
            assert sorted(page.evaluate("window.__cvoStored.files")) == sorted([snapshot, wasm])
            assert page.evaluate("url => caches.match(url).then(Boolean)", url + snapshot.lstrip("/"))
            answered, failed = [], []
            page.on("response", lambda response: answered.append((response.url, response.from_service_worker)))
            page.on("requestfailed", lambda request: failed.append((request.failure, request.url)))
            page.reload()
            page.wait_for_selector("text=Toegestaan, mits", timeout=60000)
            assert page.evaluate("window.__cvoReady")["start"] == "snapshot"
            assert any(u.endswith("pyodide.asm.mjs") for u, _ in answered), answered  # the worker's requests show here
            # The decoded snapshot comes from Cache Storage, read by the worker; the decoded wasm from the same cache,
            # answered by the service worker (so that V8's compiled code can be kept beside it). No brotli is fetched.
            assert not [u for u, _ in answered if ".snapshot" in u or ".br" in u], answered
            assert [(u, by_sw) for u, by_sw in answered if ".wasm" in u] == [(url + wasm.lstrip("/"), True)], answered
            assert failed == []
            # A damaged copy in Cache Storage is refused by its checksum, and the checker starts the normal way.
            page.evaluate(DAMAGE_CACHED_COPY, url + snapshot.lstrip("/"))
            page.reload()
            page.wait_for_selector("text=Toegestaan, mits", timeout=90000)
            assert page.evaluate("window.__cvoReady")["start"] == "fresh"
            assert [line for line in console if FALLBACK_WARNING in line], console
    finally:
        context.close()


def test_without_a_service_worker_a_second_visit_reads_the_decoded_wasm_without_asking_the_server(browser, built_site):
    """A worker no service worker controls (the page says so in its name) reads its stored copy itself."""
    reached = []

    class Recording(QuietHandler):
        def do_GET(self):
            reached.append(self.path.split("?")[0])
            return super().do_GET()

    context = browser.new_context(service_workers="block")
    failed = []
    context.on("requestfailed", lambda request: failed.append((request.failure, request.url)))
    try:
        with serve_directory(built_site, handler_class=Recording) as url:
            page = context.new_page()
            page.add_init_script(RECORD_READY)
            page.goto(url + f"{CURRENT}/checker/embed/#rol=medewerker&situatie=prive&over_cvo=ja")
            page.wait_for_function("() => window.__cvoStored", timeout=60000)
            assert [path for path in reached if path.endswith("/pyodide.asm.wasm.br")], reached
            reached.clear()
            page.reload()
            page.wait_for_selector("text=Toegestaan, mits", timeout=60000)
            assert page.evaluate("window.__cvoReady")["start"] == "snapshot"
    finally:
        context.close()
    assert f"/{CURRENT}/checker/embed/" in reached, reached  # the reload did reach this server
    assert not [path for path in reached if "/pyodide.asm.wasm" in path or "/checker.snapshot" in path], reached
    assert failed == []  # not even a probe of the cache: the page said no service worker controls this worker


def cold_start(browser, site_url: str, missing_siblings: bool) -> tuple[dict, list[str]]:
    """One cold start of the embed page; returns the worker's ready report and the engine files it requested."""
    context = browser.new_context(service_workers="block")
    requested = []
    context.on("request", lambda request: requested.append(request.url.rsplit("/", 1)[-1]))
    if missing_siblings:  # a deployment that left out the .br siblings
        context.route("**/assets/pyodide/*/*.br", lambda route: route.fulfill(status=404, body=b""))
    try:
        page = context.new_page()
        page.add_init_script(RECORD_READY)
        page.goto(site_url + f"{CURRENT}/checker/embed/#rol=medewerker&situatie=prive&over_cvo=ja")
        page.wait_for_selector("text=Toegestaan, mits", timeout=60000)
        return page.evaluate("window.__cvoReady"), [name for name in requested if name.startswith(ENGINE_FILES)]
    finally:
        context.close()


ENGINE_FILES = ("pyodide.asm.wasm", "checker.snapshot", "brotli_dec_wasm")


def test_a_first_visit_fetches_the_wasm_and_the_snapshot_as_brotli_and_decodes_them(browser, site_server):
    report, requested = cold_start(browser, site_server, missing_siblings=False)
    assert report["start"] == "snapshot", report
    assert set(requested) == {"brotli_dec_wasm.js", "brotli_dec_wasm_bg.wasm", "checker.snapshot.br", "pyodide.asm.wasm.br"}
    assert requested.count("brotli_dec_wasm_bg.wasm") == 1  # compiled once, handed to the decoding worker


def test_without_the_brotli_siblings_the_worker_fetches_the_originals(browser, site_server):
    report, requested = cold_start(browser, site_server, missing_siblings=True)
    assert report["start"] == "snapshot", report
    assert set(requested) == {"checker.snapshot", "checker.snapshot.br", "pyodide.asm.wasm", "pyodide.asm.wasm.br"}
