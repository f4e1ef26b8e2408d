"""Local scan of a draft message for personal data and references to images.

Choices (documented because they trade misses against false alarms):
- Matching runs on a folded copy of the text (checker/textnorm.py: NFKC, space/dash/quote look-alikes,
  zero-width and direction marks dropped); every Finding's start/end points into the ORIGINAL text.
- Every pattern may only start where the previous character cannot continue the token (a negative lookbehind),
  repetitions are bounded or unambiguous, and context checks look at a bounded window, so a scan is linear.
- Digits are ASCII only ([0-9], not \\d); full-width and other digits are folded to ASCII first.
- telefoon: a Dutch number of exactly 10 digits (0 + area/mobile code) or +31/0031 with 9 digits (an optional
  '(0)' or 0 after +31), an area code in brackets '(058) 123 45 67', separators ' ', '-', '/', ' - ', ' / ';
  another country's +NN number with 9-15 digits. The digits must end where a group ends. Not reported: a run that
  starts with a date (06-12-2024 14:00), a number followed by ':' or '.' and a digit (a time), service numbers
  (0800/0900/0906/0909), anything inside a longer word or number, the digits after a (mistyped) IBAN's
  country code and bank code. Dots are not accepted as separators (times and dates use them). The school's
  own number IS reported: the scanner cannot tell whose number it is; the person's explicit answer decides.
- bsn: 9 digits (or 3-3-3 / 4-2-3 groups separated by one space, dot or hyphen) passing the elfproef, AND
  either written in groups or with a context word (BSN, burgerservicenummer, sofinummer, persoonsnummer) in the
  60 characters before or 30 after. About 1 in 11 arbitrary 9-digit numbers pass the elfproef; an ungrouped one
  with no context word (an order number) is therefore not reported. Cost: a bare BSN without its name is missed.
- iban: country code, 2 check digits, the country's exact length, mod-97 valid; groups of 4 may be separated by
  single spaces; lower case is accepted.
- postcode: '1234 AB' / '1234AB' in capitals (the letters SA, SD, SS are never issued), reported only with a
  street and house number (also on the line above) or the word 'postcode' in the 60 characters before it, so a
  year followed by a capitalised abbreviation is not reported. Not reported: a Postbus or Antwoordnummer
  address, an address labelled as an organisation's (bezoekadres, postadres, correspondentieadres, ...), or a
  school word followed by a number taken for a street ("lokaal 2", "groep 8", "hoofdstuk 3").
- geboortedatum: a valid calendar date (12-03-2009, 12/03/2009, 12.03.2009, 2009-03-12, 12 maart 2009,
  12 mrt. 2009; 2- or 4-digit year) only with 'geboren', 'geb.', 'geboortedatum', 'jarig' or 'verjaardag' in the
  40 characters before it (with no year of its own in between: "geboren in 1950 en komt op 14-03-2025"), or
  'geboren'/'geboortedatum' in the 30 characters after it, in the same clause: a date alone (an event) is not
  personal data.
- email: local part and domain may hold non-ASCII letters (an internationalised domain), the top-level domain
  is letters only.
- vermelding: '@name' not preceded by a letter, digit or one of _%+-@ (a valid e-mail address wins first; a
  period may precede it: "Top.@jan"). A mention is reported, but does not count as personal data (it may name
  an organisation).
- beeld: words (and compounds) for image or sound material: foto, video, filmpje, film, selfie, screenshot,
  afbeelding, beelden, beeldmateriaal, camera, vlog, podcast, livestream, geluids-/video-opname, spraakbericht,
  vid, pic, clip, trailer, reel, afgebeeld, and verbs like filmen, fotograferen, vloggen. Within the sentence (at most 150 characters either side):
  a film/filmpje/video that is watched (kijken, bioscoop, ...) and not made or shared is not reported; nor is
  an image word in an announcement that material will be made (wordt gemaakt, komt de fotograaf) when nothing
  is shared in that sentence (posten, online, website, an app such as the ouderapp, ...). 'opname' counts
  only as a recording (geluidsopname; not ziekenhuisopname, not 'opname in'), 'opnemen' only next to something
  recorded (een gesprek, de les), never with 'contact'.
- Overlaps: the first kind in KIND_PRIORITY wins (an IBAN is not also a phone number).
- Findings carry offsets (Python str indices into the original text), never the matched text.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Collection, Iterator

from .textnorm import normalise

MAX_LENGTH = 20_000

PERSONAL_KINDS = ("email", "telefoon", "postcode", "bsn", "iban", "geboortedatum")
KIND_PRIORITY = ("email", "iban", "telefoon", "bsn", "geboortedatum", "postcode", "vermelding", "beeld")
KIND_LABELS = {
    "email": "e-mailadres",
    "telefoon": "telefoonnummer",
    "postcode": "adres",
    "bsn": "burgerservicenummer (BSN)",
    "iban": "rekeningnummer (IBAN)",
    "geboortedatum": "geboortedatum",
    "vermelding": "vermelding van een account (@)",
    "beeld": "foto, film of opname",
}

# How far a context check looks around a candidate; bounded so each check costs a constant.
SENTENCE_REACH = 150


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Finding":
        return cls(str(data["kind"]), int(data["start"]), int(data["end"]))


# '!', '?', a line break, or a period before white space or the end ([!?\n]|\.(?=\s|$)), written to begin with a
# character set: the regex engine then skips every other character without trying the pattern there. The same
# is done below by taking the first character before a lookbehind (shifted by one to look at what precedes it).
_SENTENCE_END = re.compile(r"[!?\n.](?:(?<=\.)(?=\s|$)|(?<!\.))")


# Characters a case-insensitive pattern treats otherwise than its lower-case twin on the lower-cased text ('ı' and
# 'ſ' match 'i' and 's'; 'İ' lowers to two characters); checked over all of Unicode in tests/test_scanner_speed.py.
_DIGIT = re.compile("[0-9]")
_CASE_EXCEPTIONS = re.compile("[\u0130\u0131\u017f]")


class _Text:
    """The folded text, its sentence ends and (computed once, on demand) where context words occur."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._ends: list[int] | None = None  # sentence ends, found when a context check first needs them
        self._cues: dict[str, tuple[list[int], list[int]]] = {}
        self._lowered: str | None = None
        self._backwards: str | None = None
        self.has_digits = _DIGIT.search(text) is not None  # every kind but e-mail, mention and image needs one

    @property
    def lowered(self) -> str:
        """The text lower-cased with every character at its own offset ('İ', which lowers to two, becomes NUL)."""
        if self._lowered is None:
            lowered = self.text.lower()
            if len(lowered) != len(self.text):
                lowered = "".join(ch if len(ch) == 1 else "\x00" for ch in map(str.lower, self.text))
            self._lowered = lowered
        return self._lowered

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence around text[start:end], at most SENTENCE_REACH characters either side."""
        if self._ends is None:
            self._ends = [m.start() for m in _SENTENCE_END.finditer(self.text)]
        ends = self._ends
        i = bisect.bisect_left(ends, start)
        lo = ends[i - 1] + 1 if i > 0 else 0
        j = bisect.bisect_left(ends, end)
        hi = ends[j] if j < len(ends) else len(self.text)
        return max(lo, start - SENTENCE_REACH), min(hi, end + SENTENCE_REACH)

    @property
    def backwards(self) -> str:
        """The text reversed: a regex match on it reads backwards from a position."""
        if self._backwards is None:
            self._backwards = self.text[::-1]
        return self._backwards

    def spans(self, cue: re.Pattern[str]) -> tuple[list[int], list[int]]:
        """Starts and ends of cue's matches in the text, searched once per text."""
        found = self._cues.get(cue.pattern)  # a str key: its hash is cached, a Pattern's is not
        if found is None:
            # A case-insensitive search is several times slower than its lower-case twin on the lower-cased text.
            twin = _LOWER_CASE_TWINS.get(cue.pattern)
            if twin is not None and not _CASE_EXCEPTIONS.search(self.text):
                matches = list(twin.finditer(self.lowered))
            else:
                matches = list(cue.finditer(self.text))
            found = self._cues[cue.pattern] = ([m.start() for m in matches], [m.end() for m in matches])
        return found

    def has(self, cue: re.Pattern[str], lo: int, hi: int) -> bool:
        """Whether a match of cue lies within text[lo:hi]."""
        starts, ends = self.spans(cue)
        i = bisect.bisect_left(starts, lo)
        return i < len(starts) and ends[i] <= hi

    def last_before(self, cue: re.Pattern[str], lo: int, position: int) -> int | None:
        """End of the last match of cue within text[lo:position], if any."""
        starts, ends = self.spans(cue)
        i = bisect.bisect_right(ends, position) - 1
        return ends[i] if i >= 0 and starts[i] >= lo else None

    def first_after(self, cue: re.Pattern[str], position: int, hi: int) -> int | None:
        """Start of the first match of cue within text[position:hi], if any."""
        starts, ends = self.spans(cue)
        i = bisect.bisect_left(starts, position)
        return starts[i] if i < len(starts) and ends[i] <= hi else None


