"""The answers a user gives in the checker form, and their strict validation."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any, Mapping

MAX_TEXT_LENGTH = 20_000

# Allowed values per choice field, in the order the form shows them.
CHOICES: dict[str, tuple[str, ...]] = {
    "rol": ("medewerker", "leerling", "ouder", "betrokkene"),
    "situatie": ("les", "werk", "prive"),
}

BOOLEAN_FIELDS: tuple[str, ...] = (
    "schoolgerelateerd",
    "toestemming_les",
    "persoonsgegevens",
    "beeldmateriaal",
    "toestemming",
    "vertrouwelijk",
    "over_cvo",
    "vermeldt_medewerker",
    "disclaimer",
    "strijdig_met_missie",
    "kwetsend",
    "schaadt_naam",
    "ontspoort",
    "twijfel",
)

TEXT_FIELDS: tuple[str, ...] = ("tekst",)

ANSWER_KEYS: tuple[str, ...] = (*CHOICES, *BOOLEAN_FIELDS, *TEXT_FIELDS)


def field_type(key: str) -> str:
    """The form type of an answer key: 'keuze', 'janee' or 'tekst'."""
    if key in CHOICES:
        return "keuze"
    if key in BOOLEAN_FIELDS:
        return "janee"
    if key in TEXT_FIELDS:
        return "tekst"
    raise KeyError(key)


class AnswersError(ValueError):
    """Invalid answers; `message` is one line in Dutch and English and names the field."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message}


def _error(field: str, dutch: str, english: str) -> AnswersError:
    return AnswersError(field, f"veld '{field}': {dutch} / field '{field}': {english}")


def _show(value: Any) -> str:
    # Strings in single quotes, other values as JSON (true/false, numbers) so they stay recognisable.
    if isinstance(value, str):
        shown = f"'{value}'"
        return shown if len(shown) <= 60 else shown[:56] + "...'"
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


@dataclass(frozen=True)
class Answers:
    """Validated answers; None means 'not answered'."""

    rol: str | None = None
    situatie: str | None = None
    schoolgerelateerd: bool | None = None
    toestemming_les: bool | None = None
    persoonsgegevens: bool | None = None
    beeldmateriaal: bool | None = None
    toestemming: bool | None = None
    vertrouwelijk: bool | None = None
    over_cvo: bool | None = None
    vermeldt_medewerker: bool | None = None
    disclaimer: bool | None = None
    strijdig_met_missie: bool | None = None
    kwetsend: bool | None = None
    schaadt_naam: bool | None = None
    ontspoort: bool | None = None
    twijfel: bool | None = None
    tekst: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Only the answered keys, so the dict round-trips through parse_answers."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    @classmethod
    def from_json(cls, obj: Any) -> "Answers":
        return parse_answers(obj)


def _check_value(key: str, value: Any) -> Any:
    if key in CHOICES:
        allowed = CHOICES[key]
        if not isinstance(value, str):
            raise _error(key, f"moet tekst zijn, niet {_json_type(value)}", f"must be a string, not {_json_type(value)}")
        if value not in allowed:
            listed = ", ".join(allowed)
            raise _error(
                key,
                f"onbekende waarde {_show(value)} (toegestaan: {listed})",
                f"unknown value {_show(value)} (allowed: {listed})",
            )
        return value
    if key in BOOLEAN_FIELDS:
        # A real bool only: 0/1 or "ja" would hide mistakes in the caller.
        if not isinstance(value, bool):
            raise _error(
                key,
                f"moet true of false zijn, niet {_json_type(value)} {_show(value)}",
                f"must be true or false, not {_json_type(value)} {_show(value)}",
            )
        return value
    if not isinstance(value, str):
        raise _error(key, f"moet tekst zijn, niet {_json_type(value)}", f"must be a string, not {_json_type(value)}")
    if len(value) > MAX_TEXT_LENGTH:
        raise _error(
            key,
            f"tekst is te lang ({len(value)} tekens, maximaal {MAX_TEXT_LENGTH})",
            f"text is too long ({len(value)} characters, at most {MAX_TEXT_LENGTH})",
        )
    return value


def parse_answers(obj: Any) -> Answers:
    """Validate a decoded JSON object; raises AnswersError naming the field. null means unanswered."""
    if isinstance(obj, Answers):
        return obj
    if not isinstance(obj, Mapping):
        raise AnswersError(
            None,
            f"de antwoorden moeten een JSON-object zijn, niet {_json_type(obj)} / "
            f"the answers must be a JSON object, not {_json_type(obj)}",
        )
    values: dict[str, Any] = {}
    for key, value in obj.items():
        if not isinstance(key, str) or key not in ANSWER_KEYS:
            name = str(key)
            raise AnswersError(
                name,
                f"veld '{name}': onbekend veld (bekende velden: {', '.join(ANSWER_KEYS)}) / "
                f"field '{name}': unknown field (known fields: {', '.join(ANSWER_KEYS)})",
            )
        if value is None:
            continue
        values[key] = _check_value(key, value)
    return Answers(**values)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise AnswersError(
                key,
                f"veld '{key}': komt twee keer voor / field '{key}': appears twice",
            )
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_answers_json(text: str) -> Answers:
    """Decode and validate a JSON document; invalid JSON also raises AnswersError (field None)."""
    try:
        obj = json.loads(text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant)
    except AnswersError:
        raise
    except json.JSONDecodeError as exc:
        raise AnswersError(
            None,
            f"geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}: {exc.msg}) / "
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
        ) from None
    except (ValueError, RecursionError) as exc:
        raise AnswersError(None, f"geen geldige JSON ({exc}) / not valid JSON ({exc})") from None
    return parse_answers(obj)
