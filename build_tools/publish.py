"""Assembles the versioned site (mike's layout): /<versie>/, /latest/, versions.json, redirects, and the atomic swap."""

from __future__ import annotations

import json
import os
import shutil
from html import escape
from pathlib import Path

from .versions import VersionRegistry

LATEST = "latest"
REDIRECT_SCRIPT = "cvo-redirect.js"
# Keeps the #fragment when forwarding, which a meta refresh would drop; external so a strict CSP allows it.
_REDIRECT_JS = """// Forwards an unversioned address to the version in force, keeping the #fragment.
(function () {
  var meta = document.querySelector('meta[name="cvo-redirect"]');
  if (meta) { location.replace(new URL(meta.content, location.href).href.split("#")[0] + location.hash); }
})();
"""
_SKIPPED_DIRS = {"assets", "search", "pdf"}


def versions_json(registry: VersionRegistry) -> list[dict]:
    """mike's versions.json: newest first; the version in force carries the alias "latest"."""
    entries = []
    for version in reversed(registry.versions):
        current = registry.is_current(version)
        suffix = version.standing_on(registry.build_date)
        entries.append({
            "version": version.versie,
            "title": f"{version.versie} ({suffix})",
            "aliases": [LATEST] if current else [],
        })
    return entries


def write_versions_json(root: Path, registry: VersionRegistry) -> None:
    text = json.dumps(versions_json(registry), ensure_ascii=False, indent=2) + "\n"
    (root / "versions.json").write_text(text, encoding="utf-8")


def copy_alias(root: Path, versie: str, alias: str = LATEST) -> None:
    """A full copy rather than a redirect, so /latest/...#a6 works on any static server, fragment included."""
    shutil.copytree(root / versie, root / alias, copy_function=shutil.copy2)


def write_redirects(root: Path, versie: str, alias: str = LATEST) -> int:
    """Stubs at every unversioned page address (old links) forwarding to the same page under /latest/."""
    (root / REDIRECT_SCRIPT).write_text(_REDIRECT_JS, encoding="utf-8")
    count = 0
    source = root / versie
    for page in sorted(source.rglob("index.html")):
        relative = page.parent.relative_to(source)
        if relative.parts and relative.parts[0] in _SKIPPED_DIRS:
            continue
        depth = len(relative.parts)
        up = "../" * depth
        target = f"{up}{alias}/" + ("/".join(relative.parts) + "/" if relative.parts else "")
        stub = root / relative / "index.html"
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text(_redirect_page(target, up + REDIRECT_SCRIPT), encoding="utf-8")
        count += 1
    return count


def _redirect_page(target: str, script: str) -> str:
    href = escape(target)
    return (
        '<!doctype html>\n<html lang="nl"><head><meta charset="utf-8">'
        f'<title>Doorverwijzing</title><meta name="cvo-redirect" content="{href}">'
        f'<link rel="canonical" href="{href}"><script src="{escape(script)}"></script>'
        f'<noscript><meta http-equiv="refresh" content="0; url={href}"></noscript></head>'
        f'<body><p>Deze pagina is verhuisd naar <a href="{href}">de geldende versie</a>.</p></body></html>\n'
    )


def staging_dir_for(final: Path) -> Path:
    return final.parent / f".{final.name}.building-{os.getpid()}"


def swap_into_place(stage: Path, final: Path) -> None:
    """Replace the previous site only once the new one is complete; a failed build never touches it."""
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        os.replace(final, old)
    os.replace(stage, final)
    if old.exists():
        shutil.rmtree(old)


def discard(stage: Path) -> None:
    if stage.exists():
        shutil.rmtree(stage, ignore_errors=True)
