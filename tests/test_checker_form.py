"""The checker form's HTML: every question, usable before and without script, safe under a strict CSP."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import json
from pathlib import Path

from build_tools import checker_form
from checker.rules import load_ruleset

QUESTIONS = load_ruleset(Path(__file__).resolve().parent.parent / "docs/versies/2.0/regels.toml").questions


def render_form(embed: bool = False) -> str:
    return checker_form.render_form(QUESTIONS, embed=embed)


def load_questions():
    return list(QUESTIONS)

VOID = {"input", "br", "img", "meta", "link", "hr"}


class Collector(HTMLParser):
    """Checks that tags nest properly and collects attributes per element."""

    def __init__(self):
        super().__init__()
        self.stack, self.elements, self.errors = [], [], []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    assert collector.errors == [] and collector.stack == []
    return collector


def test_every_question_is_rendered_with_its_condition_and_explanation():
    elements = parse(render_form()).elements
    by_key = {attrs["data-sleutel"]: attrs for tag, attrs in elements if "data-sleutel" in attrs}
    questions = load_questions()
    assert list(by_key) == [q.sleutel for q in questions]
    ids = {attrs.get("id") for _, attrs in elements}
    for q in questions:
        assert by_key[q.sleutel]["data-type"] == q.type
        assert f"cvo-uitleg-{q.sleutel}" in ids
    radios = {(a["name"], a["value"]) for t, a in elements if t == "input"}
    assert ("rol", "medewerker") in radios and ("disclaimer", "ja") in radios and ("disclaimer", "nee") in radios


def test_the_questions_reach_the_script_once_as_json():
    elements = parse(render_form()).elements
    form = next(attrs for _, attrs in elements if attrs.get("id") == "cvo-form")
    assert json.loads(form["data-vragen"]) == QUESTIONS.to_json()
    assert not any("data-toon-als" in attrs for _, attrs in elements), "routing has one copy, in the JSON"


def test_the_text_field_has_a_region_for_the_marked_draft():
    elements = parse(render_form()).elements
    ids = [attrs.get("id") for _, attrs in elements]
    assert ids.index("cvo-markering-tekst") == ids.index("cvo-tekst") + 1


def test_irrelevant_questions_start_hidden():
    hidden = {a["data-sleutel"] for _, a in parse(render_form()).elements if "data-sleutel" in a and "hidden" in a}
    assert {"disclaimer", "toestemming_les", "over_cvo", "vermeldt_medewerker", "personen_in_beeld"} <= hidden
    assert not {"rol", "situatie", "tekst", "schoolgerelateerd"} & hidden


def test_nothing_needs_inline_script_styles_or_handlers():
    html = render_form() + render_form(embed=True)
    assert "<script" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert "<form" not in html, "nothing typed can be submitted"


def test_labels_help_texts_and_live_region():
    html = render_form()
    elements = parse(html).elements
    ids = {a.get("id") for _, a in elements}
    described = [a["aria-describedby"] for _, a in elements if "aria-describedby" in a]
    assert described and all(d in ids for d in described)
    textarea = next(a for t, a in elements if t == "textarea")
    assert textarea["name"] == "tekst" and textarea["maxlength"] == "20000"
    assert any(t == "label" and a.get("for") == textarea["id"] for t, a in elements)
    assert html.count("<legend") == sum(1 for q in load_questions() if q.type != "tekst")
    assert 'aria-live="polite"' in html and 'role="alert"' in html and "<progress" in html


def test_links_are_relative_to_the_page():
    page, embed = render_form(), render_form(embed=True)
    assert 'data-protocol-href="../protocol/"' in page and 'href="../beslistabel/"' in page
    assert 'data-protocol-href="../../protocol/"' in embed and 'href="../../beslistabel/"' in embed
    assert 'data-embed="true"' in embed and 'data-state="loading"' in embed
    assert 'target="_blank"' in embed and 'target="_blank"' not in page


def test_help_texts_are_escaped():
    html = render_form()
    assert "&quot;De standpunten en meningen" in html
