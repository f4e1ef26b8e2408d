"""The checker wheel: pure, deterministic, with the version's rules bundled, and usable as installed."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import zipfile

import pytest

from build_tools.wheel import CHECKER_DIR, build_wheel, wheel_name, wheel_version
from conftest import REPO

RULES = REPO / "docs" / "versies" / "2.0" / "regels.toml"


def test_the_wheel_is_pure_and_carries_the_version_rules_and_the_questions(tmp_path):
    path = build_wheel(RULES, "2.0", tmp_path)
    assert path.name == "cvo_checker-2.0-py3-none-any.whl"
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        assert "checker/web.py" in names and "checker/vragen.toml" in names
        assert wheel.read("checker/regels.toml") == RULES.read_bytes()
        assert "Tag: py3-none-any" in wheel.read("cvo_checker-2.0.dist-info/WHEEL").decode()
        assert not [n for n in names if "__pycache__" in n]
        assert names == sorted(names)
        assert {i.date_time for i in wheel.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_record_lists_every_file_with_its_hash(tmp_path):
    with zipfile.ZipFile(build_wheel(RULES, "2.0", tmp_path)) as wheel:
        record = wheel.read("cvo_checker-2.0.dist-info/RECORD").decode().splitlines()
        for line in record:
            name, digest, size = line.split(",")
            if name.endswith("RECORD"):
                continue
            data = wheel.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert digest == "sha256=" + expected and int(size) == len(data)
        assert len(record) == len(wheel.namelist())


def test_two_builds_are_byte_identical_and_follow_source_date_epoch(tmp_path, monkeypatch):
    first = build_wheel(RULES, "2.0", tmp_path / "a").read_bytes()
    assert build_wheel(RULES, "2.0", tmp_path / "b").read_bytes() == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1596240000")  # 2020-08-01
    with zipfile.ZipFile(build_wheel(RULES, "2.0", tmp_path / "c")) as wheel:
        assert wheel.infolist()[0].date_time == (2020, 8, 1, 0, 0, 0)


def test_compiled_bytecode_goes_in_next_to_the_sources(tmp_path):
    compiled = {"checker/__pycache__/web.cpython-314.pyc": b"\x00pyc"}
    with zipfile.ZipFile(build_wheel(RULES, "2.0", tmp_path, compiled=compiled)) as wheel:
        assert wheel.read("checker/__pycache__/web.cpython-314.pyc") == b"\x00pyc"
        assert "checker/__pycache__/web.cpython-314.pyc" in wheel.read("cvo_checker-2.0.dist-info/RECORD").decode()


def test_the_unpacked_wheel_advises_with_its_bundled_rules(tmp_path):
    with zipfile.ZipFile(build_wheel(RULES, "2.0", tmp_path)) as wheel:
        wheel.extractall(tmp_path / "site-packages")
    code = "from checker.web import advise; print(advise('{\"rol\": \"leerling\", \"situatie\": \"les\", \"toestemming_les\": false}'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(tmp_path / "site-packages")}, check=True)
    advice = json.loads(result.stdout)
    assert advice["verdict"] == "niet_toegestaan" and advice["version"] == "2.0"


def test_a_source_folder_without_web_py_is_refused(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "__init__.py").write_text("")
    with pytest.raises(FileNotFoundError, match="web.py"):
        build_wheel(RULES, "2.0", tmp_path / "out", source_dir=tmp_path / "src")


def test_versions_become_wheel_versions():
    assert wheel_version("2.0") == "2.0"
    assert wheel_version("3.0-concept") == "0+3.0.concept"
    assert wheel_name("2.1") == "cvo_checker-2.1-py3-none-any.whl"
    assert CHECKER_DIR.name == "checker"


def test_the_content_digest_ignores_the_build_date_but_not_the_contents(tmp_path, monkeypatch):
    from build_tools.wheel import content_digest

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1596240000")
    first = build_wheel(RULES, "2.0", tmp_path / "a")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # another day: other entry dates, other bytes
    second = build_wheel(RULES, "2.0", tmp_path / "b")
    assert first.read_bytes() != second.read_bytes()
    assert content_digest(first) == content_digest(second)
    changed = tmp_path / "regels.toml"
    changed.write_text(RULES.read_text(encoding="utf-8") + "\n# een wijziging\n", encoding="utf-8")
    (tmp_path / "vragen.toml").write_bytes(RULES.with_name("vragen.toml").read_bytes())
    assert content_digest(build_wheel(changed, "2.0", tmp_path / "c")) != content_digest(second)
