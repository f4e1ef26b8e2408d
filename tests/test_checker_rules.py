"""Loading rule sets: clear errors for malformed data, citation checks, finding the default file."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import rules
from conftest import CURRENT
from checker.conditions import All, Any_, Equals, Not, Unanswered, holds, keys_of, parse_condition
from checker.rules import (
    RulesError,
    bundled_ruleset,
    default_rules_path,
    load_ruleset,
    validate_citations,
    version_rules_path,
)

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests" / "data" / "rules" / "minimaal.toml"
REAL = REPO / "docs" / "versies" / "2.0" / "regels.toml"
KNOWN = {"A1", "A2", "A7", "S1"}


def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


def error_for(text: str, tmp_path: Path) -> str:
    path = tmp_path / "regels.toml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "vragen.toml").write_bytes(MINIMAL.with_name("vragen.toml").read_bytes())
    with pytest.raises(RulesError) as info:
        load_ruleset(path)
    message = str(info.value)
    assert message.startswith(str(path))
    return message


def test_minimal_fixture_loads_from_path_and_text():
    from_path = load_ruleset(MINIMAL)
    from_text = load_ruleset(minimal_text())
    assert from_path == from_text
    assert from_path.versie == "9.9" and from_path.source == str(MINIMAL) and from_text.source == "<tekst>"
    assert from_path.cited_articles() == {"A1", "A7"}
    assert [r.id for r in from_path.regels] == ["les", "fatsoen"]


def test_real_rules_load():
    ruleset = load_ruleset(REAL)
    assert ruleset.versie == "2.0"
    assert {"R2", "A1", "A6", "B2", "C5"} <= ruleset.cited_articles()
    assert len({r.id for r in ruleset.regels}) == len(ruleset.regels)


def test_validate_citations_passes():
    validate_citations(load_ruleset(MINIMAL), KNOWN)


def test_unknown_article_names_rule_and_id():
    ruleset = load_ruleset(minimal_text().replace('artikelen = ["A7"]', 'artikelen = ["A7", "A9"]'))
    with pytest.raises(RulesError, match=r"regel 'fatsoen' verwijst naar onbekend artikel 'A9'"):
        validate_citations(ruleset, KNOWN)


def test_each_uncited_normative_article_is_named():
    ruleset = load_ruleset(minimal_text().replace('normatief = ["A1", "A7"]', 'normatief = ["A1", "A2", "A7", "S1"]'))
    with pytest.raises(RulesError) as info:
        validate_citations(ruleset, KNOWN)
    assert "normatief artikel 'A2'" in str(info.value) and "normatief artikel 'S1'" in str(info.value)


def test_unknown_consequence_article():
    ruleset = load_ruleset(minimal_text().replace('artikel = "S1"', 'artikel = "S8"'))
    with pytest.raises(RulesError, match="S8"):
        validate_citations(ruleset, KNOWN)


def test_toml_syntax_error_names_file_and_line(tmp_path):
    message = error_for(minimal_text().replace('id = "les"', 'id = "les'), tmp_path)
    assert "ongeldige TOML" in message and "line" in message


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('effect = "niet_toegestaan"\nals = [{ situatie', 'effect = "verboden"\nals = [{ situatie', "regel 'les': veld 'effect'"),
        ('reden = "Niet tijdens de les."', "", "regel 'les': veld 'reden'"),
        ('als = [{ situatie = "les" }, { toestemming_les = false }]', "", "regel 'les': veld 'als' ontbreekt"),
        ('{ situatie = "les" }', '{ situatie = "klas" }', "regel 'les': veld 'als[0].situatie'"),
        ('{ situatie = "les" }', '{ leeftijd = 12 }', "onbekende sleutel 'leeftijd'"),
        ('{ toestemming_les = false }', '{ toestemming_les = "nee" }', "moet true of false zijn"),
        ('{ toestemming_les = false }', '{ tekst = "x" }', "vrije tekst"),
        ('{ toestemming_les = false }', '{ niet = 3 }', "veld 'als[1].niet'"),
        ('{ toestemming_les = false }', '{ een_van = [] }', "niet-lege lijst"),
        ('{ toestemming_les = false }', '{ onbeantwoord = "bestaatniet" }', "onbekende sleutel 'bestaatniet'"),
        ('{ toestemming_les = false }', "{}", "lege tabel"),
        ('artikelen = ["A1"]', 'artikelen = ["artikel 1"]', "regel 'les': veld 'artikelen': 'artikel 1'"),
        ('artikelen = ["A1"]', "artikelen = []", "regel 'les': veld 'artikelen' mag alleen"),
        ('artikelen = ["A1"]', 'artikelen = "A1"', "regel 'les': veld 'artikelen'"),
        ('id = "fatsoen"', 'id = "les"', "regel 'les': veld 'id' komt dubbel voor"),
        ('id = "fatsoen"', "id = 5", "regel nr. 2: veld 'id'"),
        ('acties = ["Wacht tot na de les."]', 'acties = "Wacht"', "regel 'les': veld 'acties'"),
        ('acties = ["Wacht tot na de les."]', 'actie = ["Wacht"]', "regel 'les': onbekend veld 'actie'"),
        ('versie = "9.9"', "versie = 9.9", "versie"),
        ('normatief = ["A1", "A7"]', 'normatief = "A1"', "normatief"),
        ('geen_bezwaar = "Geen bezwaar."', "", "teksten: veld 'geen_bezwaar'"),
        ('info = { label = "Toelichting", samenvatting = "Uitleg." }', "", "oordelen.info"),
        ('rollen = ["medewerker"]', 'rollen = ["directeur"]', "gevolg nr. 1: veld 'rollen'"),
    ],
)
def test_malformed_rules_give_a_clear_error(tmp_path, old, new, expected):
    text = minimal_text()
    assert old in text
    message = error_for(text.replace(old, new, 1), tmp_path)
    assert expected in message


def test_no_rules_at_all(tmp_path):
    text = minimal_text().split("[[regel]]")[0]
    assert "geen [[regel]]" in error_for(text, tmp_path)


def test_missing_file_names_it(tmp_path):
    with pytest.raises(RulesError, match="bestaat-niet.toml"):
        load_ruleset(tmp_path / "bestaat-niet.toml")


def test_info_rules_may_cite_nothing():
    text = minimal_text() + '\n[[regel]]\nid = "uitleg"\nartikelen = []\neffect = "info"\nals = []\nreden = "Uitleg."\n'
    assert load_ruleset(text).rule("uitleg").artikelen == ()


# ------------------------------------------------------------------ conditions


def test_condition_language():
    cond = parse_condition([{"rol": ["leerling", "ouder"]}, {"niet": {"twijfel": True}}, {"onbeantwoord": "tekst"}])
    assert cond == All((Equals("rol", ("leerling", "ouder")), Not(Equals("twijfel", (True,))), Unanswered("tekst")))
    assert holds(cond, {"rol": "ouder"})
    assert holds(cond, {"rol": "ouder", "twijfel": False})
    assert not holds(cond, {"rol": "ouder", "twijfel": True})
    assert not holds(cond, {"rol": "medewerker"})
    assert not holds(cond, {"rol": "ouder", "tekst": "x"})
    assert keys_of(cond) == ["rol", "twijfel", "tekst"]


def test_condition_any_and_multi_entry_table():
    cond = parse_condition({"een_van": [{"kwetsend": True}, {"rol": "ouder", "situatie": "les"}]})
    assert isinstance(cond, Any_)
    assert holds(cond, {"kwetsend": True})
    assert holds(cond, {"rol": "ouder", "situatie": "les"})
    assert not holds(cond, {"rol": "ouder"})
    assert holds(parse_condition([]), {})
    assert parse_condition(cond.to_json()) == cond


def test_unanswered_comparison_is_false_and_its_negation_true():
    assert not holds(parse_condition({"disclaimer": False}), {})
    assert holds(parse_condition({"niet": {"disclaimer": True}}), {})


# ------------------------------------------------------------------ bundled and default rules


def _version(base: Path, name: str, status: str, rules_text: str | None, vanaf: str | None = None, tot: str | None = None) -> None:
    folder = base / "docs" / "versies" / name
    folder.mkdir(parents=True)
    dates = (f"geldig_vanaf = {vanaf}\n" if vanaf else "") + (f"geldig_tot = {tot}\n" if tot else "")
    (folder / "versie.toml").write_text(f'versie = "{name}"\nstatus = "{status}"\n{dates}', encoding="utf-8")
    if rules_text is not None:
        (folder / "regels.toml").write_text(rules_text, encoding="utf-8")
        (folder / "vragen.toml").write_bytes(MINIMAL.with_name("vragen.toml").read_bytes())


def test_default_is_the_version_in_force_by_the_sites_rule(tmp_path, monkeypatch):
    from datetime import date

    monkeypatch.setattr(rules, "bundled_rules_file", lambda: tmp_path / "geen.toml")
    text = minimal_text()
    _version(tmp_path, "2.0", "vervallen", text, "2019-08-01", "2020-07-31")
    _version(tmp_path, "10.0", "vastgesteld", text, "2020-08-01")
    _version(tmp_path, "11.0", "concept", text)
    _version(tmp_path, "12.0", "vastgesteld", text, "2999-01-01")  # adopted, not yet in force
    sub = tmp_path / "ergens" / "diep"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    in_force = (tmp_path / "docs" / "versies" / "10.0" / "regels.toml").resolve()
    assert Path(default_rules_path()).resolve() == in_force
    assert version_rules_path(start=tmp_path).resolve() == in_force
    assert version_rules_path(start=tmp_path, day=date(2020, 1, 1)).resolve().parent.name == "2.0"
    assert version_rules_path("11.0", start=tmp_path).resolve().parent.name == "11.0"
    with pytest.raises(RulesError, match="versie '4.0' bestaat niet"):
        version_rules_path("4.0", start=tmp_path)


def test_default_prefers_the_bundled_file(tmp_path, monkeypatch):
    bundled = tmp_path / "regels.toml"
    bundled.write_text(minimal_text(), encoding="utf-8")
    (tmp_path / "vragen.toml").write_bytes(MINIMAL.with_name("vragen.toml").read_bytes())
    monkeypatch.setattr(rules, "bundled_rules_file", lambda: bundled)
    assert default_rules_path() == bundled
    assert bundled_ruleset().versie == "9.9"


def test_no_rules_anywhere(tmp_path, monkeypatch):
    monkeypatch.setattr(rules, "bundled_rules_file", lambda: tmp_path / "geen.toml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RulesError, match="geen map docs/versies"):
        default_rules_path()
    with pytest.raises(RulesError, match="geen meegeleverd regelbestand"):
        bundled_ruleset()


def test_default_in_this_repository_is_version_2_0(monkeypatch):
    monkeypatch.setattr(rules, "bundled_rules_file", lambda: REPO / "checker" / "bestaat-niet.toml")
    monkeypatch.chdir(REPO)
    assert load_ruleset(default_rules_path()).versie == CURRENT  # the version in force, whichever it is
