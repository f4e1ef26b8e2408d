"""Unit tests for build_tools.service_worker: what is precached and when the cache name changes."""

import json
import re

from build_tools.service_worker import write_service_worker

ENGINE = "assets/pyodide/0123456789abcdef"  # the engine's content-hashed folder (build_tools/checker_assets.py)


def make_site(root):
    for path, body in {f"{ENGINE}/pyodide.asm.wasm": "wasm", "assets/checker/checker.js": "js",
                       "checker/index.html": "page", "checker/embed/index.html": "embed",
                       "checker/worker.js": "worker", "protocol/index.html": "reading page"}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(body)


def cache_name(script: str) -> str:
    return re.search(r"const CACHE = PREFIX \+ \"(\w+)\";", script).group(1)


def precached(script: str) -> list[str]:
    return json.loads(re.search(r"const PRECACHE = (\[.*?\]);", script, re.DOTALL).group(1))


def answered_decoded(script: str) -> list[str]:
    return json.loads(re.search(r"const DECODED_URLS = new Set\((\[.*?\])\.map", script, re.DOTALL).group(1))


def test_precaches_the_engine_and_the_checker_pages_only(tmp_path):
    make_site(tmp_path)
    script = write_service_worker(tmp_path).read_text()
    for url in (f"../{ENGINE}/pyodide.asm.wasm.br", "../checker/worker.js", "../checker/", "../checker/embed/"):
        assert f'"{url}"' in script
    assert "protocol" not in script


def test_a_changed_engine_file_gives_a_new_cache_and_the_same_files_the_same_cache(tmp_path):
    make_site(tmp_path)
    first = cache_name(write_service_worker(tmp_path).read_text())
    assert cache_name(write_service_worker(tmp_path).read_text()) == first
    (tmp_path / "checker/worker.js").write_text("worker v2")
    assert cache_name(write_service_worker(tmp_path).read_text()) != first


def test_the_fallback_only_files_are_not_precached_but_change_the_cache_name(tmp_path):
    make_site(tmp_path)
    for path in (f"{ENGINE}/python_stdlib.zip", f"{ENGINE}/cvo_checker-2.0-py3-none-any.whl",
                 f"{ENGINE}/checker.snapshot"):
        (tmp_path / path).write_text("v1")
    script = write_service_worker(tmp_path).read_text()
    # The wasm and the snapshot are fetched as brotli and decoded by the worker: their siblings are precached, and
    # a request for the original is answered with the worker's decoded copy.
    assert f"../{ENGINE}/checker.snapshot.br" in precached(script) and f"../{ENGINE}/checker.snapshot" not in precached(script)
    assert answered_decoded(script) == [f"../{ENGINE}/checker.snapshot", f"../{ENGINE}/pyodide.asm.wasm"]
    assert "python_stdlib.zip" not in script and ".whl" not in script
    first = cache_name(script)
    (tmp_path / f"{ENGINE}/cvo_checker-2.0-py3-none-any.whl").write_text("v2")
    assert cache_name(write_service_worker(tmp_path).read_text()) != first
