"""The built site on Debian's nginx and Apache with the generated configuration, from the sub-path in site_url:
every kind of page loads in Chromium under a CSP without 'unsafe-inline' with no violation and no console error,
the checker works (and offline after one visit), and every file gets its headers, type and precompressed body."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from build_tools import headers as h
from build_tools.checker_assets import engine_dir
from build_tools.compress import ENCODINGS
from conftest import CURRENT, SUBPATH, routable_address

RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber));
"""
READY = "[data-state='ready']"
# (path, waits for the checker) — one of each kind of page: Material pages, the checker, the chrome-less embed
# page, the alias latest/, an old unversioned address (redirect stub) and the 404 page.
PAGE_KINDS = [
    (f"{CURRENT}/", False), (f"{CURRENT}/protocol/", False), (f"{CURRENT}/vaststelling/", False), (f"{CURRENT}/beslistabel/", False),
    (f"{CURRENT}/checker/", True), (f"{CURRENT}/checker/embed/", True), (f"{CURRENT}/checker/integratie/", False),
    (f"{CURRENT}/versiegeschiedenis/", False), (f"{CURRENT}/wijzigingen/", False), ("latest/privacy/", False),
    ("protocol/", False), ("bestaat-niet/", False),
]
SERVERS = ["nginx_server", "apache_server"]


def fetch(url: str, encoding: str = "identity"):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    try:
        response = urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers, response.read()


def visit(browser, url: str, wait_ready: bool):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(RECORD)
    response = page.goto(url)
    if wait_ready:
        page.wait_for_selector(READY, timeout=60000)
    else:
        page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    result = page.evaluate("window.__csp"), errors, response.status, page.url
    context.close()
    return result


@pytest.mark.parametrize("path,wait_ready", PAGE_KINDS)
def test_every_page_kind_loads_on_nginx_without_csp_violation_or_console_error(browser, nginx_server, path, wait_ready):
    violations, errors, status, final_url = visit(browser, nginx_server + path, wait_ready)
    assert violations == []
    if path == "bestaat-niet/":
        assert status == 404
        errors = [e for e in errors if "status of 404" not in e]  # the browser's own note about the 404 itself
    assert errors == []
    if path == "protocol/":
        assert final_url == nginx_server + "latest/protocol/"


@pytest.mark.parametrize("path,wait_ready", [(f"{CURRENT}/", False), (f"{CURRENT}/checker/", True), ("latest/checker/embed/", True)])
def test_pages_load_on_apache_without_csp_violation_or_console_error(browser, apache_server, path, wait_ready):
    violations, errors, _, _ = visit(browser, apache_server + path, wait_ready)
    assert violations == [] and errors == []


def test_the_policy_has_no_unsafe_inline_and_the_checker_alone_may_compile_wasm(nginx_server):
    policies = {path: fetch(nginx_server + path)[1]["Content-Security-Policy"]
                for path in (f"{CURRENT}/", f"{CURRENT}/checker/", f"{CURRENT}/checker/embed/", f"{CURRENT}/checker/worker.js")}
    assert all("unsafe-inline" not in p and "unsafe-eval'" not in p.replace("wasm-unsafe-eval'", "") for p in policies.values())
    assert "'wasm-unsafe-eval'" not in policies[f"{CURRENT}/"]
    assert all("'wasm-unsafe-eval'" in policies[p] for p in (f"{CURRENT}/checker/", f"{CURRENT}/checker/embed/", f"{CURRENT}/checker/worker.js"))
    assert policies[f"{CURRENT}/"].endswith("frame-ancestors 'self'")
    assert policies[f"{CURRENT}/checker/"].endswith("frame-ancestors 'self'")
    assert "frame-ancestors 'self' http://127.0.0.1:" in policies[f"{CURRENT}/checker/embed/"]


@pytest.mark.parametrize("server", SERVERS)
def test_every_file_has_its_headers_and_type(request, built_site, server):
    base = request.getfixturevalue(server)
    policy = h.site_policy(built_site, [request.getfixturevalue("host_origin")[1].rstrip("/")])  # as the fixtures serve it
    paths = h.served_paths(built_site)
    assert len(paths) > 100
    for path in paths:
        status, headers, _ = fetch(base + path.lstrip("/"))
        assert status == 200, path
        expected = h.headers_for(path, policy)
        assert {name: headers[name] for name in expected} == expected, path
        assert headers["Content-Type"] == h.content_type(path if not path.endswith("/") else path + "index.html"), path


def engine_path(built_site) -> str:
    """2.0's content-hashed engine folder as a URL path under the site root (f"{CURRENT}/assets/pyodide/<hash>/")."""
    return engine_dir(built_site / CURRENT).relative_to(built_site).as_posix() + "/"


def test_types_of_the_engine_files_are_exact(nginx_server, built_site):
    engine = engine_path(built_site)
    expected = {engine + "pyodide.asm.wasm": "application/wasm",
                engine + "pyodide.mjs": "text/javascript; charset=utf-8",
                f"{CURRENT}/checker/worker.js": "text/javascript; charset=utf-8",
                "versions.json": "application/json; charset=utf-8",
                f"{CURRENT}/pdf/richtlijnen-sociale-media-cvo-2.0.pdf": "application/pdf"}
    assert {path: fetch(nginx_server + path)[1]["Content-Type"] for path in expected} == expected


