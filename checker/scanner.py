"""Local scan of a draft message for personal data and references to images.

Choices (documented because they trade misses against false alarms):
- Every pattern may only start where the previous character cannot continue the token
  (a negative lookbehind), so each regex runs in linear time; there are no nested quantifiers.
- Digits are ASCII only ([0-9], not \\d, which also matches other scripts).
- telefoon: Dutch numbers only: 06 mobile numbers and landlines with a 3- or 4-digit area code,
  separators ' ' or '-' only at the usual group boundaries; +31 / 0031 followed by 9 digits;
  not inside a longer word or number (so not inside an IBAN).
- bsn: exactly 9 digits (or 4.2.3 with dots) passing the elfproef; not part of a longer number or code.
- iban: country code, 2 check digits, the country's exact length, mod-97 valid; groups of 4 may
  be separated by single spaces; lower case is accepted.
- postcode: '1234 AB' / '1234AB' in capitals (the letters SA, SD, SS are never issued), reported
  only with a street and house number (also on the line above) or the word 'postcode' in the
  60 characters before it, so a year followed by a capitalised abbreviation is not reported.
- geboortedatum: a valid calendar date (12-03-2009, 12/03/2009, 12.03.2009, 12 maart 2009,
  12 mrt. 2009; 2- or 4-digit year) only when 'geboren', 'geb.', 'geboortedatum' or 'jarig'
  stands in the 40 characters before it: a date alone (an event) is not personal data.
- vermelding: '@name' not preceded by a character that could belong to an e-mail address.
  A mention is reported, but does not count as personal data (it may name an organisation).
- beeld: whole words ending in foto, video, filmpje, film, opname, selfie, screenshot, etc.,
  and verbs like filmen and fotograferen. A film watched in class is a known false alarm.
- Overlaps: the first kind in KIND_PRIORITY wins (an IBAN is not also a phone number).
- Findings carry offsets (Python str indices), never the matched text.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass
from typing import Any, Iterator

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


_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)

_SEP = r"[ \-]?"
_PHONE = re.compile(
    r"(?<![0-9A-Za-z+])(?:"
    rf"(?:\+|00)31{_SEP}(?:\(0\){_SEP})?[1-9](?:{_SEP}[0-9]){{8}}"  # +31 6 12345678, 0031 58 1234567
    rf"|06{_SEP}(?:[0-9]{{2}}{_SEP}){{3}}[0-9]{{2}}"  # 06-12345678, 06 12 34 56 78
    rf"|0[1-9][0-9]{_SEP}[0-9]{{3}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{2}}"  # 058-1234567, 058 123 4567
    rf"|0[1-9][0-9]{{2}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{2}}"  # 0517-123456
    r")(?![0-9A-Za-z])"
)

_BSN = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9][.,])(?:[0-9]{9}|[0-9]{4}\.[0-9]{2}\.[0-9]{3})(?![0-9A-Za-z])(?![.,][0-9])"
)

_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])")

_POSTCODE = re.compile(r"(?<![A-Za-z0-9])[1-9][0-9]{3} ?(?!SA|SD|SS)[A-Z]{2}(?![A-Za-z0-9])")
# A street with a house number (Stationsweg 12, Dorpsstraat 3a, Laan 5-II) or the word postcode.
# The street word must end in lower case, so a previous postcode ("AB 1234") does not count.
_ADDRESS_CONTEXT = re.compile(r"[A-Za-zÀ-ÿ]*[a-zß-ÿ]{2}\.? [1-9][0-9]{0,4}(?:[ -]?[A-Za-z]{1,3})?\b|[Pp]ostcode")

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
    r"(?<![0-9])(?:"
    r"(?P<d1>[0-9]{1,2})(?P<sep>[\-/.])(?P<m1>[0-9]{1,2})(?P=sep)(?P<y1>[0-9]{4}|[0-9]{2})"
    rf"|(?P<d2>[0-9]{{1,2}}) (?P<m2>{_MONTHS})\.? (?P<y2>[0-9]{{4}}|'?[0-9]{{2}})"
    r")(?![0-9])",
    re.IGNORECASE,
)
_BIRTH_CONTEXT = re.compile(r"geboren|geb\.|\bgeb\b|geboortedatum|geboortedag|jarig", re.IGNORECASE)

_MENTION = re.compile(r"(?<![A-Za-z0-9._%+\-@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?")

_WORD = re.compile(r"[^\W\d_]+")
_IMAGE_SUFFIXES = (
    "foto", "fotos", "fotootje", "fotootjes", "video", "videos", "filmpje", "filmpjes", "film", "films",
    "opname", "opnames", "opnamen", "selfie", "selfies", "screenshot", "screenshots", "schermafbeelding",
    "schermafbeeldingen", "afbeelding", "afbeeldingen", "vlog", "vlogs", "livestream", "livestreams",
    "videoclip", "videoclips", "geluidsfragment", "geluidsfragmenten", "spraakbericht", "spraakberichten",
)
_IMAGE_WORDS = frozenset(
    {
        "filmen", "filmde", "filmden", "gefilmd", "filmt", "fotograferen", "gefotografeerd", "fotografeer",
        "fotografeert", "fotografeerde", "fotoalbum", "fotoboek", "fotoshoot", "fotograaf", "fotootje",
    }
)

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


def _emails(text: str) -> Iterator[tuple[int, int]]:
    for m in _EMAIL.finditer(text):
        yield m.start(), m.end()


def _phones(text: str) -> Iterator[tuple[int, int]]:
    for m in _PHONE.finditer(text):
        yield m.start(), m.end()


def _bsns(text: str) -> Iterator[tuple[int, int]]:
    for m in _BSN.finditer(text):
        if elfproef(m.group().replace(".", "")):
            yield m.start(), m.end()


def _ibans(text: str) -> Iterator[tuple[int, int]]:
    for m in _IBAN.finditer(text):
        end = _iban_end(text, m.start(), m.end())
        if end is not None:
            yield m.start(), end


def _postcodes(text: str) -> Iterator[tuple[int, int]]:
    for m in _POSTCODE.finditer(text):
        if _ADDRESS_CONTEXT.search(text[max(0, m.start() - 60):m.start()]):
            yield m.start(), m.end()


def _valid_date(day: int, month: int, year: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _dates(text: str) -> Iterator[tuple[int, int]]:
    for m in _DATE.finditer(text):
        if m.group("d1"):
            day, month, raw_year = int(m.group("d1")), int(m.group("m1")), m.group("y1")
        else:
            day, month, raw_year = int(m.group("d2")), _MONTH_NUMBERS[m.group("m2").lower()], m.group("y2").lstrip("'")
        year = int(raw_year) if len(raw_year) == 4 else 2000 + int(raw_year)
        if _valid_date(day, month, year) and _BIRTH_CONTEXT.search(text[max(0, m.start() - 40):m.start()]):
            yield m.start(), m.end()


def _mentions(text: str) -> Iterator[tuple[int, int]]:
    for m in _MENTION.finditer(text):
        yield m.start(), m.end()


def _image_words(text: str) -> Iterator[tuple[int, int]]:
    for m in _WORD.finditer(text):
        word = m.group().lower()
        if len(word) <= 40 and (word in _IMAGE_WORDS or word.endswith(_IMAGE_SUFFIXES)):
            yield m.start(), m.end()


_DETECTORS = {
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
    if not isinstance(text, str):
        raise TypeError("scan() expects a str")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"text longer than {MAX_LENGTH} characters")
    starts: list[int] = []
    accepted: list[Finding] = []  # kept sorted by start and free of overlaps
    for kind in KIND_PRIORITY:
        for start, end in _DETECTORS[kind](text):
            i = bisect.bisect_left(starts, start)
            if i > 0 and accepted[i - 1].end > start:
                continue
            if i < len(accepted) and accepted[i].start < end:
                continue
            starts.insert(i, start)
            accepted.insert(i, Finding(kind, start, end))
    return accepted


def personal_kinds(findings: list[Finding]) -> list[str]:
    """Distinct personal-data kinds found, in KIND_PRIORITY order."""
    found = {f.kind for f in findings}
    return [k for k in KIND_PRIORITY if k in found and k in PERSONAL_KINDS]
