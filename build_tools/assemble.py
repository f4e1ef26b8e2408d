"""Assembly after the engine: per-version outputs beside the rendered HTML, then the whole site before the swap.

Two places for build steps, each a plain call:
  finish_version(...) runs once per version after the engine rendered it (PDF, checker assets, service worker);
  finish_site(...) runs once on the complete staging folder, just before it is swapped into place.
"""

from __future__ import annotations

import logging
from pathlib import Path

from . import deploy, publish, search_index
from .generate import pdf_path
from .service_worker import write_service_worker
from .sources import Project, VersionSources
from .versions import VersionRegistry


def finish_version(version_site: Path, sources: VersionSources, registry: VersionRegistry, project: Project,
                   log: logging.Logger) -> None:
    """Everything one version publishes besides its HTML pages."""
    settings = project.settings
    search_index.apply(version_site, sources.protocol, sources.search_terms)
    if settings.pdf:
        from .pdf import write_pdf

        write_pdf(sources.protocol, sources.version, registry, sources.decision_rows, version_site / pdf_path(sources), log,
                  sources.publisher)
    if settings.checker:
        from .checker_assets import write_checker_assets

        write_checker_assets(version_site, sources.version.rules_path, sources.version.versie, project.cache_dir, log)
        write_service_worker(version_site)


def finish_site(stage: Path, registry: VersionRegistry, project: Project, log: logging.Logger) -> None:
    """The site-wide files: /latest/ (a copy of the version in force), versions.json and the old-address redirects."""
    current = registry.current.versie
    publish.copy_alias(stage, current)
    publish.write_versions_json(stage, registry)
    count = publish.write_redirects(stage, current)
    deploy.assemble(stage, project.settings.frame_ancestors, project.cache_dir)  # last: hashes and compresses every file
    log.info("Site met %d versie(s), /%s/ = %s en %d doorverwijzingen", len(registry.versions), publish.LATEST,
             current, count)
