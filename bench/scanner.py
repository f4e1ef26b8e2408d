"""`python -m bench.scanner`: the text scanner as a measured instrument, without a browser.

Precision and recall per kind on the labelled corpus (tests/data/scanner/*.toml), exact spans, and the worst
case on adversarial 20,000-character inputs. The corpus test asserts the same figures (tests/test_scanner_corpus.py).
"""

from __future__ import annotations

import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO / "tests" / "data" / "scanner"
TARGET = 0.95

Span = tuple[str, int, int]  # (kind, start, end) in the original text


@dataclass(frozen=True)
class Sample:
    name: str
    file: str
    text: str
    expected: tuple[Span, ...]


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


@dataclass
class Measurement:
    samples: int = 0
    scores: dict[str, Score] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)  # "name: kind 'text'"
    false_alarms: list[str] = field(default_factory=list)


class CorpusError(ValueError):
    """A corpus file that cannot be read or a label that does not occur in its text."""


def _spans(path: Path, name: str, text: str, labels: list) -> tuple[Span, ...]:
    """Labels [kind, substring] or [kind, substring, n] as offsets; repeated labels take successive occurrences."""
    seen: Counter = Counter()
    spans = []
    for label in labels:
        if not (isinstance(label, list) and len(label) in (2, 3)):
            raise CorpusError(f"{path.name}: {name}: vondst {label!r} is geen [soort, tekst] of [soort, tekst, n]")
        kind, needle = label[0], label[1]
        if len(label) == 3:
            occurrence = label[2]
        else:
            seen[(kind, needle)] += 1
            occurrence = seen[(kind, needle)]
        start = -1
        for _ in range(occurrence):
            start = text.find(needle, start + 1)
            if start < 0:
                raise CorpusError(f"{path.name}: {name}: {needle!r} komt geen {occurrence} keer voor in de tekst")
        spans.append((kind, start, start + len(needle)))
    return tuple(sorted(spans, key=lambda s: s[1]))


def load_corpus(directory: Path = CORPUS_DIR) -> list[Sample]:
    samples: list[Sample] = []
    names: set[str] = set()
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise CorpusError(f"{path.name}: {error}") from None
        for entry in data.get("teksten", []):
            name, text = entry["naam"], entry["tekst"]
            if name in names:
                raise CorpusError(f"{path.name}: naam {name!r} komt twee keer voor")
            names.add(name)
            samples.append(Sample(name, path.name, text, _spans(path, name, text, entry["vondsten"])))
    return samples


def measure(samples: list[Sample], kinds: tuple[str, ...]) -> Measurement:
    from checker.scanner import scan

    result = Measurement(samples=len(samples), scores={kind: Score() for kind in kinds})
    for sample in samples:
        found = {(f.kind, f.start, f.end) for f in scan(sample.text)}
        expected = set(sample.expected)
        for kind, start, end in sorted(found | expected, key=lambda s: s[1]):
            score = result.scores.setdefault(kind, Score())
            where = f"{sample.name} ({sample.file}): {kind} {sample.text[start:end]!r}"
            if (kind, start, end) in found and (kind, start, end) in expected:
                score.true_positives += 1
            elif (kind, start, end) in found:
                score.false_positives += 1
                result.false_alarms.append(where)
            else:
                score.false_negatives += 1
                result.misses.append(where)
    return result


def adversarial_texts() -> dict[str, str]:
    """20,000-character inputs aimed at the scanner's patterns (long runs, near-misses, many candidates)."""
    n = 20_000
    return {
        "cijfers": "0" * n,
        "cijfers-spaties": ("0 " * n)[:n],
        "telefoon-bijna": ("06-1234567x" * n)[:n],
        "telefoon-groepen": ("06 12 " * n)[:n],
        "telefoon-haakjes": ("(058) " * n)[:n],
        "plus-31": ("+31 " * n)[:n],
        "at-tekens": "@" * n,
        "e-mail-bijna": ("a." * n)[:n - 1] + "@",
        "e-mail-veel": ("a@b.nl " * n)[:n],
        "e-mail-domein": "a@" + ("bb." * n)[:n - 2],
        "iban-bijna": ("NL91 ABNA 0417 " * n)[:n],
        "bsn-groepen": ("111 222 " * n)[:n],
        "datum-geboren": ("geboren 12-03-2009 " * n)[:n],
        "datum-na": ("12-03-2009 " * n)[:n - 7] + "geboren",
        "postcode": ("postcode 8900 AB " * n)[:n],
        "straat-nummer": ("Straat 1, " * n)[:n],
        "woorden-foto": ("fotofilmpje" * n)[:n],
        "foto-zinnen": ("we kijken een film foto " * n)[:n],
        "opnemen": ("opnemen " * n)[:n],
        "niet-ascii": ("é\u00a0" * n)[:n],
        "nulbreedte": ("\u200b" * n)[:n],
        "ligaturen": ("\ufdfa" * n)[:n],
    }


