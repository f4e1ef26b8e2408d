"""The version model: each protocol version's metadata, loaded from docs/versies/<versie>/versie.toml and validated."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from checker.versions import in_force_on, pick_current

from .errors import SourceError

STATUSES = ("concept", "vastgesteld", "vervallen")
METADATA_FILE = "versie.toml"
PROTOCOL_FILE = "protocol.md"
RULES_FILE = "regels.toml"
_VERSION_NUMBER = re.compile(r"^\d+(\.\d+)*$")
_TOP_LEVEL_FIELDS = {"versie", "status", "geldig_vanaf", "geldig_tot", "samenvatting", "vaststelling", "instemming"}
_APPROVAL_FIELDS = ("versie", "datum", "naam", "functie")


@dataclass(frozen=True)
class Approval:
    """One approval record: the CvB vaststelling or the GMR instemming."""

    versie: str
    datum: date
    naam: str
    functie: str

    def to_json(self) -> dict:
        return {"versie": self.versie, "datum": self.datum.isoformat(), "naam": self.naam, "functie": self.functie}

    @classmethod
    def from_json(cls, data: dict) -> "Approval":
        return cls(data["versie"], date.fromisoformat(data["datum"]), data["naam"], data["functie"])


@dataclass(frozen=True)
class Version:
    """One version of the protocol: its metadata plus where its text and rules live."""

    versie: str
    status: str
    geldig_vanaf: date | None
    geldig_tot: date | None
    samenvatting: str
    vaststelling: Approval | None
    instemming: Approval | None
    folder: Path = field(compare=False)

    @property
    def protocol_path(self) -> Path:
        return self.folder / PROTOCOL_FILE

    @property
    def rules_path(self) -> Path:
        return self.folder / RULES_FILE

    @property
    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.versie.split("."))

    def in_force_on(self, day: date) -> bool:
        """Whether this version applied on that day (the rule `python -m checker` uses too)."""
        return in_force_on(self, day)

    def standing_on(self, day: date) -> str:
        """How the version stands on that day, in Dutch: geldend, vervallen, nog niet geldend or concept."""
        if self.status == "concept":
            return "concept"
        if self.in_force_on(day):
            return "geldend"
        if self.status == "vervallen" or (self.geldig_tot and self.geldig_tot < day):
            return "vervallen"
        return "nog niet geldend"

    def to_json(self) -> dict:
        return {
            "versie": self.versie,
            "status": self.status,
            "geldig_vanaf": self.geldig_vanaf.isoformat() if self.geldig_vanaf else None,
            "geldig_tot": self.geldig_tot.isoformat() if self.geldig_tot else None,
            "samenvatting": self.samenvatting,
            "vaststelling": self.vaststelling.to_json() if self.vaststelling else None,
            "instemming": self.instemming.to_json() if self.instemming else None,
            "folder": str(self.folder),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Version":
        def day(value):
            return date.fromisoformat(value) if value else None

        return cls(
            versie=data["versie"],
            status=data["status"],
            geldig_vanaf=day(data["geldig_vanaf"]),
            geldig_tot=day(data["geldig_tot"]),
            samenvatting=data["samenvatting"],
            vaststelling=Approval.from_json(data["vaststelling"]) if data["vaststelling"] else None,
            instemming=Approval.from_json(data["instemming"]) if data["instemming"] else None,
            folder=Path(data["folder"]),
        )


@dataclass(frozen=True)
class VersionRegistry:
    """All versions, oldest first, and the one that is current on the build date."""

    versions: tuple[Version, ...]
    current: Version
    build_date: date

    def get(self, versie: str) -> Version:
        for version in self.versions:
            if version.versie == versie:
                return version
        raise KeyError(versie)

    def previous(self, version: Version) -> Version | None:
        index = self.versions.index(version)
        return self.versions[index - 1] if index > 0 else None

    def is_current(self, version: Version) -> bool:
        return version.versie == self.current.versie


def load_versions(versions_dir: Path, build_date: date) -> VersionRegistry:
    """Load and validate every docs/versies/<versie>/versie.toml; raise SourceError on the first problem."""
    if not versions_dir.is_dir():
        raise SourceError(versions_dir, None, "de map met versies ontbreekt; maak docs/versies/<versie>/ aan (zie Beheer).")
    folders = sorted(path for path in versions_dir.iterdir() if path.is_dir())
    if not folders:
        raise SourceError(versions_dir, None, "er is geen enkele versie; maak docs/versies/<versie>/versie.toml aan.")
    versions = [load_version(folder) for folder in folders]
    versions.sort(key=lambda version: version.sort_key)
    _check_registry(versions, build_date)
    return VersionRegistry(tuple(versions), _pick_current(versions, build_date), build_date)


def load_version(folder: Path) -> Version:
    """Read one version folder's metadata file and check it on its own."""
    path = folder / METADATA_FILE
    if not path.is_file():
        raise SourceError(path, None, "dit bestand ontbreekt; elke versiemap heeft een versie.toml (zie Beheer).")
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _decode_error(path, text, error) from None
    for key in data:
        if key not in _TOP_LEVEL_FIELDS:
            raise SourceError(path, key, f"onbekend veld; toegestaan zijn: {', '.join(sorted(_TOP_LEVEL_FIELDS))}.")
    versie = _required_string(path, data, "versie")
    if not _VERSION_NUMBER.match(versie):
        raise SourceError(path, "versie", f"'{versie}' is geen versienummer; schrijf bijvoorbeeld \"2.0\".")
    if versie != folder.name:
        raise SourceError(path, "versie", f"'{versie}' komt niet overeen met de mapnaam '{folder.name}'.")
    status = _required_string(path, data, "status")
    if status not in STATUSES:
        raise SourceError(path, "status", f"'{status}' is geen geldige status; kies uit {', '.join(STATUSES)}.")
    geldig_vanaf = _optional_date(path, data, "geldig_vanaf")
    geldig_tot = _optional_date(path, data, "geldig_tot")
    samenvatting = data.get("samenvatting", "")
    if not isinstance(samenvatting, str):
        raise SourceError(path, "samenvatting", "moet tekst zijn, tussen aanhalingstekens.")
    vaststelling = _approval(path, data, "vaststelling", versie)
    instemming = _approval(path, data, "instemming", versie)
    version = Version(versie, status, geldig_vanaf, geldig_tot, samenvatting.strip(), vaststelling, instemming, folder)
    _check_version(path, version)
    if not version.protocol_path.is_file():
        raise SourceError(version.protocol_path, None, "de tekst van deze versie ontbreekt (protocol.md).")
    return version


