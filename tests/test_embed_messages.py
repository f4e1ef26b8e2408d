"""The embed page acts on no incoming message: whatever another page posts to it changes nothing."""

from __future__ import annotations

from test_browser_checker import COLLECT_MESSAGES, READY, parent_server  # noqa: F401 (fixture)


def test_incoming_messages_are_ignored(browser, site_server, parent_server):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(COLLECT_MESSAGES)
    page.goto(parent_server)
    page.evaluate("src => { document.querySelector('iframe').src = src; }",
                  site_server + "2.0/checker/embed/#rol=leerling&situatie=les&toestemming_les=nee")
    page.wait_for_function("window.__messages.some(m => m.data && m.data.type === 'cvo-checker:advice')", timeout=60000)
    frame = page.frames[1]
    frame.wait_for_selector(READY, state="attached")
    page.wait_for_timeout(500)
    before_count = page.evaluate("window.__messages.length")
    before_url = frame.url
    before_checked = frame.eval_on_selector_all("input:checked", "inputs => inputs.map(i => i.name + '=' + i.value)")
    for message in ({"type": "cvo-checker:answers", "answers": {"rol": "medewerker"}},
                    {"type": "cvo-checker:advice", "advice": {"verdict": "toegestaan"}},
                    "rol=medewerker", {"rol": "ouder", "situatie": "werk"}):
        page.evaluate("message => document.querySelector('iframe').contentWindow.postMessage(message, '*')", message)
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__messages.length") == before_count
    assert frame.url == before_url
    assert frame.eval_on_selector_all("input:checked", "inputs => inputs.map(i => i.name + '=' + i.value)") == before_checked
    context.close()
