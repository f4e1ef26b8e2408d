"""Unit tests for build_tools.search_index: zoektermen data, Dutch word forms, the enriched index, the query rewriter."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from build_tools import search_index
from build_tools.errors import SourceError
from build_tools.protocol import parse_protocol
from conftest import REPO, copy_fixture, run_build

PROTOCOL = parse_protocol("""# Fixture

## Inleiding {#inleiding}

FIXTURE: een inleiding.

## Regels voor iedereen {#regels prefix=A}

1. FIXTURE: geen foto-, film- en geluidsopnamen zonder toestemming.
2. FIXTURE: wie anderen pesten, krijgt een gesprek over het school- en onderwijsklimaat.
""")
REWRITER = REPO / "build_tools" / "theme" / "assets" / "cvo" / "zoekvraag.js"


def write_terms(tmp_path: Path, text: str) -> Path:
    (tmp_path / search_index.TERMS_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_zoektermen_are_read_per_article_and_a_version_without_them_has_none(tmp_path):
    assert search_index.load_search_terms(tmp_path, PROTOCOL) == {}
    folder = write_terms(tmp_path, 'A1 = ["selfie", " video "]\n')
    assert search_index.load_search_terms(folder, PROTOCOL) == {"A1": ("selfie", "video")}


@pytest.mark.parametrize("text, field, fragment", [
    ('A9 = ["selfie"]\n', "A9", "geen artikel-ID van deze versie"),
    ('A1 = "selfie"\n', "A1", "verwacht een lijst met woorden"),
    ('A1 = ["selfie", 3]\n', "A1", "verwacht een lijst met woorden"),
    ('A1 = [""]\n', "A1", "verwacht een lijst met woorden"),
])
def test_bad_zoektermen_name_file_and_field(tmp_path, text, field, fragment):
    with pytest.raises(SourceError) as error:
        search_index.load_search_terms(write_terms(tmp_path, text), PROTOCOL)
    assert error.value.field == field and error.value.file.endswith("zoektermen.toml")
    assert fragment in str(error.value)


def test_a_toml_syntax_error_names_file_and_line(tmp_path):
    with pytest.raises(SourceError) as error:
        search_index.load_search_terms(write_terms(tmp_path, 'A1 = ["selfie"]\nA2 = [selfie]\n'), PROTOCOL)
    assert error.value.line == 2 and "geen geldige TOML" in str(error.value)


def test_bad_zoektermen_fail_the_build_with_one_message_and_leave_no_site(tmp_path):
    config = copy_fixture("minimal", tmp_path)
    (config.parent / "docs" / "versies" / "1.0" / "zoektermen.toml").write_text('A7 = ["selfie"]\n', encoding="utf-8")
    result = run_build(config, tmp_path / "site", check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and "versies/1.0/zoektermen.toml" in errors[0] and "veld 'A7'" in errors[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_word_forms_cover_participles_plurals_diminutives_and_the_verb_behind_an_ing_noun():
    assert {"gepest", "pest", "pestte"} <= search_index.word_forms("pesten")
    assert {"filmpje", "filmpjes", "films"} <= search_index.word_forms("film")
    assert {"leraar", "leraren"} <= search_index.word_forms("leraren")
    assert {"geschorst", "schorsen"} <= search_index.word_forms("schorsing")
    assert "gedeeld" in search_index.word_forms("delen")  # an infinitive is also its own lemma, not only "deel"


def test_compounds_split_into_known_words_with_their_linking_letters():
    assert search_index.compound_parts("geluidsopnamen") == ("geluid", "opnamen")
    assert search_index.compound_parts("leerlingendossier") == ("leerlingen", "dossier")
    assert search_index.compound_parts("grensoverschrijdend") == ("grens", "overschrijdend")
    assert search_index.compound_parts("foto") is None


def test_an_elision_stands_for_each_full_compound():
    text = "geen foto-, film- en geluidsopnamen; het school- en onderwijsklimaat"
    assert set(search_index.elided_compounds(text)) == {"fotoopnamen", "filmopnamen", "schoolklimaat"}


def test_expansion_adds_unaccented_and_curly_apostrophe_spellings_and_leaves_out_stop_words():
    forms = search_index.expand(["privé", "foto's", "zonder", "de"])
    assert {"privé", "prive", "foto's", "foto’s", "foto"} <= set(forms)
    assert not {"zonder", "de"} & set(forms)


def test_stop_words_are_lunrs_dutch_list_in_python_and_in_the_query_rewriter():
    import material

    lunr_nl = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "lunr" / "min" / "lunr.nl.min.js"
    listed = re.search(r'generateStopWordFilter\("([^"]+)"', lunr_nl.read_text(encoding="utf-8")).group(1).split()
    assert set(listed) == search_index.STOP_WORDS
    in_js = re.search(r'new Set\(\((.*?)\)\.split', REWRITER.read_text(encoding="utf-8"), re.S).group(1)
    assert set(" ".join(re.findall(r'"([^"]*)"', in_js)).split()) == search_index.STOP_WORDS


def material_like_index() -> dict:
    return {
        "config": {"lang": ["nl"], "separator": "[\\s\\-]+", "pipeline": ["stopWordFilter"],
                   "fields": {"title": {"boost": 10}, "text": {"boost": 1}}},
        "docs": [
            {"location": "protocol/", "title": "Fixture", "text": "Versie 1.0"},
            {"location": "protocol/#inleiding", "title": "Inleiding", "text": "<p>FIXTURE: een inleiding.</p>"},
            {"location": "protocol/#regels", "title": "Regels voor iedereen", "text": ""},
            {"location": "protocol/#a1", "title": "A.1",
             "text": "<p>FIXTURE: geen foto-, film- en geluidsopnamen zonder toestemming.</p>"},
            {"location": "protocol/#a2", "title": "A.2", "text": "<p>FIXTURE: wie anderen pesten, krijgt een gesprek.</p>"},
            {"location": "privacy/", "title": "Privacy", "text": "Geen cookies.", "boost": 0.05},
        ],
    }


def test_articles_get_word_forms_and_their_zoektermen_while_other_pages_stay_as_material_wrote_them():
    index = search_index.enrich(material_like_index(), PROTOCOL, {"A1": ("selfie",)})
    docs = {doc["location"]: doc for doc in index["docs"]}
    assert index["config"]["fields"]["woordvormen"] == {"boost": search_index.FIELDS["woordvormen"]}
    a1 = docs["protocol/#a1"]["woordvormen"].split()
    assert {"opname", "opnamen", "filmpje", "filmopnamen", "regels", "a1"} <= set(a1)
    assert "gepest" in docs["protocol/#a2"]["woordvormen"].split()
    assert set(docs["protocol/#a1"]["zoektermen"].split()) >= {"selfie", "selfies"}
    assert "zoektermen" not in docs["protocol/#a2"]
    assert docs["protocol/"]["boost"] == docs["protocol/#regels"]["boost"] == search_index.HEADING_BOOST
    assert "boost" not in docs["protocol/#inleiding"] and "woordvormen" not in docs["protocol/#inleiding"]
    assert docs["privacy/"] == material_like_index()["docs"][-1]


def test_the_query_rewriter_is_loaded_once_before_materials_worker_and_its_source_map_follows(tmp_path):
    workers = tmp_path / "assets" / "javascripts" / "workers"
    workers.mkdir(parents=True)
    (workers / "search.abc.min.js").write_text("material();\n//# sourceMappingURL=search.abc.min.js.map", encoding="utf-8")
    (workers / "search.abc.min.js.map").write_text(json.dumps({"version": 3, "mappings": "AAAA"}), encoding="utf-8")
    search_index.install_query_rewriter(tmp_path)
    search_index.install_query_rewriter(tmp_path)
    code = (workers / "search.abc.min.js").read_text(encoding="utf-8")
    assert code == 'importScripts("../../cvo/zoekvraag.js");\nmaterial();\n//# sourceMappingURL=search.abc.min.js.map'
    assert json.loads((workers / "search.abc.min.js.map").read_text())["mappings"] == ";AAAA"
    assert (workers / ".." / ".." / "cvo").resolve() == (tmp_path / "assets" / "cvo").resolve()


def test_a_site_without_materials_search_worker_is_reported_by_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="search worker is missing"):
        search_index.install_query_rewriter(tmp_path)


@pytest.mark.parametrize("query, rewritten", [
    ("ontslag op staande voet", "ontslag^3 ontslag staande^3 staande voet^3 voet"),
    ("foto's", "foto's^3 foto's"),
    ("privé-situatie", "privé^3 privé situatie^3 situatie"),
    ("'grensoverschrijdend'", "grensoverschrijdend^3 grensoverschrijdend"),
    ("op de", "op de"),
    ('"ontslag op staande voet"', '"ontslag op staande voet"'),
    ("foto -video", "foto -video"),
])
def test_the_query_rewriter_drops_dutch_stop_words_and_boosts_whole_words(query, rewritten):
    script = (f"globalThis.self = globalThis; globalThis.addEventListener = () => {{}};"
              f"require({json.dumps(str(REWRITER))}); process.stdout.write(self.cvoRewriteQuery({json.dumps(query)}));")
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert result.stdout == rewritten


def test_a_site_without_materials_search_is_left_alone(tmp_path):
    search_index.apply(tmp_path, PROTOCOL, {})
    assert list(tmp_path.iterdir()) == []


ZENSICAL_WORKER = ('"use strict";(()=>{J=Zt(t.data.items,{parser:n=>Yt(n,"and",s=>({field:"*"})),'
                   'fields:[C("title",n=>n.title,{weight:3}),C("text",n=>n.text),'
                   'C("path",n=>n.path,{weight:2})],plugins:[ae({fields:[C("tags",n=>n.tags)]})]});})();')


def test_zensicals_index_gets_the_same_article_fields_and_its_worker_indexes_them_once(tmp_path):
    index = material_like_index()
    (tmp_path / "search.json").write_text(json.dumps({"config": {"lang": ["nl"]}, "items": index["docs"]}), encoding="utf-8")
    workers = tmp_path / "assets" / "javascripts" / "workers"
    workers.mkdir(parents=True)
    (workers / "search.abc.min.js").write_text(ZENSICAL_WORKER, encoding="utf-8")
    search_index.apply(tmp_path, PROTOCOL, {"A1": ("selfie",)})
    search_index.apply(tmp_path, PROTOCOL, {"A1": ("selfie",)})
    items = {doc["location"]: doc for doc in json.loads((tmp_path / "search.json").read_text(encoding="utf-8"))["items"]}
    assert "gepest" in items["protocol/#a2"]["woordvormen"].split() and "selfie" in items["protocol/#a1"]["zoektermen"]
    assert "boost" not in items["protocol/"]  # Zensical has no per-document boost
    code = (workers / "search.abc.min.js").read_text(encoding="utf-8")
    assert code.startswith('importScripts("../../cvo/zoekvraag.js");\n"use strict"')
    assert code.count('C("woordvormen",n=>n.woordvormen,{weight:0.6})') == 1
    assert 'C("path",n=>n.path,{weight:2}),C("zoektermen",n=>n.zoektermen,{weight:1.0}),' in code
    assert 'fields:[C("tags",n=>n.tags)]' in code
    assert 'parser:n=>Yt(n,"or",s=>' in code and '"and"' not in code


@pytest.mark.parametrize("code, what", [
    (ZENSICAL_WORKER.replace("weight:2", "weight:4"), "the list of search fields"),
    (ZENSICAL_WORKER.replace('"and"', '"all"'), "the query parser"),
])
def test_a_zensical_worker_not_shaped_as_known_fails_by_path_and_part(tmp_path, code, what):
    with pytest.raises(ValueError, match=rf"search\.abc\.min\.js: {what} in Zensical's worker was not found"):
        search_index.adapted_worker(code, tmp_path / "search.abc.min.js")


@pytest.mark.parametrize("query, rewritten", [
    ("mag ik de leraar filmen", "mag leraar filmen"),
    ("ontslag op staande voet", "ontslag staande voet"),
    ("op de", "op de"),
])
def test_for_zensical_the_query_rewriter_only_drops_dutch_stop_words(query, rewritten):
    script = (f"globalThis.self = globalThis; globalThis.addEventListener = () => {{}};"
              f"require({json.dumps(str(REWRITER))}); process.stdout.write(self.cvoRewriteZensicalQuery({json.dumps(query)}));")
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert result.stdout == rewritten
