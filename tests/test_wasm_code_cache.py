"""V8's compiled wasm is kept for later visits: the decoded wasm that a second visit compiles (answered by the service
worker from Cache Storage) gets V8's code written beside it, and a third visit compiles from that code.

When V8 offers its code is V8's own timer (README, "Does V8's wasm code cache apply"), so this test runs Chromium
with V8's `--wasm-caching-timeout-ms=0`, which no reader has: V8 then offers its code as soon as it has optimised
some, and what is tested is our part, that Chromium takes it and uses it again."""

from __future__ import annotations

from build_tools.devkit import CHROMIUM, CHROMIUM_ARGS, RECORD_WORKER
from conftest import CURRENT

OFFER_AT_ONCE = "--js-flags=--wasm-caching-timeout-ms=0"
CATEGORIES = ["disabled-by-default-devtools.timeline", "v8.wasm"]
ANSWERS = {"rol": "medewerker", "situatie": "prive", "over_cvo": True,
           "tekst": "Mooie dag met de klas! Bel 06-12345678 of mail j.devries@example.nl. #cvo"}
READY = "#cvo-checker[data-state='ready']"


def traced_visit(context, url: str, evaluations: int) -> list[dict]:
    """One visit to `url` with Chromium's trace on; `evaluations` answers are evaluated in the page's own worker."""
    page = context.new_page()
    page.add_init_script(RECORD_WORKER)
    cdp = context.new_cdp_session(page)
    events, done = [], []
    cdp.on("Tracing.dataCollected", lambda params: events.extend(params["value"]))
    cdp.on("Tracing.tracingComplete", lambda params: done.append(True))
    cdp.send("Tracing.start", {"traceConfig": {"includedCategories": CATEGORIES}, "transferMode": "ReportEvents"})
    page.goto(url)
    page.wait_for_selector(READY, state="attached", timeout=60000)
    if evaluations:
        page.evaluate("""([answers, runs]) => new Promise((resolve) => {
            window.__cvoWorker.addEventListener("message", (event) => { if (event.data.type === "times") resolve(); });
            window.__cvoWorker.postMessage({ type: "time", answers, runs });
          })""", [ANSWERS, evaluations])
        page.wait_for_timeout(3000)  # V8 optimises in the background; Blink writes what it is offered
    cdp.send("Tracing.end")
    page.wait_for_timeout(100)
    for _ in range(300):
        if done:
            break
        page.wait_for_timeout(100)
    page.close()
    return events


def wasm_events(events: list[dict], name: str) -> list[dict]:
    return [e for e in events if e["name"] == name and "pyodide.asm.wasm" in e["args"].get("url", "")]


def test_a_third_visit_compiles_the_wasm_from_v8s_code_cache(playwright_instance, site_server, tmp_path):
    url = site_server + f"{CURRENT}/checker/embed/#rol=medewerker"
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS + [OFFER_AT_ONCE], headless=True,
        service_workers="allow")  # a normal profile: Playwright's ordinary contexts keep no code cache
    try:
        page = context.new_page()  # the first visit decodes the brotli files and keeps the decoded copies
        page.add_init_script(RECORD_WORKER)
        page.goto(url)
        page.wait_for_function("() => window.__cvoStored", timeout=60000)
        page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)", timeout=30000)
        page.close()
        second = traced_visit(context, url, 200)
        third = traced_visit(context, url, 0)
    finally:
        context.close()
    assert wasm_events(second, "v8.wasm.compiledModule"), "Blink was offered no compiled code on the second visit"
    assert [e for e in second if e["name"] == "v8.wasm.cachedModule"], "nothing was written to the code cache"
    assert wasm_events(third, "v8.wasm.moduleCacheHit"), "the third visit compiled the wasm again"
    assert not [e for e in third if e["name"].startswith("v8.wasm.moduleCacheInvalid")]
