"""Unit tests for build_tools.versions: loading, validation and the version in force."""

from datetime import date
from pathlib import Path

import pytest

from build_tools.errors import SourceError
from build_tools.versions import Version, load_version, load_versions

GOOD = """versie = "{v}"
status = "{status}"
geldig_vanaf = {vanaf}
{tot}
samenvatting = "FIXTURE"

[vaststelling]
versie = "{v}"
datum = {vastgesteld}
naam = "Fixture Bestuurder"
functie = "Fixture voorzitter CvB"

[instemming]
versie = "{v}"
datum = {instemming}
naam = "Fixture Raadslid"
functie = "Fixture voorzitter GMR"
"""


def write_version(root: Path, v: str, *, status="vastgesteld", vanaf="2020-08-01", tot=None,
                  vastgesteld="2020-08-01", instemming="2019-01-15", text=None) -> Path:
    folder = root / v
    folder.mkdir(parents=True)
    body = text if text is not None else GOOD.format(
        v=v, status=status, vanaf=vanaf, tot=f"geldig_tot = {tot}" if tot else "",
        vastgesteld=vastgesteld, instemming=instemming)
    if vastgesteld is None:
        body = body.split("[vaststelling]")[0] + "[instemming]" + body.split("[instemming]")[1]
    (folder / "versie.toml").write_text(body, encoding="utf-8")
    (folder / "protocol.md").write_text("# FIXTURE\n", encoding="utf-8")
    return folder


def error_of(call) -> SourceError:
    with pytest.raises(SourceError) as info:
        call()
    return info.value


def test_the_real_version_2_0_is_in_force_today():
    registry = load_versions(Path(__file__).parent.parent / "docs" / "versies", date(2026, 11, 23))
    assert registry.current.versie == "2.0"
    assert registry.current.vaststelling.naam == "Dhr. M.C.J. Visser"
    assert registry.current.instemming.datum == date(2019, 1, 15)


def test_a_missing_field_names_the_file_and_field(tmp_path):
    folder = write_version(tmp_path, "1.0")
    path = folder / "versie.toml"
    path.write_text(path.read_text().replace('naam = "Fixture Bestuurder"\n', ""))
    error = error_of(lambda: load_version(folder))
    assert error.field == "vaststelling.naam" and error.file == str(path)
    assert "ontbreekt" in str(error)


def test_an_impossible_date_names_the_field_and_line(tmp_path):
    folder = write_version(tmp_path, "1.0", vastgesteld="2020-02-30")
    error = error_of(lambda: load_version(folder))
    assert error.field == "vaststelling.datum"
    assert error.line == 9
    assert "geen bestaande datum" in str(error)


def test_a_quoted_impossible_date_is_caught_too(tmp_path):
    folder = write_version(tmp_path, "1.0", vastgesteld='"2020-02-30"')
    assert error_of(lambda: load_version(folder)).field == "vaststelling.datum"


def test_version_numbers_must_agree(tmp_path):
    folder = write_version(tmp_path, "1.0")
    path = folder / "versie.toml"
    path.write_text(path.read_text().replace('[instemming]\nversie = "1.0"', '[instemming]\nversie = "1.1"'))
    error = error_of(lambda: load_version(folder))
    assert error.field == "instemming.versie" and "1.1" in str(error)


def test_folder_name_must_match_version(tmp_path):
    folder = write_version(tmp_path, "1.0")
    renamed = folder.rename(tmp_path / "1.1")
    assert error_of(lambda: load_version(renamed)).field == "versie"


def test_consent_after_adoption_is_refused(tmp_path):
    folder = write_version(tmp_path, "1.0", instemming="2020-09-01")
    error = error_of(lambda: load_version(folder))
    assert error.field == "instemming.datum" and "voorafgaan" in str(error)


def test_a_concept_has_no_vaststelling(tmp_path):
    folder = write_version(tmp_path, "1.0", status="concept")
    assert error_of(lambda: load_version(folder)).field == "vaststelling"


def test_an_adopted_version_needs_both_approvals(tmp_path):
    folder = write_version(tmp_path, "1.0")
    path = folder / "versie.toml"
    path.write_text(path.read_text().split("[instemming]")[0])
    assert error_of(lambda: load_version(folder)).field == "instemming"


def test_a_lapsed_version_needs_an_end_date(tmp_path):
    folder = write_version(tmp_path, "1.0", status="vervallen")
    assert error_of(lambda: load_version(folder)).field == "geldig_tot"


def test_overlapping_periods_are_refused(tmp_path):
    write_version(tmp_path, "1.0", status="vervallen", vanaf="2019-08-01", tot="2020-12-31",
                  vastgesteld="2019-08-01", instemming="2019-06-01")
    write_version(tmp_path, "2.0")
    error = error_of(lambda: load_versions(tmp_path, date(2024, 1, 1)))
    assert error.field == "geldig_vanaf" and "overlapt" in str(error)


def test_duplicate_version_numbers_are_refused(tmp_path):
    write_version(tmp_path, "2.0", status="concept", vastgesteld=None)
    write_version(tmp_path, "2.00", status="concept", vastgesteld=None)
    error = error_of(lambda: load_versions(tmp_path, date(2024, 1, 1)))
    assert error.field == "versie" and "bestaat al" in str(error)


def test_the_version_in_force_follows_the_build_date(tmp_path):
    write_version(tmp_path, "1.0", status="vastgesteld", vanaf="2019-08-01", tot="2020-07-31",
                  vastgesteld="2019-08-01", instemming="2019-06-01")
    write_version(tmp_path, "2.0")
    assert load_versions(tmp_path, date(2020, 1, 1)).current.versie == "1.0"
    assert load_versions(tmp_path, date(2024, 1, 1)).current.versie == "2.0"


def test_version_round_trips_through_json(tmp_path):
    version = load_version(write_version(tmp_path, "1.0"))
    assert Version.from_json(version.to_json()) == version


def test_a_lapsed_version_still_valid_on_the_build_date_is_inconsistent(tmp_path):
    write_version(tmp_path, "1.0", status="vervallen", vanaf="2019-08-01", tot="2030-07-31",
                  vastgesteld="2019-08-01", instemming="2019-06-01")
    assert error_of(lambda: load_versions(tmp_path, date(2024, 1, 1))).field == "geldig_tot"


def test_standing_on_a_day(tmp_path):
    lapsed = load_version(write_version(tmp_path, "1.0", status="vastgesteld", vanaf="2019-08-01", tot="2020-07-31",
                                        vastgesteld="2019-08-01", instemming="2019-06-01"))
    assert lapsed.standing_on(date(2020, 1, 1)) == "geldend"
    assert lapsed.standing_on(date(2024, 1, 1)) == "vervallen"
    assert lapsed.standing_on(date(2019, 1, 1)) == "nog niet geldend"
