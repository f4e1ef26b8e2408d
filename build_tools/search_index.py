"""Dutch search for Material's lunr index (and Zensical's search index): word forms, compound parts, zoektermen.

Material's search worker appends a wildcard to every query term, and lunr runs no stemmer on wildcard terms, so a
query only finds index terms it is a prefix of: "gepest" never finds "pesten", "opname" never finds
"geluidsopnamen". This module therefore post-processes each version's written `search/search_index.json`:
every document of the protocol page gets two extra fields that lunr indexes but Material never shows,
  - `woordvormen`: the inflected forms (plurals, participles, diminutives) of each word of the article and of the
    parts of its compounds, from simplemma's Dutch lexicon, plus the words of the article's section heading and
    unaccented spellings ("prive" for "privé");
  - `zoektermen`: the article's search terms from the version folder (`zoektermen.toml`) with their forms,
and the protocol page's own headings (page top, section headings) get a low document boost, so the articles
rank above them. It also puts the query rewriting (theme/assets/cvo/zoekvraag.js: no stop-word prefixes, whole
words boosted) in front of Material's search worker. Material's UI, worker and index format stay as they are.

Zensical (its own worker over `search.json`, whose `items` have the same location/title/text) gets the same two
fields per article. Its worker indexes a fixed list of fields (title, text, path), so the build adds ours to that
list in the pinned worker, found by one exact pattern (a Zensical update that changes it fails the build by name).
Zensical also requires every query word in one result, so a reader's question with one word the article lacks
("mag ik de leraar filmen") found nothing; like lunr under Material, its query now matches any word and ranks by how
many match (a second pattern), and the query rewriting drops the stop words first. Zensical has no per-document
boost, so the headings of the protocol page keep their rank there.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from functools import lru_cache
from html import escape
from pathlib import Path

from .errors import SourceError
from .protocol import Protocol, plain_text

INDEX = Path("search") / "search_index.json"
ZENSICAL_INDEX = Path("search.json")
TERMS_FILE = "zoektermen.toml"
PROTOCOL_PAGE = "protocol/"
# Field boosts next to text (1) and title (10, mkdocs.yml): a curated term counts like the article's own words,
# a generated form somewhat less, so a literal match still wins over an inflection of another word.
FIELDS = {"zoektermen": 1.0, "woordvormen": 0.6}
# Page top and section headings of the protocol page: findable, but below the articles they contain.
HEADING_BOOST = 0.2
# Word characters for our own tokenising of article text (Material's separator decides what lunr indexes).
_WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’][A-Za-zÀ-ÖØ-öø-ÿ]+)*")
_TAG = re.compile(r"<[^>]+>")
# "foto-, film- en geluidsopnamen": truncated words with a hyphen, then the compound that completes them.
_ELISION = re.compile(r"((?:\w+-,?\s+(?:en/of\s+|en\s+|of\s+)?)+)(\w+)")
# Material's search worker, and our query rewriting it loads first (build_tools/theme/assets/cvo/zoekvraag.js).
WORKER = "assets/javascripts/workers/search.*.min.js"
REWRITER = "../../cvo/zoekvraag.js"
# Zensical 0.0.x's worker: its list of indexed fields ends with the breadcrumb path, `C("path",n=>n.path,{weight:2})]`.
_ZENSICAL_FIELDS = re.compile(r'(\w+)\("path",(\w+)=>\2\.path,\{weight:2\}\)\]')
# ... and its query parser, which joins the query's words with "and": `parser:n=>Yt(n,"and",`.
_ZENSICAL_AND = re.compile(r'(parser:(\w+)=>\w+\(\2,)"and",')
# lunr-languages' Dutch stop-word list (lunr.nl.stopWordFilter, the Snowball list): lunr drops these from the index.
STOP_WORDS = frozenset("""
aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er ge geen
geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen maar me meer men
met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw
van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou
""".split())
MIN_PART = 4  # shortest compound part we trust ("foto", "film"); shorter parts split too many ordinary words


# --- zoektermen ----------------------------------------------------------------------------------------------

def load_search_terms(version_folder: Path, protocol: Protocol) -> dict[str, tuple[str, ...]]:
    """The version's zoektermen per article ID; {} without the file. Bad data raises SourceError naming the field."""
    path = version_folder / TERMS_FILE
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"at line (\d+)", str(error))
        raise SourceError(path, None, f"geen geldige TOML: {error}", int(line.group(1)) if line else None) from None
    except UnicodeDecodeError:
        raise SourceError(path, None, "het bestand is geen UTF-8-tekst.") from None
    known = set(protocol.article_ids())
    terms: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        if key not in known:
            raise SourceError(path, key, f"'{key}' is geen artikel-ID van deze versie (bekend: {', '.join(protocol.article_ids())}).")
        if not isinstance(value, list) or not all(isinstance(term, str) and term.strip() for term in value):
            raise SourceError(path, key, 'verwacht een lijst met woorden, bijvoorbeeld ["foto", "video"].')
        terms[key] = tuple(term.strip() for term in value)
    return terms


