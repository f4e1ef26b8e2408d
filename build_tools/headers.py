"""The HTTP headers of every file of the built site: one table, written as `_headers` and as nginx/Apache config.

The Content-Security-Policy has no 'unsafe-inline': Material's few inline scripts are allowed by their SHA-256
hashes, computed from the pages actually written. Only the checker pages (and the engine's worker) may compile
WebAssembly, and only the embed page may be framed by the configured intranet origins.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

HEADERS_FILE = "_headers"
# Search patterns over a site-relative URL path with a leading "/" (e.g. "/2.0/checker/embed/"). The same strings
# are PCRE in nginx's map and Apache's SetEnvIf, so every server applies exactly the rule tested here.
EMBED_PATTERN = r"/checker/embed/"
# A precompressed sibling (worker.js.br) keeps the kind of its file: Apache matches the rewritten path.
CHECKER_PATTERN = r"/checker/((index\.html|worker\.js)(\.br|\.gz)?)?$"
# Material's bundles carry a content hash in their names (bundle.a5f9d56c.min.js); their .map, .br, .gz too.
HASHED_PATTERN = r"\.[0-9a-f]{8,}\.[^/]*$"

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Features the site never uses; every name is one Chromium knows, so no page logs an "unrecognized feature".
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
    "gyroscope", "magnetometer", "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get",
    "screen-wake-lock", "usb", "xr-spatial-tracking"))
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": PERMISSIONS_POLICY,
}
# Content types by extension; text types are sent with "; charset=utf-8".
TYPES = {
    "html": "text/html", "css": "text/css", "js": "text/javascript", "mjs": "text/javascript",
    "json": "application/json", "map": "application/json", "webmanifest": "application/manifest+json",
    "xml": "application/xml", "txt": "text/plain", "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon",
    "wasm": "application/wasm", "pdf": "application/pdf", "zip": "application/zip", "whl": "application/zip",
    "woff2": "font/woff2", "gz": "application/gzip", "snapshot": "application/octet-stream",  # Pyodide memory image
}
CHARSET_TYPES = ("text/html", "text/css", "text/javascript", "application/json", "text/plain", "application/xml",
                 "image/svg+xml", "application/manifest+json")
DEFAULT_TYPE = "application/octet-stream"
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d+)?$")


class HeadersError(ValueError):
    """A bad frame-ancestors origin; the message names it."""


@dataclass(frozen=True)
class Policy:
    """Everything the headers depend on besides the path: inline-script hashes and who may frame the checker."""

    script_hashes: tuple[str, ...]
    frame_ancestors: tuple[str, ...] = ()

    def csp(self, *, wasm: bool, embed: bool) -> str:
        scripts = ["'self'", *(["'wasm-unsafe-eval'"] if wasm else []), *(f"'{h}'" for h in self.script_hashes)]
        ancestors = ["'self'", *(self.frame_ancestors if embed else ())]
        return "; ".join([
            "default-src 'self'",
            "script-src " + " ".join(scripts),
            "style-src 'self'",
            "img-src 'self' data:",  # Material's icons are data: SVGs in its stylesheet
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors " + " ".join(ancestors),
        ])

    def kinds(self) -> dict[str, dict[str, str]]:
        """The three CSP kinds: reading pages, the checker page with its worker, and the embed page."""
        return {
            "reading": {"Content-Security-Policy": self.csp(wasm=False, embed=False)},
            "checker": {"Content-Security-Policy": self.csp(wasm=True, embed=False)},
            "embed": {"Content-Security-Policy": self.csp(wasm=True, embed=True)},
        }


def csp_kind(url_path: str) -> str:
    if re.search(EMBED_PATTERN, url_path):
        return "embed"
    if re.search(CHECKER_PATTERN, url_path):
        return "checker"
    return "reading"


def cache_control(url_path: str) -> str:
    return IMMUTABLE if re.search(HASHED_PATTERN, url_path) else REVALIDATE


def headers_for(url_path: str, policy: Policy) -> dict[str, str]:
    """The headers a server sends for one site-relative URL path ("/2.0/checker/", "/2.0/assets/x.js")."""
    return {**COMMON, **policy.kinds()[csp_kind(url_path)], "Cache-Control": cache_control(url_path)}


def content_type(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    mime = TYPES.get(name.rsplit(".", 1)[-1].lower(), DEFAULT_TYPE) if "." in name else DEFAULT_TYPE
    return f"{mime}; charset=utf-8" if mime in CHARSET_TYPES else mime


def check_origins(origins) -> tuple[str, ...]:
    """frame-ancestors entries: scheme://host[:port], or 'self' (always included anyway)."""
    checked = []
    for origin in origins:
        origin = origin.strip().rstrip("/")
        if origin in ("", "'self'"):
            continue
        if not _ORIGIN.match(origin):
            raise HeadersError(f"'{origin}' is geen origin (verwacht: https://host of https://host:poort).")
        checked.append(origin)
    return tuple(dict.fromkeys(checked))


