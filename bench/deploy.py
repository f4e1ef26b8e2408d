"""The checker page's transfer through nginx with the generated configuration: raw, gzip and brotli.

Chromium visits the checker page (from the sub-path in site_url) until the engine is ready and records every URL it
loads; each is then fetched from the same nginx with Accept-Encoding identity, gzip and br, and the bodies as sent
(Content-Length) are summed. The compressed figures are the build's own .gz/.br siblings, as nginx serves them.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

SUBPATH = "/beleid/sociale-media/"
ENCODINGS = (("raw", "identity"), ("gzip", "gzip"), ("brotli", "br"))


def _sent_bytes(url: str, encoding: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=60) as response:
        return len(response.read()), response.headers.get("Content-Encoding") or "identity"


def checker_urls(browser, base: str) -> list[str]:
    context = browser.new_context(service_workers="block")
    urls: list[str] = []
    context.on("response", lambda response: urls.append(response.url) if response.status == 200 else None)
    try:
        page = context.new_page()
        page.goto(base + "latest/checker/")
        page.wait_for_selector("#cvo-checker[data-state='ready']", state="attached", timeout=120000)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    return sorted(set(urls))


def checker_transfer(browser, site: Path) -> dict[str, dict[str, int]]:
    """{url: {"raw": bytes, "gzip": bytes, "brotli": bytes}} for every file the checker page loads."""
    from build_tools.local_server import nginx

    with nginx(site, subpath=SUBPATH) as base:
        rows = {}
        for url in checker_urls(browser, base):
            rows[url.removeprefix(base)] = {name: _sent_bytes(url, encoding)[0] for name, encoding in ENCODINGS}
    return rows


def checker_transfer_report(browser, site: Path) -> str:
    rows = checker_transfer(browser, site)
    totals = {name: sum(row[name] for row in rows.values()) for name, _ in ENCODINGS}
    mb = lambda n: f"{n / 1e6:.2f} MB"  # noqa: E731
    lines = [f"checker page through nginx ({len(rows)} files): raw {mb(totals['raw'])} / gzip {mb(totals['gzip'])} / "
             f"brotli {mb(totals['brotli'])}"]
    for path, row in sorted(rows.items(), key=lambda item: -item[1]["raw"])[:6]:
        lines.append(f"    {path:<48} {mb(row['raw']):>9} / {mb(row['gzip']):>9} / {mb(row['brotli']):>9}")
    return "\n".join(lines)
