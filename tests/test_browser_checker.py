"""The in-browser checker in headless Chromium against the real built site: same advice as CPython, relevance,
privacy, text shown as text, the loading watchdog, and reading pages that load none of it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from checker.engine import cited_articles, evaluate
from checker.rules import load_ruleset
from conftest import CURRENT, CURRENT_VERSION, REPO, serve_directory
from scenario_data import rules_path, scenario_paths

SCENARIOS = scenario_paths()
RULES = CURRENT_VERSION.rules_path
READY = "#cvo-checker[data-state='ready']"
PARENT_HTML = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Intranet</title></head>
<body><h1>Intranet</h1><iframe title="Mag ik dit posten?" width="900" height="700"></iframe></body></html>
"""
COLLECT_MESSAGES = """
window.__messages = [];
window.addEventListener("message", (event) => window.__messages.push({origin: event.origin, data: event.data}));
"""


def fragment(answers: dict) -> str:
    """The embed page's fragment: booleans as ja/nee; the text never goes in the URL."""
    shown = {k: ("ja" if v else "nee") if isinstance(v, bool) else v for k, v in answers.items() if k != "tekst"}
    return urlencode(shown)


def cpython_advice(answers: dict, rules: Path = RULES) -> dict:
    return json.loads(json.dumps(evaluate(answers, load_ruleset(rules))))


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="nl-NL")
    yield context
    context.close()


@pytest.fixture(scope="module")
def parent_server(tmp_path_factory):
    """An 'intranet' page on another origin (another port) that embeds the checker."""
    root = tmp_path_factory.mktemp("intranet-parent")
    (root / "index.html").write_text(PARENT_HTML, encoding="utf-8")
    with serve_directory(root) as url:
        yield url


def open_checker(context, url: str):
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(READY, state="attached", timeout=60000)
    return page


def wait_for_advice(page, expected: dict, start: int, timeout: float = 20.0) -> dict:
    """The last advice message after `start`, once it equals `expected` or the time is up."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        messages = page.evaluate("window.__messages.slice(%d)" % start)
        advice = [m["data"]["advice"] for m in messages if m["data"].get("type") == "cvo-checker:advice"]
        if advice:
            last = advice[-1]
            if last == expected:
                return last
        page.wait_for_timeout(50)
    return last


@pytest.mark.parametrize("versie", sorted({v for v, _ in SCENARIOS}))
def test_every_scenario_through_the_embed_page_in_a_cross_origin_iframe_matches_cpython(context, site_server, parent_server, versie):
    scenarios = [path for v, path in SCENARIOS if v == versie]
    assert len(scenarios) >= 100
    embed = site_server + f"{versie}/checker/embed/"
    page = context.new_page()
    page.add_init_script(COLLECT_MESSAGES)
    page.goto(parent_server)
    page.evaluate("src => { document.querySelector('iframe').src = src; }", embed)
    page.wait_for_function(
        "window.__messages.some(m => m.data && m.data.type === 'cvo-checker:ready')", timeout=60000)
    ready = [m for m in page.evaluate("window.__messages") if m["data"]["type"] == "cvo-checker:ready"][0]
    assert ready["origin"] == site_server.rstrip("/") and ready["data"]["version"] == versie
    assert site_server.rstrip("/") != parent_server.rstrip("/")
    assert_every_scenario_matches_cpython(page, embed, versie, scenarios)
    frame_url = page.frames[1].url
    assert "_scenario" not in frame_url, "the embed page rewrites the fragment to the form's relevant answers"



def assert_every_scenario_matches_cpython(page, embed: str, versie: str, scenarios: list) -> None:
    """Each scenario typed into the framed embed page gives CPython's advice, field for field."""
    textarea = page.frame_locator("iframe").locator("textarea")
    for number, path in enumerate(scenarios):
        scenario = json.loads(path.read_text(encoding="utf-8"))
        expected = cpython_advice(scenario["answers"], rules_path(versie))
        start = page.evaluate("window.__messages.length")
        textarea.fill(scenario["answers"].get("tekst", ""))
        # A fresh marker key makes every fragment differ, so each scenario fires hashchange once.
        page.evaluate("src => { document.querySelector('iframe').src = src; }",
                      f"{embed}#{fragment(scenario['answers'])}&_scenario={number}")
        advice = wait_for_advice(page, expected, start)
        assert advice == expected, f"{path.name}: browser advice differs from CPython in " + str(
            sorted(k for k in {*expected, *(advice or {})} if (advice or {}).get(k) != expected.get(k)))
        assert advice["verdict"] == scenario["verdict"], path.name
        assert cited_articles(advice) == scenario["articles"], path.name
        if scenario["answers"].get("tekst"):
            assert scenario["answers"]["tekst"] not in json.dumps(advice, ensure_ascii=False), "no text in messages"


