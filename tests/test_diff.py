"""Unit tests for build_tools.diff: article-level changes with the changed words."""

from build_tools.diff import compare, word_diff
from build_tools.protocol import parse_protocol

OLD = "# T\n\n## S {#s prefix=A}\n\n1. Foto's mogen niet.\n2. Blijft gelijk.\n3. Wordt geschrapt.\n"
NEW = "# T\n\n## S {#s prefix=A}\n\n1. Foto's en films mogen nooit.\n2. Blijft  gelijk.\n"


def test_compare_finds_exactly_the_changed_articles():
    changes = compare(parse_protocol(OLD), parse_protocol(NEW))
    assert [c.new.id for c in changes.changed] == ["A1"]
    assert [a.id for a in changes.removed] == ["A3"]
    assert changes.added == ()


def test_word_diff_marks_old_and_new_words():
    runs = word_diff("Foto's mogen niet.", "Foto's en films mogen nooit.")
    assert [(r.kind, r.words) for r in runs] == [
        ("same", "Foto's"), ("added", "en films"), ("same", "mogen"), ("removed", "niet."), ("added", "nooit."),
    ]
