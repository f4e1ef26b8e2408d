"""The engines that turn one generated version project (mkdocs.yml + docs/ + overrides/) into HTML in its site/.

Each engine is one function taking the project folder; nothing else in the pipeline knows which one ran.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .errors import SourceError
from .sources import PLUGIN_NAME, Project

THEME_DIR = Path(__file__).parent / "theme"
ENGINES = ("mkdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"
# How each engine reads relative links in raw HTML (see generate.relative_links).
LINK_STYLE = {"mkdocs": "page", "zensical": "source"}
CONFIG_NAME = "mkdocs.yml"
DOCS, OVERRIDES, SITE = "docs", "overrides", "site"


class EngineError(Exception):
    """The engine refused the generated project; the message says what it reported."""


def write_engine_project(project: Project, folder: Path, versie: str, engine: str = DEFAULT_ENGINE) -> Path:
    """The version's mkdocs.yml beside its generated docs/: our plugin left out, paths local, URL per version."""
    config = {key: value for key, value in project.config.items() if key not in ("docs_dir", "site_dir")}
    config["docs_dir"], config["site_dir"] = DOCS, SITE
    if project.site_url:
        config["site_url"] = f"{project.site_url}{versie}/"
    config["plugins"] = _without_our_plugin(config.get("plugins") or [])
    theme = dict(config.get("theme") or {})
    if isinstance(config.get("theme"), str):
        theme = {"name": config["theme"]}
    _overrides(project, theme.get("custom_dir"), folder / OVERRIDES)
    theme["custom_dir"] = OVERRIDES
    if engine == "zensical":
        theme.setdefault("variant", "classic")  # Material's look (and its tested colour contrast), not "modern"
    config["theme"] = theme
    path = folder / CONFIG_NAME
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _without_our_plugin(plugins):
    if isinstance(plugins, dict):
        return {name: options for name, options in plugins.items() if name != PLUGIN_NAME}
    return [item for item in plugins if (item if isinstance(item, str) else next(iter(item))) != PLUGIN_NAME]


def _overrides(project: Project, custom_dir: str | None, target: Path) -> None:
    """Our theme files, then the project's own custom_dir on top (an engine takes only one custom_dir)."""
    shutil.copytree(THEME_DIR, target, dirs_exist_ok=True)
    if custom_dir:
        own = (project.root / custom_dir).resolve()
        if not own.is_dir():
            raise SourceError(project.config_file, "theme.custom_dir", f"de map '{custom_dir}' bestaat niet.")
        shutil.copytree(own, target, dirs_exist_ok=True)


def render(engine: str, folder: Path, log: logging.Logger) -> Path:
    """Render the generated project in `folder` with `engine`; returns its site/ folder."""
    if engine == "mkdocs":
        _render_mkdocs(folder / CONFIG_NAME)
    elif engine == "zensical":
        _render_zensical(folder / CONFIG_NAME, log)
    else:
        raise EngineError(f"onbekende engine '{engine}'; kies uit {', '.join(ENGINES)}.")
    return folder / SITE


def _render_mkdocs(config_file: Path) -> None:
    """In-process, as `mkdocs build`: its strict mode turns warnings (broken links) into an Abort."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        build(load_config(config_file=str(config_file)))
    except MkDocsException as error:
        raise EngineError(f"MkDocs: {error}") from None


def _render_zensical(config_file: Path, log: logging.Logger) -> None:
    """In a subprocess: Zensical's Rust runtime keeps global state, so each version gets a fresh one."""
    if shutil.which("zensical") is None and not _importable("zensical"):
        raise EngineError("Zensical is niet geïnstalleerd; installeer requirements/zensical.txt (make site ENGINE=zensical doet dat).")
    result = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", str(config_file), "--clean"],
                            cwd=config_file.parent, capture_output=True, text=True,
                            env={**os.environ, "NO_COLOR": "1", "CLICOLOR": "0"})
    report = zensical_report(result.stdout + result.stderr)
    for line in report.splitlines():
        log.debug("zensical: %s", line)
    if result.returncode != 0:
        raise EngineError(f"Zensical heeft de pagina's van {config_file.parent.name} niet gebouwd:\n{report}")


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def zensical_report(output: str) -> str:
    """Zensical's own findings without colour codes or the Python traceback its CLI prints on a failed build."""
    lines, skipping = [], False
    for line in _ANSI.sub("", output).splitlines():
        if line.startswith("Traceback (most recent call last):"):
            skipping = True
            continue
        if skipping and (line.startswith(" ") or not line.strip()):
            continue
        if skipping:  # the exception's own line ends the traceback, e.g. "RuntimeError: Aborted because ..."
            line, skipping = line.split(": ", 1)[-1], False
        if line.strip():
            lines.append(line.rstrip())
    return "\n".join(lines)


def _importable(name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(name) is not None
