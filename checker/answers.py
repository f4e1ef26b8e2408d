"""The answers a user gives in the checker form, and their strict validation against a version's questions.

The keys, types and options come from the questions (vragen.toml of the version); nothing here lists them.
Any JSON input gives either Answers or one AnswersError naming the field ("de invoer" when there is none):
no RecursionError, no ValueError about huge integers, no traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from .questions import Questions

MAX_TEXT_LENGTH = 20_000
MAX_INPUT_LENGTH = 1_000_000  # characters of answers JSON; the text itself is at most MAX_TEXT_LENGTH
NO_FIELD = "de invoer"
_MAX_INT_DIGITS = 30  # longer integers are never a valid answer; kept as text so nothing converts them
MAX_DEPTH = 32  # answers are one object of scalars; deeper input is refused before json.loads recurses into it
# JSON strings (also an unterminated one at the end) and the structural characters, in one C-speed pass.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}:]', re.S)


class AnswersError(ValueError):
    """Invalid answers; `message` is one line in Dutch and English and names the field (or 'de invoer')."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message}


def _safe(text: str) -> str:
    # A lone surrogate from JSON ("\ud800") cannot be printed as UTF-8; show it escaped.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _error(field: str, dutch: str, english: str) -> AnswersError:
    name = _safe(field)
    return AnswersError(name, f"veld '{name}': {dutch} / field '{name}': {english}")


def _input_error(dutch: str, english: str) -> AnswersError:
    return AnswersError(None, f"{NO_FIELD}: {dutch} / the input: {english}")


class _BigNumber(str):
    """A JSON integer too long to be an answer (Python refuses to convert 4,300+ digits)."""


def _show(value: Any) -> str:
    # Strings in single quotes, scalars as JSON; containers only by their brackets (they may be nested deeply).
    if isinstance(value, _BigNumber):
        return f"{value[:12]}... ({len(value)} cijfers)"
    if isinstance(value, str):
        shown = _safe(f"'{value}'")
        return shown if len(shown) <= 60 else shown[:56] + "...'"
    if isinstance(value, (list, tuple)):
        return "[...]" if value else "[]"
    if isinstance(value, Mapping):
        return "{...}" if value else "{}"
    shown = json.dumps(value) if isinstance(value, (bool, int, float)) or value is None else repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float, _BigNumber)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


class Answers(Mapping):
    """Validated answers of one version: only answered keys (None means 'not answered').

    Attribute access reads an answer (answers.tekst), so code reads like the form; an unknown key reads None.
    """

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any] | None = None, /, **more: Any) -> None:
        object.__setattr__(self, "_values", {k: v for k, v in {**(values or {}), **more}.items() if v is not None})

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._values.get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Answers are immutable")

    def __repr__(self) -> str:
        return f"Answers({self._values!r})"

    def to_json(self) -> dict[str, Any]:
        """Only the answered keys, so the dict round-trips through parse_answers."""
        return dict(self._values)

    @classmethod
    def from_json(cls, obj: Any, questions: "Questions | None" = None) -> "Answers":
        return parse_answers(obj, questions)


def _check_value(questions: "Questions", key: str, value: Any) -> Any:
    kind = questions.field_type(key)
    if kind == "keuze":
        allowed = questions.choices[key]
        if not isinstance(value, str) or isinstance(value, _BigNumber):
            raise _error(key, f"moet tekst zijn, niet {_json_type(value)}", f"must be a string, not {_json_type(value)}")
        if value not in allowed:
            listed = ", ".join(allowed)
            raise _error(key, f"onbekende waarde {_show(value)} (toegestaan: {listed})",
                         f"unknown value {_show(value)} (allowed: {listed})")
        return value
    if kind == "janee":
        # A real bool only: 0/1 or "ja" would hide mistakes in the caller.
        if not isinstance(value, bool):
            raise _error(key, f"moet true of false zijn, niet {_json_type(value)} {_show(value)}",
                         f"must be true or false, not {_json_type(value)} {_show(value)}")
        return value
    if not isinstance(value, str) or isinstance(value, _BigNumber):
        raise _error(key, f"moet tekst zijn, niet {_json_type(value)}", f"must be a string, not {_json_type(value)}")
    if len(value) > MAX_TEXT_LENGTH:
        raise _error(key, f"tekst is te lang ({len(value)} tekens, maximaal {MAX_TEXT_LENGTH})",
                     f"text is too long ({len(value)} characters, at most {MAX_TEXT_LENGTH})")
    return value


