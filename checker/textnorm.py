"""Normalise a draft before the scanner matches it, keeping a map back to the original offsets.

The scanner's patterns are written for plain ASCII digits, spaces, hyphens and apostrophes. People (and their
phones) type look-alikes: no-break and narrow no-break spaces, en dashes, full-width digits, zero-width and
direction marks pasted from apps. `normalise` folds those, character by character, and records for every
character of the folded text the span of the original text it came from, so a finding in the folded text is
reported at the right place in what the person typed.

Per character: ignorable marks (zero-width, soft hyphen, bidi/direction controls) vanish; space look-alikes
become ' '; dash look-alikes become '-'; quote look-alikes become "'"; everything else is NFKC-folded (full-width
and other compatibility forms, ligatures such as 'ﬁ'; an expansion to more than three characters is left
alone). A combining mark is composed with the character before it (NFC), so
decomposed input ('e' + U+0301) matches like precomposed input. One pass, linear in the length of the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Zero-width characters, the soft hyphen, word joiner, BOM and the bidi/direction controls.
IGNORABLE = frozenset(
    "\u00ad\u034f\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
SPACES = frozenset("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d\u2e3a\u2e3b")
MAX_EXPANSION = 3
QUOTES = frozenset("\u2018\u2019\u201b\u02bc\u2032\uff07")


@dataclass(frozen=True)
class Normalised:
    """The folded text and, per folded character, the original [start, end) it came from."""

    text: str
    starts: tuple[int, ...] | None  # None: the folded text is the original (identity map)
    ends: tuple[int, ...] | None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering folded characters [start, end) (end > start)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def _fold(ch: str) -> str:
    if ch in IGNORABLE:
        return ""
    if ch in SPACES:
        return " "
    if ch in DASHES:
        return "-"
    if ch in QUOTES:
        return "'"
    folded = unicodedata.normalize("NFKC", ch)
    # Longer expansions are Arabic ligatures and squared CJK words: nothing a pattern looks for, and they
    # would let 20,000 characters grow eighteenfold.
    return folded if len(folded) <= MAX_EXPANSION else ch


_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]")


def normalise(text: str) -> Normalised:
    if text.isascii():
        return Normalised(text, None, None)
    folds = {ch: _fold(ch) for ch in set(text) if ch >= "\x80"}
    if all(len(f) == 1 and not unicodedata.combining(f) for f in folds.values()):
        # Every character folds to exactly one: same length, so the offsets are the original ones.
        return Normalised(text.translate(str.maketrans(folds)), None, None)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for run in _RUNS.finditer(text):
        i, j = run.span()
        ch = run.group()
        if ch[0] < "\x80":  # ASCII runs are copied as they are
            out.append(ch)
            starts.extend(range(i, j))
            ends.extend(range(i + 1, j + 1))
            continue
        folded = folds[ch]
        if len(folded) == 1 and out and unicodedata.combining(folded):
            composed = unicodedata.normalize("NFC", out[-1][-1] + folded)
            if len(composed) == 1:
                out[-1] = out[-1][:-1] + composed
                ends[-1] = j
                continue
        for piece in folded:
            out.append(piece)
            starts.append(i)
            ends.append(j)
    return Normalised("".join(out), tuple(starts), tuple(ends))
