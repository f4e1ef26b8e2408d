"""End-to-end: `python -m build_tools serve` shows the site and rebuilds it after an edit under docs/."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import copy_fixture


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, needle: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _fetch(url)
        if body and needle in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} did not appear on {url} within {seconds} s")


def test_serve_shows_the_site_and_reloads_after_an_edit(tmp_path):
    config = copy_fixture("minimal", tmp_path)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "build_tools", "-f", str(config), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=config.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        page = _wait_for(base + "latest/", "Fixture")
        assert "livereload" in page, "served pages carry the live-reload script"
        index = config.parent / "docs" / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + "\nEen zin die er net bij kwam.\n", encoding="utf-8")
        _wait_for(base + "latest/", "Een zin die er net bij kwam.")
        _wait_for(base + "1.0/", "Een zin die er net bij kwam.")
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
    assert "Traceback" not in output
