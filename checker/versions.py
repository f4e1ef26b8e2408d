"""Which protocol version is in force: the one rule shared by the site build and `python -m checker`.

Standard library only (it also ships in the browser's wheel). build_tools.versions validates the metadata;
this module only reads what the choice needs, so the CLI can find its version without the build's tools.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol, Sequence, TypeVar

METADATA_FILE = "versie.toml"


class Dated(Protocol):
    status: str
    geldig_vanaf: date | None
    geldig_tot: date | None


V = TypeVar("V", bound=Dated)


def in_force_on(version: Dated, day: date) -> bool:
    """Whether the version applied on that day; a lapsed version still did within its period."""
    if version.status == "concept" or version.geldig_vanaf is None:
        return False
    return version.geldig_vanaf <= day and (version.geldig_tot is None or day <= version.geldig_tot)


def pick_current(versions: Sequence[V], day: date) -> V:
    """Versions sorted oldest first -> the one in force; failing that the newest adopted one; failing that the newest."""
    for version in versions:
        if in_force_on(version, day):
            return version
    adopted = [v for v in versions if v.status != "concept"]
    return (adopted or list(versions))[-1]


def version_key(name: str) -> tuple[int, ...] | None:
    """"2.10" -> (2, 10); None for a folder name that is no version number."""
    parts = name.split(".")
    if not all(p.isdigit() and p.isascii() for p in parts):
        return None
    return tuple(int(p) for p in parts)


@dataclass(frozen=True)
class VersionFolder:
    """Just enough of docs/versies/<versie>/versie.toml to pick a version."""

    versie: str
    status: str
    geldig_vanaf: date | None
    geldig_tot: date | None
    folder: Path


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def read_version_folders(versions_dir: Path) -> list[VersionFolder]:
    """Every <versions_dir>/<number>/ with a readable versie.toml, oldest first (unreadable ones are skipped;
    the site build is where they are reported)."""
    found = []
    for folder in versions_dir.iterdir() if versions_dir.is_dir() else ():
        key = version_key(folder.name)
        meta = folder / METADATA_FILE
        if key is None or not meta.is_file():
            continue
        try:
            data = tomllib.loads(meta.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        status = data.get("status")
        found.append((key, VersionFolder(folder.name, status if isinstance(status, str) else "concept",
                                         _day(data.get("geldig_vanaf")), _day(data.get("geldig_tot")), folder)))
    return [v for _, v in sorted(found, key=lambda pair: pair[0])]


def find_versions_dir(start: Path) -> Path | None:
    """docs/versies in start or the nearest parent that has one."""
    here = start.resolve()
    for base in (here, *here.parents):
        candidate = base / "docs" / "versies"
        if candidate.is_dir():
            return candidate
    return None
