"""The embed page under the strict Content-Security-Policy an intranet should send, and offline after one visit."""

from __future__ import annotations

import re

import pytest

from conftest import serve_directory

CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; frame-ancestors 'self'"
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(scope="module")
def strict_server(built_site):
    with serve_directory(built_site, headers=HEADERS) as url:
        yield url


def test_the_embed_page_works_under_a_strict_csp_without_violations(browser, strict_server):
    context = browser.new_context()
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(strict_server + "2.0/checker/embed/#rol=medewerker&situatie=prive&over_cvo=ja")
    page.wait_for_selector("[data-state='ready']", timeout=60000)
    page.wait_for_selector("text=Toegestaan, mits", timeout=10000)
    violations = page.evaluate("window.__csp")
    assert violations == []
    assert [line for line in console if "Content Security Policy" in line or "Refused to" in line] == []
    context.close()


def test_user_text_is_never_inserted_as_html(browser, strict_server):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS + "window.__pwned = false;")
    page.goto(strict_server + "2.0/checker/embed/")
    page.wait_for_selector("[data-state='ready']", timeout=60000)
    payload = '<img src=x onerror="window.__pwned=true"><script>window.__pwned=true</script> foto 06-12345678'
    page.locator("textarea").fill(payload)
    page.wait_for_timeout(800)
    assert page.evaluate("window.__pwned") is False
    assert page.locator("img[src='x']").count() == 0
    context.close()


def test_after_one_visit_the_checker_works_offline(browser, built_site):
    """The network is really cut: the server that served the first visit is shut down before the reload."""
    context = browser.new_context()
    page = context.new_page()
    with serve_directory(built_site) as url:
        page.goto(url + "2.0/checker/embed/#rol=leerling&situatie=les&toestemming_les=nee")
        page.wait_for_selector("[data-state='ready']", timeout=60000)
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30000)
        page.evaluate("navigator.serviceWorker.ready.then(async (r) => { const names = await caches.keys(); return names.length; })")
        page.wait_for_function("caches.keys().then(n => n.length > 0)", timeout=30000)
        page.wait_for_timeout(1000)
    page.reload()
    page.wait_for_selector("[data-state='ready']", timeout=60000)
    # The advice is rendered just after the engine is ready; wait for it rather than read the page at once.
    page.wait_for_function("document.body.innerText.includes('Niet toegestaan')", timeout=20000)
    assert re.search(r"Niet toegestaan", page.inner_text("body"))
    context.close()