def _check_version(path: Path, version: Version) -> None:
    if version.status in ("vastgesteld", "vervallen"):
        if version.instemming is None:
            raise SourceError(path, "instemming", f"een versie met status '{version.status}' heeft de instemming van de GMR nodig.")
        if version.vaststelling is None:
            raise SourceError(path, "vaststelling", f"een versie met status '{version.status}' heeft de vaststelling door het CvB nodig.")
        if version.geldig_vanaf is None:
            raise SourceError(path, "geldig_vanaf", f"een versie met status '{version.status}' heeft een datum geldig_vanaf nodig.")
    if version.status == "vervallen" and version.geldig_tot is None:
        raise SourceError(path, "geldig_tot", "een vervallen versie heeft een einddatum (geldig_tot) nodig.")
    if version.status == "concept" and version.vaststelling is not None:
        raise SourceError(path, "vaststelling", "een concept is nog niet vastgesteld; verwijder [vaststelling] of wijzig de status.")
    if version.instemming and version.vaststelling and version.instemming.datum > version.vaststelling.datum:
        raise SourceError(
            path,
            "instemming.datum",
            f"de GMR-instemming ({version.instemming.datum.isoformat()}) ligt na de vaststelling door het CvB "
            f"({version.vaststelling.datum.isoformat()}); instemming moet aan vaststelling voorafgaan.",
        )
    if version.geldig_vanaf and version.geldig_tot and version.geldig_tot < version.geldig_vanaf:
        raise SourceError(path, "geldig_tot", "ligt vóór geldig_vanaf.")
    if version.vaststelling and version.geldig_vanaf and version.geldig_vanaf < version.vaststelling.datum:
        raise SourceError(path, "geldig_vanaf", "ligt vóór de vaststelling; een versie kan pas gelden na vaststelling.")


