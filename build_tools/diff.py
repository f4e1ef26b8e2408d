"""What changed between two versions of the protocol, article by article, down to the words."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import escape

from .protocol import Article, Protocol, plain_text
from .versions import Version

_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class WordChange:
    """One run of the word diff: "same", "removed" or "added", with its words."""

    kind: str
    words: str


@dataclass(frozen=True)
class ArticleChange:
    old: Article
    new: Article
    words: tuple[WordChange, ...]


@dataclass(frozen=True)
class ProtocolChanges:
    added: tuple[Article, ...]
    removed: tuple[Article, ...]
    changed: tuple[ArticleChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_json(self) -> dict:
        return {
            "added": [a.id for a in self.added],
            "removed": [a.id for a in self.removed],
            "changed": {c.new.id: [{"kind": w.kind, "words": w.words} for w in c.words] for c in self.changed},
        }


def compare(old: Protocol, new: Protocol) -> ProtocolChanges:
    """Articles are matched by their permanent ID; a changed text yields a word-level diff."""
    old_by_id = {a.id: a for a in old.articles}
    new_by_id = {a.id: a for a in new.articles}
    added = tuple(a for a in new.articles if a.id not in old_by_id)
    removed = tuple(a for a in old.articles if a.id not in new_by_id)
    changed = tuple(
        ArticleChange(old_by_id[a.id], a, word_diff(plain_text(old_by_id[a.id].text), plain_text(a.text)))
        for a in new.articles
        if a.id in old_by_id and _normalise(old_by_id[a.id].text) != _normalise(a.text)
    )
    return ProtocolChanges(added, removed, changed)


def word_diff(old: str, new: str) -> tuple[WordChange, ...]:
    old_words, new_words = _TOKEN.findall(old), _TOKEN.findall(new)
    runs: list[WordChange] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(WordChange("same", " ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            runs.append(WordChange("removed", " ".join(old_words[i1:i2])))
        if j2 > j1:
            runs.append(WordChange("added", " ".join(new_words[j1:j2])))
    return tuple(runs)


def _normalise(text: str) -> str:
    return " ".join(text.split())


def changes_html(old: Protocol | None, new: Protocol, previous: Version | None, version: Version) -> str:
    """The Wijzigingen page body; for the first version it says there is nothing to compare with."""
    if old is None or previous is None:
        return (f"<p>Versie {escape(version.versie)} is de eerste versie in deze publicatie; "
                "er is geen eerdere versie om mee te vergelijken.</p>")
    changes = compare(old, new)
    intro = (f'<p>Wat er in versie {escape(version.versie)} is veranderd ten opzichte van versie '
             f'<a href="../../{escape(previous.versie)}/protocol/">{escape(previous.versie)}</a>. '
             "Verwijderde woorden zijn <del class=\"cvo-oud\">doorgestreept</del>, nieuwe woorden "
             "<ins class=\"cvo-nieuw\">gemarkeerd</ins>.</p>")
    if version.samenvatting:
        intro += f"<p><strong>Samenvatting:</strong> {escape(version.samenvatting)}</p>"
    if changes.empty:
        return intro + "<p>De artikelen zijn niet gewijzigd.</p>"
    parts = [intro]
    if changes.changed:
        parts.append('<h2 id="gewijzigde-artikelen">Gewijzigde artikelen</h2>')
        for change in changes.changed:
            parts.append(_article_block(change.new, "gewijzigd", _words_html(change.words), version.versie))
    if changes.added:
        parts.append('<h2 id="toegevoegde-artikelen">Toegevoegde artikelen</h2>')
        for article in changes.added:
            text = f'<ins class="cvo-nieuw">{escape(plain_text(article.text))}</ins>'
            parts.append(_article_block(article, "toegevoegd", text, version.versie))
    if changes.removed:
        parts.append('<h2 id="verwijderde-artikelen">Verwijderde artikelen</h2>')
        for article in changes.removed:
            text = f'<del class="cvo-oud">{escape(plain_text(article.text))}</del>'
            parts.append(_article_block(article, "verwijderd", text, previous.versie))
    return "\n".join(parts)


def _article_block(article: Article, kind: str, body: str, versie: str) -> str:
    link = f"../../{escape(versie)}/protocol/#{article.anchor}"
    return (f'<section class="cvo-wijziging cvo-wijziging-{kind}" data-artikel="{article.id}" data-soort="{kind}">'
            f'<h3 id="w-{article.anchor}"><a href="{link}">{article.label}</a> ({kind})</h3>'
            f"<p>{body}</p></section>")


def _words_html(words: tuple[WordChange, ...]) -> str:
    pieces = []
    for run in words:
        text = escape(run.words)
        if run.kind == "removed":
            pieces.append(f'<del class="cvo-oud">{text}</del>')
        elif run.kind == "added":
            pieces.append(f'<ins class="cvo-nieuw">{text}</ins>')
        else:
            pieces.append(text)
    return " ".join(pieces)
