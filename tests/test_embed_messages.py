"""The embed page acts on no incoming message: whatever another page posts to it changes nothing."""

from __future__ import annotations

from conftest import CURRENT
from test_browser_checker import COLLECT_MESSAGES, READY, parent_server  # noqa: F401 (fixture)


def test_incoming_messages_are_ignored(browser, site_server, parent_server):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(COLLECT_MESSAGES)
    page.goto(parent_server)
    page.evaluate("src => { document.querySelector('iframe').src = src; }",
                  site_server + f"{CURRENT}/checker/embed/#rol=leerling&situatie=les&toestemming_les=nee")
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


def test_the_embedded_checker_on_another_origin_reports_what_the_cli_prints(browser, site_server, parent_server):
    import json
    import subprocess
    import sys

    from conftest import REPO

    answers = {"rol": "medewerker", "situatie": "prive", "over_cvo": True}
    cli = subprocess.run([sys.executable, "-m", "checker"], input=json.dumps(answers), capture_output=True,
                         text=True, cwd=REPO, check=True)
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(COLLECT_MESSAGES)
    page.goto(parent_server)
    assert site_server.split("/")[2] != parent_server.split("/")[2], "the iframe is on another origin"
    page.evaluate("src => { document.querySelector('iframe').src = src; }",
                  site_server + f"{CURRENT}/checker/embed/#rol=medewerker&situatie=prive&over_cvo=ja")
    page.wait_for_function("window.__messages.some(m => m.data && m.data.type === 'cvo-checker:advice')", timeout=60000)
    advice = [m["data"]["advice"] for m in page.evaluate("window.__messages") if m["data"]["type"] == "cvo-checker:advice"][-1]
    assert advice == json.loads(cli.stdout)
    assert advice["verdict"] == "toegestaan_mits" and "C5" in {r["article"] for r in advice["reasons"]}
    context.close()