# ------------------------------------------------------------------ e-mail

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w.%+\-]+@(?:[^\W_]|-)+(?:\.(?:[^\W_]|-)+)*\.[^\W\d_]{2,24}(?![\w\-])"
)


_EMAIL_AT = re.compile(r"@(?<=[\w.%+\-]@)")  # an '@' right after a local-part character
_EMAIL_LOCAL_BACKWARDS = re.compile(r"[\w.%+\-]*")


def _emails(t: _Text) -> Iterator[tuple[int, int]]:
    """_EMAIL.finditer(text), tried only where it can match: at the start of the run of local-part characters
    that ends at an '@' (the lookbehind forbids any other start, and the '@' must follow the local part)."""
    text = t.text
    if text.count("@") > 64:  # many: one pass of the whole pattern is quicker than a step per '@'
        for m in _EMAIL.finditer(text):
            yield m.start(), m.end()
        return
    done = 0  # end of the last address found: matches do not overlap
    at = _EMAIL_AT.search(text)
    while at is not None:
        start = at.start() - len(_EMAIL_LOCAL_BACKWARDS.match(t.backwards, len(text) - at.start()).group())
        m = _EMAIL.match(text, start) if start >= done else None
        if m:
            done = m.end()
            yield start, done
        at = _EMAIL_AT.search(text, max(at.end(), done))


