"""V8's compiled wasm is kept for later visits: the decoded wasm that a second visit compiles (answered by the service
worker from Cache Storage) gets V8's code written beside it, and a third visit compiles from that code.

When V8 offers its code is V8's own timer (README, "Does V8's wasm code cache apply"), so this test runs Chromium
with V8's `--wasm-caching-timeout-ms=0`, which no reader has: V8 then offers its code as soon as it has optimised
some, and what is tested is our part, that Chromium takes it and uses it again."""

from __future__ import annotations

from build_tools.devkit import CHROMIUM, CHROMIUM_ARGS, RECORD_WORKER, V8_CACHE_AT_ONCE, traced_checker_visit
from conftest import CURRENT

SETTLE_MS = 3000  # V8 optimises in the background; Blink writes what it is offered


def wasm_events(events: list[dict], name: str) -> list[dict]:
    return [e for e in events if e["name"] == name and "pyodide.asm.wasm" in e["args"].get("url", "")]


def test_a_third_visit_compiles_the_wasm_from_v8s_code_cache(playwright_instance, site_server, tmp_path):
    # The full checker page, whose inline script starts the worker (the embed page's checker.js is in
    # test_snapshot_browser's second visit): both tell the worker whether a service worker controls it.
    url = site_server + f"{CURRENT}/checker/#rol=medewerker"
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS + [V8_CACHE_AT_ONCE], headless=True,
        service_workers="allow")  # a normal profile: Playwright's ordinary contexts keep no code cache
    try:
        page = context.new_page()  # the first visit decodes the brotli files and keeps the decoded copies
        page.add_init_script(RECORD_WORKER)
        page.goto(url)
        page.wait_for_function("() => window.__cvoStored", timeout=60000)
        page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)", timeout=30000)
        page.close()
        _, second = traced_checker_visit(context, url, 200, SETTLE_MS)
        _, third = traced_checker_visit(context, url, 0, 0)
    finally:
        context.close()
    assert wasm_events(second, "v8.wasm.compiledModule"), "Blink was offered no compiled code on the second visit"
    assert [e for e in second if e["name"] == "v8.wasm.cachedModule"], "nothing was written to the code cache"
    assert wasm_events(third, "v8.wasm.moduleCacheHit"), "the third visit compiled the wasm again"
    assert not [e for e in third if e["name"].startswith("v8.wasm.moduleCacheInvalid")]
