"""Privacy and intranet use: a visit of every page from a sub-path requests nothing elsewhere, breaks nothing, sets no cookies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import CURRENT, serve_directory

SUB_PATH = "beleid/sociale-media/"


@pytest.fixture(scope="module")
def sub_path_url(engine_site, tmp_path_factory):
    """The site as an intranet serves it: under https://intranet.example/beleid/sociale-media/."""
    root = tmp_path_factory.mktemp("intranet")
    (root / "beleid").mkdir()
    os.symlink(engine_site, root / "beleid" / "sociale-media")
    with serve_directory(root) as url:
        yield url + SUB_PATH


def page_paths(site: Path) -> list[str]:
    pages = sorted(p.parent.relative_to(site).as_posix() for p in (site / CURRENT).rglob("index.html"))
    return [p + "/" for p in pages] + ["", "protocol/", "latest/protocol/"]


def test_every_page_loads_from_a_sub_path_with_no_foreign_request_no_error_and_no_cookie(browser, engine_site, sub_path_url):
    context = browser.new_context()
    page = context.new_page()
    requests, failures = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: failures.append((response.status, response.url)) if response.status >= 400 else None)
    # A request the browser cancels because the test navigates on (a search worker still starting) broke nothing.
    page.on("requestfailed", lambda request: None if request.failure == "net::ERR_ABORTED"
            else failures.append((request.failure, request.url)))
    paths = page_paths(engine_site)
    assert len(paths) >= 12
    for path in paths:
        page.goto(sub_path_url + path, wait_until="networkidle")
        assert page.locator("h1").count() >= 1, path
    origin = sub_path_url.split(SUB_PATH)[0]
    assert [url for url in requests if not url.startswith(origin) and not url.startswith(("data:", "blob:"))] == []
    assert [url for url in requests if not url.startswith(sub_path_url)] == [], "everything stays under the sub-path"
    assert failures == []
    assert context.cookies() == []
    context.close()


def test_a_full_checker_session_with_text_typed_stays_on_the_device(browser, sub_path_url):
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request))
    page.goto(sub_path_url + "latest/checker/")
    page.wait_for_selector("[data-state='ready']", timeout=60000)
    loaded = len(requests)
    page.locator("[name='rol'][value='medewerker']").check()
    page.locator("[name='situatie'][value='prive']").check()
    page.locator("textarea[name='tekst']").fill("")
    page.locator("textarea[name='tekst']").press_sequentially("Bel Jan op 06-12345678 of mail jan@example.nl", delay=5)
    page.wait_for_timeout(500)
    after = requests[loaded:]
    assert [r.url for r in after] == []
    for request in requests:
        assert "12345678" not in request.url and "jan@example" not in (request.post_data or "")
    assert context.cookies() == []
    assert "06-12345678" not in page.url
    context.close()
