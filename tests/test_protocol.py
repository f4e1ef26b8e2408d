"""Unit tests for build_tools.protocol: the article IDs are the contract the checker cites."""

from pathlib import Path

import pytest

from build_tools.errors import SourceError
from build_tools.protocol import Protocol, load_protocol, parse_protocol

REAL = Path(__file__).parent.parent / "docs" / "versies" / "2.0" / "protocol.md"
EXPECTED_IDS = ([f"U{i}" for i in range(1, 6)] + ["R1", "R2"] + [f"A{i}" for i in range(1, 8)]
                + [f"B{i}" for i in range(1, 4)] + [f"C{i}" for i in range(1, 6)] + [f"S{i}" for i in range(1, 7)])


def test_the_real_protocol_has_every_article_id_in_order():
    protocol = load_protocol(REAL)
    assert protocol.article_ids() == EXPECTED_IDS
    assert protocol.article("A6").label == "A.6" and protocol.article("A6").anchor == "a6"
    assert protocol.article("A6").text.startswith("Het is voor betrokkenen niet toegestaan om foto-")


def test_continuation_lines_belong_to_their_article():
    protocol = parse_protocol("# T\n\n## S {#s prefix=A}\n\n1. Eerste regel\n   vervolg.\n2. Twee.\n")
    assert protocol.article("A1").text == "Eerste regel vervolg."


@pytest.mark.parametrize("text, fragment", [
    ("# T\n\n## S {#s prefix=A}\n\n1. Een.\n3. Drie.\n", "nummer 2"),
    ("# T\n\n## S {#s prefix=A}\n\n1. Een.\n\n## S2 {#s2 prefix=A}\n\n1. Weer.\n", "twee keer"),
    ("# T\n\n## S\n\nTekst.\n", "anker-ID"),
    ("# T\n\n## S {#s}\n\n## S {#s}\n", "twee keer"),
    ("## S {#s}\n\nTekst.\n", "titel"),
    ("# T\n\n## S {#s prefix=ab}\n", "hoofdletter"),
])
def test_malformed_text_names_the_line(text, fragment):
    with pytest.raises(SourceError) as info:
        parse_protocol(text, "fixture.md")
    assert fragment in str(info.value) and str(info.value).startswith("fixture.md:")


def test_protocol_round_trips_through_json():
    protocol = load_protocol(REAL)
    assert Protocol.from_json(protocol.to_json()) == protocol