@pytest.mark.parametrize("server", SERVERS)
def test_hashed_bundles_and_the_engine_are_immutable_and_pages_revalidated(request, built_site, server):
    base = request.getfixturevalue(server)
    bundle = next((built_site / "2.0" / "assets" / "javascripts").glob("bundle.*.min.js")).name
    cache = lambda path, encoding="identity": fetch(base + path, encoding)[1]["Cache-Control"]  # noqa: E731
    engine = engine_path(built_site)
    for path in (f"2.0/assets/javascripts/{bundle}", engine + "pyodide.mjs", engine + "pyodide.asm.mjs",
                 engine + "pyodide.asm.wasm", engine + "python_stdlib.zip", engine + "checker.snapshot",
                 engine + "cvo_checker-2.0-py3-none-any.whl", engine.replace(f"{CURRENT}/", "latest/", 1) + "pyodide.asm.wasm"):
        assert cache(path) == "public, max-age=31536000, immutable", path
    assert cache(engine + "pyodide.asm.wasm", "br") == "public, max-age=31536000, immutable"  # the .br sibling too
    for path in (f"{CURRENT}/", f"{CURRENT}/checker/", f"{CURRENT}/checker/embed/", f"{CURRENT}/protocol/", f"{CURRENT}/checker/sw.js",
                 f"{CURRENT}/checker/worker.js", f"{CURRENT}/assets/checker/manifest.json", "versions.json", "_headers"):
        assert cache(path) == "no-cache", path
    assert cache(f"{CURRENT}/checker/", "br") == "no-cache"


@pytest.mark.parametrize("server", SERVERS)
def test_the_precompressed_siblings_are_what_is_served(request, built_site, server):
    base = request.getfixturevalue(server)
    siblings = sorted(built_site.rglob("*.br"))
    assert any(p.name == "pyodide.asm.wasm.br" for p in siblings)
    for sibling in siblings:
        original = sibling.with_suffix("")
        url = base + original.relative_to(built_site).as_posix()
        for suffix, encoding in ENCODINGS.items():
            packed = original.with_name(original.name + suffix)
            status, headers, body = fetch(url, encoding)
            assert status == 200 and headers["Content-Encoding"] == encoding, url
            assert body == packed.read_bytes(), url
            assert "Accept-Encoding" in headers["Vary"], url
        status, headers, body = fetch(url, "identity")
        assert headers["Content-Encoding"] is None and body == original.read_bytes(), url


@pytest.mark.parametrize("server", SERVERS)
def test_a_sibling_asked_for_by_name_is_labelled_only_when_its_encoding_is_accepted(request, built_site, server):
    """Chromium offers no br over plain HTTP to a non-loopback host and refuses a br-labelled body there; the
    checker's worker asks for `pyodide.asm.wasm.br` by name and decodes an unlabelled one itself."""
    base = request.getfixturevalue(server)
    for suffix, encoding in ENCODINGS.items():
        sibling = engine_dir(built_site / CURRENT) / f"pyodide.asm.wasm{suffix}"
        url = base + sibling.relative_to(built_site).as_posix()
        for offered in ("identity", "gzip, deflate" if encoding == "br" else "br"):
            status, headers, body = fetch(url, offered)
            as_a_file = h.TYPES.get(suffix.lstrip("."), h.DEFAULT_TYPE)
            assert (status, headers["Content-Encoding"], headers["Content-Type"]) == (200, None, as_a_file), (url, offered)
            assert body == sibling.read_bytes(), (url, offered)
        status, headers, body = fetch(url, encoding)
        assert status == 200 and headers["Content-Encoding"] in (None, encoding) and body == sibling.read_bytes(), url


@pytest.fixture(scope="module", params=["nginx", "apache"])
def intranet_server(request, built_site):
    """The generated config on this machine's non-loopback address over plain HTTP: an intranet without TLS."""
    from build_tools import local_server

    address = routable_address()
    assert address, "this test needs a non-loopback IPv4 address to serve an insecure origin"
    with getattr(local_server, request.param)(built_site, subpath=SUBPATH, host=address) as url:
        yield url


def test_on_an_intranet_without_tls_the_checker_decodes_the_brotli_wasm_without_a_failed_request(browser, intranet_server):
    from test_snapshot_browser import RECORD_READY

    context = browser.new_context(locale="nl-NL")
    failed, engine_files = [], []
    context.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
    context.on("response", lambda r: engine_files.append(r.url.rsplit("/", 1)[-1]) if "/assets/pyodide/" in r.url else None)
    try:
        page = context.new_page()
        page.add_init_script(RECORD_READY)
        page.goto(intranet_server + f"{CURRENT}/checker/embed/#rol=medewerker")
        page.wait_for_selector(READY, state="attached", timeout=60000)
        secure, report = page.evaluate("window.isSecureContext"), page.evaluate("window.__cvoReady")
    finally:
        context.close()
    assert secure is False and report["start"] == "snapshot", report
    assert failed == []
    assert engine_files.count("pyodide.asm.wasm.br") == 1 and "pyodide.asm.wasm" not in engine_files, engine_files


def test_after_one_visit_through_nginx_the_checker_works_offline(browser, nginx_server):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(nginx_server + f"{CURRENT}/checker/embed/#rol=leerling&situatie=les&toestemming_les=nee")
    page.wait_for_selector(READY, timeout=60000)
    # Predicates as functions, not strings: polling a string needs eval, which this CSP rightly forbids.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30000)
    page.wait_for_function("() => caches.keys().then((names) => names.length > 0)", timeout=30000)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_timeout(1000)
    context.set_offline(True)
    page.reload()
    page.wait_for_selector(READY, timeout=60000)
    page.wait_for_function("() => document.body.innerText.includes('Niet toegestaan')", timeout=20000)
    context.close()
