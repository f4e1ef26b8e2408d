"""Sources -> one version's complete docs tree: every <!-- cvo:… --> marker resolved, template data in front matter.

The result is plain Markdown any MkDocs-compatible engine renders as is: the protocol page is written out, the
shared pages get this version's approval block, history, decision table and changes, and what the theme overrides
need per page (head metadata, the not-in-force notice, links) travels as the page's `cvo` front matter.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from . import render, search_index
from .protocol import load_protocol
from .publish import LATEST
from .sources import VersionSources
from .versions import VersionRegistry

MARKER = re.compile(r"<!-- cvo:([a-z-]+) -->")
# A relative href/src in generated HTML (not a scheme, an absolute path or a fragment).
_RELATIVE_URL = re.compile(r'(\s(?:href|src)=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"]*)"')
_NOSCRIPT = re.compile(r"(<noscript\b.*?</noscript>)", re.S)
# How an engine reads relative links in raw HTML: "page" (MkDocs leaves them as written, relative to the page's
# URL) or "source" (Zensical rewrites them as if relative to the Markdown file, as Markdown links are).
LINK_STYLES = ("page", "source")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)
PROTOCOL_PAGE = "protocol.md"
KNOWN_MARKERS = frozenset({"status", "goedkeuring", "versiegeschiedenis", "beslistabel", "wijzigingen", "checker-form", "zoektermen"})


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The page's URL relative to the version root, as MkDocs derives it: "checker/index.md" -> "checker/"."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/" if use_directory_urls else stem + ".html"


def to_site_root(url: str) -> str:
    """Relative path from a page to its version's root, e.g. "protocol/" -> "../"."""
    return "../" * url.count("/")


def pdf_path(sources: VersionSources) -> str:
    return "pdf/" + render.pdf_filename(sources.version, sources.publisher)


def generate_docs(docs_dir: Path, target: Path, *, versions_dir: Path, sources: VersionSources,
                  registry: VersionRegistry, site_url: str | None, use_directory_urls: bool = True,
                  link_style: str = "page") -> list[str]:
    """Write the version's docs tree to `target` (replaced); returns the Markdown pages written, relative paths."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    pages = []
    for path in sorted(docs_dir.rglob("*")):
        if path.is_dir() or path == versions_dir or versions_dir in path.parents:
            continue
        relative = path.relative_to(docs_dir).as_posix()
        if relative == PROTOCOL_PAGE:
            continue  # generated from the version's own protocol.md below
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            out.write_text(_page(relative, text, sources, registry, site_url, use_directory_urls, link_style),
                           encoding="utf-8")
            pages.append(relative)
        else:
            shutil.copy2(path, out)
    protocol = render.protocol_markdown(sources.protocol, sources.version, registry)
    url = page_url(PROTOCOL_PAGE, use_directory_urls)
    protocol = relative_links(protocol, PROTOCOL_PAGE, url, link_style)
    (target / PROTOCOL_PAGE).write_text(
        _page(PROTOCOL_PAGE, protocol, sources, registry, site_url, use_directory_urls, link_style), encoding="utf-8")
    return sorted(pages + [PROTOCOL_PAGE])


def _page(src_uri: str, text: str, sources: VersionSources, registry: VersionRegistry, site_url: str | None,
          use_directory_urls: bool, link_style: str) -> str:
    url = page_url(src_uri, use_directory_urls)
    meta, body = split_front_matter(text)
    body = resolve_markers(body, src_uri, url, sources, registry, link_style)
    meta["cvo"] = page_data(url, sources, registry, site_url)
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{dumped}---\n\n{body}"


def split_front_matter(text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = yaml.safe_load(match.group(1) or "") or {}
    return (meta if isinstance(meta, dict) else {}), text[match.end():]


def page_data(url: str, sources: VersionSources, registry: VersionRegistry, site_url: str | None) -> dict:
    """What the theme overrides show on every page, passed as front matter rather than as engine context."""
    version = sources.version
    to_root = to_site_root(url)
    canonical = (site_url + url) if site_url else None
    data = {
        "version": version.versie,
        "organisatie": sources.publisher.afkorting if sources.publisher else "",
        "head": render.head_metadata_html(sources.protocol, version, registry, canonical, sources.publisher),
        "pdf_href": to_root + pdf_path(sources),
        "notice_href": "../" + to_root + LATEST + "/" + url,
    }
    notice = render.notice_text(version, registry)
    if notice:
        data["notice"] = notice
    return data


def relative_links(html: str, src_uri: str, url: str, link_style: str) -> str:
    """Generated HTML's links, written relative to the page's URL, in the form the engine expects them."""
    if link_style not in LINK_STYLES:
        raise ValueError(f"unknown link style {link_style!r}")
    deeper = url.count("/") - src_uri.count("/")  # 1 for protocol.md -> protocol/, 0 for index pages
    if link_style == "page" or deeper <= 0:
        return html
    own_folder = url.rstrip("/").rsplit("/", 1)[-1] + "/"

    def rewrite(match: re.Match) -> str:
        link = match.group(2)
        link = link[3:] if link.startswith("../") else own_folder + link
        return f'{match.group(1)}{link}"'

    # Zensical reads <noscript> content as text and leaves its links as written, so they stay page-relative.
    parts = _NOSCRIPT.split(html)
    return "".join(part if part.startswith("<noscript") else _RELATIVE_URL.sub(rewrite, part) for part in parts)


def resolve_markers(markdown: str, src_uri: str, url: str, sources: VersionSources, registry: VersionRegistry,
                    link_style: str = "page") -> str:
    """Replace every <!-- cvo:name --> with its HTML; an unknown marker is left for the caller to report."""
    to_root = to_site_root(url)
    makers = {
        "status": lambda: render.status_block_html(sources.version, registry, to_root + pdf_path(sources)),
        "goedkeuring": lambda: render.approval_tables_html(sources.version, sources.publisher),
        "versiegeschiedenis": lambda: render.history_html(registry, to_root + "../"),
        "beslistabel": lambda: _decision_table_html(sources),
        "wijzigingen": lambda: _changes_html(sources, registry),
        "checker-form": lambda: _checker_form(src_uri, sources),
        "zoektermen": lambda: search_index.search_terms_html(sources.search_terms, sources.protocol,
                                                             sources.version.versie),
    }

    def replace(match: re.Match) -> str:
        make = makers.get(match.group(1))
        return relative_links(make(), src_uri, url, link_style) if make else match.group(0)

    return MARKER.sub(replace, markdown)


def _decision_table_html(sources: VersionSources) -> str:
    if sources.ruleset is None:
        return "<p>Voor deze versie zijn geen regels van de checker gepubliceerd.</p>"
    from .decision_table_html import decision_table_html

    return decision_table_html(sources.decision_rows)


def _changes_html(sources: VersionSources, registry: VersionRegistry) -> str:
    from .diff import changes_html

    previous = registry.previous(sources.version)
    old = load_protocol(previous.protocol_path) if previous else None
    return changes_html(old, sources.protocol, previous, sources.version)


def _checker_form(src_uri: str, sources: VersionSources) -> str:
    from .checker_form import render_form

    return render_form(sources.ruleset.questions, embed=src_uri.endswith("embed.md"))
