"""Shared by the tests and `make bench`: build a site as a maintainer does, serve a folder, launch Chromium.

Playwright is imported only when a browser is launched, so the build alone needs just the site's requirements.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Init script for pages that start the checker's worker: keeps the worker that reports "ready" (window.__cvoWorker;
# not simply the last one made, which on a full page is Material's search worker), its "ready"
# report (window.__cvoReady: how it started, its step ends) and its "warm" report (window.__cvoWarm: warming up
# done) where tests and the benchmark can read them.
RECORD_WORKER = """
(() => {
  const NativeWorker = window.Worker;
  window.Worker = function (...args) {
    const worker = new NativeWorker(...args);
    worker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "ready") {
        window.__cvoWorker = worker;
        window.__cvoReady = event.data;
      }
      if (event.data && event.data.type === "warm") window.__cvoWarm = event.data;
      if (event.data && event.data.type === "stored") window.__cvoStored = event.data;
    });
    return worker;
  };
  window.Worker.prototype = NativeWorker.prototype;
})();
"""
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # Chromium 156 loads its omnibox popup WebUI (about 400 JS modules, about 1 s of one core) in every new window,
    # i.e. every new context, right while the page under test loads; a reader's open window did that long before.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
]


def build_command(config_file: Path, out_dir: Path, engine: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "build_tools", "-f", str(config_file), "build", "-d", str(out_dir)]
    return command + (["--engine", engine] if engine else [])


def run_build(config_file: Path, out_dir: Path, *, env: dict | None = None, check: bool = True,
              engine: str | None = None) -> subprocess.CompletedProcess:
    """A real `python -m build_tools build` in a subprocess, exactly as `make site` runs it."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), full_env.get("PYTHONPATH")]))
    result = subprocess.run(build_command(config_file, out_dir, engine), cwd=Path(config_file).parent, env=full_env,
                            capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"build of {config_file} failed:\n{result.stdout}\n{result.stderr}")
    return result


class QuietHandler(SimpleHTTPRequestHandler):
    """A plain static server, like an intranet's, with correct types for modules and WebAssembly."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".whl": "application/zip", ".zip": "application/zip",
    }
    extra_headers: dict = {}

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a browser closing a connection early is normal, not a failure


@contextmanager
def serve_directory(root: Path, headers: dict | None = None, handler_class: type = None):
    """Serve `root` on 127.0.0.1 on a free port; yields the base URL ending in '/'. `handler_class`, a QuietHandler
    subclass, may change what is served or record what is asked."""
    handler = type("Handler", (handler_class or QuietHandler,), {"extra_headers": headers or {}})
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# Chromium's trace categories with V8's wasm caching events and Blink's code-cache events.
WASM_TRACE_CATEGORIES = ["disabled-by-default-devtools.timeline", "v8.wasm"]
# V8 offers its optimised wasm for caching at once instead of after 2 s without new code: for diagnosis and tests
# only (no reader's browser has it), so that V8's timing is certain and what is measured is the loading.
V8_CACHE_AT_ONCE = "--js-flags=--wasm-caching-timeout-ms=0"
# What a traced visit evaluates: a typical message with a phone number and an e-mail address (fixture text).
TRACE_ANSWERS = {"rol": "medewerker", "situatie": "prive", "over_cvo": True,
                 "tekst": "Mooie dag met de klas! Bel 06-12345678 of mail j.devries@example.nl. #cvo"}


def traced_checker_visit(context, url: str, evaluations: int, settle_ms: int) -> tuple[float, list[dict]]:
    """One visit to a checker page traced over CDP: ready, `evaluations` evaluations of TRACE_ANSWERS in the page's
    own worker, then `settle_ms` more on the page. Returns the page's ready time (ms) and the trace events."""
    page = context.new_page()
    page.add_init_script(RECORD_WORKER)
    cdp = context.new_cdp_session(page)
    events, done = [], []
    cdp.on("Tracing.dataCollected", lambda params: events.extend(params["value"]))
    cdp.on("Tracing.tracingComplete", lambda params: done.append(True))
    cdp.send("Tracing.start", {"traceConfig": {"includedCategories": WASM_TRACE_CATEGORIES},
                               "transferMode": "ReportEvents"})
    page.goto(url)
    page.wait_for_selector("#cvo-checker[data-state='ready']", state="attached", timeout=120000)
    ready_ms = float(page.get_attribute("#cvo-checker", "data-ready-ms"))
    if evaluations:
        page.evaluate("""([answers, runs]) => new Promise((resolve) => {
            window.__cvoWorker.addEventListener("message", (event) => { if (event.data.type === "times") resolve(); });
            window.__cvoWorker.postMessage({ type: "time", answers, runs });
          })""", [TRACE_ANSWERS, evaluations])
    page.wait_for_timeout(settle_ms)
    cdp.send("Tracing.end")
    for _ in range(300):
        if done:
            break
        page.wait_for_timeout(100)
    page.close()
    return ready_ms, events


def missing_chromium() -> str | None:
    """Why no browser can start here, in one sentence; None when Chromium is installed."""
    if Path(CHROMIUM).exists():
        return None
    return f"Browser tests need Debian's chromium at {CHROMIUM}: run `apt-get install chromium` (make test does this as root)."


def launch_chromium(playwright):
    """Headless Debian Chromium with the flags that keep it from calling home."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
