"""The `cvo` entry in mkdocs.yml's plugins: holds the project's settings (config.py); the build runs outside MkDocs.

`python -m build_tools build` (make site) reads these settings, generates each version's docs and hands them to the
engine without this plugin. Run directly by `mkdocs build` or `mkdocs serve`, it stops with that advice.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from .config import CvoConfig


class CvoPlugin(BasePlugin[CvoConfig]):
    supports_multiple_instances = False

    def on_config(self, config):
        raise PluginError(
            f"{config.config_file_path}: deze site bouw je met `make site` of `python -m build_tools build`, "
            "en bekijk je met `make serve` of `python -m build_tools serve` (zie README)."
        )
