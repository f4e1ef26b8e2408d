"""axe-core, its experimental rules included, reports no violation on every kind of page, light and dark."""

from __future__ import annotations

import pytest

from axe import axe_violations
from conftest import CURRENT

# One of each kind of page: home, the protocol, Markdown pages, the decision table, the checker, the chrome-less
# embed page, the integration page (code blocks), history and changes; the version selector is on all but embed.
PAGES = [f"{CURRENT}/{page}" for page in ("", "protocol/", "vaststelling/", "beslistabel/", "checker/", "checker/embed/",
                                          "checker/integratie/", "versiegeschiedenis/", "wijzigingen/")] + ["latest/privacy/"]
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(browser, engine_server, path, scheme):
    context = browser.new_context(color_scheme=scheme, locale="nl-NL")
    page = context.new_page()
    page.goto(engine_server + path)
    if "embed" not in path:
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
    else:
        page.wait_for_selector("[data-state='ready']", timeout=60000)
    if path.endswith("checker/"):
        page.wait_for_selector("[data-state='ready']", timeout=60000)
    assert axe_violations(page) == []
    context.close()



@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", [f"{CURRENT}/checker/", f"{CURRENT}/checker/embed/"])
def test_no_axe_violations_with_findings_marked_and_a_point_to_check(browser, site_server, path, scheme):
    context = browser.new_context(color_scheme=scheme, locale="nl-NL")
    page = context.new_page()
    page.goto(site_server + path)
    page.wait_for_selector("[data-state='ready']", timeout=60000)
    for key, value in (("rol", "ouder"), ("situatie", "prive"), ("persoonsgegevens", "nee"), ("beeldmateriaal", "nee")):
        page.locator(f"input[name='{key}'][value='{value}']").check()
    page.locator("textarea").fill("Ziekmelden: 0519-123456 of mail@example.nl, @school, foto van de sportdag")
    page.wait_for_selector(".cvo-controle", timeout=10000)
    page.wait_for_selector(".cvo-markering mark", timeout=10000)
    assert axe_violations(page) == []


def test_the_version_selector_is_named_with_its_visible_text(browser, site_server):
    """WCAG 2.5.3: Material names the button "Selecteer versie" while it shows "2.0 (geldend)"."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(site_server + f"{CURRENT}/protocol/")
    button = page.locator(".md-version__current")
    button.wait_for(timeout=10000)
    page.wait_for_function("document.querySelector('.md-version__current').getAttribute('aria-label').startsWith('Versie')")
    shown = " ".join(button.inner_text().split())
    assert shown == f"{CURRENT} (geldend)"
    assert button.get_attribute("aria-label") == f"Versie {shown}, kies een andere versie"
    assert page.get_by_role("button", name=f"Versie {CURRENT} (geldend), kies een andere versie").count() == 1
    context.close()
