"""Loading and checking a rule set (regels.toml) of one protocol version."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from .conditions import Condition, ConditionError, parse_condition
from .questions import QUESTIONS_FILE, Questions, QuestionsError, parse_questions
from .versions import find_versions_dir, pick_current, read_version_folders

VERDICT_EFFECTS = ("buiten_reikwijdte", "niet_toegestaan", "toegestaan_mits", "toegestaan")
EFFECTS = (*VERDICT_EFFECTS, "reminder", "info")
# Texts the engine needs besides the rules; kept in the data so all Dutch wording lives there.
REQUIRED_TEXTS = (
    "geen_bezwaar",
    "gevolgen_zonder_rol",
    "gevolgen_niet_genoemd",
    "gevonden_persoonsgegevens",
    "gevonden_beeld",
    # What a finding did, shown next to it in the draft; {vraag} is the question's label.
    "vondst_aangenomen",
    "vondst_controleer",
    "vondst_bevestigd",
    "vondst_geen",
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
class Check:
    """What the advice asks the user to check when a text finding contradicts their explicit 'nee' to `vraag`."""

    vraag: str
    artikelen: tuple[str, ...]
    tekst: str  # may hold {soort}: the kinds found, in Dutch


@dataclass(frozen=True)
class RuleSet:
    versie: str
    normatief: tuple[str, ...]
    regels: tuple[Rule, ...]
    gevolgen: tuple[Consequence, ...]
    oordelen: Mapping[str, Mapping[str, str]]
    teksten: Mapping[str, str]
    questions: Questions = field(compare=False)
    controles: tuple[Check, ...] = ()
    source: str = field(default="<tekst>", compare=False)

    def cited_articles(self) -> set[str]:
        """Every article ID some rule cites (reminders and info included; checks are not rules)."""
        return {a for r in self.regels for a in r.artikelen}

    def check_for(self, vraag: str) -> Check | None:
        return next((c for c in self.controles if c.vraag == vraag), None)

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


def _parse_rule(data: Any, index: int, source: str, questions: Questions) -> Rule:
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
        als = parse_condition(data["als"], "als", questions)
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


def _parse_consequence(data: Any, index: int, source: str, questions: Questions) -> Consequence:
    where = f"gevolg nr. {index + 1}"
    if not isinstance(data, Mapping):
        raise _fail(source, where, "verwacht een tabel [[gevolg]]")
    artikel = _string(data, "artikel", source, where)
    if not ARTICLE_ID.fullmatch(artikel):
        raise _fail(source, where, f"veld 'artikel': '{artikel}' is geen artikel-ID")
    rollen = _string_list(data, "rollen", source, where, required=True)
    for r in rollen:
        if r not in questions.choices.get("rol", ()):
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


def _parse_check(data: Any, index: int, source: str, questions: Questions) -> Check:
    where = f"controle nr. {index + 1}"
    if not isinstance(data, Mapping):
        raise _fail(source, where, "verwacht een tabel [[controle]]")
    for k in data:
        if k not in ("vraag", "artikelen", "tekst"):
            raise _fail(source, where, f"onbekend veld '{k}' (bekend: artikelen, tekst, vraag)")
    vraag = _string(data, "vraag", source, where)
    if vraag not in questions.booleans:
        raise _fail(source, where, f"veld 'vraag': '{vraag}' is geen ja/nee-vraag in {QUESTIONS_FILE}")
    artikelen = _article_list(data, "artikelen", source, where)
    if not artikelen:
        raise _fail(source, where, "veld 'artikelen' mag niet leeg zijn")
    return Check(vraag, artikelen, _string(data, "tekst", source, where))


def parse_ruleset(data: Mapping[str, Any], source: str = "<tekst>", questions: Questions | None = None) -> RuleSet:
    """Build a RuleSet from decoded TOML over the version's questions; raises RulesError naming source, rule and field."""
    if questions is None:
        questions = default_ruleset().questions
    versie = data.get("versie")
    if not isinstance(versie, str) or not versie.strip():
        raise _fail(source, "versie", "ontbreekt of is geen tekst (bijvoorbeeld versie = \"2.0\")")
    normatief = _article_list(data, "normatief", source, "normatief")
    raw_rules = data.get("regel")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _fail(source, "regel", "geen [[regel]]-tabellen gevonden")
    regels = tuple(_parse_rule(r, i, source, questions) for i, r in enumerate(raw_rules))
    seen: set[str] = set()
    for r in regels:
        if r.id in seen:
            raise _fail(source, f"regel '{r.id}'", "veld 'id' komt dubbel voor")
        seen.add(r.id)
    raw_cons = data.get("gevolg", [])
    if not isinstance(raw_cons, list):
        raise _fail(source, "gevolg", "verwacht [[gevolg]]-tabellen")
    raw_checks = data.get("controle", [])
    if not isinstance(raw_checks, list):
        raise _fail(source, "controle", "verwacht [[controle]]-tabellen")
    controles = tuple(_parse_check(c, i, source, questions) for i, c in enumerate(raw_checks))
    for vraag in ("persoonsgegevens", "beeldmateriaal"):  # the questions a text finding can bear on
        if vraag in questions.booleans and not any(c.vraag == vraag for c in controles):
            raise _fail(source, "controle", f"geen [[controle]] voor vraag '{vraag}' (wat de gebruiker moet nagaan als de tekst iets anders laat zien dan het antwoord)")
    return RuleSet(
        versie=versie,
        normatief=normatief,
        regels=regels,
        gevolgen=tuple(_parse_consequence(c, i, source, questions) for i, c in enumerate(raw_cons)),
        oordelen=_parse_verdicts(data.get("oordelen"), source),
        teksten=_parse_texts(data.get("teksten"), source),
        questions=questions,
        controles=controles,
        source=source,
    )


