"""axe-core reports no WCAG 2.2 AA violation on the main pages, in the light and the dark palette."""

from __future__ import annotations

import pytest

from axe import axe_violations
from conftest import CURRENT

PAGES = [f"{CURRENT}/{page}" for page in ("", "protocol/", "vaststelling/", "beslistabel/", "checker/", "checker/embed/",
                                          "versiegeschiedenis/", "wijzigingen/")]
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

