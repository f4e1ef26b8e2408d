"""The checker's service worker: after one visit the checker works offline; a new build replaces the cache."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SERVICE_WORKER = "checker/sw.js"
# Precached on install: the engine (Pyodide core, stdlib, snapshot and wheel in assets/pyodide/<hash>/; manifest,
# worker and form scripts), the two checker pages and the theme files they use; search and its language files are
# left out.
PRECACHE_PATTERNS = ("assets/pyodide/*/*", "assets/checker/*", "assets/cvo/*", "assets/stylesheets/*.css",
                     "assets/javascripts/bundle.*.js", "assets/images/*", "checker/index.html",
                     "checker/embed/index.html", "checker/worker.js", "checker/decode.js")
# Only the fallback start (build_tools/snapshot.py) loads these: cached when it fetches them, not precached, so the
# first visit does not download 1 MB gzip it never uses. They still count in the cache name.
FALLBACK_ONLY = ("assets/pyodide/*/python_stdlib.zip", "assets/pyodide/*/*.whl")
# Fetched as their brotli siblings (x.br, written by the build's last step, after this file) and decoded by the
# worker, which keeps the decoded copies itself (worker.js, storeDecoded): precached as those siblings, and a request
# for the original answered with the decoded copy where there is one.
AS_BROTLI = ("assets/pyodide/*/pyodide.asm.wasm", "assets/pyodide/*/checker.snapshot")

_TEMPLATE = """// Service worker of the checker pages (scope: this version's checker/). Generated at build time.
// Cache-first for the engine files listed below; network-first with a cached fallback for everything else,
// so that after one visit the checker works without a network. A new build has a new cache name.
"use strict";
const PRECACHE = __PRECACHE__;
const PRECACHE_URLS = new Set(PRECACHE.map((path) => new URL(path, self.location).pathname));
// One cache per scope (version) and build; "activate" removes this scope's older caches only.
const PREFIX = "cvo-checker-" + new URL("./", self.location).pathname;
const CACHE = PREFIX + __BUILD__;
// The worker's decoded copies of the brotli files (worker.js, storeDecoded), answered from its cache: served from
// here, the wasm gets V8's compiled code kept beside it (README, "Does V8's wasm code cache apply").
const DECODED_CACHE = "cvo-engine-" + new URL("./", self.location).pathname;
const DECODED_URLS = new Set(__DECODED__.map((path) => new URL(path, self.location).pathname));

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((path) => new URL(path, self.location).href))));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

function cacheFirstOrNetwork(request) {
  return caches.open(CACHE).then((cache) =>
    cache.match(request, { ignoreSearch: true }).then((cached) => {
      if (cached && PRECACHE_URLS.has(new URL(request.url).pathname)) return cached;
      return fetch(request)
        .then((response) => {
          if (response.ok) cache.put(request, response.clone());
          return response;
        })
        .catch(() => cached || Response.error());
    })
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (DECODED_URLS.has(url.pathname)) {
    event.respondWith(caches.open(DECODED_CACHE)
      .then((cache) => cache.match(request))
      .then((decoded) => decoded || cacheFirstOrNetwork(request)));
    return;
  }
  event.respondWith(cacheFirstOrNetwork(request));
});
"""


def write_service_worker(site_dir: Path) -> Path:
    """Write <site>/checker/sw.js listing the engine files, with a cache name derived from their contents."""
    files = sorted({path for pattern in PRECACHE_PATTERNS for path in site_dir.glob(pattern) if path.is_file()})
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(site_dir).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    target = site_dir / SERVICE_WORKER
    fallback_only = {path for pattern in FALLBACK_ONLY for path in site_dir.glob(pattern)}
    as_brotli = {path for pattern in AS_BROTLI for path in site_dir.glob(pattern)}
    relative = ["../" + path.relative_to(site_dir).as_posix().removesuffix("index.html") + (".br" if path in as_brotli else "")
                for path in files if path not in fallback_only]
    decoded = ["../" + path.relative_to(site_dir).as_posix() for path in sorted(as_brotli)]
    script = (_TEMPLATE.replace("__PRECACHE__", json.dumps(relative, indent=0))
              .replace("__DECODED__", json.dumps(decoded))
              .replace("__BUILD__", json.dumps(digest.hexdigest()[:16])))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(script, encoding="utf-8")
    return target
