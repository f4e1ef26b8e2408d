"""Search quality on the labelled query set: each query typed into the site's own search in Chromium, results read back.

A result list is what the engine's search UI renders. Material (MkDocs): one group per page, each the page link
followed by its sections in score order (including those behind "N extra overeenkomsten op deze pagina").
Zensical: a flat list of pages and sections in score order, in a dialog in a shadow root (Playwright pierces it),
each link carrying the query as `?h=`. A query is a hit in the first five when one of its articles is among the
first five links of that list, and a first hit when the first article link (`protocol/#<article>`) is one of its
articles.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from build_tools.engines import DEFAULT_ENGINE

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "tests" / "data" / "zoekvragen.toml"
TARGETS = {"top5": 0.95, "first": 0.80}
FLOORS = {"top5": 0.90, "first": 0.70}  # the browser test fails below these
TOP = 5
ARTICLE = re.compile(r"protocol/#[a-z]+[0-9]+")  # an article's permanent address within a version

# Result links in the order Material renders them (page link, then its sections, groups in rank order).
_RESULT_LINKS = """() => Array.from(
  document.querySelectorAll('.md-search-result__list > li a.md-search-result__link'),
  link => link.getAttribute('href'))"""
# A marker inside the result list: Material empties the list when it renders the answer to the current query.
_MARK = """() => { const list = document.querySelector('.md-search-result__list');
  const mark = document.createElement('li'); mark.id = 'cvo-bench-mark'; mark.hidden = true; list.appendChild(mark); }"""
_ANSWERED = "() => !document.getElementById('cvo-bench-mark')"

# Zensical's dialog: result links in rank order. Its links take the query (?h=) from the box at once, while the
# results are still the previous query's, so the answer is recognised at the worker instead: the page counts the
# queries it posts (type 2) and the answers it gets (type 3; type 1 once the index is built).
_Z_LINKS = "dialog a[role='option']"
_Z_COUNTER = """(() => {
  const Native = window.Worker, count = window.__cvoSearch = { ready: false, sent: 0, answered: 0 };
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", event => {
        if (event.data && event.data.type === 1) count.ready = true;
        if (event.data && event.data.type === 3) count.answered++;
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) count.sent++;
      return super.postMessage(message, ...rest);
    }
  };
})();"""
_Z_READY = "() => window.__cvoSearch.ready"
_Z_ANSWERED = "(before) => window.__cvoSearch.sent > before && window.__cvoSearch.answered === window.__cvoSearch.sent"
_Z_RENDERED = "() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))"
# Each engine's search UI: how to open it, where to type, and when its worker is ready.
UI = {
    "mkdocs": {"open": "label.md-search__icon, .md-search__input", "input": "input.md-search__input",
               "ready": ".md-search-result__meta:has-text('Typ om te beginnen')"},
    "zensical": {"open": ".md-search__button", "input": "input[role='combobox']", "ready": "input[role='combobox']",
                 "counter": _Z_COUNTER, "indexed": _Z_READY},
}


def load_queries(path: Path = QUERIES) -> dict[str, list[str]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def open_search(page, base_url: str, engine: str = DEFAULT_ENGINE) -> None:
    """Opens the site's search on `base_url` and waits until its search UI is there (Material: its index is built)."""
    ui = UI[engine]
    if "counter" in ui:
        page.add_init_script(ui["counter"])
    page.goto(base_url)
    page.locator(ui["open"]).first.click()
    page.wait_for_selector(ui["ready"], timeout=30000)
    if "indexed" in ui:
        page.wait_for_function(ui["indexed"], timeout=30000)


def search(page, query: str, *, keystrokes: bool = False, engine: str = DEFAULT_ENGINE) -> list[str]:
    """Enters `query` in the open search box and returns the result links, in rendered order, once they are in.

    Material searches on keyup: `fill` plus one key is one search. With `keystrokes` the query is typed key by
    key like a person does; each key is a search, so the list is read after the answer to the last key.
    """
    if engine == "zensical":
        return _search_zensical(page, query, keystrokes=keystrokes)
    box = page.locator("input.md-search__input")
    if keystrokes:
        box.fill("")
        box.press_sequentially(query[:-1])
        page.wait_for_timeout(300)  # answers to the earlier keys arrive in order, well within this
        page.evaluate(_MARK)
        box.press_sequentially(query[-1])
    else:
        page.evaluate(_MARK)
        box.fill(query)
        box.press("End")
    page.wait_for_function(_ANSWERED, timeout=15000)
    return page.evaluate(_RESULT_LINKS)


