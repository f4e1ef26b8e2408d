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
decomposed input ('e' + U+0301) matches like precomposed input. Linear in the length of the text, and fast
where it matters (20,000 characters are checked on every keystroke): characters that fold to one other are
replaced with str.replace, and the map back is kept by segment, built per character only where the length
changes (a vanishing mark, an expansion, a composed mark).
"""

from __future__ import annotations

import bisect
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
    """The folded text and the map back to the original, by segment: segment k covers the folded offsets from
    at[k] up to at[k + 1]; if origins[k] is (start, -1) it was copied from the original at start, otherwise
    every one of its characters came from the original [start, end) in origins[k]."""

    text: str
    at: tuple[int, ...] | None = None  # None: the folded text has the original's offsets (identity map)
    origins: tuple[tuple[int, int], ...] = ()

    def _span_of(self, position: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.at, position) - 1
        start, end = self.origins[k]
        if end < 0:
            start += position - self.at[k]
            end = start + 1
        return start, end

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering folded characters [start, end) (end > start)."""
        if self.at is None:
            return start, end
        return self._span_of(start)[0], self._span_of(end - 1)[1]

    @property
    def starts(self) -> tuple[int, ...] | None:
        """Per folded character, where in the original it starts (None: the identity map)."""
        return tuple(self._span_of(i)[0] for i in range(len(self.text))) if self.at is not None else None

    @property
    def ends(self) -> tuple[int, ...] | None:
        """Per folded character, where in the original it ends (None: the identity map)."""
        return tuple(self._span_of(i)[1] for i in range(len(self.text))) if self.at is not None else None


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


def _replace_one_for_one(text: str, changes: dict[str, str]) -> str:
    """text with each key of changes replaced by its (one-character) value."""
    if len(changes) > 16:
        # str.translate looks every character up in the table; missing keys are slow, so all are present.
        return text.translate(str.maketrans({**{ch: ch for ch in set(text)}, **changes}))
    for old, new in changes.items():  # a few str.replace calls are many times faster than str.translate
        text = text.replace(old, new)
    return text


def normalise(text: str) -> Normalised:
    if text.isascii():
        return Normalised(text)
    folds = {ch: _fold(ch) for ch in set(text) if ch >= "\x80"}
    vanishing = "".join(ch for ch, folded in folds.items() if not folded)
    changing = "".join(ch for ch, folded in folds.items() if len(folded) > 1 or folded and unicodedata.combining(folded))
    # Characters that fold to exactly one other are replaced in place: the offsets stay the original ones.
    replaced = _replace_one_for_one(text, {ch: folded for ch, folded in folds.items()
                                           if len(folded) == 1 and folded != ch and ch not in changing})
    if not vanishing and not changing:
        return Normalised(replaced)
    # Only where the length changes is there work per character: runs of vanishing characters are skipped,
    # expansions and combining marks are mapped one by one, the runs between them are copied as one segment.
    special = re.compile("|".join(f"[{chars}]{repeat}" for chars, repeat in ((vanishing, "+"), (changing, "")) if chars))
    out: list[str] = []
    at: list[int] = []
    origins: list[tuple[int, int]] = []
    length = 0  # of the folded text so far
    done = 0  # the original text is folded up to here
    for m in special.finditer(text):
        i, j = m.span()
        if done < i:
            out.append(replaced[done:i])
            at.append(length)
            origins.append((done, -1))
            length += i - done
        done = j
        folded = folds[text[i]]
        if not folded:
            continue
        if len(folded) == 1 and out:
            # A combining mark (folded to one character) is composed with the character before it where NFC can;
            # that character then spans the mark too.
            composed = unicodedata.normalize("NFC", out[-1][-1] + folded)
            if len(composed) == 1:
                out[-1] = out[-1][:-1] + composed
                start = origins[-1][0] + (length - 1 - at[-1] if origins[-1][1] < 0 else 0)
                if at[-1] == length - 1:
                    origins[-1] = (start, j)
                else:
                    at.append(length - 1)
                    origins.append((start, j))
                continue
        out.append(folded)
        at.append(length)
        origins.append((i, j))
        length += len(folded)
    if done < len(text):
        out.append(replaced[done:])
        at.append(length)
        origins.append((done, -1))
    return Normalised("".join(out), tuple(at), tuple(origins))
