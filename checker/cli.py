"""Command line: python -m checker [--answers FILE] [--rules FILE] < answers.json > advice.json"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .answers import AnswersError, parse_answers_json
from .engine import evaluate
from .rules import RulesError, default_rules_path, load_ruleset

EXIT_OK, EXIT_ANSWERS, EXIT_RULES = 0, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m checker",
        description="Advies 'mag ik dit posten?' volgens de Richtlijnen gebruik sociale media van CVO.",
    )
    parser.add_argument("--answers", type=Path, help="JSON-bestand met antwoorden (standaard: stdin)")
    parser.add_argument("--rules", type=Path, help="regels.toml (standaard: meegeleverd of de vastgestelde versie)")
    return parser


def _read_answers(path: Path | None) -> str:
    if path is None:
        return sys.stdin.buffer.read().decode("utf-8")
    return path.read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        ruleset = load_ruleset(args.rules if args.rules else default_rules_path())
    except RulesError as exc:
        print(f"fout in regels / invalid rules: {exc}", file=sys.stderr)
        return EXIT_RULES
    try:
        answers = parse_answers_json(_read_answers(args.answers))
    except (OSError, UnicodeDecodeError) as exc:
        print(f"fout in antwoorden / invalid answers: kan niet lezen / cannot read: {exc}", file=sys.stderr)
        return EXIT_ANSWERS
    except AnswersError as exc:
        print(f"fout in antwoorden / invalid answers: {exc.message}", file=sys.stderr)
        return EXIT_ANSWERS
    advice = evaluate(answers, ruleset)
    out = json.dumps(advice, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    sys.stdout.buffer.write(out.encode("utf-8"))
    sys.stdout.flush()
    return EXIT_OK
