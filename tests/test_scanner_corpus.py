"""The scanner on its labelled corpus (tests/data/scanner/): precision and recall >= 0.95 for every kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.scanner import TARGET, CorpusError, load_corpus, measure
from checker.scanner import KIND_LABELS, KIND_PRIORITY

SAMPLES = load_corpus()


def test_corpus_is_large_and_covers_every_kind():
    assert len(SAMPLES) >= 300
    expected_kinds = {kind for sample in SAMPLES for kind, _, _ in sample.expected}
    assert expected_kinds == set(KIND_PRIORITY)
    negatives = [s for s in SAMPLES if not s.expected]
    assert len(negatives) >= 80
    for kind in KIND_PRIORITY:
        assert sum(1 for s in SAMPLES for k, _, _ in s.expected if k == kind) >= 15, kind


def test_labels_use_known_kinds_and_point_into_their_text():
    for sample in SAMPLES:
        for kind, start, end in sample.expected:
            assert kind in KIND_LABELS, f"{sample.name}: {kind}"
            assert 0 <= start < end <= len(sample.text)


@pytest.fixture(scope="module")
def result():
    return measure(SAMPLES, KIND_PRIORITY)


@pytest.mark.parametrize("kind", KIND_PRIORITY)
def test_precision_and_recall_per_kind(kind, result):
    score = result.scores[kind]
    misses = [line for line in result.misses if f": {kind} " in line]
    false_alarms = [line for line in result.false_alarms if f": {kind} " in line]
    report = "\n".join([f"misses ({len(misses)}):", *misses, f"false alarms ({len(false_alarms)}):", *false_alarms])
    assert score.precision >= TARGET and score.recall >= TARGET, (
        f"{kind}: precision {score.precision:.3f}, recall {score.recall:.3f}\n{report}"
    )


def test_done_when_examples():
    by_name = {s.name: s for s in SAMPLES}
    assert by_name["telefoon-bel-lisa-harde-spaties"].expected
    assert by_name["telefoon-netnummer-tussen-haakjes"].expected
    assert not by_name["negatief-herkansing-datum-tijd"].expected
    assert not by_name["negatief-ziekenhuisopname"].expected
    result = measure([by_name[n] for n in (
        "telefoon-bel-lisa-harde-spaties", "telefoon-netnummer-tussen-haakjes",
        "negatief-herkansing-datum-tijd", "negatief-ziekenhuisopname",
    )], KIND_PRIORITY)
    assert result.misses == [] and result.false_alarms == []


def test_a_label_that_is_not_in_its_text_is_named(tmp_path: Path):
    (tmp_path / "x.toml").write_text(
        'teksten = [{ naam = "fout", tekst = "Bel 06-12345678", vondsten = [["telefoon", "06-87654321"]] }]\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"x\.toml: fout: '06-87654321'"):
        load_corpus(tmp_path)


def test_occurrences_pick_the_right_span(tmp_path: Path):
    (tmp_path / "x.toml").write_text(
        'teksten = [{ naam = "twee", tekst = "film en film", vondsten = [["beeld", "film", 2]] },'
        ' { naam = "herhaald", tekst = "foto foto", vondsten = [["beeld", "foto"], ["beeld", "foto"]] }]\n',
        encoding="utf-8",
    )
    twee, herhaald = load_corpus(tmp_path)
    assert twee.expected == (("beeld", 8, 12),)
    assert herhaald.expected == (("beeld", 0, 4), ("beeld", 5, 9))


def test_duplicate_names_are_refused(tmp_path: Path):
    (tmp_path / "x.toml").write_text(
        'teksten = [{ naam = "a", tekst = "x", vondsten = [] }, { naam = "a", tekst = "y", vondsten = [] }]\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match="'a' komt twee keer voor"):
        load_corpus(tmp_path)
