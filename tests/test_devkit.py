"""The browser the tests and the benchmark share: Debian's Chromium with the flags of build_tools.devkit."""

from __future__ import annotations

from build_tools.devkit import CHROMIUM_ARGS


def _command_lines(browser) -> list[list[str]]:
    """The command line of every process of this browser, as Chromium itself lists them."""
    session = browser.new_browser_cdp_session()
    try:
        processes = session.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        session.detach()
    lines = []
    for process in processes:
        try:
            with open(f"/proc/{process['id']}/cmdline", encoding="utf-8", errors="replace") as cmdline:
                lines.append(cmdline.read().replace("\0", " ").split())  # Chromium rewrites its own as one string
        except OSError:  # a process that ended meanwhile
            continue
    return lines


def test_a_new_context_loads_no_omnibox_popup_beside_the_page(browser):
    # Chromium 156 loads its omnibox popup WebUI in every new window (about 1 s of one core), while the page under test
    # loads; a reader's browser did that long before. The flags keep that work out of every timing and test.
    assert any(arg.startswith("--disable-features=") and "WebUIOmniboxPopup" in arg for arg in CHROMIUM_ARGS)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto("about:blank")
        page.wait_for_timeout(1500)  # without the flags the popup's renderer is up well within this
        lines = _command_lines(browser)
        assert any("--type=renderer" in line for line in lines)  # the page's own renderer is listed
        assert not [line for line in lines if "--top-chrome-webui" in line]
    finally:
        context.close()
