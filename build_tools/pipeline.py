"""The build, outside any engine: sources -> generated docs per version -> engine -> assembly -> atomic swap."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

from . import assemble, engines, publish
from .generate import generate_docs
from .sources import check_all

log = logging.getLogger("build_tools")


def default_site_dir(project) -> Path:
    return (project.root / project.config.get("site_dir", "site")).resolve()


def work_dir_for(final: Path) -> Path:
    """Where the generated version projects live during a build: beside the target, never inside it."""
    return final.parent / f".{final.name}.generated-{os.getpid()}"


def build(config_file: Path, site_dir: Path | None = None, engine: str = engines.DEFAULT_ENGINE,
          work_dir: Path | None = None) -> Path:
    """Build every version into a staging folder and swap it into place; a failure leaves the old site untouched."""
    started = time.perf_counter()
    project, registry, loaded = check_all(config_file)
    final = Path(site_dir).resolve() if site_dir else default_site_dir(project)
    stage = publish.staging_dir_for(final)
    work = Path(work_dir) if work_dir else work_dir_for(final)
    keep_work = work_dir is not None
    publish.discard(stage)
    log.info("Versie %s is de geldende versie op %s; bouw met %s naar %s", registry.current.versie,
             registry.build_date.isoformat(), engine, final)
    try:
        stage.mkdir(parents=True)
        for version in registry.versions:
            sources = loaded[version.versie]
            folder = work / version.versie
            generate_docs(project.docs_dir, folder / engines.DOCS, versions_dir=project.versions_dir, sources=sources,
                          registry=registry, site_url=_version_url(project.site_url, version.versie),
                          use_directory_urls=project.config.get("use_directory_urls", True),
                          link_style=engines.LINK_STYLE.get(engine, "page"))
            engines.write_engine_project(project, folder, version.versie, engine)
            rendered = engines.render(engine, folder, log)
            version_site = stage / version.versie
            shutil.move(str(rendered), version_site)
            assemble.finish_version(version_site, sources, registry, project, log)
        assemble.finish_site(stage, registry, project, log)
        publish.swap_into_place(stage, final)
    except BaseException:
        publish.discard(stage)
        raise
    finally:
        if not keep_work:
            publish.discard(work)
    log.info("Klaar in %.1f s: %s", time.perf_counter() - started, final)
    return final


def _version_url(site_url: str | None, versie: str) -> str | None:
    return f"{site_url}{versie}/" if site_url else None
