"""Helpers to read a built site and the adopted text the way a reader sees them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

_SKIP = {"script", "style", "noscript"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in _SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    return normalise(" ".join(parser.parts))


def normalise(text: str) -> str:
    return " ".join(text.split())


def seed_sentences(seed: Path) -> list[str]:
    """Every prose sentence of the adopted text, Markdown stripped; the approval tables are checked as metadata."""
    text = seed.read_text(encoding="utf-8").split("### Vastgesteld door CVO")[0]
    sentences = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(#+|\d+\.|---)\s*", "", line).replace("*", "").strip()
        if not line:
            continue
        for sentence in re.split(r"(?<=[.;:])\s+(?=[A-Z(])", line):
            if sentence.strip():
                sentences.append(normalise(sentence))
    return sentences
