"""Shared fixtures: real site builds, a plain static file server, and headless Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from build_tools.versions import load_versions

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
# The authentic adopted text of the version in force, kept beside it as the reference the site and PDF are tested against.
REFERENCE_TEXT_FILE = "vastgestelde-tekst.txt"
SEED = load_versions(REPO / "docs" / "versies", date.today()).current.folder / REFERENCE_TEXT_FILE
CHROMIUM = "/usr/bin/chromium"
# One build date for the whole session (midnight UTC today), so two builds of the same sources can be compared.
BUILD_ENV = {"SOURCE_DATE_EPOCH": str(int(time.time()) // 86400 * 86400)}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def run_build(config_file: Path, out_dir: Path, *, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """A real `mkdocs build` in a subprocess, exactly as a maintainer runs it."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(out_dir)],
        cwd=config_file.parent, env=full_env, capture_output=True, text=True,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"mkdocs build of {config_file} failed:\n{result.stdout}\n{result.stderr}")
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
        pass  # a browser closing a connection early is normal, not a test failure


@contextmanager
def serve_directory(root: Path, headers: dict | None = None):
    """Serve `root` on 127.0.0.1 on a free port; yields the base URL ending in '/'."""
    handler = type("Handler", (QuietHandler,), {"extra_headers": headers or {}})
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The repository's real site, built once per test session."""
    out = tmp_path_factory.mktemp("real-site") / "site"
    run_build(REPO / "mkdocs.yml", out, env=BUILD_ENV)
    return out


@pytest.fixture(scope="session")
def site_server(built_site):
    with serve_directory(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM}: run `apt-get install chromium` (make test does this as root).")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def copy_fixture(name: str, tmp_path: Path) -> Path:
    """Copy tests/data/<name> to tmp so a test may edit its sources; returns the copy's mkdocs.yml."""
    target = tmp_path / name
    shutil.copytree(DATA / name, target)
    return target / "mkdocs.yml"


# --- real web servers (nginx, Apache) with the generated configuration ------------------------------------

SUBPATH = "/beleid/sociale-media/"  # the site_url's path: served where mkdocs.yml says it lives


@pytest.fixture(scope="session")
def host_origin(tmp_path_factory):
    """A second origin for intranet-like host pages: (folder to write pages into, its base URL)."""
    root = tmp_path_factory.mktemp("host-origin")
    with serve_directory(root) as url:
        yield root, url


@pytest.fixture(scope="session")
def nginx_server(built_site, host_origin):
    """Debian's nginx with the generated server block; the host origin may frame the embed page."""
    from build_tools.local_server import nginx

    with nginx(built_site, subpath=SUBPATH, frame_ancestors=[host_origin[1].rstrip("/")]) as url:
        yield url


@pytest.fixture(scope="session")
def apache_server(built_site, host_origin):
    """Debian's Apache with the generated virtual host."""
    from build_tools.local_server import apache

    with apache(built_site, subpath=SUBPATH, frame_ancestors=[host_origin[1].rstrip("/")]) as url:
        yield url
