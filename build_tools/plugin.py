"""The cvo MkDocs plugin: thin hooks over the domain modules (versions, protocol, render, pdf, publish)."""

from __future__ import annotations

import logging
import os
import time
from datetime import date, datetime, timezone
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from . import deploy, publish, render
from .config import CvoConfig
from .errors import SourceError
from .protocol import Protocol, load_protocol
from .service_worker import write_service_worker
from .versions import Version, VersionRegistry, load_versions

log = logging.getLogger("mkdocs.plugins.cvo")
THEME_DIR = Path(__file__).parent / "theme"
GENERATED_PAGES = ("protocol.md",)


class CvoPlugin(BasePlugin[CvoConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.nested_version: str | None = None  # set on the plugin of a nested build for a non-current version
        self.registry: VersionRegistry | None = None
        self.version: Version | None = None
        self.protocol: Protocol | None = None
        self.ruleset = None
        self.decision_rows: list[dict] = []
        self.final_dir: Path | None = None
        self.stage_dir: Path | None = None
        self.warnings: CountHandler | None = None

    # --- configuration -------------------------------------------------------------------------------

    def on_config(self, config):
        docs = Path(config.docs_dir)
        try:
            self.registry = load_versions(docs / self.config.versions_dir, self._build_date())
            self.version = self.registry.get(self.nested_version) if self.nested_version else self.registry.current
            self.protocol = load_protocol(self.version.protocol_path)
            self._check_rules()
        except SourceError as error:
            raise PluginError(str(error)) from None
        try:
            deploy.h.check_origins(self.config.frame_ancestors)
        except deploy.h.HeadersError as error:
            raise PluginError(f"mkdocs.yml: plugins.cvo.frame_ancestors: {error}") from None
        if self.nested_version is None:
            self.warnings = _attach_warning_counter()
            self.final_dir = Path(config.site_dir)
            self.stage_dir = publish.staging_dir_for(self.final_dir)
            publish.discard(self.stage_dir)
            config.site_dir = str(self.stage_dir / self.version.versie)
            log.info("Versie %s is de geldende versie op %s; bouw naar %s", self.version.versie,
                     self.registry.build_date.isoformat(), self.final_dir)
        if config.site_url:
            config.site_url = config.site_url.rstrip("/") + f"/{self.version.versie}/"
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        return config

    def _build_date(self) -> date:
        if self.config.build_date:
            try:
                return date.fromisoformat(self.config.build_date)
            except ValueError:
                raise PluginError(f"mkdocs.yml: plugins.cvo.build_date: '{self.config.build_date}' is geen datum (JJJJ-MM-DD).") from None
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        return date.today()

    def _check_rules(self) -> None:
        """A rule citing an unknown article, or a normative article no rule cites, fails the build."""
        path = self.version.rules_path
        if not path.is_file():
            if self.config.checker:
                raise SourceError(path, None, "de regels van deze versie ontbreken (regels.toml); kopieer ze uit de vorige versie.")
            return
        from checker.rules import RulesError, load_ruleset, validate_citations

        from checker.decision_table import decision_table

        try:
            self.ruleset = load_ruleset(path)
            validate_citations(self.ruleset, set(self.protocol.article_ids()))
        except RulesError as error:
            raise PluginError(str(error)) from None  # RulesError already names the file and rule
        self.decision_rows = decision_table(self.ruleset)  # shared by the Beslistabel page and the PDF

    # --- pages ---------------------------------------------------------------------------------------

    def on_files(self, files: Files, *, config) -> Files:
        prefix = self.config.versions_dir.rstrip("/") + "/"
        for file in list(files):
            if file.src_uri.startswith(prefix) or file.src_uri in GENERATED_PAGES:
                files.remove(file)
        content = render.protocol_markdown(self.protocol, self.version, self.registry)
        files.append(File.generated(config, "protocol.md", content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if "<!-- cvo:" not in markdown:
            return markdown
        to_root = _to_site_root(page.url)
        replacements = {
            "<!-- cvo:status -->": lambda: render.status_block_html(self.version, self.registry, to_root + self._pdf_path()),
            "<!-- cvo:goedkeuring -->": lambda: render.approval_tables_html(self.version),
            "<!-- cvo:versiegeschiedenis -->": lambda: render.history_html(self.registry, to_root + "../"),
            "<!-- cvo:beslistabel -->": self._decision_table_html,
            "<!-- cvo:wijzigingen -->": self._changes_html,
            "<!-- cvo:checker-form -->": lambda: _checker_form(page),
        }
        for marker, make in replacements.items():
            if marker in markdown:
                markdown = markdown.replace(marker, make())
        return markdown

    def on_page_context(self, context, *, page, config, nav):
        to_root = _to_site_root(page.url)
        notice = render.notice_text(self.version, self.registry)
        context["cvo"] = {
            "head": render.head_metadata_html(self.protocol, self.version, self.registry, page.canonical_url),
            "notice": notice,
            "notice_href": "../" + to_root + publish.LATEST + "/" + page.url,
            "pdf_href": to_root + self._pdf_path(),
            "version": self.version.versie,
        }
        return context

    def _pdf_path(self) -> str:
        return "pdf/" + render.pdf_filename(self.version)

    def _decision_table_html(self) -> str:
        if self.ruleset is None:
            return "<p>Voor deze versie zijn geen regels van de checker gepubliceerd.</p>"
        from .decision_table_html import decision_table_html

        return decision_table_html(self.decision_rows)

    def _changes_html(self) -> str:
        from .diff import changes_html

        previous = self.registry.previous(self.version)
        old = load_protocol(previous.protocol_path) if previous else None
        return changes_html(old, self.protocol, previous, self.version)

    # --- output --------------------------------------------------------------------------------------

    def on_post_build(self, *, config) -> None:
        site = Path(config.site_dir)
        if self.config.pdf:
            self._write_pdf(site)
        if self.config.checker:
            from .checker_assets import write_checker_assets

            write_checker_assets(site, self.version.rules_path, self.version.versie,
                                 self._cache_dir(config), log)
            write_service_worker(site)
        if self.nested_version is None:
            self._publish_all_versions(config)

    def _write_pdf(self, site: Path) -> None:
        from .pdf import write_pdf

        write_pdf(self.protocol, self.version, self.registry, self.decision_rows, site / self._pdf_path(), log)

    def _cache_dir(self, config) -> Path:
        return Path(config.config_file_path).parent / self.config.cache_dir

    def _publish_all_versions(self, config) -> None:
        started = time.perf_counter()
        for version in self.registry.versions:
            if version.versie == self.version.versie:
                continue
            log.info("Bouw versie %s (%s)", version.versie, version.status)
            nested = load_config(config_file=config.config_file_path, site_dir=str(self.stage_dir / version.versie),
                                 strict=config.strict)
            nested.plugins["cvo"].nested_version = version.versie
            nested.site_url = config.site_url.rsplit(f"{self.version.versie}/", 1)[0] if config.site_url else None
            mkdocs_build(nested)
        _detach_warning_counter(self.warnings)
        if config.strict and self.warnings.get_counts():
            publish.discard(self.stage_dir)
            log.error("Strikte build met waarschuwingen: de vorige site in %s blijft ongewijzigd", self.final_dir)
            return
        publish.copy_alias(self.stage_dir, self.version.versie)
        publish.write_versions_json(self.stage_dir, self.registry)
        count = publish.write_redirects(self.stage_dir, self.version.versie)
        deploy.assemble(self.stage_dir, self.config.frame_ancestors, self._cache_dir(config))
        publish.swap_into_place(self.stage_dir, self.final_dir)
        config.site_dir = str(self.final_dir)
        log.info("Site met %d versie(s), /latest/ en %d doorverwijzingen klaar in %.1f s", len(self.registry.versions),
                 count, time.perf_counter() - started)

    def on_build_error(self, *, error) -> None:
        if self.nested_version is None and self.stage_dir is not None:
            _detach_warning_counter(self.warnings)
            publish.discard(self.stage_dir)


def _attach_warning_counter() -> CountHandler:
    """Counts warnings of all version builds, so a strict build is judged before the swap."""
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    return counter


def _detach_warning_counter(counter: CountHandler | None) -> None:
    if counter is not None:
        logging.getLogger("mkdocs").removeHandler(counter)


def _to_site_root(page_url: str) -> str:
    """Relative path from a page to its version's root, e.g. "protocol/" -> "../"."""
    depth = page_url.rstrip("/").count("/") + 1 if page_url.strip("/") else 0
    return "../" * depth


def _checker_form(page) -> str:
    from .checker_form import render_form

    return render_form(embed=page.file.src_uri.endswith("embed.md"))
