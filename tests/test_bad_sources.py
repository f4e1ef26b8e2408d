"""End-to-end: each kind of bad source fails `mkdocs build` with one clear message and leaves the old site alone."""

from __future__ import annotations

import pytest

from conftest import copy_fixture, run_build

CASES = {
    "missing field": (
        lambda t: t.replace('naam = "Fixture Bestuurder"\n', ""),
        ["versie.toml", "veld 'vaststelling.naam'", "ontbreekt"],
    ),
    "impossible date": (
        lambda t: t.replace("datum = 2023-09-01", "datum = 2023-02-30"),
        ["versie.toml:9", "veld 'vaststelling.datum'", "geen bestaande datum"],
    ),
    "version mismatch": (
        lambda t: t.replace('[instemming]\nversie = "1.0"', '[instemming]\nversie = "1.1"'),
        ["versie.toml", "veld 'instemming.versie'", "'1.1'"],
    ),
    "consent after adoption": (
        lambda t: t.replace("datum = 2023-06-15", "datum = 2023-10-01"),
        ["versie.toml", "veld 'instemming.datum'", "voorafgaan"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_metadata_fails_the_build_naming_file_and_field(tmp_path, case):
    config = copy_fixture("minimal", tmp_path)
    out = tmp_path / "site"
    run_build(config, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    edit, expected = CASES[case]
    metadata = config.parent / "docs" / "versies" / "1.0" / "versie.toml"
    metadata.write_text(edit(metadata.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_build(config, out, check=False)

    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, result.stderr
    for fragment in expected:
        assert fragment in errors[0]
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before, "a failed build must leave the previous site untouched"
    assert not list(tmp_path.glob(".site.*")), "no staging folder may be left behind"


def test_an_article_numbering_gap_names_the_line(tmp_path):
    config = copy_fixture("minimal", tmp_path)
    text = config.parent / "docs" / "versies" / "1.0" / "protocol.md"
    text.write_text(text.read_text(encoding="utf-8").replace("2. Fixture-artikel twee", "3. Fixture-artikel twee"))
    result = run_build(config, tmp_path / "site", check=False)
    assert result.returncode != 0
    assert "protocol.md:10: artikel 3 in 'Regels' moet nummer 2 hebben" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_broken_internal_link_fails_the_strict_build_naming_the_page(tmp_path):
    config = copy_fixture("minimal", tmp_path)
    index = config.parent / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nZie [de bijlage](bijlage.md).\n", encoding="utf-8")
    result = run_build(config, tmp_path / "site", check=False)
    assert result.returncode != 0
    assert "Doc file 'index.md' contains a link 'bijlage.md', but the target is not found" in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("edit, expected", [
    (lambda t: t.replace('artikelen = ["A2"]', 'artikelen = ["A9"]'), "A9"),
    (lambda t: t.replace('artikelen = ["A2"]', 'artikelen = ["R1"]'), "A2"),
])
def test_rules_citing_a_missing_article_or_missing_a_normative_one_fail_the_build(tmp_path, edit, expected):
    config = copy_fixture("three-versions", tmp_path)
    rules = config.parent / "docs" / "versies" / "2.0" / "regels.toml"
    rules.write_text(edit(rules.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_build(config, tmp_path / "site", check=False)
    assert result.returncode != 0
    error = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(error) == 1 and "versies/2.0/regels.toml" in error[0] and expected in error[0], result.stderr


VERSION_CASES = {
    "overlapping validity": ("1.0", lambda t: t.replace("geldig_tot = 2023-07-31", "geldig_tot = 2023-09-30"),
                             ["versies/2.0/versie.toml", "veld 'geldig_vanaf'", "overlapt met versie 1.0"]),
    "concept with vaststelling": ("3.0", lambda t: t + '\n[vaststelling]\nversie = "3.0"\ndatum = 2024-02-02\nnaam = "X"\nfunctie = "Y"\n',
                                  ["versies/3.0/versie.toml", "veld 'vaststelling'", "concept"]),
    "adopted without consent": ("2.0", lambda t: t.split("[instemming]")[0],
                                ["versies/2.0/versie.toml", "veld 'instemming'", "GMR"]),
    "unknown status": ("2.0", lambda t: t.replace('status = "vastgesteld"', 'status = "actief"'),
                       ["versies/2.0/versie.toml", "veld 'status'", "'actief'"]),
    "lapsed without end date": ("1.0", lambda t: t.replace("geldig_tot = 2023-07-31\n", ""),
                                ["versies/1.0/versie.toml", "veld 'geldig_tot'", "einddatum"]),
}


@pytest.mark.parametrize("case", VERSION_CASES)
def test_bad_version_data_fails_the_build_naming_file_and_field(tmp_path, case):
    config = copy_fixture("three-versions", tmp_path)
    version, edit, expected = VERSION_CASES[case]
    metadata = config.parent / "docs" / "versies" / version / "versie.toml"
    metadata.write_text(edit(metadata.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_build(config, tmp_path / "site", check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, result.stderr
    for fragment in expected:
        assert fragment in errors[0], errors[0]
    assert not (tmp_path / "site").exists()


def test_a_duplicate_version_number_fails_the_build(tmp_path):
    config = copy_fixture("three-versions", tmp_path)
    versions = config.parent / "docs" / "versies"
    copy = versions / "3.00"
    copy.mkdir()
    for name in ("protocol.md", "regels.toml"):
        (copy / name).write_bytes((versions / "3.0" / name).read_bytes())
    (copy / "versie.toml").write_text((versions / "3.0" / "versie.toml").read_text().replace('"3.0"', '"3.00"'))
    result = run_build(config, tmp_path / "site", check=False)
    assert result.returncode != 0
    assert "versienummer 3.00 bestaat al" in result.stderr or "versienummer 3.0 bestaat al" in result.stderr