# ------------------------------------------------------------------ telephone numbers

_PHONE_SEP = r"(?: ?[\-/] ?| )"
_PHONE = re.compile(
    r"(?<![0-9A-Za-z+/\-])(?:"
    r"(?P<nl>(?:\+|00)31(?: ?-| )?(?:\(0\) ?)?)"  # +31 6 ..., 0031 58 ..., +31 (0)6 ...
    r"|(?P<intl>\+)(?!31)(?=[1-9])"  # another country
    r"|\((?P<area>0[1-9][0-9]{1,2})\) ?"  # (058) 123 45 67
    r"|(?=0[1-9])"  # 06-12345678, 0517 12 34 56
    r")"
    rf"(?P<body>[0-9](?:{_PHONE_SEP}?[0-9]){{5,14}})"
    r"(?![0-9A-Za-z])"
)
_DATE_PREFIX = re.compile(r"([0-9]{1,2})([\-/])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})(?![0-9])")
_TIME_AFTER = re.compile(r"[:.][0-9]")
_SERVICE_NUMBERS = ("0800", "0900", "0906", "0909")
# The start of an IBAN (valid or mistyped) right before a candidate: its digits are not a phone number.
_IBAN_BEFORE = re.compile(r"[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]{4}){1,7} ?$")


def _digits_end(body: str, wanted: int) -> int | None:
    """Length of the prefix of body holding exactly `wanted` digits and ending where a group ends."""
    count = 0
    for i, ch in enumerate(body):
        if "0" <= ch <= "9":
            count += 1
            if count == wanted:
                rest = body[i + 1:]
                # Whatever follows must be a new number after a plain space, not a continuation of this one.
                return i + 1 if not rest or (rest[0] == " " and rest[1:2].isdigit()) else None
    return None


def _phones(t: _Text) -> Iterator[tuple[int, int]]:
    if not t.has_digits:
        return
    text = t.text
    for m in _PHONE.finditer(text):
        body = m.group("body")
        digits = "".join(ch for ch in body if ch.isdigit())
        if m.group("intl"):
            if 9 <= len(digits) <= 15:
                yield m.start(), m.end()
            continue
        if m.group("nl") is not None:
            national = "0" + digits[1:] if digits[0] == "0" else "0" + digits
            cut = _digits_end(body, 10 if digits[0] == "0" else 9)
        elif m.group("area"):
            national = m.group("area") + digits
            cut = _digits_end(body, 10 - len(m.group("area")))
        else:
            national = digits
            cut = _digits_end(body, 10)
            date = _DATE_PREFIX.match(body)
            if date and _valid_date(int(date.group(1)), int(date.group(3)), _full_year(date.group(4))):
                continue
        if cut is None or national.startswith(_SERVICE_NUMBERS):
            continue
        end = m.start("body") + cut
        if _TIME_AFTER.match(text, end) or _IBAN_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue
        yield m.start(), end


# ------------------------------------------------------------------ BSN

_BSN = re.compile(
    r"[0-9](?<![0-9A-Za-z][0-9])(?<![0-9][.,\-][0-9])(?:"  # not after a letter or digit, nor after "1." / "1-"
    r"[0-9]{8}"
    r"|[0-9]{2}(?P<s1>[ .\-])[0-9]{3}(?P=s1)[0-9]{3}"  # 3-3-3
    r"|[0-9]{3}(?P<s2>[ .\-])[0-9]{2}(?P=s2)[0-9]{3}"  # 4-2-3
    r")(?![0-9A-Za-z])(?![.,\-][0-9])"
)
_BSN_CONTEXT = re.compile(
    r"\b(?:bsn|burger ?service ?(?:nummer|nr)|sofi[ \-]?(?:nummer|nr)|persoonsnummer)", re.IGNORECASE
)


