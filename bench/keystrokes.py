"""Evaluation latency with a 20,000-character text, measured as typing: every evaluation sees another text.

Two long texts: the labelled corpus's messages one after another (a realistic long draft, full of findings) and
the adversarial "e-mail-veel" (2,858 e-mail addresses, the most findings any input here gives). A typed text
grows by one character per evaluation, so no evaluation repeats the one before it. `make bench` times advise()
inside the browser worker with these; `python -m bench.keystrokes` times it in CPython.
"""

from __future__ import annotations

import json
import statistics
import time

from bench.scanner import adversarial_texts, load_corpus

LENGTH = 20_000


def long_texts() -> dict[str, str]:
    """The two 20,000-character texts, by name."""
    corpus = "\n\n".join(sample.text for sample in load_corpus())
    return {"corpus messages": corpus[:LENGTH], "2,858 e-mail addresses": adversarial_texts()["e-mail-veel"]}


def typed(text: str, count: int) -> list[str]:
    """count texts as the last count keystrokes that end in text: each one character longer than the one before."""
    return [text[: len(text) - count + 1 + i] for i in range(count)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summary(times: list[float]) -> str:
    """'median / p95 (first)' in ms: the first call also shows the JIT warm-up inside Pyodide."""
    return f"{statistics.median(times):.1f} / {percentile(times, 95):.1f} ms (first {times[0]:.0f} ms)"


def cpython_times(answers: dict, count: int = 50) -> dict[str, list[float]]:
    """advise() timings in this CPython, per long text, typing (with the version in force's rules from docs/)."""
    from pathlib import Path

    from checker.answers import parse_answers_json
    from checker.engine import evaluate_json
    from checker.rules import load_ruleset

    ruleset = load_ruleset(Path(__file__).resolve().parent.parent / "docs" / "versies" / "2.0" / "regels.toml")
    results = {}
    for name, text in long_texts().items():
        times = []
        for variant in typed(text, count):
            answers_json = json.dumps({**answers, "tekst": variant})
            started = time.perf_counter()
            evaluate_json(parse_answers_json(answers_json, ruleset.questions), ruleset)  # what advise() does
            times.append((time.perf_counter() - started) * 1000)
        results[name] = times
    return results


def report_lines(times: dict[str, list[float]], when: str = "typing") -> list[str]:
    """One bench line per long text: median / p95 and the first call, from a fresh worker's typed evaluations."""
    return [f"{'    ' + name + ', ' + when + ', median / p95':<52} {summary(ms):>22}" for name, ms in times.items()]


def cpython_report() -> str:
    import os

    from bench.__main__ import TYPICAL_ANSWERS

    lines = [f"advise() in CPython, 20,000 characters typed, median / p95 (load average {os.getloadavg()[0]:.1f}):"]
    lines += [f"    {name:<28} {summary(times)}" for name, times in cpython_times(TYPICAL_ANSWERS).items()]
    return "\n".join(lines)


def main() -> int:
    print(cpython_report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