def test_medewerker_prive_over_cvo_shows_toegestaan_mits_with_the_disclaimer_and_a_c5_link(context, site_server):
    page = open_checker(context, site_server + f"{CURRENT}/checker/")
    page.locator("input[name='rol'][value='medewerker']").check()
    page.locator("input[name='situatie'][value='prive']").check()
    page.locator("input[name='over_cvo'][value='ja']").check()
    verdict = page.locator(".cvo-oordeel")
    verdict.wait_for(timeout=10000)
    page.wait_for_function("document.querySelector('.cvo-oordeel').dataset.verdict === 'toegestaan_mits'", timeout=10000)
    advice = page.locator("#cvo-advies-inhoud")
    assert "Toegestaan, mits" in verdict.inner_text()
    assert "De standpunten en meningen in dit bericht zijn mijn eigen persoonlijke mening" in advice.inner_text()
    link = advice.locator("a[href='../protocol/#c5']")
    assert link.count() == 1 and link.inner_text() == "C.5"
    assert advice.get_attribute("aria-live") == "polite"
    link.click()
    page.wait_for_url(f"**/{CURRENT}/protocol/#c5")


def test_no_request_leaves_the_page_while_personal_data_is_typed(context, site_server):
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = open_checker(context, site_server + f"{CURRENT}/checker/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the precache is done before typing
    page.wait_for_load_state("networkidle")
    loaded = len(requests)
    page.locator("input[name='rol'][value='leerling']").check()
    page.locator("input[name='situatie'][value='werk']").check()
    text = "Mijn vriendin Anna woont op Dorpsstraat 12, 8900 AB Leeuwarden, tel 06-12345678, anna@example.nl"
    page.locator("textarea").press_sequentially(text, delay=2)
    page.wait_for_selector(".cvo-vondst--email", timeout=10000)
    page.wait_for_timeout(500)
    assert requests[loaded:] == []
    assert all("12345678" not in url and "anna" not in url.lower() for url in requests)
    assert "12345678" not in page.url


def test_html_in_the_text_is_shown_as_text_and_never_executed(context, site_server):
    page = context.new_page()
    page.add_init_script("window.__pwned = false;")
    page.goto(site_server + f"{CURRENT}/checker/")
    page.wait_for_selector(READY, state="attached", timeout=60000)
    payload = '<img src=x onerror="window.__pwned=true"> <script>window.__pwned=true</script> mail jan@example.nl'
    page.locator("textarea").fill(payload)
    page.wait_for_selector(".cvo-vondst--email", timeout=10000)
    marked = page.locator(".cvo-markering__tekst")
    assert '<img src=x onerror="window.__pwned=true">' in marked.inner_text()
    assert marked.locator(".cvo-vondst--email").inner_text() == "jan@example.nl"
    assert page.locator("#cvo-checker img, #cvo-checker script").count() == 0
    assert page.evaluate("window.__pwned") is False


def test_questions_appear_only_when_relevant_even_before_the_engine_loads(context, site_server):
    page = context.new_page()
    page.route("**/assets/pyodide/*/pyodide.asm.wasm*", lambda route: None)  # never answered: the engine stays loading
    page.goto(site_server + f"{CURRENT}/checker/")
    shown = lambda key: page.locator(f"#cvo-vraag-{key}").is_visible()  # noqa: E731
    assert not shown("disclaimer") and not shown("toestemming_les")
    page.locator("input[name='rol'][value='medewerker']").check()
    page.locator("input[name='situatie'][value='prive']").check()
    assert not shown("disclaimer")
    page.locator("input[name='over_cvo'][value='ja']").check()
    assert shown("disclaimer")
    page.locator("input[name='situatie'][value='werk']").check()
    assert not shown("disclaimer") and shown("ontspoort")
    page.locator("input[name='situatie'][value='les']").check()
    # A lesson is a werksituatie for a medewerker: section B's questions stay, C's disclaimer goes.
    assert shown("toestemming_les") and shown("over_cvo") and shown("ontspoort") and not shown("disclaimer")
    page.locator("input[name='rol'][value='leerling']").check()
    assert shown("toestemming_les") and not shown("over_cvo")
    page.locator("input[name='rol'][value='ouder']").check()
    assert not shown("toestemming_les")
    assert page.get_attribute("#cvo-checker", "data-state") == "loading"
    # Keyboard: a radio group is reached with Tab and changed with the arrow keys.
    page.locator("input[name='rol'][value='ouder']").focus()
    page.keyboard.press("ArrowDown")
    assert page.locator("input[name='rol'][value='betrokkene']").is_checked()
    page.unroute("**/assets/pyodide/*/pyodide.asm.wasm*")


def wasm_wrong_mime(route):
    route.fulfill(status=200, content_type="text/plain", body=b"not wasm")


def wasm_never_answers(route):
    pass  # the request stays pending: loadPyodide would wait for ever, only the watchdog ends it


@pytest.mark.parametrize("block", [wasm_wrong_mime, wasm_never_answers], ids=["wrong-mime", "hanging"])
def test_blocked_webassembly_ends_in_a_plain_dutch_error_pointing_to_the_decision_table(context, site_server, block):
    page = context.new_page()
    page.route("**/assets/pyodide/*/pyodide.asm.wasm*", block)
    if block is wasm_never_answers:
        page.clock.install()  # the page's own timers, so its 20 s watchdog can be moved forward, not waited for
    page.goto(site_server + f"{CURRENT}/checker/embed/")
    if block is wasm_never_answers:
        # 5 s at a time: each progress message re-arms the watchdog, so it fires only after 20 s without any.
        for _ in range(100):
            if page.get_attribute("#cvo-checker", "data-state") == "error":
                break
            page.clock.fast_forward(5000)
            page.wait_for_timeout(200)
    page.wait_for_selector("#cvo-checker[data-state='error']", state="attached", timeout=45000)
    assert page.get_attribute("html", "data-state") == "error"
    error = page.locator("#cvo-error")
    assert error.is_visible() and error.get_attribute("role") == "alert"
    text = error.inner_text()
    assert "De checker kan in deze browser niet starten" in text
    if block is wasm_never_answers:
        assert "duurde te lang of werd geblokkeerd" in text
    assert error.locator("a[href='../../beslistabel/']").count() == 1
    page.locator("input[name='rol'][value='leerling']").check()  # the form stays usable
    assert page.locator("#cvo-progress").is_hidden()
    page.unroute("**/assets/pyodide/*/pyodide.asm.wasm*")


@pytest.mark.parametrize("path", [f"{CURRENT}/", f"{CURRENT}/protocol/", "latest/protocol/"])
def test_reading_pages_load_nothing_of_the_checker(context, site_server, path):
    requests = []
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_server + path, wait_until="networkidle")
    assert requests, "the page loaded"
    assert [url for url in requests if "/assets/pyodide/" in url or "/assets/checker/" in url] == []