def _check_registry(versions: list[Version], build_date: date) -> None:
    seen: dict[tuple[int, ...], Version] = {}
    for version in versions:
        if version.sort_key in seen:
            other = seen[version.sort_key]
            raise SourceError(version.folder / METADATA_FILE, "versie", f"versienummer {version.versie} bestaat al in {other.folder / METADATA_FILE}.")
        seen[version.sort_key] = version
    dated = [v for v in versions if v.status != "concept" and v.geldig_vanaf]
    for index, first in enumerate(dated):
        for second in dated[index + 1:]:
            if _overlaps(first, second):
                raise SourceError(
                    second.folder / METADATA_FILE,
                    "geldig_vanaf",
                    f"de geldigheid van versie {second.versie} overlapt met versie {first.versie} "
                    f"({_period(first)}); laat de oude versie eindigen (geldig_tot) vóór de nieuwe begint.",
                )
    for version in versions:
        if version.status == "vervallen" and version.in_force_on(build_date):
            raise SourceError(version.folder / METADATA_FILE, "geldig_tot",
                              f"versie {version.versie} heeft status 'vervallen' maar is volgens geldig_tot nog geldig op "
                              f"{build_date.isoformat()}; zet geldig_tot vóór die datum of de status op 'vastgesteld'.")
    in_force = [v for v in versions if v.in_force_on(build_date)]
    if len(in_force) > 1:
        names = ", ".join(v.versie for v in in_force)
        raise SourceError(in_force[-1].folder / METADATA_FILE, "status", f"op {build_date.isoformat()} zijn meerdere versies geldend ({names}).")


def _pick_current(versions: list[Version], build_date: date) -> Version:
    """The version in force; failing that the newest adopted one; failing that the newest (shared with the CLI)."""
    return pick_current(versions, build_date)


def _overlaps(first: Version, second: Version) -> bool:
    far = date.max
    return first.geldig_vanaf <= (second.geldig_tot or far) and second.geldig_vanaf <= (first.geldig_tot or far)


def _period(version: Version) -> str:
    end = version.geldig_tot.isoformat() if version.geldig_tot else "zonder einddatum"
    return f"{version.geldig_vanaf.isoformat()} t/m {end}"


def _required_string(path: Path, data: dict, key: str, prefix: str = "") -> str:
    value = data.get(key)
    if value is None:
        raise SourceError(path, prefix + key, "ontbreekt; dit veld is verplicht.")
    if not isinstance(value, str) or not value.strip():
        raise SourceError(path, prefix + key, "moet niet-lege tekst zijn, tussen aanhalingstekens.")
    return value.strip()


def _optional_date(path: Path, data: dict, key: str, prefix: str = "") -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise SourceError(path, prefix + key, f"'{value}' is geen bestaande datum; schrijf JJJJ-MM-DD zonder aanhalingstekens, bijvoorbeeld 2020-08-01.") from None
    raise SourceError(path, prefix + key, f"'{value}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2020-08-01.")


def _approval(path: Path, data: dict, key: str, versie: str) -> Approval | None:
    table = data.get(key)
    if table is None:
        return None
    if not isinstance(table, dict):
        raise SourceError(path, key, "moet een tabel zijn: schrijf [" + key + "] met daaronder versie, datum, naam en functie.")
    prefix = key + "."
    for name in table:
        if name not in _APPROVAL_FIELDS:
            raise SourceError(path, prefix + name, f"onbekend veld; toegestaan zijn: {', '.join(_APPROVAL_FIELDS)}.")
    approval_version = _required_string(path, table, "versie", prefix)
    if approval_version != versie:
        raise SourceError(path, prefix + "versie", f"'{approval_version}' komt niet overeen met de versie van dit bestand ('{versie}').")
    day = _optional_date(path, table, "datum", prefix)
    if day is None:
        raise SourceError(path, prefix + "datum", "ontbreekt; dit veld is verplicht.")
    return Approval(approval_version, day, _required_string(path, table, "naam", prefix), _required_string(path, table, "functie", prefix))


def _decode_error(path: Path, text: str, error: tomllib.TOMLDecodeError) -> SourceError:
    """Turn tomllib's message into one naming the field on the offending line."""
    match = re.search(r"at line (\d+)", str(error))
    line = int(match.group(1)) if match else None
    field_name = None
    if line:
        lines = text.splitlines()
        table = ""
        for row in lines[: line - 1]:
            header = re.match(r"\s*\[([^\]]+)\]", row)
            if header:
                table = header.group(1).strip() + "."
        key = re.match(r"\s*([A-Za-z_]+)\s*=", lines[line - 1]) if line <= len(lines) else None
        if key:
            field_name = table + key.group(1)
    if "date" in str(error).lower():
        message = "dit is geen bestaande datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2020-08-01."
    else:
        message = f"het bestand is geen geldige TOML ({error}); controleer aanhalingstekens en '='."
    return SourceError(path, field_name, message, line)