def search_terms_html(terms: dict[str, tuple[str, ...]], protocol: Protocol, version: str) -> str:
    """The zoektermen as a table for the board, kept out of the search index itself."""
    if not terms:
        return f"<p>Versie {escape(version)} heeft geen zoektermen.</p>"
    rows = "".join(
        f'<tr><th scope="row"><a href="../protocol/#{article.anchor}">{article.label}</a></th>'
        f"<td>{escape(', '.join(terms[article.id]))}</td></tr>"
        for article in protocol.articles if article.id in terms
    )
    return (
        f'<div class="cvo-zoektermen" data-search-exclude><p>Zoektermen helpen lezers het juiste artikel te vinden '
        f"met hun eigen woorden. Ze staan alleen in de zoekindex en zijn geen onderdeel van de vastgestelde tekst. "
        f"Ze staan per versie in <code>{TERMS_FILE}</code> en worden met elke nieuwe versie herzien.</p>"
        f'<table><thead><tr><th scope="col">Artikel</th><th scope="col">Zoektermen</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></div>"
    )


# --- Dutch word forms ----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """simplemma's Dutch form -> lemma table and its reverse, lemma -> forms (loaded once per process)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    lemma_of: dict[str, str] = {}
    forms: dict[str, set[str]] = {}
    for form, lemma in DefaultDictionaryFactory().get_dictionary("nl").items():
        form, lemma = _text(form).lower(), _text(lemma).lower()
        lemma_of.setdefault(form, lemma)
        forms.setdefault(lemma.replace("_", ""), set()).add(form)
    return lemma_of, {lemma: tuple(sorted(values)) for lemma, values in forms.items()}


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def word_forms(word: str) -> set[str]:
    """The word, its lemma and every form of both ("gepest", "pestte", ... for "pesten"), plus the forms of the
    verb behind an -ing noun ("geschorst" for "schorsing") and diminutive plurals ("filmpjes")."""
    word = word.lower()
    lemma_of, forms = _lexicon()
    lemmas = {word, lemma_of.get(word, word).replace("_", "")}
    if word.endswith(("ing", "ingen")):
        verb = word[: word.rindex("ing")] + "en"
        if verb in forms:
            lemmas.add(verb)
    found = set(lemmas)
    for lemma in lemmas:
        found.update(forms.get(lemma, ()))
    found |= {form + "s" for form in found if form.endswith("je")}
    return found


