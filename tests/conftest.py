"""Shared fixtures: real site builds, a plain static file server, and headless Chromium."""

from __future__ import annotations

import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from filelock import FileLock

from build_tools.devkit import (  # noqa: F401  (re-exported: tests import these names from conftest)
    CHROMIUM, CHROMIUM_ARGS, QuietHandler, QuietServer, launch_chromium, missing_chromium, run_build, serve_directory,
)
from build_tools.engines import DEFAULT_ENGINE, ENGINES
from build_tools.versions import load_versions

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
# One build date for the whole session (midnight UTC today), so two builds of the same sources can be compared.
BUILD_ENV = {"SOURCE_DATE_EPOCH": str(int(time.time()) // 86400 * 86400)}
BUILD_DATE = datetime.fromtimestamp(int(BUILD_ENV["SOURCE_DATE_EPOCH"]), tz=timezone.utc).date()
# The version in force on the build date, as the registry decides: tests follow it rather than a number.
CURRENT_VERSION = load_versions(REPO / "docs" / "versies", BUILD_DATE).current
CURRENT = CURRENT_VERSION.versie
# The authentic adopted text of the version in force, kept beside it as the reference the site and PDF are tested against.
REFERENCE_TEXT_FILE = "vastgestelde-tekst.txt"
SEED = CURRENT_VERSION.folder / REFERENCE_TEXT_FILE


def shared_build(tmp_path_factory, config, name: str, build) -> Path:
    """The site `build(out)` makes, built once per test run: with pytest-xdist's processes, the first to ask builds
    under a file lock and the others wait for it and use the same folder (read only, like every test)."""
    root = tmp_path_factory.getbasetemp()
    if hasattr(config, "workerinput"):  # a pytest-xdist worker (not a pytest started by a test)
        root = root.parent  # the run's folder, shared by its worker processes
    folder = root / f"shared-{name}"
    with FileLock(str(root / f"shared-{name}.lock")):
        if not (folder / "built").is_file():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed in another process
            folder.mkdir()
            build(folder / "site")
            (folder / "built").touch()
    return folder / "site"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, pytestconfig) -> Path:
    """The repository's real site, built once per test run."""
    return shared_build(tmp_path_factory, pytestconfig, "real-site",
                        lambda out: run_build(REPO / "mkdocs.yml", out, env=BUILD_ENV))


@pytest.fixture(scope="session")
def three_versions_site(tmp_path_factory, pytestconfig) -> Path:
    """The three-version fixture (vervallen, geldend, concept), built once per test run."""
    return shared_build(tmp_path_factory, pytestconfig, "three-versions",
                        lambda out: run_build(DATA / "three-versions" / "mkdocs.yml", out))


@pytest.fixture(scope="session")
def site_server(built_site):
    with serve_directory(built_site) as url:
        yield url


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    """Each engine the reading pages are tested on; tests using engine_site or engine_server run once per engine."""
    return request.param


@pytest.fixture(scope="session")
def engine_site(engine, tmp_path_factory, request) -> Path:
    """The real site built with `engine`; the default engine's is built_site itself (built once)."""
    if engine == DEFAULT_ENGINE:
        return request.getfixturevalue("built_site")
    return shared_build(tmp_path_factory, request.config, f"real-site-{engine}",
                        lambda out: run_build(REPO / "mkdocs.yml", out, env=BUILD_ENV, engine=engine))


@pytest.fixture(scope="session")
def engine_server(engine_site):
    with serve_directory(engine_site) as url:
        yield url


def xfail_on(request, engine: str, failing_engine: str, reason: str) -> None:
    """Mark the running test as an expected failure on one engine, with the reason; strict, so a fix is noticed."""
    if engine == failing_engine:
        request.node.add_marker(pytest.mark.xfail(reason=f"{failing_engine}: {reason}", strict=True))


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if missing_chromium():
        pytest.fail(missing_chromium())
    browser = launch_chromium(playwright_instance)
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


def routable_address() -> str | None:
    """This machine's first non-loopback IPv4 address: pages served there over HTTP are no secure context."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


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
