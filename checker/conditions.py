"""The small declarative condition language of regels.toml: parsing, checking and evaluation.

Grammar (TOML values):
    cond := [cond, ...]                 all hold (an empty list always holds)
          | { key = value }             answer `key` equals value (string or boolean)
          | { key = [value, ...] }      answer `key` is one of the values
          | { alle = [cond, ...] }      all hold
          | { een_van = [cond, ...] }   at least one holds
          | { niet = cond }             cond does not hold
          | { onbeantwoord = "key" }    `key` is unanswered (or its question is not relevant)
    Free text (tekst) can only be tested with onbeantwoord. A table with several entries means all of them hold.
A comparison with an unanswered key is false, so `niet` of it is true.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Union

if TYPE_CHECKING:
    from .questions import Questions

COMBINATORS = ("alle", "een_van", "niet", "onbeantwoord")


class ConditionError(ValueError):
    """A malformed condition; `path` says where inside the condition."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Equals:
    key: str
    values: tuple[Any, ...]  # one value means equality, several mean membership

    def to_json(self) -> dict[str, Any]:
        return {self.key: self.values[0] if len(self.values) == 1 else list(self.values)}


@dataclass(frozen=True)
class All:
    parts: tuple["Condition", ...]

    def to_json(self) -> dict[str, Any]:
        return {"alle": [p.to_json() for p in self.parts]}


@dataclass(frozen=True)
class Any_:
    parts: tuple["Condition", ...]

    def to_json(self) -> dict[str, Any]:
        return {"een_van": [p.to_json() for p in self.parts]}


@dataclass(frozen=True)
class Not:
    part: "Condition"

    def to_json(self) -> dict[str, Any]:
        return {"niet": self.part.to_json()}


@dataclass(frozen=True)
class Unanswered:
    key: str

    def to_json(self) -> dict[str, Any]:
        return {"onbeantwoord": self.key}


Condition = Union[Equals, All, Any_, Not, Unanswered]


def _check_key(key: str, path: str, questions: "Questions", *, allow_text: bool = False) -> None:
    kind = questions.by_key[key].type if key in questions.by_key else None
    if kind == "tekst" and allow_text:
        return
    if kind not in ("keuze", "janee"):
        if kind == "tekst":
            raise ConditionError(path, f"'{key}' is vrije tekst en kan niet in een voorwaarde staan")
        raise ConditionError(path, f"onbekende sleutel '{key}' (geen vraag in vragen.toml en geen alle/een_van/niet/onbeantwoord)")


def _check_value(key: str, value: Any, path: str, questions: "Questions") -> None:
    if key in questions.choices:
        allowed = questions.choices[key]
        if not isinstance(value, str) or value not in allowed:
            raise ConditionError(path, f"waarde {value!r} past niet bij '{key}' (toegestaan: {', '.join(allowed)})")
    elif not isinstance(value, bool):
        raise ConditionError(path, f"waarde {value!r} voor '{key}' moet true of false zijn")


def _parse_entry(key: str, value: Any, path: str, questions: "Questions") -> Condition:
    here = f"{path}.{key}"
    if key in ("alle", "een_van"):
        if not isinstance(value, list) or not value:
            raise ConditionError(here, "verwacht een niet-lege lijst van voorwaarden")
        parts = tuple(parse_condition(v, f"{here}[{i}]", questions) for i, v in enumerate(value))
        return All(parts) if key == "alle" else Any_(parts)
    if key == "niet":
        return Not(parse_condition(value, here, questions))
    if key == "onbeantwoord":
        if not isinstance(value, str):
            raise ConditionError(here, "verwacht de naam van een antwoordveld")
        _check_key(value, here, questions, allow_text=True)
        return Unanswered(value)
    _check_key(key, here, questions)
    values = value if isinstance(value, list) else [value]
    if not values:
        raise ConditionError(here, "lege lijst van waarden")
    for v in values:
        _check_value(key, v, here, questions)
    return Equals(key, tuple(values))


def parse_condition(data: Any, path: str = "als", questions: "Questions | None" = None) -> Condition:
    """Turn TOML data into a Condition tree over the version's questions; raises ConditionError naming the place."""
    if questions is None:
        from .answers import _default_questions

        questions = _default_questions()
    if isinstance(data, list):
        return All(tuple(parse_condition(v, f"{path}[{i}]", questions) for i, v in enumerate(data)))
    if isinstance(data, Mapping):
        if not data:
            raise ConditionError(path, "lege tabel; gebruik [] voor 'altijd'")
        parts = [_parse_entry(str(k), v, path, questions) for k, v in data.items()]
        return parts[0] if len(parts) == 1 else All(tuple(parts))
    raise ConditionError(path, f"verwacht een lijst of tabel, niet {type(data).__name__}")


def holds(cond: Condition, answers: Mapping[str, Any]) -> bool:
    """Evaluate against a dict of answered keys (unanswered keys are absent)."""
    if isinstance(cond, Equals):
        return cond.key in answers and answers[cond.key] in cond.values
    if isinstance(cond, All):
        return all(holds(p, answers) for p in cond.parts)
    if isinstance(cond, Any_):
        return any(holds(p, answers) for p in cond.parts)
    if isinstance(cond, Not):
        return not holds(cond.part, answers)
    return cond.key not in answers


def keys_of(cond: Condition) -> list[str]:
    """Answer keys a condition looks at, in order of first appearance."""
    if isinstance(cond, (Equals, Unanswered)):
        return [cond.key]
    parts = cond.parts if isinstance(cond, (All, Any_)) else (cond.part,)
    return list(dict.fromkeys(k for p in parts for k in keys_of(p)))