def compound_parts(word: str) -> tuple[str, str] | None:
    """Splits a compound into two known words, allowing a linking s or e(n): "geluidsopnamen" -> geluid, opnamen."""
    word = word.lower()
    lemma_of, _ = _lexicon()
    best = None
    for cut in range(MIN_PART - 1, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        if tail not in lemma_of or tail in STOP_WORDS:
            continue
        for stem in (head, head[:-1] if head.endswith(("s", "e")) else None, head[:-2] if head.endswith("en") else None):
            if stem and len(stem) >= MIN_PART - 1 and stem in lemma_of and stem not in STOP_WORDS:
                if best is None or len(tail) > len(best[1]):  # the longest known tail is the compound's head word
                    best = (stem, tail)
                break
    return best


def unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


def expand(words) -> list[str]:
    """Every form, compound part and unaccented spelling of `words`, stop words left out, sorted for stable output."""
    result: set[str] = set()
    for word in words:
        word = word.lower().replace("’", "'")
        if word in STOP_WORDS or len(word) < 2:
            continue
        found = word_forms(word)
        parts = compound_parts(word)
        if parts:
            for part in parts:
                found |= word_forms(part)
        for form in list(found):
            found.add(unaccented(form))
            if "'" in form:
                found.add(form.replace("'", "’"))  # phones type a curly apostrophe
        result |= {form for form in found if form not in STOP_WORDS}
    return sorted(result)


def words_of(text: str) -> list[str]:
    return _WORD.findall(_TAG.sub(" ", text))


def elided_compounds(text: str) -> list[str]:
    """The compounds a Dutch elision stands for: "school- en onderwijsklimaat" also means "schoolklimaat"."""
    found = []
    for match in _ELISION.finditer(text):
        parts = compound_parts(match.group(2))
        if parts:
            found += [head + parts[1] for head in re.findall(r"(\w+)-", match.group(1))]
    return found


# --- the index -------------------------------------------------------------------------------------------------

def apply(site_dir: Path, protocol: Protocol, terms: dict[str, tuple[str, ...]]) -> None:
    """One version's search: rewrites search/search_index.json (see module doc) and loads the query rewriting."""
    path = Path(site_dir) / INDEX
    if not path.is_file():
        if (Path(site_dir) / ZENSICAL_INDEX).is_file():
            apply_zensical(Path(site_dir), protocol, terms)
        return  # a site without Material's (or Zensical's) search has nothing to improve
    index = json.loads(path.read_text(encoding="utf-8"))
    enrich(index, protocol, terms)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    install_query_rewriter(Path(site_dir))


def apply_zensical(site_dir: Path, protocol: Protocol, terms: dict[str, tuple[str, ...]]) -> None:
    """Zensical's search.json gets the same fields per article; its worker indexes them and rewrites queries."""
    path = site_dir / ZENSICAL_INDEX
    index = json.loads(path.read_text(encoding="utf-8"))
    enrich_documents(index["items"], protocol, terms, heading_boost=None)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    install_query_rewriter(site_dir)
    for worker in sorted(site_dir.glob(WORKER)):
        worker.write_text(adapted_worker(worker.read_text(encoding="utf-8"), worker), encoding="utf-8")


def adapted_worker(code: str, worker: Path) -> str:
    """Zensical's worker code indexing `woordvormen` and `zoektermen` and matching any query word (once)."""
    if '"woordvormen"' in code:
        return code
    for pattern, what in ((_ZENSICAL_FIELDS, "the list of search fields"), (_ZENSICAL_AND, "the query parser")):
        if len(pattern.findall(code)) != 1:
            raise ValueError(f"{worker}: {what} in Zensical's worker was not found; was Zensical updated? "
                             "Adapt the patterns in build_tools/search_index.py.")
    ours = "".join(f',\\1("{name}",\\2=>\\2.{name},{{weight:{weight}}})' for name, weight in FIELDS.items())
    code = _ZENSICAL_FIELDS.sub(r'\1("path",\2=>\2.path,{weight:2})' + ours + "]", code)
    return _ZENSICAL_AND.sub(r'\1"or",', code)


def install_query_rewriter(site_dir: Path) -> None:
    """Puts `importScripts(zoekvraag.js)` in front of Material's search worker, keeping its source map in step."""
    workers = sorted(site_dir.glob(WORKER))
    if not workers:
        raise FileNotFoundError(f"{site_dir / WORKER}: Material's search worker is missing; was the search plugin removed?")
    line = f'importScripts("{REWRITER}");\n'
    for worker in workers:
        code = worker.read_text(encoding="utf-8")
        if code.startswith(line):
            continue
        worker.write_text(line + code, encoding="utf-8")
        source_map = worker.with_name(worker.name + ".map")
        if source_map.is_file():  # one more generated line at the top: one more ";" in front of the mappings
            data = json.loads(source_map.read_text(encoding="utf-8"))
            data["mappings"] = ";" + data["mappings"]
            source_map.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")


def enrich(index: dict, protocol: Protocol, terms: dict[str, tuple[str, ...]]) -> dict:
    """The index with word forms and zoektermen on the protocol page's documents; other pages are left as they are."""
    for name, boost in FIELDS.items():
        index["config"]["fields"].setdefault(name, {"boost": boost})
    enrich_documents(index["docs"], protocol, terms)
    return index


def enrich_documents(docs: list[dict], protocol: Protocol, terms: dict[str, tuple[str, ...]],
                     heading_boost: float | None = HEADING_BOOST) -> None:
    """Adds the fields to the protocol page's articles in `docs`, and `heading_boost` (if any) to its headings."""
    articles = {article.anchor: (section, article) for section in protocol.sections for article in section.articles}
    sections = {section.anchor: section for section in protocol.sections}
    for doc in docs:
        page, _, anchor = doc["location"].partition("#")
        if page != PROTOCOL_PAGE:
            continue
        if anchor in articles:
            section, article = articles[anchor]
            own = terms.get(article.id, ())
            heading = words_of(plain_text(section.title))
            text = words_of(doc["text"]) + elided_compounds(plain_text(article.text)) + heading
            doc["woordvormen"] = " ".join(expand(text) + [article.id.lower()])
            if own:
                doc["zoektermen"] = " ".join(expand(own))
        elif heading_boost is not None and not (anchor in sections and sections[anchor].paragraphs):
            doc["boost"] = heading_boost