# --- inline scripts -------------------------------------------------------------------------------------

class _InlineScripts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.bodies: list[str] = []
        self._open = False
        self._parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            attributes = dict(attrs)
            kind = (attributes.get("type") or "").strip().lower()
            self._open = "src" not in attributes and kind in _EXECUTABLE_TYPES
            self._parts = []

    def handle_data(self, data):
        if self._open:
            self._parts.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open:
            self.bodies.append("".join(self._parts))
            self._open = False


def inline_scripts(html: str) -> list[str]:
    """The text of every executable inline <script> (JSON data blocks are not scripts and need no hash)."""
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    return parser.bodies


def script_hash(body: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")


def site_script_hashes(site_dir: Path) -> tuple[str, ...]:
    """Hashes of every inline script in every page of the site, sorted (a few: they differ only by page depth)."""
    hashes = set()
    for page in site_dir.rglob("*.html"):
        hashes.update(script_hash(body) for body in inline_scripts(page.read_text(encoding="utf-8")))
    return tuple(sorted(hashes))


def site_policy(site_dir: Path, frame_ancestors=()) -> Policy:
    return Policy(site_script_hashes(site_dir), check_origins(frame_ancestors))


# --- _headers (Netlify, Cloudflare Pages) ------------------------------------------------------------------

def served_paths(site_dir: Path) -> list[str]:
    """Site-relative URL paths of every file (precompressed siblings excluded) and of every folder's index."""
    paths = []
    for file in sorted(site_dir.rglob("*")):
        if not file.is_file() or file.suffix in (".br",) or _is_sibling(file):
            continue
        relative = "/" + file.relative_to(site_dir).as_posix()
        paths.append(relative)
        if file.name == "index.html":
            paths.append(relative.removesuffix("index.html"))
    return paths


def _is_sibling(file: Path) -> bool:
    return file.suffix == ".gz" and file.with_suffix("").is_file()


def header_rules(site_dir: Path, policy: Policy, base: str = "/") -> list[tuple[str, dict[str, str]]]:
    """(pattern, headers) rules in which no two rules match one path: hosts that merge matching rules would
    otherwise join two CSPs with a comma and enforce both. A folder whose files all get the same headers is one
    "folder/*" rule; otherwise each file (and each folder index, "folder/") gets its own rule."""
    rules: list[tuple[str, dict[str, str]]] = []
    prefix = "/" + base.strip("/") + "/" if base.strip("/") else "/"

    def url(path: str) -> str:
        return prefix + path.lstrip("/")

    def walk(folder: Path) -> list[tuple[str, dict]]:
        entries = []
        uniform = True
        first = None
        for child in sorted(folder.iterdir()):
            if child.is_dir():
                sub = walk(child)
                entries.append(("dir", child, sub))
                for _, headers in sub:
                    first = first or headers
                    uniform = uniform and headers == first
            elif not (child.suffix == ".br" or _is_sibling(child) or child == site_dir / HEADERS_FILE):
                relative = "/" + child.relative_to(site_dir).as_posix()
                own = [(relative, headers_for(relative, policy))]
                if child.name == "index.html":
                    own.append((relative.removesuffix("index.html"), headers_for(relative.removesuffix("index.html"), policy)))
                entries.append(("file", child, own))
                for _, headers in own:
                    first = first or headers
                    uniform = uniform and headers == first
        collected = [rule for _, _, sub in entries for rule in sub]
        if folder != site_dir and uniform and collected:
            folder_path = "/" + folder.relative_to(site_dir).as_posix() + "/*"
            return [(folder_path, first)]
        return collected

    for path, headers in walk(site_dir):
        rules.append((url(path), headers))
    return rules


def headers_file_text(rules: list[tuple[str, dict[str, str]]]) -> str:
    lines = ["# Generated by the build (build_tools/headers.py): HTTP headers per path for Netlify and Cloudflare Pages.",
             "# No two rules match one path, so no host joins two values of a header."]
    for pattern, headers in rules:
        lines.append(pattern)
        lines.extend(f"  {name}: {value}" for name, value in headers.items())
    return "\n".join(lines) + "\n"


def write_headers_file(site_dir: Path, policy: Policy) -> Path:
    target = site_dir / HEADERS_FILE
    target.write_text(headers_file_text(header_rules(site_dir, policy)), encoding="utf-8")
    return target


def read_frame_ancestors(site_dir: Path) -> tuple[str, ...]:
    """The extra frame-ancestors the build wrote for the embed page (what mkdocs.yml configured)."""
    path = site_dir / HEADERS_FILE
    if not path.is_file():
        return ()
    for policy in re.findall(r"Content-Security-Policy: (.*)", path.read_text(encoding="utf-8")):
        ancestors = re.search(r"frame-ancestors ([^;]*)", policy).group(1).split()
        extra = tuple(a for a in ancestors if a != "'self'")
        if extra:
            return extra
    return ()