SCHOOL_NUMBER = "Ziekmelden kan bij de administratie van school: 0519-123456"


def answer(page, key: str, value: str):
    page.locator(f"input[name='{key}'][value='{value}']").check()


@pytest.mark.parametrize("path", ["2.0/checker/", "2.0/checker/embed/"])
def test_the_persons_no_wins_and_the_number_to_check_is_marked_in_place_under_the_text_field(context, site_server, path):
    page = open_checker(context, site_server + path)
    answer(page, "rol", "ouder")
    answer(page, "situatie", "prive")
    answer(page, "persoonsgegevens", "nee")
    answer(page, "toestemming", "nee")
    page.locator("textarea").fill(SCHOOL_NUMBER)
    page.wait_for_selector(".cvo-controle", timeout=10000)
    assert page.locator(".cvo-oordeel").get_attribute("data-verdict") == "toegestaan"
    check = page.locator(".cvo-controle")
    assert "We zagen iets dat op een telefoonnummer lijkt. Is het van iemand anders? Dan geldt A.2" in check.inner_text()
    assert check.locator("a[href$='protocol/#a2']").count() == 1
    assert page.locator(".cvo-gevolgen").count() == 0, "no consequence follows from a contradicted finding"
    # The draft is shown right under the text field, the number marked where it is, with its kind and question.
    region = page.locator("#cvo-vraag-tekst .cvo-markering")
    assert region.is_visible() and region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    mark = region.locator("mark")
    assert mark.count() == 1 and mark.inner_text() == "0519-123456" and mark.get_attribute("data-effect") == "controleer"
    label = region.locator(".cvo-vondst__soort").inner_text()
    assert label == f" [telefoonnummer: {cpython_advice(page_answers(page))['findings'][0]['note']}]"
    assert "Staan er persoonsgegevens van anderen in je bericht?" in label and "nee" in label
    assert region.locator(".cvo-markering__tekst").inner_text() == SCHOOL_NUMBER + label
    labelled_by = region.get_attribute("aria-labelledby")
    assert page.locator(f"#{labelled_by}").inner_text() == "Wat de checker in je tekst zag"
    page.locator("textarea").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('cvo-markering')"), "reachable with the keyboard"
    # Unanswered, the same text stands in for the answer and A2's condition applies.
    page.evaluate("document.querySelectorAll(\"input[name='persoonsgegevens'], input[name='toestemming']\")"
                  ".forEach(i => { i.checked = false; }); document.querySelector('textarea').dispatchEvent(new Event('input', {bubbles: true}))")
    page.wait_for_function("document.querySelector('.cvo-oordeel').dataset.verdict === 'toegestaan_mits'", timeout=10000)
    assert page.locator(".cvo-controle").count() == 0
    assert region.locator("mark").get_attribute("data-effect") == "aangenomen"
    assert "A.2" in page.locator(".cvo-redenen").inner_text()


