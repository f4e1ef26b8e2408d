"""`python -m build_tools serve`: the whole pipeline into a temporary folder, served with MkDocs' live-reload server.

An edit under docs/ (or to mkdocs.yml or the theme overrides) rebuilds the site and reloads open pages.
"""

from __future__ import annotations

import logging
import shutil
import signal
import tempfile
from pathlib import Path

from . import pipeline
from .engines import THEME_DIR
from .sources import load_project

log = logging.getLogger("build_tools")


def serve(config_file: Path, engine: str, host: str = "127.0.0.1", port: int = 8000, on_error=None) -> None:
    from mkdocs.livereload import LiveReloadServer

    project = load_project(config_file)
    scratch = Path(tempfile.mkdtemp(prefix="cvo-serve-"))
    site = scratch / "site"

    def builder() -> None:
        try:
            pipeline.build(project.config_file, site, engine)
        except Exception as error:  # a bad edit keeps the last good site on screen and says why
            if on_error is None:
                raise
            on_error(error)

    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl+C: the scratch folder goes too
    server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site))
    try:
        pipeline.build(project.config_file, site, engine)
        for path in (project.docs_dir, project.config_file, THEME_DIR):
            server.watch(str(path))
        log.info("De site staat op http://%s:%d/ (Ctrl+C stopt)", host, port)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Gestopt.")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