def load_questions_file(path: "os.PathLike[str] | resources.abc.Traversable") -> Questions:
    """The version's vragen.toml; errors become RulesError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: kan de vragen niet lezen ({QUESTIONS_FILE} hoort naast regels.toml): {exc}") from None
    try:
        return parse_questions(text, str(path))
    except QuestionsError as exc:
        raise RulesError(str(exc)) from None


def load_ruleset(path_or_text: "str | os.PathLike[str] | resources.abc.Traversable",
                 questions: Questions | None = None) -> RuleSet:
    """Load from a path (a str without newline counts as a path) or from TOML text.

    A file's questions are the vragen.toml beside it: routing is versioned with the rules.
    """
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        source, text = "<tekst>", path_or_text
    else:
        source = str(path_or_text)
        path = Path(path_or_text) if isinstance(path_or_text, (str, os.PathLike)) else path_or_text
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RulesError(f"{source}: kan het regelbestand niet lezen: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already ends with "(at line N, column M)".
        raise RulesError(f"{source}: ongeldige TOML: {exc}") from None
    if questions is None and source != "<tekst>":
        questions = load_questions_file(path.parent / QUESTIONS_FILE)
    return parse_ruleset(data, source, questions)


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
    for check in ruleset.controles:
        for a in check.artikelen:
            if a not in known_ids:
                problems.append(f"controle voor '{check.vraag}' verwijst naar onbekend artikel '{a}'")
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
    """The rules and questions the site build copied into the package (checker/regels.toml, checker/vragen.toml)."""
    f = bundled_rules_file()
    if not f.is_file():
        raise RulesError(f"{f}: geen meegeleverd regelbestand in het pakket (de site-build kopieert het hierheen)")
    return load_ruleset(f)


def version_rules_path(versie: str | None = None, start: "str | os.PathLike[str] | None" = None,
                       day: date | None = None) -> Path:
    """docs/versies/<versie>/regels.toml: the named version, or the one in force on `day` (today) by the
    site's own rule (checker.versions.pick_current), searching `start` (the working directory) and its parents."""
    here = Path(start or Path.cwd())
    versions_dir = find_versions_dir(here)
    if versions_dir is None:
        raise RulesError(f"{here.resolve()}: geen map docs/versies gevonden (hier of erboven)")
    folders = read_version_folders(versions_dir)
    if versie is not None:
        chosen = next((v for v in folders if v.versie == versie), None)
        if chosen is None:
            known = ", ".join(v.versie for v in folders) or "geen"
            raise RulesError(f"{versions_dir}: versie '{versie}' bestaat niet (wel: {known})")
    elif folders:
        chosen = pick_current(folders, day or date.today())
    else:
        raise RulesError(f"{versions_dir}: geen enkele versie met een versie.toml")
    rules = chosen.folder / BUNDLED_NAME
    if not rules.is_file():
        raise RulesError(f"{rules}: versie {chosen.versie} heeft geen regels voor de checker")
    return rules


def default_rules_path() -> "Path | resources.abc.Traversable":
    """The bundled file when installed from the site's wheel, else the version in force in this tree."""
    bundled = bundled_rules_file()
    if bundled.is_file():
        return bundled
    return version_rules_path()


@lru_cache(maxsize=1)
def default_ruleset() -> RuleSet:
    """The rule set used when none is given: bundled, or the version in force in the working tree."""
    return load_ruleset(default_rules_path())