def page_answers(page) -> dict:
    return {"rol": "ouder", "situatie": "prive", "persoonsgegevens": False, "toestemming": False, "tekst": SCHOOL_NUMBER}


WORKER_SPY = """
window.__workers = [];
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(...args) {
    super(...args);
    if (!String(args[0]).includes("checker/worker.js")) return; // e.g. the theme's search worker
    window.__workers.push(this);
    this.__replies = [];
    this.addEventListener("message", (event) => this.__replies.push(event.data));
    // Sent at once, long before the worker has loaded the engine and starts listening.
    this.postMessage({type: "advise", id: -7, answers: {rol: "leerling", situatie: "les", toestemming_les: false}});
  }
};
window.__longTimers = new Set();
const nativeSetTimeout = window.setTimeout, nativeClearTimeout = window.clearTimeout;
window.setTimeout = function (fn, ms, ...rest) {
  const id = nativeSetTimeout.call(window, fn, ms, ...rest);
  if (ms >= 10000) window.__longTimers.add(id);
  return id;
};
window.clearTimeout = function (id) { window.__longTimers.delete(id); return nativeClearTimeout.call(window, id); };
"""


def test_a_message_sent_before_the_worker_listens_is_answered_not_dropped(context, site_server):
    page = context.new_page()
    page.add_init_script(WORKER_SPY)
    page.goto(site_server + "2.0/checker/")
    page.wait_for_selector(READY, state="attached", timeout=60000)
    page.wait_for_function("window.__workers[0].__replies.some(m => m.type === 'advice' && m.id === -7)", timeout=10000)
    reply = page.evaluate("window.__workers[0].__replies.find(m => m.type === 'advice' && m.id === -7)")
    assert reply["advice"] == cpython_advice({"rol": "leerling", "situatie": "les", "toestemming_les": False})


def test_once_ready_a_late_progress_message_does_not_re_arm_the_watchdog(context, site_server):
    page = context.new_page()
    page.add_init_script(WORKER_SPY)
    page.goto(site_server + "2.0/checker/")
    page.wait_for_selector(READY, state="attached", timeout=60000)
    assert page.evaluate("window.__longTimers.size") == 0, "the loading watchdog is cleared when ready"
    page.evaluate("""window.__workers[0].dispatchEvent(new MessageEvent("message",
        {data: {type: "progress", loaded: 1, total: 2, stage: "download"}}))""")
    page.evaluate("""window.__workers[0].dispatchEvent(new MessageEvent("message", {data: {type: "ready", version: "2.0"}}))""")
    assert page.evaluate("window.__longTimers.size") == 0, "no watchdog is armed again"
    assert page.get_attribute("#cvo-checker", "data-state") == "ready"


def test_a_hashchange_cancels_a_pending_typing_debounce(context, site_server, parent_server):
    page = context.new_page()
    page.add_init_script(COLLECT_MESSAGES)
    page.goto(parent_server)
    page.evaluate("src => { document.querySelector('iframe').src = src; }", site_server + "2.0/checker/embed/")
    page.wait_for_function("window.__messages.some(m => m.data && m.data.type === 'cvo-checker:ready')", timeout=60000)
    frame = page.frames[1]
    page.wait_for_timeout(500)
    start = page.evaluate("window.__messages.length")
    # Typing starts the debounce; the fragment changes before it fires.
    frame.evaluate("""() => {
        const textarea = document.querySelector("textarea");
        textarea.value = "Bel 06-12345678";
        textarea.dispatchEvent(new Event("input", {bubbles: true}));
        location.hash = "#rol=ouder&situatie=werk";
    }""")
    page.wait_for_timeout(1000)
    advice = [m["data"]["advice"] for m in page.evaluate("window.__messages.slice(%d)" % start)
              if m["data"]["type"] == "cvo-checker:advice"]
    assert len(advice) == 1, "one evaluation for the new fragment, none left over from the debounce"
    assert advice[0] == cpython_advice({"rol": "ouder", "situatie": "werk", "tekst": "Bel 06-12345678"})
