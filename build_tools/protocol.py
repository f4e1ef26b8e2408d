"""The protocol text as a model: sections and numbered articles with permanent IDs, parsed from protocol.md."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError

_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*(?:\{([^}]*)\})?\s*$")
_LIST_ITEM = re.compile(r"^(\d+)\.\s+(.*)$")
_ATTRIBUTE = re.compile(r"#([\w-]+)|(\w+)=([\w-]+)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*+|_{2,})")


def plain_text(markdown: str) -> str:
    """An article's words without Markdown link and emphasis syntax (for diffs and plain listings)."""
    return _EMPHASIS.sub("", _LINK.sub(r"\1", markdown))


@dataclass(frozen=True)
class Article:
    """A numbered item of the adopted text; its ID (e.g. "A6") never changes within a version."""

    id: str
    number: int
    text: str
    line: int

    @property
    def label(self) -> str:
        return f"{self.id[0]}.{self.number}"

    @property
    def anchor(self) -> str:
        return self.id.lower()

    def to_json(self) -> dict:
        return {"id": self.id, "number": self.number, "text": self.text, "line": self.line}

    @classmethod
    def from_json(cls, data: dict) -> "Article":
        return cls(data["id"], data["number"], data["text"], data["line"])


@dataclass(frozen=True)
class Section:
    """A heading of the text with its paragraphs and, if it has a prefix, its articles."""

    anchor: str
    title: str
    level: int
    prefix: str | None
    paragraphs: tuple[str, ...] = ()
    articles: tuple[Article, ...] = ()

    def to_json(self) -> dict:
        return {
            "anchor": self.anchor, "title": self.title, "level": self.level, "prefix": self.prefix,
            "paragraphs": list(self.paragraphs), "articles": [a.to_json() for a in self.articles],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Section":
        return cls(data["anchor"], data["title"], data["level"], data["prefix"], tuple(data["paragraphs"]),
                   tuple(Article.from_json(a) for a in data["articles"]))


@dataclass(frozen=True)
class Protocol:
    title: str
    sections: tuple[Section, ...]

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(article for section in self.sections for article in section.articles)

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    def article_ids(self) -> list[str]:
        return [article.id for article in self.articles]

    def to_json(self) -> dict:
        return {"title": self.title, "sections": [s.to_json() for s in self.sections]}

    @classmethod
    def from_json(cls, data: dict) -> "Protocol":
        return cls(data["title"], tuple(Section.from_json(s) for s in data["sections"]))


def load_protocol(path: Path) -> Protocol:
    return parse_protocol(path.read_text(encoding="utf-8"), path)


def parse_protocol(text: str, path: Path | str = "protocol.md") -> Protocol:
    """Parse the restricted Markdown of protocol.md; raise SourceError naming the line on anything unexpected."""
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    title = None
    sections: list[dict] = []
    seen_ids: dict[str, int] = {}
    seen_anchors: set[str] = set()
    paragraph: list[str] = []
    current_item: dict | None = None

    def flush() -> None:
        nonlocal paragraph, current_item
        if current_item is not None:
            sections[-1]["articles"].append(current_item)
            current_item = None
        if paragraph:
            if not sections:
                raise SourceError(path, None, "tekst vóór de eerste sectiekop (##).", paragraph_line)
            sections[-1]["paragraphs"].append(" ".join(paragraph))
            paragraph = []

    paragraph_line = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            if level == 1:
                if title is not None:
                    raise SourceError(path, None, "er mag maar één titel (#) zijn.", number)
                title = heading.group(2).strip()
                continue
            anchor, prefix = _attributes(heading.group(3) or "", path, number)
            if not anchor:
                raise SourceError(path, None, "elke sectiekop heeft een vaste anker-ID nodig, bijvoorbeeld {#inleiding}.", number)
            if anchor in seen_anchors:
                raise SourceError(path, None, f"anker-ID '#{anchor}' komt twee keer voor.", number)
            seen_anchors.add(anchor)
            sections.append({"anchor": anchor, "title": heading.group(2).strip(), "level": level,
                             "prefix": prefix, "paragraphs": [], "articles": [], "line": number})
            continue
        item = _LIST_ITEM.match(line)
        if item and sections and sections[-1]["prefix"]:
            flush()
            section = sections[-1]
            expected = len(section["articles"]) + 1
            if int(item.group(1)) != expected:
                raise SourceError(path, None, f"artikel {item.group(1)} in '{section['title']}' moet nummer {expected} hebben; nummer de artikelen 1, 2, 3, ...", number)
            article_id = f"{section['prefix']}{expected}"
            if article_id in seen_ids:
                raise SourceError(path, None, f"artikel-ID {article_id} komt twee keer voor (ook op regel {seen_ids[article_id]}); geef elke sectie een eigen prefix.", number)
            seen_ids[article_id] = number
            current_item = {"id": article_id, "number": expected, "text": item.group(2).strip(), "line": number}
            continue
        if current_item is not None and raw.startswith((" ", "\t")):
            current_item["text"] += " " + line.strip()
            continue
        if current_item is not None:
            flush()
        if item and sections and not sections[-1]["prefix"]:
            raise SourceError(path, None, "genummerde artikelen staan alleen onder een kop met prefix, bijvoorbeeld {#uitgangspunten prefix=U}.", number)
        if not paragraph:
            paragraph_line = number
        paragraph.append(line.strip())
    flush()
    if title is None:
        raise SourceError(path, None, "de titel (# ...) ontbreekt.", 1)
    return Protocol(title, tuple(
        Section(s["anchor"], s["title"], s["level"], s["prefix"], tuple(s["paragraphs"]),
                tuple(Article(a["id"], a["number"], a["text"], a["line"]) for a in s["articles"]))
        for s in sections
    ))


def _attributes(spec: str, path, line: int) -> tuple[str | None, str | None]:
    anchor = prefix = None
    for match in _ATTRIBUTE.finditer(spec):
        if match.group(1):
            anchor = match.group(1)
        elif match.group(2) == "prefix":
            prefix = match.group(3)
            if not re.fullmatch(r"[A-Z]", prefix):
                raise SourceError(path, "prefix", f"'{prefix}' moet één hoofdletter zijn, bijvoorbeeld prefix=A.", line)
        else:
            raise SourceError(path, match.group(2), "onbekend kenmerk in de kop; gebruik alleen {#anker prefix=X}.", line)
    return anchor, prefix
