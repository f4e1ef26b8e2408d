"""The policy officer's commands: `nieuwe-versie` (a concept copied from the version in force) and `controleer`."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from .errors import SourceError
from .generate import KNOWN_MARKERS, MARKER
from .sources import check_all, load_project, load_registry
from .versions import METADATA_FILE, RULES_FILE, _VERSION_NUMBER

REFERENCE_TEXT = "vastgestelde-tekst.txt"
# Not copied into a new version: its own metadata is written fresh, and its adopted text does not exist yet.
NOT_COPIED = {METADATA_FILE, REFERENCE_TEXT}
_RULES_VERSION = re.compile(r'^(versie\s*=\s*)"[^"]*"', re.M)


def new_version(config_file: Path, versie: str, log: logging.Logger, out=print) -> int:
    """Copy the version in force to docs/versies/<versie>/ as a concept, validate everything, say what is next."""
    project = load_project(config_file)
    registry = load_registry(project)
    target = project.versions_dir / versie
    if not _VERSION_NUMBER.match(versie):
        raise SourceError(target, None, f"'{versie}' is geen versienummer; schrijf bijvoorbeeld 2.1.")
    key = tuple(int(part) for part in versie.split("."))
    if target.exists() or any(v.sort_key == key for v in registry.versions):
        raise SourceError(target, None, f"versie {versie} bestaat al.")
    newest = registry.versions[-1]
    if key <= newest.sort_key:
        raise SourceError(target, None, f"het nieuwe nummer moet hoger zijn dan de nieuwste versie ({newest.versie}).")
    source = registry.current
    staging = project.versions_dir.parent / f".nieuwe-versie-{versie}"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source.folder, staging, ignore=lambda folder, names: [n for n in names if n in NOT_COPIED]
                    if Path(folder) == source.folder else [])
    rules = staging / RULES_FILE
    if rules.is_file():
        rules.write_text(_RULES_VERSION.sub(rf'\g<1>"{versie}"', rules.read_text(encoding="utf-8"), count=1),
                         encoding="utf-8")
    (staging / METADATA_FILE).write_text(_metadata(versie, source.versie), encoding="utf-8")
    staging.rename(target)
    try:
        check_all(config_file)
    except Exception:
        shutil.rmtree(target, ignore_errors=True)  # nothing half-made stays behind
        raise
    relative = target.relative_to(project.root)
    out(f"Versie {versie} is aangemaakt als concept in {relative}/, gekopieerd uit versie {source.versie}.\n")
    out("Wat je nu doet:")
    for step in _next_steps(relative, versie, source.versie):
        out(f"  {step}")
    return 0


def _metadata(versie: str, based_on: str) -> str:
    return f'''# Gegevens van versie {versie} (zie de pagina Beheer).
versie = "{versie}"
status = "concept"              # concept | vastgesteld | vervallen
# geldig_vanaf = JJJJ-MM-DD     # bij de vaststelling invullen
samenvatting = "Concept op basis van versie {based_on}."

# Na de instemming van de GMR: haal de # weg en vul in.
# [instemming]
# versie = "{versie}"
# datum = JJJJ-MM-DD
# naam = ""
# functie = "Voorzitter GMR"

# Na de vaststelling door het CvB: vul in en zet status = "vastgesteld" en geldig_vanaf.
# [vaststelling]
# versie = "{versie}"
# datum = JJJJ-MM-DD
# naam = ""
# functie = "Voorzitter college van bestuur"
'''


def _next_steps(folder: Path, versie: str, previous: str) -> list[str]:
    return [
        f"1. Pas de tekst aan in {folder}/protocol.md en schrijf de samenvatting in {folder}/{METADATA_FILE}.",
        f"2. Pas de regels van de checker aan in {folder}/{RULES_FILE} als de tekst daarom vraagt.",
        "3. Controleer met `python -m build_tools controleer` en bekijk het concept met `make serve` "
        f"(onder /{versie}/, met de melding 'Concept — nog niet vastgesteld').",
        f"4. Na de instemming van de GMR: vul [instemming] in {folder}/{METADATA_FILE} in.",
        f"5. Na de vaststelling door het CvB: vul [vaststelling] in, zet status = \"vastgesteld\" en geldig_vanaf, "
        f"en leg de vastgestelde tekst neer in {folder}/{REFERENCE_TEXT}.",
        f"6. Zet in versie {previous} geldig_tot op de dag vóór de nieuwe geldig_vanaf.",
    ]


def check(config_file: Path, log: logging.Logger, out=print) -> int:
    """Validate every source without building: settings, versions, texts, rules, page markers, reference texts."""
    project, registry, loaded = check_all(config_file)
    for page in sorted(project.docs_dir.rglob("*.md")):
        if project.versions_dir in page.parents:
            continue
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            for name in MARKER.findall(line):
                if name not in KNOWN_MARKERS:
                    raise SourceError(page, None, f"onbekende markering <!-- cvo:{name} -->; bekend zijn: "
                                      f"{', '.join(sorted(KNOWN_MARKERS))}.", number)
    for version in registry.versions:
        if version.status != "concept" and not (version.folder / REFERENCE_TEXT).is_file():
            raise SourceError(version.folder / REFERENCE_TEXT, None,
                              f"versie {version.versie} is {version.status}, maar de vastgestelde tekst ontbreekt; "
                              "leg die hier neer (zie Beheer).")
    articles = sum(len(sources.protocol.article_ids()) for sources in loaded.values())
    out(f"Alles in orde: {len(registry.versions)} versie(s), {articles} artikelen; op "
        f"{registry.build_date.isoformat()} geldt versie {registry.current.versie}.")
    return 0
