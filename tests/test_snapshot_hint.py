"""The worker learns the snapshot's file and checksum at build time, so it starts reading it before the manifest."""

import hashlib
import json
import re
from pathlib import Path

import pytest

from build_tools import snapshot_hint
from build_tools.checker_assets import engine_dir
from build_tools.pyodide_runtime import PyodideSetupError
from conftest import CURRENT, routable_address


def test_the_hint_line_gets_the_snapshot_name_and_sha256(tmp_path):
    worker = tmp_path / snapshot_hint.WORKER
    worker.parent.mkdir()
    worker.write_text("// start\n" + snapshot_hint.HINT_LINE + "\nconst x = 1;\n", encoding="utf-8")
    snapshot = tmp_path / "assets/pyodide/0123456789abcdef/checker.snapshot"
    snapshot.parent.mkdir(parents=True)
    snapshot.write_bytes(b"memory")
    snapshot_hint.write_snapshot_hint(tmp_path, snapshot)
    expected = json.dumps({"path": "checker.snapshot", "sha256": hashlib.sha256(b"memory").hexdigest()})
    assert worker.read_text(encoding="utf-8") == f"// start\nconst snapshotHint = {expected};\nconst x = 1;\n"


def test_a_worker_without_the_hint_line_stops_the_build_naming_it(tmp_path):
    worker = tmp_path / snapshot_hint.WORKER
    worker.parent.mkdir()
    worker.write_text("const snapshotHint = undefined;\n", encoding="utf-8")
    with pytest.raises(PyodideSetupError, match="worker.js.*snapshotHint"):
        snapshot_hint.write_snapshot_hint(tmp_path, tmp_path / "checker.snapshot")


def test_the_theme_worker_has_the_hint_line_once():
    theme_worker = Path(snapshot_hint.__file__).parent / "theme" / snapshot_hint.WORKER
    assert theme_worker.read_text(encoding="utf-8").count(snapshot_hint.HINT_LINE) == 1


def test_the_built_worker_names_the_shipped_snapshot_as_the_manifest_does(built_site):
    site = built_site / CURRENT
    text = (site / snapshot_hint.WORKER).read_text(encoding="utf-8")
    hint = json.loads(re.search(r"^const snapshotHint = (\{.*\});$", text, re.M).group(1))
    manifest = json.loads((site / "assets/checker/manifest.json").read_text(encoding="utf-8"))
    entry = manifest["files"]["snapshot"]
    assert (engine_dir(site) / hint["path"]).resolve() == (site / "assets/checker" / entry["path"]).resolve()
    assert hint["sha256"] == entry["sha256"] == hashlib.sha256((engine_dir(site) / hint["path"]).read_bytes()).hexdigest()


@pytest.mark.parametrize("damaged", [False, True], ids=["intact-snapshot-restores", "damaged-snapshot-refused"])
def test_without_webcrypto_fetch_integrity_still_checks_the_snapshot(browser, built_site, damaged):
    """On plain HTTP (an intranet without TLS) there is no crypto.subtle: the worker asks fetch to check the hash."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from conftest import QuietHandler
    from test_snapshot_browser import FALLBACK_WARNING, RECORD_READY, flip_bytes

    address = routable_address()
    assert address, "this test needs a non-loopback IPv4 address to serve an insecure origin"
    shipped = engine_dir(built_site / CURRENT) / "checker.snapshot"
    served = "/" + shipped.relative_to(built_site).as_posix()
    body = flip_bytes(shipped.read_bytes()) if damaged else None

    class Handler(QuietHandler):
        def do_GET(self):
            if body is None or self.path.split("?")[0] != served:
                return super().do_GET()
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((address, 0), functools.partial(Handler, directory=str(built_site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(service_workers="block")
    console = []
    context.on("console", lambda message: console.append(message.text))
    try:
        page = context.new_page()
        page.add_init_script(RECORD_READY)
        page.goto(f"http://{address}:{server.server_address[1]}/{CURRENT}/checker/embed/#rol=medewerker")
        page.wait_for_selector("#cvo-checker[data-state='ready']", state="attached", timeout=120000)
        assert page.evaluate("window.isSecureContext") is False
        report = page.evaluate("window.__cvoReady")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert report["start"] == ("fresh" if damaged else "snapshot"), report
    assert bool([line for line in console if FALLBACK_WARNING in line]) is damaged, console
