"""Command line: python -m checker [--versie V | --rules FILE] [--answers FILE] < answers.json > advice.json

Without --versie or --rules the version is the bundled one (installed from the site's wheel) or else the one in
force today in docs/versies/, chosen by the same rule as the site (checker.versions.pick_current).
Exit codes: 0 advice on stdout; 2 invalid answers, one line on stderr naming the field (or 'de invoer');
3 unusable rules. Nothing is written to stdout unless the advice is complete.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .answers import AnswersError, parse_answers_json
from .engine import evaluate
from .rules import RulesError, default_rules_path, load_ruleset, version_rules_path

EXIT_OK, EXIT_ANSWERS, EXIT_RULES = 0, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m checker",
        description="Advies 'mag ik dit posten?' volgens de Richtlijnen gebruik sociale media van CVO.",
    )
    parser.add_argument("--answers", type=Path, help="JSON-bestand met antwoorden (standaard: stdin)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--versie", help="versie van het protocol uit docs/versies/ (standaard: de geldende versie)")
    which.add_argument("--rules", type=Path, help="regels.toml (met vragen.toml ernaast)")
    return parser


def _read_answers(path: Path | None) -> str:
    if path is None:
        return sys.stdin.buffer.read().decode("utf-8")
    return path.read_text(encoding="utf-8")


def _answers_error(message: str) -> int:
    print(f"fout in antwoorden / invalid answers: {message}", file=sys.stderr)
    return EXIT_ANSWERS


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.rules:
            path = args.rules
        elif args.versie:
            path = version_rules_path(args.versie)
        else:
            path = default_rules_path()
        ruleset = load_ruleset(path)
    except RulesError as exc:
        print(f"fout in regels / invalid rules: {exc}", file=sys.stderr)
        return EXIT_RULES
    try:
        answers = parse_answers_json(_read_answers(args.answers), ruleset.questions)
    except UnicodeDecodeError as exc:
        return _answers_error(f"de invoer: geen UTF-8 (byte {exc.start}) / the input: not UTF-8 (byte {exc.start})")
    except OSError as exc:
        return _answers_error(f"de invoer: kan niet lezen / cannot read: {exc}")
    except AnswersError as exc:
        return _answers_error(exc.message)
    advice = evaluate(answers, ruleset)
    out = json.dumps(advice, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    sys.stdout.buffer.write(out.encode("utf-8"))
    sys.stdout.flush()
    return EXIT_OK
