"""An intranet page on another origin embeds the checker with <iframe data-cvo-checker> and checker/embed.js (served
by nginx with the generated config): the iframe grows with the questions, never scrolls inside, and the host page
receives the checker's events. A page on an origin that frame-ancestors does not name cannot frame it."""

from __future__ import annotations

import gzip

import pytest

from conftest import serve_directory

HOST_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Intranet</title></head>
<body>
<h1>Intranet van de school</h1>
<iframe data-cvo-checker src="{site}2.0/checker/embed/" title="Mag ik dit posten? De checker van de richtlijnen sociale media"
        width="100%" height="300"></iframe>
<script>
  window.__events = [];
  const frame = document.querySelector("iframe");
  for (const type of ["cvo-checker:ready", "cvo-checker:advice"]) {{
    frame.addEventListener(type, (event) => window.__events.push({{ type: event.type, detail: event.detail }}));
  }}
</script>
<script src="{site}2.0/checker/embed.js" async></script>
</body></html>
"""


@pytest.fixture
def host_page(browser, host_origin, nginx_server):
    root, url = host_origin
    (root / "intranet.html").write_text(HOST_PAGE.format(site=nginx_server), encoding="utf-8")
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 800})
    page = context.new_page()
    page.goto(url + "intranet.html")
    frame = page.frame_locator("iframe[data-cvo-checker]")
    frame.locator("#cvo-checker[data-state='ready']").wait_for(timeout=60000)
    yield page, frame
    context.close()


def iframe_height(page) -> float:
    return page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")


def inner_overflow(page) -> int:
    """How far the framed page could scroll inside its frame (0: it fits)."""
    frame = page.frames[1]
    return frame.evaluate("document.documentElement.scrollHeight - document.documentElement.clientHeight")


def test_the_iframe_grows_as_questions_appear_and_never_scrolls_inside(host_page):
    page, frame = host_page
    page.wait_for_function("document.querySelector('iframe').style.height !== ''", timeout=10000)
    before = iframe_height(page)
    assert inner_overflow(page) <= 0
    frame.locator("input[name='rol'][value='medewerker']").check()
    frame.locator("input[name='situatie'][value='prive']").check()
    frame.locator("input[name='over_cvo'][value='ja']").check()
    page.wait_for_function(f"document.querySelector('iframe').getBoundingClientRect().height > {before + 50}",
                           timeout=10000)
    page.wait_for_timeout(300)
    assert iframe_height(page) > before
    assert inner_overflow(page) <= 0


def test_the_host_page_receives_ready_and_advice_events(host_page):
    page, frame = host_page
    frame.locator("input[name='rol'][value='leerling']").check()
    frame.locator("input[name='situatie'][value='les']").check()
    frame.locator("input[name='toestemming_les'][value='nee']").check()
    page.wait_for_function("window.__events.some(e => e.type === 'cvo-checker:advice' && "
                           "e.detail.advice.verdict === 'niet_toegestaan')", timeout=20000)
    events = page.evaluate("window.__events")
    assert events[0]["type"] == "cvo-checker:ready" and events[0]["detail"]["version"] == "2.0"
    assert all(e["detail"]["type"] == e["type"] for e in events)


def test_messages_from_any_other_window_are_ignored(host_page):
    page, _ = host_page
    page.wait_for_function("document.querySelector('iframe').style.height !== ''", timeout=10000)
    before = page.evaluate("document.querySelector('iframe').style.height")
    page.evaluate("""() => {
        window.postMessage({type: 'cvo-checker:resize', height: 5}, '*');
        window.postMessage({type: 'cvo-checker:advice', advice: {verdict: 'toegestaan'}}, '*');
    }""")
    page.wait_for_timeout(500)
    assert page.evaluate("document.querySelector('iframe').style.height") == before
    assert not any(e["type"] == "cvo-checker:advice" and e["detail"]["advice"].get("verdict") == "toegestaan"
                   and "findings" not in e["detail"]["advice"] for e in page.evaluate("window.__events"))


def test_an_origin_not_in_frame_ancestors_cannot_frame_the_checker(browser, nginx_server, tmp_path):
    (tmp_path / "elders.html").write_text(HOST_PAGE.format(site=nginx_server), encoding="utf-8")
    with serve_directory(tmp_path) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "elders.html")
        page.wait_for_timeout(2000)
        assert page.frames[1].evaluate("document.querySelector('#cvo-checker')") is None
        context.close()


def test_the_host_script_is_small_and_served_under_every_version_and_latest(built_site):
    for folder in ("2.0", "latest"):
        script = (built_site / folder / "checker" / "embed.js").read_bytes()
        assert len(gzip.compress(script, 9)) < 2048
