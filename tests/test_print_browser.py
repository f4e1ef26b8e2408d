"""A browser's own print of a page: the text, no navigation chrome."""

from conftest import CURRENT


def test_a_browsers_own_print_shows_the_text_without_navigation_chrome(page, site_server):
    page.goto(site_server + f"{CURRENT}/protocol/")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".cvo-artikel-links"):
        assert page.locator(chrome).first.is_hidden(), chrome
    assert page.locator("#a6").is_visible()
