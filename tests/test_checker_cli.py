"""`python -m checker` as a subprocess: exit codes, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CURRENT

REPO = Path(__file__).resolve().parent.parent


def run(stdin: str | bytes = "", *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], input=data, capture_output=True, cwd=cwd, timeout=60,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


def test_valid_answers_print_sorted_indented_utf8_json():
    result = run('{"rol": "medewerker", "situatie": "prive", "over_cvo": true}')
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    text = result.stdout.decode("utf-8")
    advice = json.loads(text)
    assert advice["verdict"] == "toegestaan_mits" and advice["version"] == CURRENT
    assert text == json.dumps(advice, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert "officiële" in text  # ensure_ascii=False keeps Dutch letters readable


def test_answers_file_option(tmp_path):
    answers = tmp_path / "antwoorden.json"
    answers.write_text('{"rol": "leerling", "situatie": "les", "toestemming_les": false}', encoding="utf-8")
    result = run("", "--answers", str(answers))
    assert result.returncode == 0
    assert json.loads(result.stdout)["verdict"] == "niet_toegestaan"


@pytest.mark.parametrize(
    "stdin, field, fragment",
    [
        ('{"rol": "leerling", "leeftijd": 14}', "leeftijd", "onbekend veld"),
        ('{"toestemming": 1}', "toestemming", "true of false"),
        ('{"rol": "directeur"}', "rol", "onbekende waarde 'directeur' (toegestaan: medewerker, leerling, ouder, betrokkene)"),
        (json.dumps({"tekst": "x" * 20_001}), "tekst", "te lang"),
    ],
)
def test_invalid_answers_exit_2_naming_the_field(stdin, field, fragment):
    result = run(stdin)
    assert result.returncode == 2
    assert result.stdout == b""
    message = result.stderr.decode("utf-8")
    assert message.startswith("fout in antwoorden / invalid answers: ")
    assert f"veld '{field}'" in message and f"field '{field}'" in message and fragment in message
    assert message.count("\n") == 1


@pytest.mark.parametrize("stdin", ['{"rol": ', "", "[1, 2]", b"\xff\xfe{}"])
def test_invalid_json_exit_2(stdin):
    result = run(stdin)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode("utf-8").startswith("fout in antwoorden / invalid answers: ")


def test_bad_rules_file_exit_3_naming_it(tmp_path):
    rules = tmp_path / "kapot.toml"
    rules.write_text("versie = \n", encoding="utf-8")
    result = run("{}", "--rules", str(rules))
    assert result.returncode == 3
    assert result.stdout == b""
    assert str(rules) in result.stderr.decode("utf-8")


def test_rules_option_uses_that_file():
    result = run('{"situatie": "les", "toestemming_les": false}', "--rules", str(REPO / "tests/data/rules/minimaal.toml"))
    assert result.returncode == 0
    assert json.loads(result.stdout)["version"] == "9.9"


@pytest.mark.parametrize("stdin, field", [
    ("[" * 990 + "]" * 990, None),
    ('{"rol": ' + "[" * 990 + "]" * 990 + "}", "rol"),
    ('{"twijfel": ' + "[" * 100_000, "twijfel"),
    ('{"toestemming": ' + "1" * 5000 + "}", "toestemming"),
    ('{"tekst": ' + "7" * 5000 + "}", "tekst"),
    ("1" * 5000, None),
])
def test_no_input_gives_a_traceback_only_one_dutch_line_naming_the_field(stdin, field):
    result = run(stdin)
    assert result.returncode == 2 and result.stdout == b""
    message = result.stderr.decode("utf-8")
    assert message.count("\n") == 1 and "Traceback" not in message
    assert (f"veld '{field}'" if field else "de invoer:") in message


def test_versie_option_picks_a_version_folder_and_names_unknown_ones():
    assert json.loads(run("{}", "--versie", "2.0").stdout)["version"] == "2.0"
    result = run("{}", "--versie", "7.3")
    assert result.returncode == 3 and "versie '7.3' bestaat niet" in result.stderr.decode("utf-8")
