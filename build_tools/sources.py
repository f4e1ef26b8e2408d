"""Loads and validates a project's sources without building: settings, every version, its text and its rules."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from .errors import SourceError
from .protocol import Protocol, load_protocol
from .versions import Version, VersionRegistry, load_versions

PLUGIN_NAME = "cvo"


@dataclass(frozen=True)
class Settings:
    """The project's `plugins: - cvo:` settings from mkdocs.yml (schema and comments in config.py)."""

    versions_dir: str = "versies"
    build_date: str = ""
    pdf: bool = True
    checker: bool = True
    cache_dir: str = ".cache"
    frame_ancestors: tuple[str, ...] = ()
    organisatie: str = ""
    afkorting: str = ""
    bestandsnaam: str = ""
    trefwoorden: tuple = ()


@dataclass
class Project:
    """mkdocs.yml as data: the engine settings (`config`) and ours (`settings`), paths made absolute."""

    config_file: Path
    config: dict
    settings: Settings

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def docs_dir(self) -> Path:
        return (self.root / self.config.get("docs_dir", "docs")).resolve()

    @property
    def versions_dir(self) -> Path:
        return self.docs_dir / self.settings.versions_dir

    @property
    def cache_dir(self) -> Path:
        return (self.root / self.settings.cache_dir).resolve()

    @property
    def publisher(self):
        from .publisher import Publisher

        return Publisher.from_config(self.config, self.settings)

    @property
    def site_url(self) -> str | None:
        url = self.config.get("site_url")
        return url.rstrip("/") + "/" if url else None

    def build_date(self) -> date:
        if self.settings.build_date:
            try:
                return date.fromisoformat(self.settings.build_date)
            except ValueError:
                raise SourceError(self.config_file, "plugins.cvo.build_date",
                                  f"'{self.settings.build_date}' is geen datum (JJJJ-MM-DD).") from None
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        return date.today()


@dataclass
class VersionSources:
    """One version's validated sources: metadata, parsed text and (if published) its rules and decision rows."""

    version: Version
    protocol: Protocol
    ruleset: object | None = None
    decision_rows: list[dict] = field(default_factory=list)
    search_terms: dict = field(default_factory=dict)
    publisher: object | None = None  # the project's Publisher: names and file names shown with this version


def load_project(config_file: Path) -> Project:
    """Read mkdocs.yml (MkDocs' own YAML loader: !ENV and friends work) and our settings in it."""
    from mkdocs.utils.yaml import yaml_load

    config_file = Path(config_file).resolve()
    if not config_file.is_file():
        raise SourceError(config_file, None, "dit configuratiebestand bestaat niet.")
    try:
        with config_file.open(encoding="utf-8") as handle:
            config = yaml_load(handle) or {}
    except Exception as error:  # the YAML library's own message names line and column
        raise SourceError(config_file, None, f"geen geldige YAML: {error}") from None
    if not isinstance(config, dict):
        raise SourceError(config_file, None, "moet een YAML-mapping zijn (sleutel: waarde).")
    return Project(config_file, config, _settings(config_file, config))


def _settings(config_file: Path, config: dict) -> Settings:
    raw = plugin_options(config.get("plugins") or [])
    if raw is None:
        raise SourceError(config_file, "plugins", f"de plugin '{PLUGIN_NAME}' ontbreekt; voeg '- {PLUGIN_NAME}' toe onder plugins.")
    from .config import CvoConfig

    schema = CvoConfig(config_file_path=str(config_file))
    schema.load_dict(raw or {})
    errors, _ = schema.validate()
    for key, error in errors:
        raise SourceError(config_file, f"plugins.{PLUGIN_NAME}.{key}", str(error))
    values = {name: schema[name] for name in Settings.__dataclass_fields__}
    values["trefwoorden"] = tuple(str(word) for word in values["trefwoorden"])
    from .headers import HeadersError, check_origins

    try:
        values["frame_ancestors"] = check_origins(schema["frame_ancestors"])
    except HeadersError as error:
        raise SourceError(config_file, f"plugins.{PLUGIN_NAME}.frame_ancestors", str(error)) from None
    return Settings(**values)


def plugin_options(plugins) -> dict | None:
    """Our plugin's options from MkDocs' `plugins` (a list of names/one-key mappings, or a mapping); None if absent."""
    entries = plugins.items() if isinstance(plugins, dict) else (
        (item, {}) if isinstance(item, str) else next(iter(item.items())) for item in plugins)
    for name, options in entries:
        if name == PLUGIN_NAME:
            return options or {}
    return None


def load_registry(project: Project) -> VersionRegistry:
    return load_versions(project.versions_dir, project.build_date())


def load_version_sources(version: Version, settings: Settings, publisher=None) -> VersionSources:
    """Parse the text and check the rules: a rule citing an unknown article, or an uncited normative one, fails."""
    from .search_index import load_search_terms

    protocol = load_protocol(version.protocol_path)
    sources = VersionSources(version, protocol, search_terms=load_search_terms(version.folder, protocol),
                             publisher=publisher)
    path = version.rules_path
    if not path.is_file():
        if settings.checker:
            raise SourceError(path, None, "de regels van deze versie ontbreken (regels.toml); kopieer ze uit de vorige versie.")
        return sources
    from checker.decision_table import decision_table
    from checker.rules import load_ruleset, validate_citations

    sources.ruleset = load_ruleset(path)
    if sources.ruleset.versie != version.versie:
        raise SourceError(path, "versie", f"'{sources.ruleset.versie}' komt niet overeen met de versie van deze map "
                                          f"('{version.versie}').")
    validate_citations(sources.ruleset, set(protocol.article_ids()))
    sources.decision_rows = decision_table(sources.ruleset)  # shared by the Beslistabel page and the PDF
    return sources


def check_all(config_file: Path) -> tuple[Project, VersionRegistry, dict[str, VersionSources]]:
    """Everything `controleer` and a build validate before rendering anything; raises on the first problem."""
    project = load_project(config_file)
    registry = load_registry(project)
    publisher = project.publisher
    loaded = {version.versie: load_version_sources(version, project.settings, publisher) for version in registry.versions}
    return project, registry, loaded
