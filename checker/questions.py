"""The checker form's questions of one protocol version (vragen.toml beside its regels.toml).

vragen.toml is the one definition of the answer keys, their types and options, and the routing
(toon_als: when a question is relevant). The answers' validation, the rules' conditions, the form's HTML
and the page's script all take them from here; nothing else lists the keys.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

QUESTIONS_FILE = "vragen.toml"
QUESTION_TYPES = ("keuze", "janee", "tekst")
_BOOL_WORDS = {"ja": True, "nee": False}


class QuestionsError(ValueError):
    """A vragen.toml that cannot be used; the message names the file and question."""


@dataclass(frozen=True)
class Clause:
    key: str
    negated: bool
    values: tuple[Any, ...]  # typed: str for choices, bool for ja/nee

    def holds(self, answers: Mapping[str, Any]) -> bool:
        matched = self.key in answers and answers[self.key] in self.values
        return not matched if self.negated else matched

    def to_json(self) -> dict[str, Any]:
        """As the page's answers are written: option values, and ja/nee for yes/no."""
        words = [("ja" if v else "nee") if isinstance(v, bool) else v for v in self.values]
        return {"key": self.key, "negated": self.negated, "values": words}


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
    clauses: tuple[Clause, ...] = ()

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
        data["clauses"] = [c.to_json() for c in self.clauses]
        return data


@dataclass(frozen=True)
class Questions:
    """One version's questions in display order; also the answer schema they define."""

    items: tuple[Question, ...]
    source: str = field(default="<tekst>", compare=False)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @cached_property
    def by_key(self) -> dict[str, Question]:
        return {q.sleutel: q for q in self.items}

    def question(self, key: str) -> Question:
        return self.by_key[key]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(q.sleutel for q in self.items)

    @cached_property
    def choices(self) -> dict[str, tuple[str, ...]]:
        return {q.sleutel: tuple(o.waarde for o in q.opties) for q in self.items if q.type == "keuze"}

    @cached_property
    def booleans(self) -> tuple[str, ...]:
        return tuple(q.sleutel for q in self.items if q.type == "janee")

    @cached_property
    def texts(self) -> tuple[str, ...]:
        return tuple(q.sleutel for q in self.items if q.type == "tekst")

    def field_type(self, key: str) -> str:
        return self.by_key[key].type

    def relevant_answers(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """Only the answers to relevant questions; earlier answers decide later relevance."""
        kept: dict[str, Any] = {}
        for q in self.items:
            if all(c.holds(kept) for c in q.clauses) and answers.get(q.sleutel) is not None:
                kept[q.sleutel] = answers[q.sleutel]
        return kept

    def relevant_keys(self, answers: Mapping[str, Any]) -> list[str]:
        """Keys of the questions the form shows for these answers, in display order."""
        kept = self.relevant_answers(answers)
        return [q.sleutel for q in self.items if all(c.holds(kept) for c in q.clauses)]

    def is_relevant(self, q: Question, answers: Mapping[str, Any]) -> bool:
        """Whether q is shown; stale answers to hidden questions do not count."""
        kept = self.relevant_answers(answers)
        return all(c.holds(kept) for c in q.clauses)

    def to_json(self) -> list[dict[str, Any]]:
        return [q.to_json() for q in self.items]


def _fail(source: str, where: str, message: str) -> QuestionsError:
    return QuestionsError(f"{source}: {where}: {message}")


def parse_toon_als(text: str, earlier: Mapping[str, Question], source: str = "<tekst>", where: str = "toon_als") -> tuple[Clause, ...]:
    """Parse 'a=x|y & b!=ja' against the earlier questions; "" means always."""
    if not text.strip():
        return ()
    clauses = []
    for raw in text.split("&"):
        part = raw.strip()
        negated = "!=" in part
        key, sep, rest = part.partition("!=" if negated else "=")
        key = key.strip()
        if not sep or not key or not rest.strip():
            raise _fail(source, where, f"'{part}' is geen key=waarde of key!=waarde")
        if key not in earlier:
            raise _fail(source, where, f"'{key}' is geen eerdere vraag")
        q = earlier[key]
        values = []
        for word in (w.strip() for w in rest.split("|")):
            if q.type == "janee" and word in _BOOL_WORDS:
                values.append(_BOOL_WORDS[word])
            elif q.type == "keuze" and word in {o.waarde for o in q.opties}:
                values.append(word)
            else:
                allowed = "ja, nee" if q.type == "janee" else ", ".join(o.waarde for o in q.opties)
                raise _fail(source, where, f"'{word}' is geen waarde van '{key}' ({allowed or 'vrije tekst'})")
        clauses.append(Clause(key, negated, tuple(values)))
    return tuple(clauses)


def _parse_question(data: Any, where: str, earlier: Mapping[str, Question], source: str) -> Question:
    if not isinstance(data, Mapping):
        raise _fail(source, where, "verwacht een tabel [[vraag]]")
    unknown = set(data) - {"sleutel", "type", "label", "uitleg", "opties", "toon_als"}
    if unknown:
        raise _fail(source, where, f"onbekend veld {', '.join(sorted(unknown))}")
    for k in ("sleutel", "type", "label", "uitleg"):
        if not isinstance(data.get(k), str) or not data[k].strip():
            raise _fail(source, where, f"veld '{k}' ontbreekt of is leeg")
    key, qtype = data["sleutel"], data["type"]
    where = f"vraag '{key}'"
    if not key.isidentifier() or not key.isascii() or key in ("alle", "een_van", "niet", "onbeantwoord"):
        raise _fail(source, where, "veld 'sleutel': gebruik kleine letters en _ (geen woord van de voorwaardentaal)")
    if key in earlier:
        raise _fail(source, where, "komt dubbel voor")
    if qtype not in QUESTION_TYPES:
        raise _fail(source, where, f"veld 'type': '{qtype}' is geen van {', '.join(QUESTION_TYPES)}")
    opties: tuple[Option, ...] = ()
    if qtype == "keuze":
        raw = data.get("opties")
        if not isinstance(raw, list) or not raw or not all(isinstance(o, Mapping) for o in raw):
            raise _fail(source, where, "veld 'opties' ontbreekt")
        opties = tuple(Option(str(o.get("waarde", "")), str(o.get("label", ""))) for o in raw)
        waarden = [o.waarde for o in opties]
        if len(set(waarden)) != len(waarden) or not all(w.strip() and o.label.strip() for w, o in zip(waarden, opties)):
            raise _fail(source, where, "veld 'opties': elke optie heeft een eigen waarde en een label")
    elif "opties" in data:
        raise _fail(source, where, "alleen keuzevragen hebben opties")
    toon_als = data.get("toon_als", "")
    if not isinstance(toon_als, str):
        raise _fail(source, where, "veld 'toon_als' moet tekst zijn")
    clauses = parse_toon_als(toon_als, earlier, source, f"{where}: toon_als '{toon_als}'")
    return Question(key, qtype, data["label"], data["uitleg"], opties, toon_als, clauses)


def parse_questions(text: str, source: str = "<tekst>") -> Questions:
    """Parse and check a vragen.toml text: unique keys, conditions on earlier questions only."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QuestionsError(f"{source}: ongeldige TOML: {exc}") from None
    raw = data.get("vraag")
    if not isinstance(raw, list) or not raw:
        raise QuestionsError(f"{source}: geen [[vraag]]-tabellen")
    earlier: dict[str, Question] = {}
    for i, item in enumerate(raw):
        q = _parse_question(item, f"vraag nr. {i + 1}", earlier, source)
        earlier[q.sleutel] = q
    return Questions(tuple(earlier.values()), source)
