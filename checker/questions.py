"""The checker form's questions (vragen.toml) and when each one is relevant (toon_als)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from .answers import ANSWER_KEYS, BOOLEAN_FIELDS, CHOICES, field_type

QUESTION_TYPES = ("keuze", "janee", "tekst")
_BOOL_WORDS = {"ja": True, "nee": False}


class QuestionsError(ValueError):
    """vragen.toml does not match the answer schema."""


@dataclass(frozen=True)
class Clause:
    key: str
    negated: bool
    values: tuple[Any, ...]  # typed: str for choices, bool for ja/nee

    def holds(self, answers: Mapping[str, Any]) -> bool:
        matched = self.key in answers and answers[self.key] in self.values
        return not matched if self.negated else matched


@dataclass(frozen=True)
class Option:
    waarde: str
    label: str


@dataclass(frozen=True)
class Question:
    sleutel: str
    type: str
    label: str
    uitleg: str
    opties: tuple[Option, ...] = ()
    toon_als: str = ""

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return parse_toon_als(self.toon_als)

    def option_label(self, value: Any) -> str:
        if isinstance(value, bool):
            return "ja" if value else "nee"
        for o in self.opties:
            if o.waarde == value:
                return o.label
        return str(value)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"sleutel": self.sleutel, "type": self.type, "label": self.label, "uitleg": self.uitleg}
        if self.type == "keuze":
            data["opties"] = [{"waarde": o.waarde, "label": o.label} for o in self.opties]
        data["toon_als"] = self.toon_als
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Question":
        return _parse_question(data, "vraag")


def _parse_value(key: str, word: str, where: str) -> Any:
    if key in BOOLEAN_FIELDS:
        if word not in _BOOL_WORDS:
            raise QuestionsError(f"{where}: '{key}' verwacht ja of nee, niet '{word}'")
        return _BOOL_WORDS[word]
    if key in CHOICES:
        if word not in CHOICES[key]:
            raise QuestionsError(f"{where}: '{word}' is geen waarde van '{key}' ({', '.join(CHOICES[key])})")
        return word
    raise QuestionsError(f"{where}: op '{key}' kan niet worden gefilterd")


@lru_cache(maxsize=256)
def parse_toon_als(text: str) -> tuple[Clause, ...]:
    """Parse 'a=x|y & b!=ja'; "" means always. Raises QuestionsError on bad syntax or values."""
    if not text.strip():
        return ()
    clauses = []
    for raw in text.split("&"):
        part = raw.strip()
        negated = "!=" in part
        key, sep, rest = part.partition("!=" if negated else "=")
        key = key.strip()
        if not sep or not key or not rest.strip():
            raise QuestionsError(f"toon_als '{text}': '{part}' is geen key=waarde of key!=waarde")
        if key not in ANSWER_KEYS:
            raise QuestionsError(f"toon_als '{text}': onbekende sleutel '{key}'")
        values = tuple(_parse_value(key, w.strip(), f"toon_als '{text}'") for w in rest.split("|"))
        clauses.append(Clause(key, negated, values))
    return tuple(clauses)


def _parse_question(data: Any, where: str) -> Question:
    if not isinstance(data, Mapping):
        raise QuestionsError(f"{where}: verwacht een tabel")
    unknown = set(data) - {"sleutel", "type", "label", "uitleg", "opties", "toon_als"}
    if unknown:
        raise QuestionsError(f"{where}: onbekend veld {', '.join(sorted(unknown))}")
    for k in ("sleutel", "type", "label", "uitleg"):
        if not isinstance(data.get(k), str) or not data[k].strip():
            raise QuestionsError(f"{where}: veld '{k}' ontbreekt of is leeg")
    key, qtype = data["sleutel"], data["type"]
    if key not in ANSWER_KEYS:
        raise QuestionsError(f"{where}: onbekende sleutel '{key}'")
    if qtype not in QUESTION_TYPES or qtype != field_type(key):
        raise QuestionsError(f"{where}: type '{qtype}' past niet bij '{key}' (verwacht {field_type(key)})")
    opties: tuple[Option, ...] = ()
    if qtype == "keuze":
        raw = data.get("opties")
        if not isinstance(raw, list) or not all(isinstance(o, Mapping) for o in raw):
            raise QuestionsError(f"{where}: 'opties' ontbreekt")
        opties = tuple(Option(str(o.get("waarde")), str(o.get("label", ""))) for o in raw)
        if tuple(o.waarde for o in opties) != CHOICES[key] or not all(o.label.strip() for o in opties):
            raise QuestionsError(f"{where}: 'opties' moeten precies {', '.join(CHOICES[key])} zijn, met label")
    elif "opties" in data:
        raise QuestionsError(f"{where}: alleen keuzevragen hebben opties")
    toon_als = data.get("toon_als", "")
    if not isinstance(toon_als, str):
        raise QuestionsError(f"{where}: 'toon_als' moet tekst zijn")
    parse_toon_als(toon_als)
    return Question(key, qtype, data["label"], data["uitleg"], opties, toon_als)


def parse_questions(text: str) -> list[Question]:
    """Parse and check a vragen.toml text: one question per answer key, conditions on earlier keys only."""
    data = tomllib.loads(text)
    raw = data.get("vraag")
    if not isinstance(raw, list):
        raise QuestionsError("geen [[vraag]]-tabellen")
    questions = [_parse_question(q, f"vraag nr. {i + 1}") for i, q in enumerate(raw)]
    earlier: set[str] = set()
    for q in questions:
        if q.sleutel in earlier:
            raise QuestionsError(f"vraag '{q.sleutel}' komt dubbel voor")
        for c in q.clauses:
            if c.key not in earlier:
                raise QuestionsError(f"vraag '{q.sleutel}': toon_als noemt '{c.key}', dat geen eerdere vraag is")
        earlier.add(q.sleutel)
    missing = [k for k in ANSWER_KEYS if k not in earlier]
    if missing:
        raise QuestionsError(f"geen vraag voor: {', '.join(missing)}")
    return questions


@lru_cache(maxsize=1)
def _bundled() -> tuple[Question, ...]:
    text = resources.files("checker").joinpath("vragen.toml").read_text(encoding="utf-8")
    return tuple(parse_questions(text))


def load_questions() -> list[Question]:
    """The form's questions in display order."""
    return list(_bundled())


def question(key: str) -> Question:
    for q in _bundled():
        if q.sleutel == key:
            return q
    raise KeyError(key)


def relevant_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the answers to relevant questions; earlier answers decide later relevance."""
    kept: dict[str, Any] = {}
    for q in _bundled():
        if all(c.holds(kept) for c in q.clauses) and answers.get(q.sleutel) is not None:
            kept[q.sleutel] = answers[q.sleutel]
    return kept


def relevant_keys(answers: Mapping[str, Any]) -> list[str]:
    """Keys of the questions the form shows for these answers, in display order."""
    kept = relevant_answers(answers)
    return [q.sleutel for q in _bundled() if all(c.holds(kept) for c in q.clauses)]


def is_relevant(q: Question, answers: Mapping[str, Any]) -> bool:
    """Whether q is shown; stale answers to hidden questions do not count."""
    kept = relevant_answers(answers)
    return all(c.holds(kept) for c in q.clauses)