def _bsns(t: _Text) -> Iterator[tuple[int, int]]:
    if not t.has_digits:
        return
    text = t.text
    for m in _BSN.finditer(text):
        if not elfproef(m.group().replace(" ", "").replace(".", "").replace("-", "")):
            continue
        grouped = m.group("s1") is not None or m.group("s2") is not None
        if (
            grouped
            or _BSN_CONTEXT.search(text, max(0, m.start() - 60), m.start())
            or _BSN_CONTEXT.search(text, m.end(), m.end() + 30)
        ):
            yield m.start(), m.end()


# ------------------------------------------------------------------ IBAN

_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])")

# IBAN length per country (ISO 13616 registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}


def elfproef(digits: str) -> bool:
    """BSN check: 9a+8b+...+2h-1i is divisible by 11 (and not all zeros)."""
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0


def iban_valid(candidate: str) -> bool:
    """Country length and ISO 7064 mod-97 check; spaces are ignored."""
    s = candidate.replace(" ", "").upper()
    if len(s) != IBAN_LENGTHS.get(s[:2], -1) or not s.isascii() or not s.isalnum() or not s[2:4].isdigit():
        return False
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _iban_end(text: str, start: int, end: int) -> int | None:
    """End offset of the valid IBAN starting at `start` within text[start:end], if any."""
    span = text[start:end]
    expected = IBAN_LENGTHS.get(span[:2].upper())
    if expected is None:
        return None
    count = 0
    for i, ch in enumerate(span):
        if ch != " ":
            count += 1
        if count == expected:
            cut = i + 1
            # Only accept a cut at a group boundary, so "NL.. 1234" keeps its trailing group intact.
            if cut < len(span) and span[cut] != " ":
                return None
            return start + cut if iban_valid(span[:cut]) else None
    return None


def _ibans(t: _Text) -> Iterator[tuple[int, int]]:
    if not t.has_digits:
        return
    for m in _IBAN.finditer(t.text):
        end = _iban_end(t.text, m.start(), m.end())
        if end is not None:
            yield m.start(), end


# ------------------------------------------------------------------ addresses

_POSTCODE = re.compile(r"[1-9](?<![A-Za-z0-9][1-9])[0-9]{3} ?(?!SA|SD|SS)[A-Z]{2}(?![A-Za-z0-9])")
# A street with a house number (Stationsweg 12, Dorpsstraat 3a, Laan 5-II) or the word postcode.
# The street word must end in lower case, so a previous postcode ("AB 1234") does not count.
_ADDRESS_CONTEXT = re.compile(r"[A-Za-zÀ-ÿ]*[a-zß-ÿ]{2}\.? [1-9][0-9]{0,4}(?:[ -]?[A-Za-z]{1,3})?\b|[Pp]ostcode")
_NOT_A_HOME = re.compile(r"(?:postbus|antwoordnummer) ", re.IGNORECASE)
# Words of school life that are followed by a number without being a street.
_NOT_A_STREET = re.compile(
    r"(?:lokaal|groep|klas|les|lesuur|uur|hoofdstuk|paragraaf|blz|pagina|opdracht|toets|week|periode|vraag|som"
    r"|artikel|lijn|bus|tafel|ronde|stap|editie|jaar|leerjaar|versie|punt|punten|minuten|graden|plaats|nummer"
    r"|kamer|gang|verdieping|veld|baan|tent|team|blok)\.? ",
    re.IGNORECASE,
)
_ORGANISATION_ADDRESS = re.compile(
    r"\b(?:bezoek|post|correspondentie|vestigings|factuur|aflever|retour)adres\b", re.IGNORECASE
)


def _postcodes(t: _Text) -> Iterator[tuple[int, int]]:
    if not t.has_digits:
        return
    text = t.text
    for m in _POSTCODE.finditer(text):
        window = text[max(0, m.start() - 60):m.start()]
        last = None
        for last in _ADDRESS_CONTEXT.finditer(window):
            pass
        if (
            last is None
            or _NOT_A_HOME.match(last.group())
            or _NOT_A_STREET.fullmatch(last.group().split(" ")[0] + " ")
            or _ORGANISATION_ADDRESS.search(window)
        ):
            continue
        yield m.start(), m.end()