def _search_zensical(page, query: str, *, keystrokes: bool) -> list[str]:
    """Zensical searches on input; the list is read once the worker has answered every query the page posted."""
    box = page.locator(UI["zensical"]["input"])
    if keystrokes:
        box.fill("")
    before = page.evaluate("() => window.__cvoSearch.sent")
    if keystrokes:
        box.press_sequentially(query)
    else:
        box.fill(query)
    page.wait_for_function(_Z_ANSWERED, arg=before, timeout=15000)
    page.evaluate(_Z_RENDERED)
    return page.locator(_Z_LINKS).evaluate_all("links => links.map(link => link.getAttribute('href'))")


def location(href: str, base_url: str) -> str:
    """A result link as a location relative to the version root: "protocol/#a6", "checker/integratie/"."""
    url = urlsplit(href)
    path = url.path[len(urlsplit(base_url).path):] if url.path.startswith(urlsplit(base_url).path) else url.path
    return path + ("#" + url.fragment if url.fragment else "")


@dataclass
class Outcome:
    query: str
    expected: list[str]
    locations: list[str]
    first_article: str | None = None
    top5: bool = False
    first: bool = False


@dataclass
class Score:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def top5(self) -> float:
        return sum(o.top5 for o in self.outcomes) / len(self.outcomes)

    @property
    def first(self) -> float:
        return sum(o.first for o in self.outcomes) / len(self.outcomes)

    def misses(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if not getattr(o, kind)]


def judge(query: str, expected: list[str], locations: list[str]) -> Outcome:
    wanted = {f"protocol/#{article.lower()}" for article in expected}
    articles = [loc for loc in locations if ARTICLE.fullmatch(loc)]
    outcome = Outcome(query, expected, locations, articles[0] if articles else None)
    outcome.top5 = any(loc in wanted for loc in locations[:TOP])
    outcome.first = outcome.first_article in wanted
    return outcome


def measure(page, base_url: str, queries: dict[str, list[str]] | None = None, engine: str = DEFAULT_ENGINE) -> Score:
    """Types every labelled query into the search of the site at `base_url` (one page, one index) and scores it."""
    queries = load_queries() if queries is None else queries
    open_search(page, base_url, engine)
    score = Score()
    for query, expected in queries.items():
        links = search(page, query, engine=engine)
        score.outcomes.append(judge(query, expected, [location(href, base_url) for href in links]))
    return score


def describe(outcome: Outcome) -> str:
    shown = ", ".join(outcome.locations[:TOP]) or "geen resultaten"
    return f"  {outcome.query!r}: verwacht {'/'.join(outcome.expected)}; eerste artikel {outcome.first_article}; top {TOP}: {shown}"


def report(score: Score, engine: str = DEFAULT_ENGINE) -> str:
    lines = [
        f"search ({engine}): {len(score.outcomes)} labelled queries typed into the site's search (tests/data/zoekvragen.toml)",
        f"  intended article among the first {TOP} results: {score.top5:.1%} (target >= {TARGETS['top5']:.0%})",
        f"  intended article as the first article result:  {score.first:.1%} (target >= {TARGETS['first']:.0%})",
    ]
    misses = [o for o in score.outcomes if not (o.top5 and o.first)]
    if misses:
        lines.append(f"  misses ({len(misses)}):")
        lines += [describe(o) for o in misses]
    return "\n".join(lines)


def run(browser, base_url: str, engine: str = DEFAULT_ENGINE) -> str:
    """`make bench`: one fresh page on the version in force, every query, the report."""
    context = browser.new_context(locale="nl-NL")
    try:
        return report(measure(context.new_page(), base_url, engine=engine), engine)
    finally:
        context.close()


def run_on_zensical(browser, tmp: Path) -> str:
    """`make bench`: the same query set on the site built with Zensical (built here, in `tmp`)."""
    from build_tools.devkit import run_build, serve_directory

    site = tmp / "site-zensical"
    result = run_build(REPO / "mkdocs.yml", site, check=False, engine="zensical")
    if result.returncode != 0:
        return f"search (zensical): not measured, the Zensical build failed:\n{result.stdout}\n{result.stderr}"
    with serve_directory(site) as url:
        return run(browser, url + "latest/", "zensical")
