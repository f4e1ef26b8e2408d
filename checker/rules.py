"""Loading and checking a rule set (regels.toml) of one protocol version."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from .answers import CHOICES
from .conditions import Condition, ConditionError, parse_condition

VERDICT_EFFECTS = ("buiten_reikwijdte", "niet_toegestaan", "toegestaan_mits", "toegestaan")
EFFECTS = (*VERDICT_EFFECTS, "reminder", "info")
# Texts the engine needs besides the rules; kept in the data so all Dutch wording lives there.
REQUIRED_TEXTS = (
    "geen_bezwaar",
    "gevolgen_zonder_rol",
    "gevolgen_niet_genoemd",
    "gevonden_persoonsgegevens",
    "gevonden_beeld",
)
ARTICLE_ID = re.compile(r"[A-Z][1-9][0-9]*")
BUNDLED_NAME = "regels.toml"


class RulesError(ValueError):
    """A rule set that cannot be used; the message names the file, rule and field."""


@dataclass(frozen=True)
class Rule:
    id: str
    artikelen: tuple[str, ...]
    effect: str
    als: Condition
    reden: str
    acties: tuple[str, ...] = ()

    @property
    def article(self) -> str:
        return self.artikelen[0] if self.artikelen else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "artikelen": list(self.artikelen),
            "effect": self.effect,
            "als": self.als.to_json(),
            "reden": self.reden,
            "acties": list(self.acties),
        }


@dataclass(frozen=True)
class Consequence:
    artikel: str
    rollen: tuple[str, ...]
    tekst: str

    def to_json(self) -> dict[str, Any]:
        return {"article": self.artikel, "text": self.tekst}


@dataclass(frozen=True)
class RuleSet:
    versie: str
    normatief: tuple[str, ...]
    regels: tuple[Rule, ...]
    gevolgen: tuple[Consequence, ...]
    oordelen: Mapping[str, Mapping[str, str]]
    teksten: Mapping[str, str]
    source: str = field(default="<tekst>", compare=False)

    def cited_articles(self) -> set[str]:
        """Every article ID some rule cites (reminders and info included)."""
        return {a for r in self.regels for a in r.artikelen}

    def rule(self, rule_id: str) -> Rule:
        for r in self.regels:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def verdict_label(self, effect: str) -> str:
        return self.oordelen[effect]["label"]


def _fail(source: str, where: str, message: str) -> RulesError:
    return RulesError(f"{source}: {where}: {message}")


def _string(data: Mapping[str, Any], key: str, source: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, where, f"veld '{key}' ontbreekt of is geen niet-lege tekst")
    return value


def _string_list(data: Mapping[str, Any], key: str, source: str, where: str, *, required: bool) -> tuple[str, ...]:
    if key not in data and not required:
        return ()
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, where, f"veld '{key}' moet een lijst van teksten zijn")
    return tuple(value)


def _article_list(data: Mapping[str, Any], key: str, source: str, where: str) -> tuple[str, ...]:
    ids = _string_list(data, key, source, where, required=True)
    for a in ids:
        if not ARTICLE_ID.fullmatch(a):
            raise _fail(source, where, f"veld '{key}': '{a}' is geen artikel-ID (zoals A6)")
    return ids


def _parse_rule(data: Any, index: int, source: str) -> Rule:
    if not isinstance(data, Mapping):
        raise _fail(source, f"regel nr. {index + 1}", "verwacht een tabel [[regel]]")
    rid = data.get("id")
    if not isinstance(rid, str) or not rid.strip():
        raise _fail(source, f"regel nr. {index + 1}", "veld 'id' ontbreekt of is geen tekst")
    where = f"regel '{rid}'"
    known = {"id", "artikelen", "effect", "als", "reden", "acties"}
    for k in data:
        if k not in known:
            raise _fail(source, where, f"onbekend veld '{k}' (bekend: {', '.join(sorted(known))})")
    effect = data.get("effect")
    if effect not in EFFECTS:
        raise _fail(source, where, f"veld 'effect': {effect!r} is geen van {', '.join(EFFECTS)}")
    artikelen = _article_list(data, "artikelen", source, where)
    if not artikelen and effect != "info":
        raise _fail(source, where, "veld 'artikelen' mag alleen bij effect 'info' leeg zijn")
    if "als" not in data:
        raise _fail(source, where, "veld 'als' ontbreekt (gebruik als = [] voor 'altijd')")
    try:
        als = parse_condition(data["als"], "als")
    except ConditionError as exc:
        raise _fail(source, where, f"veld '{exc.path}': {exc.message}") from None
    return Rule(
        id=rid,
        artikelen=artikelen,
        effect=effect,
        als=als,
        reden=_string(data, "reden", source, where),
        acties=_string_list(data, "acties", source, where, required=False),
    )


def _parse_consequence(data: Any, index: int, source: str) -> Consequence:
    where = f"gevolg nr. {index + 1}"
    if not isinstance(data, Mapping):
        raise _fail(source, where, "verwacht een tabel [[gevolg]]")
    artikel = _string(data, "artikel", source, where)
    if not ARTICLE_ID.fullmatch(artikel):
        raise _fail(source, where, f"veld 'artikel': '{artikel}' is geen artikel-ID")
    rollen = _string_list(data, "rollen", source, where, required=True)
    for r in rollen:
        if r not in CHOICES["rol"]:
            raise _fail(source, where, f"veld 'rollen': onbekende rol '{r}'")
    return Consequence(artikel, rollen, _string(data, "tekst", source, where))


def _parse_verdicts(data: Any, source: str) -> dict[str, dict[str, str]]:
    if not isinstance(data, Mapping):
        raise _fail(source, "oordelen", "tabel [oordelen] ontbreekt")
    result = {}
    for effect in (*VERDICT_EFFECTS, "reminder", "info"):
        entry = data.get(effect)
        if not isinstance(entry, Mapping):
            raise _fail(source, f"oordelen.{effect}", "ontbreekt (verwacht label en samenvatting)")
        result[effect] = {
            "label": _string(entry, "label", source, f"oordelen.{effect}"),
            "samenvatting": _string(entry, "samenvatting", source, f"oordelen.{effect}"),
        }
    return result


def _parse_texts(data: Any, source: str) -> dict[str, str]:
    if not isinstance(data, Mapping):
        raise _fail(source, "teksten", "tabel [teksten] ontbreekt")
    return {k: _string(data, k, source, "teksten") for k in REQUIRED_TEXTS}


def parse_ruleset(data: Mapping[str, Any], source: str = "<tekst>") -> RuleSet:
    """Build a RuleSet from decoded TOML; raises RulesError naming source, rule and field."""
    versie = data.get("versie")
    if not isinstance(versie, str) or not versie.strip():
        raise _fail(source, "versie", "ontbreekt of is geen tekst (bijvoorbeeld versie = \"2.0\")")
    normatief = _article_list(data, "normatief", source, "normatief")
    raw_rules = data.get("regel")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _fail(source, "regel", "geen [[regel]]-tabellen gevonden")
    regels = tuple(_parse_rule(r, i, source) for i, r in enumerate(raw_rules))
    seen: set[str] = set()
    for r in regels:
        if r.id in seen:
            raise _fail(source, f"regel '{r.id}'", "veld 'id' komt dubbel voor")
        seen.add(r.id)
    raw_cons = data.get("gevolg", [])
    if not isinstance(raw_cons, list):
        raise _fail(source, "gevolg", "verwacht [[gevolg]]-tabellen")
    return RuleSet(
        versie=versie,
        normatief=normatief,
        regels=regels,
        gevolgen=tuple(_parse_consequence(c, i, source) for i, c in enumerate(raw_cons)),
        oordelen=_parse_verdicts(data.get("oordelen"), source),
        teksten=_parse_texts(data.get("teksten"), source),
        source=source,
    )


def load_ruleset(path_or_text: "str | os.PathLike[str] | resources.abc.Traversable") -> RuleSet:
    """Load from a path (a str without newline counts as a path) or from TOML text."""
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        source, text = "<tekst>", path_or_text
    else:
        source = str(path_or_text)
        try:
            if isinstance(path_or_text, (str, os.PathLike)):
                text = Path(path_or_text).read_text(encoding="utf-8")
            else:
                text = path_or_text.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RulesError(f"{source}: kan het regelbestand niet lezen: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already ends with "(at line N, column M)".
        raise RulesError(f"{source}: ongeldige TOML: {exc}") from None
    return parse_ruleset(data, source)


def validate_citations(ruleset: RuleSet, known_ids: set[str]) -> None:
    """Every cited ID must exist in the protocol, and every normative article must be cited by a rule."""
    problems: list[str] = []
    for r in ruleset.regels:
        for a in r.artikelen:
            if a not in known_ids:
                problems.append(f"regel '{r.id}' verwijst naar onbekend artikel '{a}'")
    for c in ruleset.gevolgen:
        if c.artikel not in known_ids:
            problems.append(f"gevolg verwijst naar onbekend artikel '{c.artikel}'")
    cited = ruleset.cited_articles()
    for a in ruleset.normatief:
        if a not in known_ids:
            problems.append(f"normatief artikel '{a}' bestaat niet in het protocol")
        elif a not in cited:
            problems.append(f"normatief artikel '{a}' wordt door geen enkele regel geciteerd")
    if problems:
        raise RulesError(f"{ruleset.source}: " + "; ".join(problems))


def bundled_rules_file() -> resources.abc.Traversable:
    return resources.files("checker").joinpath(BUNDLED_NAME)


def bundled_ruleset() -> RuleSet:
    """The rule set the site build copied into the package as checker/regels.toml."""
    f = bundled_rules_file()
    if not f.is_file():
        raise RulesError(f"{f}: geen meegeleverd regelbestand in het pakket (de site-build kopieert het hierheen)")
    return load_ruleset(f)


def _version_key(name: str) -> tuple[int, ...] | None:
    parts = name.split(".")
    if not all(p.isdigit() and p.isascii() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def adopted_rules_path(start: "str | os.PathLike[str] | None" = None) -> Path | None:
    """docs/versies/<V>/regels.toml of the highest adopted (vastgesteld) V, searching start and its parents."""
    here = Path(start or Path.cwd()).resolve()
    for base in (here, *here.parents):
        versies = base / "docs" / "versies"
        if not versies.is_dir():
            continue
        best: tuple[tuple[int, ...], Path] | None = None
        for d in versies.iterdir():
            key = _version_key(d.name)
            meta, rules = d / "versie.toml", d / "regels.toml"
            if key is None or not meta.is_file() or not rules.is_file():
                continue
            try:
                status = tomllib.loads(meta.read_text(encoding="utf-8")).get("status")
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if status == "vastgesteld" and (best is None or key > best[0]):
                best = (key, rules)
        if best:
            return best[1]
    return None


def default_rules_path() -> "Path | resources.abc.Traversable":
    """The bundled file when installed from the site's wheel, else the adopted version in this tree."""
    bundled = bundled_rules_file()
    if bundled.is_file():
        return bundled
    found = adopted_rules_path()
    if found is None:
        raise RulesError(
            f"{Path.cwd()}: geen regelbestand gevonden (geen checker/{BUNDLED_NAME} en geen "
            "docs/versies/<versie>/regels.toml met status = \"vastgesteld\")"
        )
    return found