# ------------------------------------------------------------------ birth dates

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan"), ("februari", "feb"), ("maart", "mrt"), ("april", "apr"), ("mei",), ("juni", "jun"),
            ("juli", "jul"), ("augustus", "aug"), ("september", "sep", "sept"), ("oktober", "okt"),
            ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DATE = re.compile(
    r"(?<![0-9])(?<![0-9][\-/.])(?:"
    r"(?P<d1>[0-9]{1,2})(?P<sep>[\-/.])(?P<m1>[0-9]{1,2})(?P=sep)(?P<y1>[0-9]{4}|[0-9]{2})"
    r"|(?P<y3>[0-9]{4})-(?P<m3>[0-9]{1,2})-(?P<d3>[0-9]{1,2})"
    rf"|(?P<d2>[0-9]{{1,2}}) (?P<m2>{_MONTHS})\.? (?P<y2>[0-9]{{4}}|'?[0-9]{{2}})"
    r")(?![0-9])(?![\-/.][0-9])",
    re.IGNORECASE,
)
# _DATE's matches, found fast: the first digit taken out of every alternative and before the lookbehinds (shifted
# by one), so the regex engine skips all but digits. It matches where _DATE does, with the same span; _DATE.match
# there gives the groups.
_DATE_FAST = re.compile(
    r"[0-9](?<![0-9][0-9])(?<![0-9][\-/.][0-9])(?:"
    r"[0-9]?([\-/.])[0-9]{1,2}\1(?:[0-9]{4}|[0-9]{2})"
    r"|[0-9]{3}-[0-9]{1,2}-[0-9]{1,2}"
    rf"|[0-9]? (?:{_MONTHS})\.? (?:[0-9]{{4}}|'?[0-9]{{2}})"
    r")(?![0-9])(?![\-/.][0-9])",
    re.IGNORECASE,
)
_BIRTH_BEFORE = re.compile(r"geboren|geb\.|g(?<!\w.)eb\b|geboortedatum|geboortedag|jarig|verjaardag", re.IGNORECASE)
_BIRTH_AFTER = re.compile(r"geboren|geboortedatum|geboortedag", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[!?\n]|\.\s")
# A year on its own, not the year of a full date.
_YEAR = re.compile(r"(?<![0-9\-/.])(?:1[89]|20)[0-9]{2}(?![0-9])")
_CLAUSE_BREAK = re.compile(r"[!?\n:;]|\.\s")


def _full_year(raw: str) -> int:
    return int(raw) if len(raw) == 4 else 2000 + int(raw)


def _valid_date(day: int, month: int, year: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _birth_context(t: _Text, start: int, end: int) -> bool:
    """A birth keyword shortly before or after the date, with no sentence break in between."""
    text = t.text
    before = t.last_before(_BIRTH_BEFORE, max(0, start - 40), start)
    if before is not None and not _SENTENCE_BREAK.search(text, before, start):
        # A year of its own binds the keyword: "geboren in 1950 en vertelt op 14-03-2025" is no birth date.
        if not _YEAR.search(text, before, start):
            return True
    after = t.first_after(_BIRTH_AFTER, end, end + 30)
    return after is not None and not _CLAUSE_BREAK.search(text, end, after)


def _dates(t: _Text) -> Iterator[tuple[int, int]]:
    if not t.has_digits:
        return
    text = t.text
    for fast in _DATE_FAST.finditer(text):
        m = _DATE.match(text, fast.start())
        if m.group("d1"):
            day, month, year = int(m.group("d1")), int(m.group("m1")), _full_year(m.group("y1"))
        elif m.group("y3"):
            day, month, year = int(m.group("d3")), int(m.group("m3")), int(m.group("y3"))
        else:
            day, month = int(m.group("d2")), _MONTH_NUMBERS[m.group("m2").lower()]
            year = _full_year(m.group("y2").lstrip("'"))
        if _valid_date(day, month, year) and _birth_context(t, m.start(), m.end()):
            yield m.start(), m.end()


# ------------------------------------------------------------------ mentions

_MENTION = re.compile(r"@(?<![A-Za-z0-9_%+\-@]@)[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?")


def _mentions(t: _Text) -> Iterator[tuple[int, int]]:
    if "@" not in t.text:
        return
    for m in _MENTION.finditer(t.text):
        yield m.start(), m.end()


# ------------------------------------------------------------------ images and sound

# A word, with a plural "'s" (foto's, video's) kept in the span.
_WORD = re.compile(r"[^\W\d_]+(?:'s(?![^\W\d_]))?")
# Compound heads: a word ending in one of these is image or sound material (klassenfoto, schoolvideo).
_IMAGE_HEADS = (
    "foto", "fotos", "fotootje", "fotootjes", "video", "videos", "filmpje", "filmpjes", "film", "films",
    "selfie", "selfies", "screenshot", "screenshots", "schermafbeelding", "schermafbeeldingen", "afbeelding",
    "afbeeldingen", "vlog", "vlogs", "livestream", "livestreams", "videoclip", "videoclips", "geluidsfragment",
    "geluidsfragmenten", "spraakbericht", "spraakberichten", "spraakmemo", "spraakmemos", "beeldmateriaal",
    "podcast", "podcasts", "camera", "cameras", "fotoalbum", "fotoboek", "fotoshoot", "fotoreportage",
    "fotocollage", "webcam", "webcams", "opname", "opnames", "opnamen",
)
_IMAGE_WORDS = frozenset(
    {
        "filmen", "filmde", "filmden", "gefilmd", "filmt", "fotograferen", "gefotografeerd", "fotografeer",
        "fotografeert", "fotografeerde", "fotografeerden", "beelden", "camerabeelden", "videobeelden",
        "filmbeelden", "bewakingsbeelden", "dronebeelden", "vloggen", "vlogde", "gevlogd", "livestreamen",
        "livestreamt", "gelivestreamd", "screenshotten", "gescreenshot", "vid", "vids", "clip", "clips", "trailer",
        "trailers", "reel", "reels", "pic", "pics", "afgebeeld", "afbeelden", "selfiestick", "selfiesticks",
    }
)
_RECORDING_VERBS = frozenset({"opnemen", "opgenomen", "opneemt", "opnam"})
_WATCHED = ("film", "films", "filmpje", "filmpjes", "video", "videos")
# What a recording 'opname' can be a compound of; anything else (ziekenhuis-, crisis-) is an admission.
_RECORDING_PREFIXES = frozenset(
    {
        "geluids", "video", "beeld", "film", "foto", "spraak", "scherm", "studio", "live", "audio", "radio", "tv",
        "camera", "stem", "muziek", "les", "band", "concert", "webcam",
    }
)
_NOT_A_RECORDING_NEXT = frozenset({"in", "op", "bij", "als", "tot"})
_ADMITTED = re.compile(
    r" van (?:nieuwe |de nieuwe )?(?:leerlingen|leden|kinderen|studenten|pati[eë]nten)\b", re.IGNORECASE
)
_RECORDING_OBJECT = re.compile(
    r"\b(?:gesprek(?:ken)?|les(?:sen)?|geluid|stem|liedje|lied|muziek|optreden|presentatie|concert|musical|"
    r"uitvoering|video|camera|mobiel|microfoon|podcast|spraakbericht|ruzie)\b"
    r"|\bmet (?:zijn|haar|mijn|je|jouw|hun|de|een) (?:telefoon|mobieltje|smartphone|iphone)\b",
    re.IGNORECASE,
)
_NOT_RECORDED = re.compile(
    r"\b(?:contact|ziekenhuis|verlof|vrij|vakantie|wachtlijst|rooster|team|dossier|administratie|toelating"
    r"|inschrijving)\b",
    re.IGNORECASE,
)
_WATCHING = re.compile(
    r"\b(?:kijken|keken|gekeken|kijkt|kijk ?je|bioscoop|filmhuis|netflix|draaien|draaiden|vertonen|vertoond"
    r"|naar de film)\b",
    re.IGNORECASE,
)
_SHARED = re.compile(
    r"\b(?:post|posten|gepost|online|delen|deel|gedeeld|plaatsen|plaats|geplaatst|uploaden|upload|ge[uü]pload|"
    r"sturen|stuur|gestuurd|doorsturen|appen|geappt|zet|zetten|gezet|instagram|insta|tiktok|youtube|facebook|"
    r"snapchat|whatsapp|website|nieuwsbrief|schoolkrant|ouderportaal|sociale media|social media|story|"
    r"hierbij|bijgaand|bijlage|zie|kijk|bekijk|staat op|staan op)\b"
    r"|app(?:je|jes)?\b",  # app, groepsapp, ouderapp
    re.IGNORECASE,
)
_MADE = re.compile(r"\b(?:gemaakt|maakten|maakte|opgenomen|gefilmd|filmden)\b", re.IGNORECASE)
_OF_PEOPLE = re.compile(r" van (?:ons|onze|de klas|mij|jou|jullie|hem|haar)\b", re.IGNORECASE)
_ANNOUNCED = re.compile(
    r"\b(?:wordt|worden|gaan|gaat|komt|komen|zal|zullen|laten)\b[^.!?\n]{0,80}?"
    r"\b(?:gemaakt|maken|gefilmd|filmen|gefotografeerd|fotograferen)\b"
    r"|\bmaken we\b|\bkomt de (?:school)?fotograaf\b",
    re.IGNORECASE,
)


def _is_image_word(word: str) -> bool:
    return word in _IMAGE_WORDS or word.endswith(_IMAGE_HEADS) or word in _RECORDING_VERBS


def _image_word_counts(t: _Text, word: str, start: int, end: int) -> bool:
    """Whether an image word in context refers to material made or shared (see the module docstring)."""
    lo, hi = t.sentence(start, end)
    if word in _RECORDING_VERBS:
        return t.has(_RECORDING_OBJECT, lo, hi) and not t.has(_NOT_RECORDED, lo, hi)
    for head in ("opnamen", "opnames", "opname"):
        if word.endswith(head):
            prefix = word[: -len(head)]
            if prefix:
                return prefix in _RECORDING_PREFIXES
            next_word = _WORD.match(t.text, end + 1) if t.text[end:end + 1] == " " else None
            if next_word and next_word.group().lower() in _NOT_A_RECORDING_NEXT or _ADMITTED.match(t.text, end):
                return False
            return not t.has(_NOT_RECORDED, lo, hi)
    shared = t.has(_SHARED, lo, hi)
    made = t.has(_MADE, lo, hi) or _OF_PEOPLE.match(t.text, end)
    if word.endswith(_WATCHED) and t.has(_WATCHING, lo, hi) and not (shared or made):
        return False
    return shared or not t.has(_ANNOUNCED, lo, hi)


# Every image word contains one of these (tests/test_scanner_speed.py checks it), so only words holding one are
# looked at: searched in the lower-cased text, since a case-insensitive search is fifty times slower.
_IMAGE_HINT = re.compile(r"fot|vid|film|selfie|screen|afbeeld|vlog|stream|clip|fragment|spraak|beeld|podcast|camera"
                         r"|webcam|opna|opne|opge|trailer|reel|pic")
_LETTERS = re.compile(r"[^\W\d_]*")


def _image_words(t: _Text) -> Iterator[tuple[int, int]]:
    text = t.text
    lowered = t.lowered
    hint = _IMAGE_HINT.search(lowered)
    if hint is None:
        return
    backwards = t.backwards
    done = 0  # end of the last word looked at
    while hint is not None:
        # The word holding the hint, exactly as _WORD.finditer over the whole text would find it.
        position = hint.start()
        start = position - len(_LETTERS.match(backwards, len(text) - position).group())
        m = _WORD.match(text, start)
        done = m.end()
        word = m.group().lower()
        if word.endswith("'s"):
            word = word[:-2] + "s"
        if len(word) <= 40 and _is_image_word(word) and _image_word_counts(t, word, m.start(), m.end()):
            yield m.start(), m.end()
        hint = _IMAGE_HINT.search(lowered, done)


def _letter_first(pattern: str) -> str:
    r"""'\b(?:alt|alt)rest' as '(?:a(?<!\w.)lt|a(?<!\w.)lt)rest' when every alt begins with a letter: the same
    matches (a \b before a letter means no word character before it), but the regex engine can skip every
    character no alt begins with. Any other pattern is returned as it is."""
    if not pattern.startswith(r"\b(?:"):
        return pattern
    alternatives, current, depth, i = [], "", 1, 5
    while depth:
        ch = pattern[i]
        if ch == "\\" or ch == "[":  # an escape, or a character class (none of these holds ']' or '|')
            end = i + 2 if ch == "\\" else pattern.index("]", i) + 1
            current, i = current + pattern[i:end], end
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 1 and ch == "|":
            alternatives.append(current)
            current = ""
        elif depth:
            current += ch
        i += 1
    alternatives.append(current)
    if not all("a" <= alt[:1] <= "z" for alt in alternatives):
        return pattern
    return "(?:" + "|".join(alt[0] + r"(?<!\w.)" + alt[1:] for alt in alternatives) + ")" + pattern[i:]


# The context patterns _Text.spans searches, each also compiled without IGNORECASE for the lower-cased text; those
# whose words begin with few different letters also begin with a letter (_letter_first), which is faster there.
_LOWER_CASE_TWINS = {
    cue.pattern: re.compile(_letter_first(cue.pattern) if letter_first else cue.pattern, cue.flags & ~re.IGNORECASE)
    for cue, letter_first in (
        (_BIRTH_BEFORE, False), (_BIRTH_AFTER, False), (_RECORDING_OBJECT, False), (_NOT_RECORDED, True),
        (_WATCHING, True), (_SHARED, False), (_MADE, True), (_ANNOUNCED, False),
    )
}

_DETECTORS: dict[str, Callable[[_Text], Iterator[tuple[int, int]]]] = {
    "email": _emails,
    "iban": _ibans,
    "telefoon": _phones,
    "bsn": _bsns,
    "geboortedatum": _dates,
    "postcode": _postcodes,
    "vermelding": _mentions,
    "beeld": _image_words,
}


def scan(text: str) -> list[Finding]:
    """All findings in text (at most 20,000 characters), sorted by position, never overlapping."""
    return [Finding(kind, start, end) for kind, start, end in scan_spans(text)]


# A long text is scanned in pieces of at least PIECE_LENGTH characters, each with PIECE_MARGIN characters of context
# either side; a piece's findings are remembered, so while someone types at the end of a long draft only its last
# piece (or two) is scanned again. A piece keeps the findings that start in it, so the pieces give the whole text's
# findings when every finding, and every run of regex matches, is seen whole by the piece it starts in, and each
# piece's scan matches as the whole text's from at least the window's reach before its start
# (tests/test_scanner_speed.py checks it on real, adversarial and generated texts). A cut falls
# - right after a line break: no finding and no run of matches holds one, and sentence windows stop at it;
# - or after the space between two words that both hold an '@' (addresses pasted as one line): no finding
#   holds an '@' and a space, so the only ones that can reach across are built of the words' other characters
#   (contrived, like "x@8911 AB@y"), and the margin holds them, like it holds the sentence windows
#   (SENTENCE_REACH) and the longest context match (_ANNOUNCED, about 110) that reach across such a cut.
PIECE_LENGTH = 1_000
PIECE_MARGIN = 300
_NON_SPACE = re.compile(r"\S*")
_BEFORE_AT = re.compile(r"[^\s@]*")


def scan_spans(text: str) -> list[tuple[str, int, int]]:
    """scan() as (kind, start, end) tuples: a text can hold thousands of findings, and a tuple is made in a
    fraction of the time of a frozen dataclass."""
    if not isinstance(text, str):
        raise TypeError("scan() expects a str")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"text longer than {MAX_LENGTH} characters")
    bounds = _pieces(text)
    if len(bounds) == 1:
        return list(_scan_piece(text))
    findings: list[tuple[str, int, int]] = []
    for start, end in bounds:
        offset = max(0, start - PIECE_MARGIN)
        for kind, first, last in _scan_piece(text[offset:end + PIECE_MARGIN]):
            if start <= first + offset < end:
                findings.append((kind, first + offset, last + offset))
    return findings


def _pieces(text: str) -> list[tuple[int, int]]:
    """(start, end) of each piece: cut at the first place at least PIECE_LENGTH characters after the piece's start
    (_next_cut), which depends only on the text up to it, so typing at the end of a text never moves an earlier
    cut."""
    bounds = []
    start = 0
    while True:
        cut = _next_cut(text, start + PIECE_LENGTH)
        if cut < 0:
            bounds.append((start, len(text)))
            return bounds
        bounds.append((start, cut))
        start = cut


def _next_cut(text: str, position: int) -> int:
    """The first cut from position on: after a line break, or after a space between two words holding an '@';
    -1 if there is none. Each word is looked at once or twice, so finding every cut stays linear."""
    line = text.find("\n", position)
    limit = len(text) if line < 0 else line
    at = text.find("@", position, limit)
    while at >= 0:
        end = _NON_SPACE.match(text, at).end()  # the end of the word holding this '@'
        if text.startswith(" ", end) and text.startswith("@", _BEFORE_AT.match(text, end + 1).end()):
            return end + 1
        at = text.find("@", end, limit)
    return -1 if line < 0 else line + 1


@lru_cache(maxsize=64)
def _scan_piece(text: str) -> tuple[tuple[str, int, int], ...]:
    """All findings in text as one scan sees them (a piece with its margins, or a whole short text)."""
    return tuple(_scan_whole(text))


def _scan_whole(text: str) -> list[tuple[str, int, int]]:
    folded = normalise(text)
    t = _Text(folded.text)
    starts: list[int] = []
    spans: list[tuple[str, int, int]] = []  # kept sorted by start and free of overlaps, in folded offsets
    for kind in KIND_PRIORITY:
        found = list(_DETECTORS[kind](t))
        if not spans and all(start < end <= following for (start, end), (following, _) in zip(found, found[1:] + [(len(t.text), 0)])):
            # The first kind found, in order and without overlaps (as every detector yields them): taken as is.
            starts = [start for start, _ in found]
            spans = [(kind, start, end) for start, end in found]
            continue
        for start, end in found:
            i = bisect.bisect_left(starts, start)
            if i > 0 and spans[i - 1][2] > start:
                continue
            if i < len(spans) and spans[i][1] < end:
                continue
            starts.insert(i, start)
            spans.insert(i, (kind, start, end))
    if folded.at is None:  # the folded text has the original's offsets
        return spans
    findings: list[tuple[str, int, int]] = []
    for kind, start, end in spans:
        start, end = folded.original_span(start, end)
        # Two folded characters from one original (a ligature) could make neighbours touch the same character.
        if findings and findings[-1][2] > start:
            continue
        findings.append((kind, start, end))
    return findings


def personal_kinds(findings: "list[Finding] | list[tuple[str, int, int]]") -> list[str]:
    """Distinct personal-data kinds found (Findings or scan_spans tuples), in KIND_PRIORITY order."""
    return personal_kinds_of({f[0] if isinstance(f, tuple) else f.kind for f in findings})


def personal_kinds_of(kinds: Collection[str]) -> list[str]:
    """The personal-data kinds among kinds, in KIND_PRIORITY order."""
    return [k for k in KIND_PRIORITY if k in kinds and k in PERSONAL_KINDS]
