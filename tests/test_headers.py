"""The header table: hashes of the inline scripts actually written, the per-kind policies, and `_headers`."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from build_tools import headers as h
from build_tools.checker_assets import ENGINE_HASH_LENGTH, engine_dir
from conftest import CURRENT, copy_fixture, run_build

POLICY = h.Policy(("sha256-abc=",), ("https://intranet.example",))


def test_inline_scripts_are_found_and_json_blocks_are_not():
    html = ('<script>var a=1;</script><script type="application/ld+json">{"a": 1}</script>'
            '<script src="x.js"></script><script type="module">import "./y.js";</script>'
            '<script id="__config" type="application/json">{}</script>')
    assert h.inline_scripts(html) == ["var a=1;", 'import "./y.js";']
    # The hash CSP uses: base64 of the SHA-256 of the exact text between the tags.
    digest = base64.b64encode(hashlib.sha256(b"var a=1;").digest()).decode()
    assert h.script_hash("var a=1;") == "sha256-" + digest


def test_every_inline_script_of_the_built_site_is_allowed_by_its_hash(built_site):
    text = (built_site / h.HEADERS_FILE).read_text(encoding="utf-8")
    policies = set(re.findall(r"Content-Security-Policy: (.*)", text))
    assert len(policies) == 3  # reading, checker, embed (mkdocs.yml names an intranet)
    assert "frame-ancestors 'self' https://intranet.example" in text
    pages = list(built_site.rglob("*.html"))
    scripts = {body for page in pages for body in h.inline_scripts(page.read_text(encoding="utf-8"))}
    assert scripts, "Material's pages have inline scripts"
    for policy in policies:
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        for body in scripts:
            assert f"'{h.script_hash(body)}'" in policy


@pytest.mark.parametrize("path,kind,cache", [
    ("/2.0/", "reading", "no-cache"),
    ("/2.0/protocol/index.html", "reading", "no-cache"),
    ("/latest/checker/", "checker", "no-cache"),
    ("/2.0/checker/index.html.br", "checker", "no-cache"),
    ("/2.0/checker/worker.js", "checker", "no-cache"),
    ("/2.0/checker/embed/", "embed", "no-cache"),
    ("/2.0/checker/embed.js", "reading", "no-cache"),
    ("/2.0/checker/integratie/", "reading", "no-cache"),
    ("/2.0/assets/javascripts/bundle.a5f9d56c.min.js", "reading", h.IMMUTABLE),
    ("/2.0/assets/stylesheets/main.57a0d79d.min.css.br", "reading", h.IMMUTABLE),
    # The engine in its content-hashed folder (build_tools/checker_assets.py), precompressed siblings included.
    ("/2.0/assets/pyodide/0123456789abcdef/pyodide.asm.wasm", "reading", h.IMMUTABLE),
    ("/latest/assets/pyodide/0123456789abcdef/pyodide.asm.wasm.br", "reading", h.IMMUTABLE),
    ("/2.0/assets/pyodide/0123456789abcdef/cvo_checker-2.0-py3-none-any.whl", "reading", h.IMMUTABLE),
    ("/2.0/assets/pyodide/0123456789abcdef/checker.snapshot.gz", "reading", h.IMMUTABLE),
    # Not hashed: an engine file outside such a folder, a folder name of another length, the folder itself.
    ("/2.0/assets/pyodide/pyodide.asm.wasm", "reading", "no-cache"),
    ("/2.0/assets/pyodide/0123456789abcde/pyodide.asm.wasm", "reading", "no-cache"),
    ("/2.0/assets/pyodide/0123456789abcdef/", "reading", "no-cache"),
    ("/2.0/assets/checker/manifest.json", "reading", "no-cache"),
    ("/2.0/checker/sw.js", "reading", "no-cache"),
    ("/versions.json", "reading", "no-cache"),
    ("/_headers", "reading", "no-cache"),
])
def test_each_path_gets_its_kind_and_cache_policy(path, kind, cache):
    headers = h.headers_for(path, POLICY)
    assert headers["Content-Security-Policy"] == POLICY.kinds()[kind]["Content-Security-Policy"]
    assert headers["Cache-Control"] == cache
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"]


def test_only_the_embed_page_may_be_framed_by_the_intranet():
    kinds = POLICY.kinds()
    assert kinds["embed"]["Content-Security-Policy"].endswith("frame-ancestors 'self' https://intranet.example")
    assert kinds["checker"]["Content-Security-Policy"].endswith("frame-ancestors 'self'")
    assert "'wasm-unsafe-eval'" not in kinds["reading"]["Content-Security-Policy"]


@pytest.mark.parametrize("bad", ["intranet.example", "https://intranet.example/pad", "*", "javascript:alert(1)"])
def test_a_bad_origin_is_named(bad):
    with pytest.raises(h.HeadersError, match=re.escape(bad)):
        h.check_origins([bad])


def test_origins_are_normalised():
    assert h.check_origins(["'self'", "https://a.example/", "https://a.example", "http://b.example:8080"]) == \
        ("https://a.example", "http://b.example:8080")


def _matches(pattern: str, path: str) -> bool:
    """Netlify/Cloudflare matching: "*" matches anything, "/" included."""
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), path) is not None


def test_headers_file_has_exactly_one_rule_for_every_path(built_site):
    text = (built_site / h.HEADERS_FILE).read_text(encoding="utf-8")
    rules, current = [], None
    for line in text.splitlines():
        if line.startswith("/"):
            current = (line, {})
            rules.append(current)
        elif line.startswith("  "):
            name, value = line.strip().split(": ", 1)
            current[1][name] = value
    assert len(rules) < 100  # Cloudflare Pages reads at most 100 rules
    policy = h.site_policy(built_site, h.read_frame_ancestors(built_site))
    for path in h.served_paths(built_site):
        if path == "/" + h.HEADERS_FILE:
            continue  # those hosts read the file and do not serve it
        matching = [headers for pattern, headers in rules if _matches(pattern, path)]
        assert len(matching) == 1, path
        assert matching[0] == h.headers_for(path, policy), path


def test_exactly_the_engine_files_and_hashed_bundles_are_immutable_in_the_built_site(built_site):
    engine = engine_dir(built_site / CURRENT)
    assert re.fullmatch("[0-9a-f]{%d}" % ENGINE_HASH_LENGTH, engine.name)
    engine_files = {"/" + p.relative_to(built_site).as_posix() for p in engine.iterdir()}
    names = {path.rsplit("/", 1)[-1] for path in engine_files}
    assert {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "checker.snapshot",
            "cvo_checker-2.0-py3-none-any.whl", "pyodide.asm.wasm.br", "pyodide.asm.wasm.gz"} <= names
    immutable = {path for path in h.served_paths(built_site) if h.cache_control(path) == h.IMMUTABLE}
    served_engine = {path for path in h.served_paths(built_site) if path.startswith(f"/2.0/assets/pyodide/{engine.name}/")}
    assert served_engine and served_engine <= immutable
    # Besides the engine (of 2.0 and its alias latest/) only names with a hash in them: Material's bundles.
    others = {path for path in immutable if f"/assets/pyodide/{engine.name}/" not in path}
    assert others and all(re.search(r"\.[0-9a-f]{8,}\.", path.rsplit("/", 1)[-1]) for path in others), others
    assert not any(path.endswith((".html", "/", "sw.js", "manifest.json", "worker.js", "versions.json"))
                   for path in immutable)
    # _headers says so too: the one rule that matches an engine file (the folder's) caches it for a year.
    text = (built_site / h.HEADERS_FILE).read_text(encoding="utf-8")
    patterns = re.findall(r"^(/\S*)\n(?:  .*\n)*?  Cache-Control: (.*)$", text, re.M)
    wasm = f"/2.0/assets/pyodide/{engine.name}/pyodide.asm.wasm"
    assert [cache for pattern, cache in patterns if _matches(pattern, wasm)] == [h.IMMUTABLE]


def test_a_bad_frame_ancestor_in_mkdocs_yml_fails_the_build_naming_the_field(tmp_path):
    config = copy_fixture("minimal", tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      checker: false\n", "      checker: false\n      frame_ancestors: [intranet.example]\n"),
                      encoding="utf-8")
    result = run_build(config, tmp_path / "site", check=False)
    assert result.returncode != 0
    assert "mkdocs.yml: veld 'plugins.cvo.frame_ancestors': 'intranet.example' is geen origin" in result.stderr
    assert not (tmp_path / "site").exists()