def _default_questions() -> "Questions":
    from .rules import default_ruleset  # the bundled or in-force version; imported late to avoid a cycle

    return default_ruleset().questions


def parse_answers(obj: Any, questions: "Questions | None" = None) -> Answers:
    """Validate a decoded JSON object against the questions; raises AnswersError naming the field."""
    if isinstance(obj, Answers):
        obj = obj.to_json()
    if questions is None:
        questions = _default_questions()
    if not isinstance(obj, Mapping):
        raise _input_error(f"de antwoorden moeten een JSON-object zijn, niet {_json_type(obj)}",
                           f"the answers must be a JSON object, not {_json_type(obj)}")
    known = ", ".join(questions.keys)
    values: dict[str, Any] = {}
    for key, value in obj.items():
        if not isinstance(key, str) or key not in questions.by_key:
            name = _safe(str(key))
            raise AnswersError(name, f"veld '{name}': onbekend veld (bekende velden: {known}) / "
                                     f"field '{name}': unknown field (known fields: {known})")
        if value is None:
            continue
        values[key] = _check_value(questions, key, value)
    return Answers(values)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _error(key, "komt twee keer voor", "appears twice")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is geen geldige JSON")


def _parse_int(digits: str) -> Any:
    return _BigNumber(digits) if len(digits.lstrip("-")) > _MAX_INT_DIGITS else int(digits)


def _too_deep(text: str) -> tuple[bool, str | None]:
    """Whether brackets nest deeper than MAX_DEPTH, and under which top-level key (None: not inside one).
    Iterative, so no input can make it (or json.loads after it) exhaust the stack, in CPython or in Pyodide."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:  # cannot nest deeper: skips tokenising a long tekst
        return False, None
    depth, key, last, top_object = 0, None, None, None
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if top_object is None:
                top_object = token == "{"
            if depth > MAX_DEPTH:
                return True, key if top_object and depth > 1 else None
        elif token in ("]", "}"):
            depth -= 1
            if depth <= 1:
                key = None if depth < 1 else key
        elif token == ":":
            if depth == 1 and last is not None:
                key = last
        elif depth == 1:
            try:
                last = json.loads(token)
            except ValueError:
                last = token.strip('"')
    return False, None


def decode_json(text: str) -> Any:
    """JSON text -> value, or AnswersError naming 'de invoer' (or the field of a duplicate key)."""
    if len(text) > MAX_INPUT_LENGTH:
        raise _input_error(f"te groot ({len(text)} tekens, maximaal {MAX_INPUT_LENGTH})",
                           f"too large ({len(text)} characters, at most {MAX_INPUT_LENGTH})")
    deep, field = _too_deep(text)
    if deep:
        if field is not None:
            raise _error(field, f"te diep genest (meer dan {MAX_DEPTH} niveaus)", f"nested too deeply (more than {MAX_DEPTH} levels)")
        raise _input_error(f"te diep genest (meer dan {MAX_DEPTH} niveaus)", f"nested too deeply (more than {MAX_DEPTH} levels)")
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant,
                          parse_int=_parse_int)
    except AnswersError:
        raise
    except json.JSONDecodeError as exc:
        raise _input_error(f"geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}: {exc.msg})",
                           f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise _input_error("te diep genest", "nested too deeply") from None
    except ValueError as exc:
        raise _input_error(f"geen geldige JSON ({_safe(str(exc))})", f"not valid JSON ({_safe(str(exc))})") from None


def parse_answers_json(text: str, questions: "Questions | None" = None) -> Answers:
    """Decode and validate a JSON document; every problem is an AnswersError."""
    return parse_answers(decode_json(text), questions)