def worst_case(repeats: int = 3) -> list[tuple[str, float]]:
    """Best of `repeats` timings (ms) of scan() on each adversarial text, each a first scan (no remembered pieces)."""
    from checker.scanner import _scan_piece, scan

    rows = []
    for name, text in adversarial_texts().items():
        best = float("inf")
        for _ in range(repeats):
            _scan_piece.cache_clear()
            started = time.perf_counter()
            scan(text)
            best = min(best, (time.perf_counter() - started) * 1000)
        rows.append((name, best))
    return rows


def report_lines(measurement: Measurement) -> list[str]:
    ok = lambda good: "ok" if good else "MISSED"  # noqa: E731
    lines = [
        f"scanner on the labelled corpus: {measurement.samples} texts (tests/data/scanner/), exact spans",
        f"{'    kind':<22} {'expected':>8} {'found':>6} {'precision':>10} {'recall':>8}  {'target':>10}  result",
    ]
    for kind, score in measurement.scores.items():
        good = score.precision >= TARGET and score.recall >= TARGET
        lines.append(
            f"{'    ' + kind:<22} {score.true_positives + score.false_negatives:>8} "
            f"{score.true_positives + score.false_positives:>6} {score.precision:>10.3f} {score.recall:>8.3f}  "
            f"{'>= 0.95':>10}  {ok(good)}"
        )
    lines += [f"    miss: {line}" for line in measurement.misses]
    lines += [f"    false alarm: {line}" for line in measurement.false_alarms]
    return lines


def worst_case_lines(worst: list[tuple[str, float]]) -> list[str]:
    name, ms = max(worst, key=lambda row: row[1])
    return [f"{'scanner worst case, 20,000 chars (CPython): ' + name:<52} {ms:>19.1f} ms",
            *(f"{'    ' + n:<52} {t:>19.1f} ms" for n, t in worst)]


def bsn_policy(samples: list[Sample]) -> str:
    """What requiring a context word or grouping costs and saves, against the elfproef alone."""
    import re

    from checker.scanner import elfproef, scan
    from checker.textnorm import normalise

    bare = re.compile(r"(?<![0-9A-Za-z])[0-9]{9}(?![0-9A-Za-z])")
    labelled_missed = unlabelled = 0
    for sample in samples:
        folded = normalise(sample.text)
        found = {(f.start, f.end) for f in scan(sample.text) if f.kind == "bsn"}
        labelled = {(s, e) for k, s, e in sample.expected if k == "bsn"}
        for m in bare.finditer(folded.text):
            if not elfproef(m.group()):
                continue
            span = folded.original_span(m.start(), m.end())
            if span in labelled and span not in found:
                labelled_missed += 1
            elif span not in labelled:
                unlabelled += 1
    total = sum(1 for s in samples for k, _, _ in s.expected if k == "bsn")
    return (f"    bsn rule (elfproef + context word or groups) vs elfproef alone: misses {labelled_missed} of {total} "
            f"labelled BSNs, avoids {unlabelled} false alarms (9-digit numbers passing the elfproef)")


def corpus_report() -> str:
    """Precision and recall per kind on the corpus, every miss and false alarm, and the BSN rule's trade."""
    from checker.scanner import KIND_PRIORITY

    samples = load_corpus()
    return "\n".join([*report_lines(measure(samples, KIND_PRIORITY)), bsn_policy(samples)])


def scanner_report() -> str:
    """The corpus figures, the worst case and typing a long text (bench/keystrokes.py), for `python -m bench.scanner`."""
    from bench import keystrokes

    return "\n".join([corpus_report(), *worst_case_lines(worst_case()), keystrokes.cpython_report()])


def main() -> int:
    sys.path.insert(0, str(REPO))
    print(scanner_report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
